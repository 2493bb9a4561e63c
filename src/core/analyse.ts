import { type ArchiveLimits, DEFAULT_LIMITS } from './archive/limits.ts';
import { expand, leaves as leavesOf } from './archive/expand.ts';
import { ImportError, type ImportErrorCode, isImportError } from './errors.ts';
import { type AckFile, readAck } from './formats/ack.ts';
import { type Classification, type ClassifiedLeaf, type FileKind, KIND_LABELS, classifyFromLeaves, classifyLeaf } from './formats/classify.ts';
import { type CliParse, parseCliText } from './formats/cli/index.ts';
import { type Inventory, readInventoryCsv } from './formats/inventory-csv.ts';
import { type LicenseSummary, readLicenseSummary } from './formats/license-summary.ts';
import { type SlacRequestFile, readSlacRequest } from './formats/slac-request.ts';
import { type UsageFile, parseJson, readUsageFile } from './formats/usage-report.ts';
import { sha256Hex } from './hash.ts';

/** File kinds this version imports into the fleet. Others are recognised, read for inspection, not stored. */
export const READABLE_KINDS: ReadonlySet<FileKind> = new Set(['usage-report', 'upload-bundle', 'archive', 'cli', 'syslog', 'ack', 'ack-bundle', 'slac-request', 'license-summary']);

export interface UsageEntry {
  /** Entry path inside nested archives ([] for the file itself): with a byte range, locates a report's bytes. */
  path: string[];
  usage: UsageFile;
}

export interface CliEntry {
  path: string[];
  parse: CliParse;
}

export type EntryStatus = 'read' | 'not-supported' | 'ignored' | 'error';

export interface EntryReport {
  path: string[];
  kind: FileKind;
  status: EntryStatus;
  note: string;
}

/** What the kinds this version does not import yet say, for `inspect` (and the import's messages). */
export interface OtherFacts {
  /** SLAC requests and returns, each with its entry path (uploaded to CSSM as is by an authorization cycle). */
  slacRequests: Array<SlacRequestFile & { path: string[] }>;
  acks: AckFile[];
  inventories: Inventory[];
  summary: LicenseSummary | null;
}

/** Everything one input file yields, before anything is stored. */
export interface FileAnalysis {
  name: string;
  size: number;
  sha256: string;
  kind: FileKind;
  kindReason: string;
  simulated: boolean;
  /** False when nothing in the file can be imported by this version (it must then not be stored). */
  readable: boolean;
  usage: UsageEntry[];
  /** `show license …` output and syslog, parsed (formats/cli): one per text entry. */
  cli: CliEntry[];
  other: OtherFacts;
  entries: EntryReport[];
  warnings: string[];
  /** The text of a bundle's JAR-style `manifest.mf` (which Virtual Account each `UD_VA_…` file is for), if any. */
  bundleManifest: string | null;
}

/** A usage file read in another worker: what it holds, or why it could not be read. */
export type ParsedLeaf = { usage: UsageFile } | { error: { code: ImportErrorCode; where: string[]; detail: string } };

/**
 * An archive entry read in another worker: its classification and, for a usage file, what `ParsedLeaf` says —
 * or null when what it holds cannot cross back as JSON (parallel.ts), and it is read again here.
 */
export interface ReadLeaf {
  classification: Classification;
  parsed?: ParsedLeaf | null;
}

/** An archive entry to read elsewhere: its place (file name, then entry names) and its bytes. */
export interface LeafToParse {
  where: string[];
  bytes: Uint8Array;
}

/** From this many entries in one archive, the last of them are read by `parallel` when the caller gives one. */
export const PARALLEL_MIN = 2000;

/**
 * The share of the entries the other worker reads: a little under half, so that it is done when this worker is,
 * having also encoded its answer as JSON (parallel.ts); this worker decodes it afterwards, whatever the split. Per
 * entry at 100,000 devices: classify ~20 µs and parse ~90 µs on either side, encode ~11 µs there:
 * 110 / (2 × 110 + 11) ≈ 0.47.
 */
export const PARALLEL_SHARE = 0.47;

/**
 * Classifies entries and reads the usage files among them as `analyseFile` does, returning a file's refusal
 * instead of throwing it: what another worker runs for `AnalyseOptions.parallel`.
 */
export function readLeaves(leaves: readonly LeafToParse[]): ReadLeaf[] {
  return leaves.map(({ where, bytes }) => {
    const classification = classifyLeaf(bytes);
    if (classification.kind !== 'usage-report') return { classification };
    try {
      return { classification, parsed: { usage: readUsageFile(bytes, where) } };
    } catch (e) {
      if (!isImportError(e)) throw e;
      return { classification, parsed: { error: { code: e.code, where: [...e.where], detail: e.detail } } };
    }
  });
}

