/**
 * The workbench backup, `slp-backup/1` (FORMATS.md "Backup", OURS; docs/formats.md has the layout): a tar.gz
 * holding, in this order,
 *   manifest.json                 format, app and schema version, when, which workspace, counts per table, and
 *                                 every entry that follows with its size and SHA-256;
 *   blobs/<n>                     the bytes of every Blob stored in the database (original files, files the
 *                                 workbench wrote), byte for byte;
 *   tables/<table>/<part>.jsonl   every record of every table, one JSON object a line, a Blob replaced by
 *                                 `{"$blob": n, "type": …, "size": …}`.
 * Blobs come before the records that point at them, so a restore can write as it reads.
 */
export const BACKUP_FORMAT = 'slp-backup/1';

export interface BackupEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  app: string;
  appVersion: string;
  schemaVersion: number;
  createdAt: string;
  workspace: string;
  /** Records per table. */
  counts: Record<string, number>;
  blobs: { count: number; bytes: number };
  entries: BackupEntry[];
}

/** A Blob inside a record, as written in a table part. */
export interface BlobRef {
  $blob: number;
  type: string;
  size: number;
}

export const MANIFEST_NAME = 'manifest.json';
export const blobPath = (n: number) => `blobs/${n}`;
export const partPath = (table: string, part: number) => `tables/${table}/${String(part).padStart(5, '0')}.jsonl`;
export const PART_PATH = /^tables\/([A-Za-z]+)\/\d{5}\.jsonl$/;
export const BLOB_PATH = /^blobs\/(\d+)$/;

/** Records a table part holds at most, and its size in bytes at most (whichever comes first). */
export const PART_RECORDS = 5000;
export const PART_BYTES = 8 * 1024 * 1024;

export class BackupFormatError extends Error {
  override readonly name = 'BackupFormatError';
}

/**
 * One record as a JSON line. Strict about what it accepts: IndexedDB stores more than JSON can say (Map, Date,
 * typed arrays…), and a backup that silently changed a value would be worse than none, so anything other than
 * plain objects, arrays, strings, finite numbers, booleans, null and Blobs stops the backup and says where.
 * An `undefined` property is left out, as JSON does; the record reads back the same to every reader.
 *
 * The record is checked in place first (no copy), and written by plain `JSON.stringify` unless it holds a Blob:
 * a copying check cost 2.7× the stringify itself at 10,000 devices (bench), and only a few records hold Blobs.
 */
export function encodeRecord(record: unknown, table: string, blobRef: (blob: Blob) => BlobRef): string {
  let blobs = false;
  const check = (value: unknown, path: () => string): void => {
    if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new BackupFormatError(`${table}: ${path()} is ${value}, which a backup cannot hold`);
      return;
    }
    if (typeof Blob !== 'undefined' && value instanceof Blob) {
      blobs = true;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) check(value[i], () => `${path()}[${i}]`);
      return;
    }
    if (typeof value === 'object') {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new BackupFormatError(`${table}: ${path()} is a ${proto?.constructor?.name ?? 'value'}, which a backup cannot hold`);
      if (Object.hasOwn(value, '$blob')) throw new BackupFormatError(`${table}: ${path()} has a "$blob" key, which a backup reserves`);
      // A toJSON method would make JSON.stringify write something else than what is stored.
      if (Object.hasOwn(value, 'toJSON')) throw new BackupFormatError(`${table}: ${path()} has a "toJSON" key, which a backup cannot hold`);
      for (const k in value) check((value as Record<string, unknown>)[k], () => `${path()}.${k}`);
      return;
    }
    throw new BackupFormatError(`${table}: ${path()} is a ${typeof value}, which a backup cannot hold`);
  };
  check(record, () => 'record');
  return blobs ? JSON.stringify(record, (_key, value: unknown) => (value instanceof Blob ? blobRef(value) : value)) : JSON.stringify(record);
}

/** The JSON lines of a table part (strict UTF-8: a damaged part is an error, not replacement characters). */
export function partLines(data: Uint8Array): string[] {
  return new TextDecoder('utf-8', { fatal: true }).decode(data).split('\n').filter(Boolean);
}

/** Reads one JSON line back, turning Blob references into what `blobOf` gives for them. */
export function decodeRecord(line: string, blobOf: (ref: BlobRef) => Blob): unknown {
  // A reviver runs on every value (4× plain parsing): only lines that hold a Blob reference need one.
  if (!line.includes('"$blob"')) return JSON.parse(line);
  return JSON.parse(line, (_key, value) => {
    // A "__proto__" key comes back as an own property (JSON.parse never sets a prototype): kept as it was stored.
    if (value && typeof value === 'object' && !Array.isArray(value) && '$blob' in value) return blobOf(value as BlobRef);
    return value;
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a manifest's shape and that this version can restore it; returns it typed. The message says what is
 * wrong in words the operator can act on (a newer app, a damaged file, not a backup at all).
 */
export function parseManifest(bytes: Uint8Array, knownTables: readonly string[], schemaVersion: number): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BackupFormatError('its manifest is not readable JSON — the file is damaged');
  }
  if (!isRecord(value)) throw new BackupFormatError('its manifest is not an object — the file is damaged');
  if (value.format !== BACKUP_FORMAT) {
    throw new BackupFormatError(typeof value.format === 'string' && value.format.startsWith('slp-backup/') ? `it is a ${value.format} backup, which this version cannot read — open it with the version that wrote it, or a newer one` : 'it is not a workbench backup');
  }
  const m = value as Partial<BackupManifest>;
  if (typeof m.schemaVersion !== 'number' || !Number.isInteger(m.schemaVersion) || m.schemaVersion < 1) throw new BackupFormatError('its manifest has no schema version — the file is damaged');
  if (m.schemaVersion > schemaVersion) {
    throw new BackupFormatError(`it was written by a newer version of the workbench (${m.appVersion ?? 'unknown'}, database schema ${m.schemaVersion}; this one knows up to ${schemaVersion}) — update the workbench first`);
  }
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt))) throw new BackupFormatError('its manifest has no creation date — the file is damaged');
  if (!isRecord(m.counts) || !Array.isArray(m.entries) || !isRecord(m.blobs)) throw new BackupFormatError('its manifest lacks counts or entries — the file is damaged');
  for (const [table, n] of Object.entries(m.counts)) {
    if (!knownTables.includes(table)) throw new BackupFormatError(`it holds a table "${table}" this version does not know`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new BackupFormatError(`its count for ${table} is not a number — the file is damaged`);
  }
  const seen = new Set<string>();
  for (const e of m.entries) {
    if (!isRecord(e) || typeof e.path !== 'string' || typeof e.size !== 'number' || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      throw new BackupFormatError('its manifest lists an entry without path, size or SHA-256 — the file is damaged');
    }
    if (seen.has(e.path)) throw new BackupFormatError(`its manifest lists ${e.path} twice — the file is damaged`);
    seen.add(e.path);
    const part = PART_PATH.exec(e.path);
    if (part && !knownTables.includes(part[1]!)) throw new BackupFormatError(`it holds a table "${part[1]}" this version does not know`);
    if (!part && !BLOB_PATH.test(e.path)) throw new BackupFormatError(`its manifest lists an unexpected entry ${e.path}`);
  }
  return m as BackupManifest;
}

/** `slp-backup-<workspace>-<YYYYMMDD-HHMM>.tar.gz`, in the operator's local time. */
export function backupFileName(workspace: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}`;
  return `slp-backup-${workspace.replace(/[^A-Za-z0-9-]+/g, '_')}-${stamp}.tar.gz`;
}
