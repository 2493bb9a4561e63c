import { type ArchiveLimits, DEFAULT_LIMITS } from './archive/limits.ts';
import { expand } from './archive/expand.ts';
import { ImportError, isImportError } from './errors.ts';
import { type FileKind, KIND_LABELS, classifyTree } from './formats/classify.ts';
import { type UsageFile, readUsageFile } from './formats/usage-report.ts';
import { sha256Hex } from './hash.ts';

/** File kinds this version reads into the fleet. Others are recognised and reported as not yet supported. */
export const READABLE_KINDS: ReadonlySet<FileKind> = new Set(['usage-report', 'upload-bundle', 'archive']);

export interface UsageEntry {
  /** Entry path inside nested archives ([] for the file itself): with a byte range, locates a report's bytes. */
  path: string[];
  usage: UsageFile;
}

export type EntryStatus = 'read' | 'not-supported' | 'ignored' | 'error';

export interface EntryReport {
  path: string[];
  kind: FileKind;
  status: EntryStatus;
  note: string;
}

/** Everything one input file yields, before anything is stored. */
export interface FileAnalysis {
  name: string;
  size: number;
  sha256: string;
  kind: FileKind;
  kindReason: string;
  simulated: boolean;
  /** False when the kind is recognised but this version cannot read it yet (the file must not be imported). */
  readable: boolean;
  usage: UsageEntry[];
  entries: EntryReport[];
  warnings: string[];
}

/** Bundle structure files that carry no facts of their own. */
const STRUCTURE_FILES = /(^|\/)manifest\.(mf|json)$/i;

/**
 * Opens, classifies and parses one input file. Throws an ImportError when the file as a whole must be refused
 * (limits, damage, unknown kind, nothing readable); an archive with some unreadable entries is read for the
 * rest, and each entry it could not read is named in `warnings`.
 */
export interface AnalyseOptions {
  limits?: ArchiveLimits;
  /** Called as entries are read: (entries done, entries in all). */
  onProgress?: (done: number, total: number) => void;
}

export async function analyseFile(name: string, bytes: Uint8Array, options: AnalyseOptions = {}): Promise<FileAnalysis> {
  const { limits = DEFAULT_LIMITS, onProgress } = options;
  if (bytes.length === 0) throw new ImportError('empty', [name], 'is empty (0 bytes) — nothing to import');
  const [sha256, tree] = await Promise.all([sha256Hex(bytes), expand(name, bytes, limits)]);
  const cls = classifyTree(tree);
  if (cls.kind === 'unknown') throw new ImportError('unknown-kind', [name], `is not a file the workbench can read: ${cls.reason}`);

  const analysis: FileAnalysis = {
    name,
    size: bytes.length,
    sha256,
    kind: cls.kind,
    kindReason: cls.reason,
    simulated: cls.simulated,
    readable: READABLE_KINDS.has(cls.kind),
    usage: [],
    entries: [],
    warnings: tree.type === 'tar' ? tree.skipped.map((s) => `${name}: ${s}`) : [],
  };
  if (!analysis.readable) {
    analysis.warnings.push(`${KIND_LABELS[cls.kind]} (${cls.reason}): reading this kind is not yet supported by this version`);
    return analysis;
  }

  const single = tree.type === 'leaf';
  let done = 0;
  for (const { leaf, classification } of cls.leaves) {
    if (onProgress && done++ % 256 === 0) onProgress(done - 1, cls.leaves.length);
    const where = [name, ...leaf.path];
    const label = leaf.path.join(' › ') || name;
    if (classification.kind === 'usage-report') {
      try {
        const usage = readUsageFile(leaf.bytes, where);
        analysis.usage.push({ path: leaf.path, usage });
        analysis.entries.push({ path: leaf.path, kind: 'usage-report', status: 'read', note: `${usage.reports.length} reports` });
        for (const w of usage.warnings) analysis.warnings.push(single ? w : `${label}: ${w}`);
      } catch (e) {
        if (single || !isImportError(e)) throw e;
        analysis.entries.push({ path: leaf.path, kind: 'usage-report', status: 'error', note: e.detail });
        analysis.warnings.push(`${label}: not imported — ${e.detail}`);
      }
    } else if (STRUCTURE_FILES.test(leaf.name)) {
      analysis.entries.push({ path: leaf.path, kind: classification.kind, status: 'ignored', note: 'bundle manifest' });
    } else if (classification.kind === 'unknown') {
      analysis.entries.push({ path: leaf.path, kind: 'unknown', status: 'ignored', note: classification.reason });
      analysis.warnings.push(`${label}: ignored — ${classification.reason}`);
    } else {
      analysis.entries.push({ path: leaf.path, kind: classification.kind, status: 'not-supported', note: classification.reason });
      analysis.warnings.push(`${label}: ${KIND_LABELS[classification.kind]} — not yet supported, ignored`);
    }
  }
  onProgress?.(cls.leaves.length, cls.leaves.length);
  if (analysis.usage.length === 0) {
    const failed = analysis.entries.find((e) => e.status === 'error');
    throw new ImportError(
      failed ? 'invalid' : 'unknown-kind',
      [name],
      failed
        ? `none of its device usage files could be read (first problem: ${[...failed.path].join(' › ')}: ${failed.note})`
        : `holds no device usage files the workbench can read (${cls.reason})`,
    );
  }
  return analysis;
}