export interface AnalyseOptions {
  limits?: ArchiveLimits;
  /** Called as entries are read: (entries done, entries in all). */
  onProgress?: (done: number, total: number) => void;
  /** Called once the file is opened (every gzip and tar layer), before its entries are read. */
  onOpened?: () => void;
  /** The file's SHA-256 when the caller has it already (the import worker hashes first to skip duplicates). */
  sha256?: string;
  /**
   * Reads entries in another worker (`readLeaves` there), so that an archive of thousands is classified and parsed
   * on two cores: the last `PARALLEL_SHARE` of its entries go there while this one reads the others. Results are
   * merged in the archive's order, so the analysis is the same as without; whatever it fails to answer, this worker
   * reads itself. It must post its work before returning: this worker reads its own part without yielding.
   */
  parallel?: (leaves: LeafToParse[]) => Promise<ReadLeaf[]>;
}

/** Bundle structure files that carry no facts of their own. */
const STRUCTURE_FILES = /(^|\/)manifest\.(mf|json)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Warnings repeated by many entries of an archive (a thousand device files each carrying a trust-code request)
 * are said once, with how many entries and the first few names.
 */
function groupWarnings(perEntry: ReadonlyArray<{ label: string; text: string }>): string[] {
  const byText = new Map<string, string[]>();
  for (const { label, text } of perEntry) {
    const labels = byText.get(text);
    if (labels) labels.push(label);
    else byText.set(text, [label]);
  }
  return [...byText].map(([text, labels]) =>
    labels.length === 1 ? `${labels[0]}: ${text}` : `${text} — in ${labels.length.toLocaleString('en')} entries (${labels.slice(0, 3).join(', ')}${labels.length > 3 ? ', …' : ''})`,
  );
}

/**
 * Opens, classifies and parses one input file. Throws an ImportError when the file as a whole must be refused
 * (limits, damage, unknown kind, nothing readable); an archive with some unreadable entries is read for the
 * rest, and each entry it could not read is named in `warnings`.
 */
export async function analyseFile(name: string, bytes: Uint8Array, options: AnalyseOptions = {}): Promise<FileAnalysis> {
  const { limits = DEFAULT_LIMITS, onProgress } = options;
  if (bytes.length === 0) throw new ImportError('empty', [name], 'is empty (0 bytes) — nothing to import');
  const [sha256, tree] = await Promise.all([options.sha256 ?? sha256Hex(bytes), expand(name, bytes, limits)]);
  options.onOpened?.();
  const single = tree.type === 'leaf';
  const all = leavesOf(tree);
  // The last entries of a large archive are classified and read elsewhere meanwhile (options.parallel), then merged
  // here in order. The file's kind needs every entry's, so it is settled after them: nothing before depends on it
  // (a file of unknown kind has no entry of a known kind, so nothing in it is read or refused before it is refused).
  let split = all.length;
  let pending: Promise<ReadLeaf[] | null> | null = null;
  if (options.parallel && !single && all.length >= PARALLEL_MIN) {
    const parallel = options.parallel;
    split = all.length - Math.floor(all.length * PARALLEL_SHARE);
    const sent = all.slice(split).map((leaf) => ({ where: [name, ...leaf.path], bytes: leaf.bytes }));
    pending = new Promise<ReadLeaf[]>((resolve) => resolve(parallel(sent))).catch(() => null);
  }

  const analysis: FileAnalysis = {
    name,
    size: bytes.length,
    sha256,
    // Settled once every entry is classified (below).
    kind: 'unknown',
    kindReason: '',
    simulated: false,
    readable: false,
    usage: [],
    cli: [],
    other: { slacRequests: [], acks: [], inventories: [], summary: null },
    entries: [],
    bundleManifest: null,
    warnings: tree.type === 'tar' ? tree.skipped.map((s) => `${name}: ${s}`) : [],
  };
  // `unless`: said only if the file's own kind (known after the loop) is another.
  const entryWarnings: Array<{ label: string; text: string; unless?: FileKind }> = [];
  const summaryJson: Array<{ path: string; json: unknown }> = [];
  const classified: ClassifiedLeaf[] = [];
  let helped: ReadLeaf[] | null = null;
  for (const [i, leaf] of all.entries()) {
    if (onProgress && i % 256 === 0) onProgress(i, all.length);
    let elsewhere: ReadLeaf | undefined;
    if (i >= split && pending) {
      if (i === split) helped = await pending;
      elsewhere = helped?.[i - split]; // undefined when the other worker failed: read here
    }
    const classification = elsewhere?.classification ?? classifyLeaf(leaf.bytes);
    classified.push({ leaf, classification });
    const where = [name, ...leaf.path];
    const label = leaf.path.join(' › ') || name;
    const warn = (text: string) => (single ? analysis.warnings.push(text) : entryWarnings.push({ label, text }));
    const kind = classification.kind;
    if (kind === 'unknown') {
      // A bundle's manifest.mf is structure, not content; anything else unknown is worth a word.
      const manifest = STRUCTURE_FILES.test(leaf.name);
      if (manifest && /\.mf$/i.test(leaf.name) && leaf.path.length === 1) analysis.bundleManifest = new TextDecoder().decode(leaf.bytes);
      analysis.entries.push({ path: leaf.path, kind, status: 'ignored', note: manifest ? 'bundle manifest' : classification.reason });
      if (!manifest) warn(`ignored — ${classification.reason}`);
      continue;
    }
    try {
      const r = elsewhere?.parsed; // null or undefined: read here
      if (r && 'error' in r) throw new ImportError(r.error.code, r.error.where, r.error.detail);
      const status = readLeaf(analysis, kind, leaf.path, leaf.bytes, where, summaryJson, warn, r?.usage);
      analysis.entries.push({ path: leaf.path, kind, status, note: status === 'read' ? KIND_LABELS[kind] : `${KIND_LABELS[kind]}: not yet supported` });
      // Entries of the file's own kind (the JSON files of a summary) are covered by the file's own note.
      if (status === 'not-supported' && !single) entryWarnings.push({ label, text: `${KIND_LABELS[kind]} — not yet supported, ignored`, unless: kind });
    } catch (e) {
      if (single || !isImportError(e)) throw e;
      analysis.entries.push({ path: leaf.path, kind, status: 'error', note: e.detail });
      warn(`not imported — ${e.detail}`);
    }
  }
  const cls = classifyFromLeaves(tree, classified);
  if (cls.kind === 'unknown') throw new ImportError('unknown-kind', [name], `is not a file the workbench can read: ${cls.reason}`);
  analysis.kind = cls.kind;
  analysis.kindReason = cls.reason;
  analysis.simulated ||= cls.simulated;
  analysis.readable = READABLE_KINDS.has(cls.kind);
  onProgress?.(all.length, all.length);
  if (summaryJson.length > 0) {
    const summary = readLicenseSummary(summaryJson);
    analysis.other.summary = summary;
    analysis.simulated ||= summary.simulated;
    analysis.warnings.push(...summary.warnings);
  }
  analysis.warnings.push(...groupWarnings(entryWarnings.filter((w) => w.unless !== cls.kind)));

  if (analysis.readable && analysis.usage.length === 0 && analysis.cli.length === 0 && analysis.other.acks.length === 0 && analysis.other.slacRequests.length === 0 && summaryJson.length === 0) {
    const failed = analysis.entries.find((e) => e.status === 'error');
    if (failed) {
      throw new ImportError('invalid', [name], `none of its device usage files could be read (first problem: ${failed.path.join(' › ')}: ${failed.note})`);
    }
    if (cls.kind === 'upload-bundle') throw new ImportError('invalid', [name], 'is an upload bundle without any device usage file');
    analysis.readable = false;
  }
  if (!analysis.readable) {
    const what = cls.kind === 'archive' ? 'an archive without device usage files' : KIND_LABELS[cls.kind];
    analysis.warnings.unshift(`${what} (${cls.reason}): importing this kind is not yet supported by this version`);
  }
  return analysis;
}

