import { analyseFile } from '../analyse.ts';
import { expand, extractEntry, leaves } from '../archive/expand.ts';
import { isGzip } from '../archive/gzip.ts';
import { ImportError } from '../errors.ts';
import { type AckFile, readAck } from '../formats/ack.ts';
import { KIND_LABELS, classifyTree } from '../formats/classify.ts';
import { type Udi, udiKey } from '../model/udi.ts';
import { type UploadBundle, writeUploadBundle } from './upload.ts';

/**
 * The pure half of the offline reporting cycle's command line (issue #6): which device usage files become which
 * entries of a CSSM upload bundle (`slp bundle`), and which per-device ACK files an ACK or ACK bundle from CSSM
 * splits into (`slp split-ack`). Bytes are never re-serialised either way: device files go into the bundle as
 * they are (their `<RUMReport>`s are signed), and each ACK comes out as the bytes CSSM wrote.
 */

/** One device usage file, read and keyed by the device that saved it. */
export interface UsageSource {
  /** The file's name as given (no folders), for messages and the mapping. */
  name: string;
  /** The device file's content, verbatim (inflated when the file was gzipped): what goes into the bundle. */
  bytes: Uint8Array;
  /** The device the file belongs to: its system information's UDI, else its first report's. */
  udi: Udi;
  /** The report IDs the file holds, in file order. */
  reportIds: string[];
}

/**
 * Reads one input of `slp bundle`. Throws an ImportError naming the file when it is not a single device usage file
 * (an archive, a bundle, an ACK… are refused: a bundle carries device files, nothing else) or names no device.
 */
export async function readUsageSource(name: string, bytes: Uint8Array): Promise<UsageSource> {
  const analysis = await analyseFile(name, bytes);
  if (analysis.kind !== 'usage-report') {
    throw new ImportError('wrong-kind', [name], `is not a device usage file, which is all a bundle carries: its kind is ${KIND_LABELS[analysis.kind]} (${analysis.kindReason})`);
  }
  const [entry] = analysis.usage;
  if (!entry || analysis.usage.length !== 1) throw new ImportError('invalid', [name], 'holds no readable device usage document');
  const udi = entry.usage.systemInfo?.udi ?? entry.usage.reports[0]?.udi ?? null;
  if (!udi) throw new ImportError('invalid', [name], 'does not say which device (UDI) saved it: no system information UDI and no report');
  // The report byte ranges point into the inflated document, which is what the device wrote.
  const content = isGzip(bytes) ? await extractEntry(name, bytes, entry.path) : bytes;
  return { name, bytes: content, udi, reportIds: entry.usage.reports.map((r) => r.reportId) };
}

/** One line per input that repeats a device of an earlier input: a bundle holds one file per device. */
export function duplicateDevices(sources: readonly UsageSource[]): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const s of sources) {
    const key = udiKey(s.udi);
    const earlier = first.get(key);
    if (earlier !== undefined) problems.push(`${s.name}: is for the same device (${key}) as ${earlier} — give one usage file per device`);
    else first.set(key, s.name);
  }
  return problems;
}

export interface CliBundleOptions {
  smartAccount: { name: string; id: string };
  virtualAccount: { name: string; id: string };
  /** ms; names the bundle and its files, so the same inputs and time give the same bytes. */
  now: number;
  createdBy?: string;
}

export interface CliBundle {
  name: string;
  bytes: Uint8Array;
  /** Per input, in the order given: its device, its file name and its `UD_VA_…/dev_<n>_….txt` entry. */
  devices: Array<{ udi: Udi; input: string; entry: string }>;
}

/** The upload bundle of one Virtual Account holding the device files in the order given. Refuses repeated devices. */
export async function bundleFromSources(sources: readonly UsageSource[], options: CliBundleOptions): Promise<CliBundle> {
  if (sources.length === 0) throw new Error('a bundle needs at least one device usage file');
  const duplicates = duplicateDevices(sources);
  if (duplicates.length) throw new Error(duplicates[0]);
  const bundle: UploadBundle = await writeUploadBundle({
    smartAccount: options.smartAccount,
    virtualAccounts: [{ ...options.virtualAccount, devices: sources.map((s) => ({ key: udiKey(s.udi), bytes: s.bytes })) }],
    timestamp: options.now,
    createdBy: options.createdBy ?? 'SLP Offline Workbench',
  });
  const devices = sources.map((s, i) => {
    const e = bundle.entries[i]!;
    return { udi: { pid: s.udi.pid, sn: s.udi.sn }, input: s.name, entry: `${e.vaFile}/${e.devFile}` };
  });
  return { name: bundle.name, bytes: bundle.bytes, devices };
}

