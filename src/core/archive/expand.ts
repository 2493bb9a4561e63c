import { ImportError } from '../errors.ts';
import { gunzipFast, isGzip } from './gzip.ts';
import { Budget, DEFAULT_LIMITS, type ArchiveLimits } from './limits.ts';
import { isTar, readTar } from './tar.ts';

/**
 * A file after its gzip and tar layers are opened. `path` names the entry inside nested tar archives, from the
 * outermost in (gzip layers are transparent and add nothing to the path): `[]` is the file itself,
 * `['UD_VA_1.tar.gz', 'dev_3_1.txt']` a device file inside the inner archive of a CSSM bundle.
 */
export type ArchiveNode = ArchiveLeaf | ArchiveFolder;

export interface ArchiveLeaf {
  type: 'leaf';
  name: string;
  path: string[];
  /** Bytes after every gzip layer is inflated: what a parser reads and what byte offsets point into. */
  bytes: Uint8Array;
  gzipped: boolean;
}

export interface ArchiveFolder {
  type: 'tar';
  name: string;
  path: string[];
  gzipped: boolean;
  children: ArchiveNode[];
  /** Entries left out (links, devices), with why. */
  skipped: string[];
}

/**
 * Opens gzip and tar layers recursively under the limits. Each gzip or tar layer counts one level of depth,
 * so a CSSM upload bundle (tar.gz holding tar.gz) is depth 4.
 */
export async function expand(name: string, bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ArchiveNode> {
  const where = [name];
  if (bytes.length > limits.maxInputBytes) {
    throw new ImportError('too-large', where, `is ${bytes.length.toLocaleString('en')} bytes, above the ${limits.maxInputBytes.toLocaleString('en')}-byte limit for one file`);
  }
  return open(name, [], bytes, 0, new Budget(limits), where);
}

async function open(name: string, path: string[], bytes: Uint8Array, depth: number, budget: Budget, where: string[]): Promise<ArchiveNode> {
  let gzipped = false;
  let content = bytes;
  while (isGzip(content)) {
    depth = enter(depth, budget, where);
    content = await gunzipFast(content, where, budget);
    gzipped = true;
  }
  if (!isTar(content)) return { type: 'leaf', name, path, bytes: content, gzipped };
  depth = enter(depth, budget, where);
  const listing = await readTar(content, where, budget);
  const children: ArchiveNode[] = [];
  for (const file of listing.files) {
    children.push(await open(file.name, [...path, file.name], file.bytes, depth, budget, [...where, file.name]));
  }
  return { type: 'tar', name, path, gzipped, children, skipped: listing.skipped };
}

function enter(depth: number, budget: Budget, where: string[]): number {
  const next = depth + 1;
  if (next > budget.limits.maxDepth) {
    throw new ImportError('too-deep', where, `nests archives more than ${budget.limits.maxDepth} levels deep (gzip and tar layers count one each) — refused`);
  }
  return next;
}

/** Every leaf of the tree, outermost first, in archive order. */
export function leaves(node: ArchiveNode): ArchiveLeaf[] {
  if (node.type === 'leaf') return [node];
  return node.children.flatMap(leaves);
}

/**
 * The bytes of one entry of a stored file, by the path `expand` gave it: how byte-exact report slices are
 * found again inside a carried archive without storing each entry separately (ARCHITECTURE.md).
 */
export async function extractEntry(name: string, bytes: Uint8Array, path: readonly string[], limits: ArchiveLimits = DEFAULT_LIMITS): Promise<Uint8Array> {
  const budget = new Budget(limits);
  let content = bytes;
  const where = [name];
  for (let i = 0; ; i++) {
    while (isGzip(content)) content = await gunzipFast(content, where, budget);
    const step = path[i];
    if (step === undefined) return content;
    if (!isTar(content)) throw new ImportError('not-tar', where, `is not a tar archive, so it has no entry "${step}"`);
    const listing = await readTar(content, where, budget);
    const found = listing.files.find((f) => f.name === step);
    if (!found) throw new ImportError('invalid', where, `has no entry "${step}"`);
    content = found.bytes;
    where.push(step);
  }
}