/** Reads one leaf by its kind into the analysis. Returns whether this version reads (imports) such a leaf. */
function readLeaf(
  analysis: FileAnalysis,
  kind: FileKind,
  path: string[],
  bytes: Uint8Array,
  where: string[],
  summaryJson: Array<{ path: string; json: unknown }>,
  warn: (text: string) => void,
  /** The usage file, when another worker read it already. */
  read?: UsageFile,
): EntryStatus {
  const text = () => {
    try {
      return utf8.decode(bytes);
    } catch {
      throw new ImportError('encoding', where, 'contains bytes that are not valid UTF-8 text');
    }
  };
  switch (kind) {
    case 'usage-report': {
      const usage = read ?? readUsageFile(bytes, where);
      analysis.usage.push({ path, usage });
      usage.warnings.forEach(warn);
      return 'read';
    }
    case 'slac-request': {
      const slac = readSlacRequest(bytes, where);
      analysis.other.slacRequests.push({ ...slac, path });
      slac.warnings.forEach(warn);
      return 'read';
    }
    case 'ack': {
      const ack = readAck(bytes, where);
      analysis.other.acks.push(ack);
      analysis.simulated ||= ack.simulated;
      ack.warnings.forEach(warn);
      return 'read';
    }
    case 'inventory-csv': {
      const inventory = readInventoryCsv(text());
      analysis.other.inventories.push(inventory);
      inventory.warnings.forEach(warn);
      return 'not-supported';
    }
    case 'cli':
    case 'syslog': {
      const parse = parseCliText(text());
      analysis.cli.push({ path, parse });
      for (const w of parse.warnings) warn(w.line ? `line ${w.line}: ${w.message}` : w.message);
      return 'read';
    }
    case 'license-summary':
      summaryJson.push({ path: path.join('/') || analysis.name, json: parseJson(text(), where, () => 'the licence summary') });
      return 'read';
    default:
      return 'not-supported';
  }
}