/** One per-device ACK inside what CSSM returned. */
export interface SplitAck {
  /** The entry's own file name (no folders): what it is written as. */
  file: string;
  /** Where it was: the input's name, then the entries inside nested archives. */
  path: string[];
  /** The ACK's bytes as CSSM wrote them (after any gzip layer of its own is inflated): never re-serialised. */
  bytes: Uint8Array;
  udi: Udi | null;
  reportIds: string[];
  ack: AckFile;
}

export interface SplitResult {
  kind: 'ack' | 'ack-bundle';
  acks: SplitAck[];
  /** Entries of an ACK bundle that are not ACKs (other than its manifest), left out, with why. */
  skipped: string[];
}

/** The last segment of an entry name; null when there is none a file could safely be written as. */
function baseName(name: string): string | null {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  if (base === '' || base === '.' || base === '..' || base.includes('\0') || /^[a-zA-Z]:/.test(base)) return null;
  return base;
}

/**
 * Splits an ACK, or an ACK bundle (nested tar.gz of `ACK_UD_VA_…tar.gz` of `ACK_dev_…` files), into its per-device
 * ACK files, in archive order. Throws an ImportError naming the input (and the entry) when the input is not an
 * ACK or ACK bundle, is damaged or cut short, or holds an ACK that cannot be read: nothing of it is then usable,
 * since a device's ACK silently missing from the split is worse than a refusal.
 */
export async function splitAck(name: string, bytes: Uint8Array): Promise<SplitResult> {
  if (bytes.length === 0) throw new ImportError('empty', [name], 'is empty (0 bytes) — not an ACK');
  const tree = await expand(name, bytes);
  const cls = classifyTree(tree);
  if (cls.kind !== 'ack' && cls.kind !== 'ack-bundle') {
    const what = cls.kind === 'unknown' ? `not a file the workbench can read (${cls.reason})` : `its kind is ${KIND_LABELS[cls.kind]} (${cls.reason})`;
    throw new ImportError(cls.kind === 'unknown' ? 'unknown-kind' : 'wrong-kind', [name], `is not an ACK or ACK bundle from CSSM: ${what}`);
  }
  const acks: SplitAck[] = [];
  const skipped: string[] = [];
  const all = leaves(tree);
  for (const { leaf, classification } of cls.leaves) {
    const where = [name, ...leaf.path];
    if (classification.kind !== 'ack') {
      if (!/(^|\/)manifest\.(mf|json)$/i.test(leaf.name)) skipped.push(`${where.join(' › ')}: ${KIND_LABELS[classification.kind].toLowerCase()}, not an ACK — left out`);
      continue;
    }
    const ack = readAck(leaf.bytes, where);
    // A single ACK is written under the input's own name; an entry under its base name (never a path).
    const raw = tree.type === 'leaf' ? name : leaf.name;
    const base = baseName(leaf.gzipped ? raw.replace(/\.gz$/i, '') : raw);
    if (!base) throw new ImportError('unsafe-path', where, 'has no file name an ACK could be written as');
    const udi = ack.udi ?? ack.acknowledged.find((a) => a.udi)?.udi ?? null;
    acks.push({ file: base, path: where, bytes: leaf.bytes, udi: udi ? { pid: udi.pid, sn: udi.sn } : null, reportIds: ack.acknowledged.map((a) => a.reportId), ack });
  }
  if (acks.length === 0) throw new ImportError('invalid', [name], `holds no ACK file (${all.length} entr${all.length === 1 ? 'y' : 'ies'})`);
  return { kind: cls.kind, acks, skipped };
}

/** One line per output file name given by more than one ACK (across all inputs): the split would lose one. */
export function clashingFiles(acks: readonly SplitAck[]): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const a of acks) {
    const earlier = first.get(a.file);
    if (earlier !== undefined) problems.push(`${a.path.join(' › ')}: would be written as ${a.file}, like ${earlier}`);
    else first.set(a.file, a.path.join(' › '));
  }
  return problems;
}
