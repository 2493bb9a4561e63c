import {
  BACKUP_FORMAT,
  BLOB_PATH,
  BackupFormatError,
  MANIFEST_NAME,
  PART_BYTES,
  PART_PATH,
  PART_RECORDS,
  backupFileName,
  blobPath,
  decodeRecord,
  partLines,
  encodeRecord,
  parseManifest,
  partPath,
  type BackupEntry,
  type BackupManifest,
  type BlobRef,
} from '../core/backup/format.ts';
import { GzipSink } from '../core/archive/gzip-sink.ts';
import { BackupReadError, TAR_END, gzipTarEntries } from '../core/backup/tar-stream.ts';
import type { IndexableType } from 'dexie';
import { analyseFile } from '../core/analyse.ts';
import { describeError, formatBytes } from '../core/errors.ts';
import { sha256Hex } from '../core/hash.ts';
import { APP_NAME, APP_VERSION } from '../core/version.ts';
import { storeAnalysis } from './import.ts';
import { isJournalKey } from './journal.ts';
import { isQuotaError, quotaMessage } from './quota.ts';
import { LISTED_AS, RETIRED_TABLES, SCHEMA_VERSION, SCHEMA_VERSIONS, TABLES, type LogEvent, type StoredFile, type WorkbenchDb } from './schema.ts';
import type { Cycle } from '../core/cycle/model.ts';

/**
 * Backup and restore of a whole workspace (capability 9, issue 8): every table and every stored file in one
 * `slp-backup/1` file (core/backup/format.ts). Runs in the backup worker; Node tests run it on fake-indexeddb.
 */

export interface BackupProgress {
  phase: 'reading' | 'writing' | 'verifying' | 'restoring';
  done: number;
  total: number;
}
type OnProgress = (p: BackupProgress) => void;

export interface LastBackup {
  at: number;
  name: string;
  sha256: string | null;
  bytes: number | null;
  /** Set when the workspace was restored from this backup rather than backed up to it. */
  restoredAt?: number;
}

export const LAST_BACKUP_KEY = 'last-backup';
const encoder = new TextEncoder();
const MiB = 1024 * 1024;
/** The largest entry a backup may hold: an original file is at most 1 GiB (core/archive/limits.ts). */
const MAX_ENTRY_BYTES = 1024 * MiB;
/** Records read at a time while taking the snapshot. */
const READ_PAGE = 2000;

interface Part {
  table: string;
  path: string;
  bytes: Uint8Array;
}

/**
 * Reads every table in one read-only transaction, so the backup is one consistent moment of the workspace even
 * while another tab imports. Records become JSON lines right away (not kept as objects); a Blob becomes a
 * reference, and its bytes are read after the transaction: stored Blobs never change, so that is still the
 * same moment.
 */
async function snapshot(db: WorkbenchDb): Promise<{ parts: Part[]; blobs: Blob[]; counts: Record<string, number> }> {
  const parts: Part[] = [];
  const blobs: Blob[] = [];
  const counts: Record<string, number> = {};
  const blobRef = (blob: Blob): BlobRef => {
    blobs.push(blob);
    return { $blob: blobs.length - 1, type: blob.type, size: blob.size };
  };
  await db.transaction('r', TABLES.map((t) => db.table(t)), async () => {
    for (const stored of TABLES) {
      // Devices and report sets are written one per line, as schemas before v8 kept them, whatever buckets hold
      // them here: a backup stays readable device by device, and a restore rebuilds the buckets (RETIRED_TABLES).
      const listed = LISTED_AS[stored];
      const table = listed?.part ?? stored;
      let lines: string[] = [];
      let size = 0;
      let n = 0;
      const close = () => {
        if (!lines.length) return;
        parts.push({ table, path: partPath(table, parts.filter((p) => p.table === table).length + 1), bytes: encoder.encode(lines.join('\n') + '\n') });
        lines = [];
        size = 0;
      };
      const add = (record: unknown) => {
        const line = encodeRecord(record, table, blobRef);
        lines.push(line);
        size += line.length;
        n++;
        if (lines.length >= PART_RECORDS || size >= PART_BYTES) close();
      };
      if (listed) {
        for (const r of await listed.read(db)) add(r);
      } else {
        // Pages of records by primary key (getAll under the hood): a cursor over every record took about 1.6× as
        // long in Chromium (bench). All tables have one plain inline key.
        const t = db.table(stored);
        const keyPath = t.schema.primKey.keyPath as string;
        let after: IndexableType | undefined;
        for (;;) {
          const page = await (after === undefined ? t.orderBy(':id') : t.where(':id').above(after)).limit(READ_PAGE).toArray();
          for (const record of page) {
            // A job's journal record (db/journal.ts) belongs to the page running it, not to the workspace's data.
            if (stored === 'kv' && isJournalKey((record as { key: string }).key)) continue;
            add(record);
          }
          if (page.length < READ_PAGE) break;
          after = (page[page.length - 1] as Record<string, IndexableType>)[keyPath];
        }
      }
      close();
      counts[table] = n;
    }
  });
  return { parts, blobs, counts };
}

async function blobBytes(blob: Blob, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch (e) {
    throw new Error(`${what} could not be read from this browser's storage (${e instanceof Error ? e.message : String(e)}) — the backup was not written`);
  }
}

export interface WrittenBackup {
  name: string;
  blob: Blob;
  sha256: string;
  manifest: BackupManifest;
}

/** Writes the backup of the whole workspace as one gzip-compressed tar, and records it in the workspace. */
export async function writeBackup(db: WorkbenchDb, options: { workspace: string; now: number; onProgress?: OnProgress }): Promise<WrittenBackup> {
  const { onProgress } = options;
  onProgress?.({ phase: 'reading', done: 0, total: 1 });
  const { parts, blobs, counts } = await snapshot(db);
  const blobTotal = blobs.reduce((n, b) => n + b.size, 0);
  const total = blobTotal * 2 + parts.reduce((n, p) => n + p.bytes.length, 0);
  let done = 0;
  const step = (n: number, phase: BackupProgress['phase']) => {
    done += n;
    onProgress?.({ phase, done, total });
  };
  // Hashes first, for the manifest that leads the file (a reader checks each entry as it comes).
  const entries: BackupEntry[] = [];
  for (const [i, blob] of blobs.entries()) {
    const bytes = await blobBytes(blob, `A stored file (${formatBytes(blob.size)})`);
    entries.push({ path: blobPath(i), size: bytes.length, sha256: await sha256Hex(bytes) });
    step(bytes.length, 'reading');
  }
  for (const p of parts) entries.push({ path: p.path, size: p.bytes.length, sha256: await sha256Hex(p.bytes) });
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    app: APP_NAME,
    appVersion: APP_VERSION,
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date(options.now).toISOString(),
    workspace: options.workspace,
    counts,
    blobs: { count: blobs.length, bytes: blobTotal },
    entries,
  };
  const sink = new GzipSink();
  const put = (path: string, bytes: Uint8Array) => sink.writeTarEntry(path, bytes, options.now);
  await put(MANIFEST_NAME, encoder.encode(JSON.stringify(manifest, null, 1)));
  for (const [i, blob] of blobs.entries()) {
    const bytes = await blobBytes(blob, `A stored file (${formatBytes(blob.size)})`);
    // Read again for writing (holding every file in memory twice over would not fit a large workspace). Stored
    // Blobs never change; the size is checked as a guard, and a restore checks every hash anyway.
    if (bytes.length !== entries[i]!.size) throw new Error('a stored file changed while the backup was written — the backup was not written; try again');
    await put(blobPath(i), bytes);
    step(bytes.length, 'writing');
  }
  for (const p of parts) {
    await put(p.path, p.bytes);
    step(p.bytes.length, 'writing');
  }
  await sink.write(TAR_END);
  const blob = await sink.close();
  const sha256 = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
  const name = backupFileName(options.workspace, new Date(options.now));
  const records = Object.values(counts).reduce((a, b) => a + b, 0);
  await db.transaction('rw', [db.kv, db.events], async () => {
    await db.kv.put({ key: LAST_BACKUP_KEY, value: { at: options.now, name, sha256, bytes: blob.size } satisfies LastBackup });
    await db.events.add({
      at: options.now,
      type: 'backup',
      file: name,
      message: `Backed up ${(counts.devices ?? 0).toLocaleString('en')} devices, ${(counts.files ?? 0).toLocaleString('en')} imported files and ${records.toLocaleString('en')} records in all to ${name} (${formatBytes(blob.size)}, SHA-256 ${sha256})`,
    });
  });
  return { name, blob, sha256, manifest };
}

export class BackupRefused extends Error {
  override readonly name = 'BackupRefused';
}

/** What a verified backup holds, to show before anything is written. */
export interface BackupContents {
  name: string;
  sha256: string;
  bytes: number;
  manifest: BackupManifest;
}

function refuse(name: string, why: string): never {
  throw new BackupRefused(`${name}: ${why}. Nothing was changed.`);
}

/**
 * Reads the whole backup and checks it before anything is written: the manifest first (format, version), then
 * every entry against it (listed, size, SHA-256), every record line (readable JSON, Blob references to blobs
 * already seen) and the counts. Any problem refuses the file with what was wrong.
 */
export async function verifyBackup(name: string, bytes: Uint8Array, onProgress?: OnProgress): Promise<BackupContents> {
  const fileSha = await sha256Hex(bytes);
  const verified = verifiedCache.get(fileSha);
  if (verified) return { ...verified, name };
  try {
    const entries = gzipTarEntries(bytes, MAX_ENTRY_BYTES);
    const first = entries.next();
    if (first.done || first.value.name !== MANIFEST_NAME) refuse(name, first.done ? 'it is empty' : 'it does not start with a backup manifest — it is not a workbench backup');
    const manifest = parseManifest(first.value.data, [...TABLES, ...Object.keys(RETIRED_TABLES)], SCHEMA_VERSION);
    const listed = new Map(manifest.entries.map((e) => [e.path, e]));
    const seen = new Set<string>();
    const blobSizes = new Map<number, number>();
    const counts: Record<string, number> = {};
    const total = manifest.entries.reduce((n, e) => n + e.size, 0);
    let done = 0;
    for (const entry of entries) {
      const expected = listed.get(entry.name);
      if (!expected) refuse(name, `it holds ${entry.name}, which its manifest does not list — the file was altered`);
      if (seen.has(entry.name)) refuse(name, `it holds ${entry.name} twice — the file was altered`);
      seen.add(entry.name);
      if (entry.data.length !== expected.size || (await sha256Hex(entry.data)) !== expected.sha256) refuse(name, `${entry.name} does not match its SHA-256 in the manifest — the file is damaged`);
      const blob = BLOB_PATH.exec(entry.name);
      if (blob) blobSizes.set(Number(blob[1]), entry.data.length);
      const part = PART_PATH.exec(entry.name);
      if (part) {
        const table = part[1]!;
        for (const line of partLines(entry.data)) {
          let record: unknown;
          try {
            record = decodeRecord(line, (ref) => {
              if (blobSizes.get(ref.$blob) !== ref.size) throw new BackupFormatError(`a record of ${table} points at stored file ${ref.$blob}, which is missing or of another size`);
              return new Blob();
            });
          } catch (e) {
            refuse(name, e instanceof BackupFormatError ? e.message : `a record of ${table} is not readable JSON — the file is damaged`);
          }
          if (typeof record !== 'object' || record === null || Array.isArray(record)) refuse(name, `a record of ${table} is not an object — the file is damaged`);
          counts[table] = (counts[table] ?? 0) + 1;
        }
      }
      done += entry.data.length;
      onProgress?.({ phase: 'verifying', done, total });
    }
    const missing = manifest.entries.find((e) => !seen.has(e.path));
    if (missing) refuse(name, `${missing.path}, listed in its manifest, is missing — the file is incomplete`);
    for (const table of new Set([...Object.keys(counts), ...Object.keys(manifest.counts)])) {
      if ((counts[table] ?? 0) !== (manifest.counts[table] ?? 0)) refuse(name, `it holds ${counts[table] ?? 0} records of ${table} where its manifest says ${manifest.counts[table] ?? 0} — the file is damaged`);
    }
    const contents = { name, sha256: fileSha, bytes: bytes.length, manifest };
    verifiedCache.set(fileSha, contents);
    return contents;
  } catch (e) {
    if (e instanceof BackupRefused) throw e;
    if (e instanceof BackupReadError || e instanceof BackupFormatError) refuse(name, e.message);
    throw e;
  }
}

/** Backups verified in this worker, by SHA-256: restoring right after the preview does not read it all twice. */
const verifiedCache = new Map<string, BackupContents>();

export interface RestoreResult {
  contents: BackupContents;
  counts: Record<string, number>;
}

/**
 * Replaces the whole workspace with the backup, in one transaction: a restore that fails half-way (a full disk,
 * a closed tab) leaves the workspace as it was. A backup of an older schema gets the same upgrades a database of
 * that version would get when opened.
 */
export async function restoreBackup(db: WorkbenchDb, name: string, bytes: Uint8Array, options: { now: number; onProgress?: OnProgress }): Promise<RestoreResult> {
  const contents = await verifyBackup(name, bytes, options.onProgress);
  const { manifest } = contents;
  const total = manifest.entries.reduce((n, e) => n + e.size, 0);
  const counts: Record<string, number> = {};
  try {
    await db.transaction('rw', TABLES.map((t) => db.table(t)), async (tx) => {
      for (const table of TABLES) await db.table(table).clear();
      // Devices and report sets (one per line in a backup) and v8's report buckets, placed in today's buckets
      // once all of them are read (RETIRED_TABLES).
      const retired = new Map<string, unknown[]>();
      // Synchronous reading between the writes: awaiting anything but IndexedDB here would end the transaction.
      for (const { part, done } of verifiedEntries(bytes)) {
        if (part && part.table in RETIRED_TABLES) {
          const list = retired.get(part.table) ?? [];
          for (const r of part.records) list.push(r);
          retired.set(part.table, list);
        } else if (part) {
          await db.table(part.table).bulkAdd(part.records);
          counts[part.table] = (counts[part.table] ?? 0) + part.records.length;
        }
        options.onProgress?.({ phase: 'restoring', done, total });
      }
      const converted = new Map<string, unknown[]>();
      for (const [table, { into, convert }] of Object.entries(RETIRED_TABLES)) {
        const records = retired.get(table);
        if (!records) continue;
        const out = convert(records, converted);
        converted.set(into, out);
        await db.table(into).bulkPut(out);
        // Counted as the backup counts them (devices, report sets), not as the records that now hold them.
        counts[table] = records.length;
      }
      for (const v of SCHEMA_VERSIONS) if (v.version > manifest.schemaVersion && v.upgrade) await v.upgrade(tx);
      await db.kv.put({ key: LAST_BACKUP_KEY, value: { at: Date.parse(manifest.createdAt), name, sha256: contents.sha256, bytes: bytes.length, restoredAt: options.now } satisfies LastBackup });
      await db.events.add({ at: options.now, type: 'restore', file: name, message: `Restored the workspace from ${name} (written ${manifest.createdAt} by ${manifest.app} ${manifest.appVersion}, SHA-256 ${contents.sha256}): everything before it was replaced` });
    });
  } catch (e) {
    if (isQuotaError(e)) throw new BackupRefused(await quotaMessage(name, total));
    throw e;
  }
  return { contents, counts };
}

/**
 * The entries of a verified backup in order, as they are read: each table part with its records, Blob references
 * turned into the Blobs read before them (with their MIME type); `done` counts the bytes read so far. The one
 * reader of a backup's contents for restore and merge, synchronous so that a restore can write as it reads.
 */
function* verifiedEntries(bytes: Uint8Array): Generator<{ part: { table: string; records: unknown[] } | null; done: number }> {
  const blobs = new Map<number, Blob>();
  const blobOf = (ref: BlobRef) => {
    const stored = blobs.get(ref.$blob)!;
    return ref.type ? stored.slice(0, stored.size, ref.type) : stored;
  };
  let done = 0;
  for (const entry of gzipTarEntries(bytes, MAX_ENTRY_BYTES)) {
    done += entry.data.length;
    const blob = BLOB_PATH.exec(entry.name);
    if (blob) blobs.set(Number(blob[1]), new Blob([entry.data as Uint8Array<ArrayBuffer>]));
    const part = PART_PATH.exec(entry.name);
    yield { part: part ? { table: part[1]!, records: partLines(entry.data).map((line) => decodeRecord(line, blobOf)) } : null, done };
  }
}

/** Reads every record of a verified backup into memory, table by table (merge works on whole tables). */
function readTables(bytes: Uint8Array): Map<string, unknown[]> {
  const tables = new Map<string, unknown[]>();
  for (const { part } of verifiedEntries(bytes)) {
    if (!part) continue;
    const list = tables.get(part.table) ?? [];
    for (const record of part.records) list.push(record);
    tables.set(part.table, list);
  }
  return tables;
}

export interface MergeResult {
  contents: BackupContents;
  /** Original files imported from the backup (the others were here already). */
  imported: string[];
  alreadyHere: number;
  /** Records added as they were: cycles, files the workbench wrote, assignments, events, settings. */
  added: Record<string, number>;
  /** What could not be merged, and why: the workspace's own version was kept. */
  conflicts: string[];
}

/** A JSON image of a record, to tell identical records from conflicting ones (Blobs compared by size and type). */
function same(a: unknown, b: unknown): boolean {
  const image = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Blob ? { blob: x.size, type: x.type } : x));
  return image(a) === image(b);
}

/**
 * Merges a backup into this workspace by the rules of importing: every original file it holds that is not here
 * is imported again, oldest first, through the same analysis and store (identical facts deduplicated, a licence
 * summary replaced by a newer one); then reporting cycles, the files written for them, licence assignments,
 * settings and audit events that are not here are added as they were. A record present on both sides with
 * different contents keeps this workspace's version and is listed as a conflict. Each file is imported in its own
 * transaction, as an import is; the rest goes in one.
 */
export async function mergeBackup(db: WorkbenchDb, name: string, bytes: Uint8Array, options: { now: number; onProgress?: OnProgress }): Promise<MergeResult> {
  const contents = await verifyBackup(name, bytes, options.onProgress);
  const tables = readTables(bytes);
  const rows = <T>(table: string) => (tables.get(table) ?? []) as T[];
  const fileBlobs = new Map(rows<{ sha256: string; blob: Blob }>('fileBytes').map((b) => [b.sha256, b.blob]));
  // Oldest first, ACKs after every other file: an ACK only marks reports and moves last-ACK dates, so applying it
  // after the usage files gives what the original order gave, and it is refused if its devices are not here yet.
  const isAck = (f: StoredFile) => (f.kind === 'ack' || f.kind === 'ack-bundle' ? 1 : 0);
  const files = rows<StoredFile>('files').sort((a, b) => isAck(a) - isAck(b) || a.importedAt - b.importedAt);
  const result: MergeResult = { contents, imported: [], alreadyHere: 0, added: {}, conflicts: [] };
  for (const [i, file] of files.entries()) {
    options.onProgress?.({ phase: 'restoring', done: i, total: files.length });
    if (await db.files.get(file.sha256)) {
      result.alreadyHere++;
      continue;
    }
    const blob = fileBlobs.get(file.sha256);
    if (!blob) {
      result.conflicts.push(`${file.name}: its bytes are not in the backup, so it was not imported`);
      continue;
    }
    try {
      const analysis = await analyseFile(file.name, new Uint8Array(await blob.arrayBuffer()), { sha256: file.sha256 });
      if (!analysis.readable) {
        result.conflicts.push(`${file.name}: this version does not read ${analysis.kind} files, so it was not imported`);
        continue;
      }
      const outcome = await storeAnalysis(db, analysis, blob, file.importedAt);
      if (outcome.status === 'duplicate') result.alreadyHere++;
      else result.imported.push(file.name);
    } catch (e) {
      if (isQuotaError(e)) throw new BackupRefused(`${name}: the browser's storage for this app is full while importing ${file.name}; what was merged before it stays. Free disk space and merge again (files already merged are skipped).`);
      result.conflicts.push(`${file.name}: not imported (${describeError(e)})`);
    }
  }
  const add = (table: string, n = 1) => (result.added[table] = (result.added[table] ?? 0) + n);
  await db.transaction('rw', [db.cycles, db.outputs, db.assignments, db.kv, db.events], async () => {
    let lastNumber = (await db.cycles.orderBy('number').last())?.number ?? 0;
    const numbers = new Set((await db.cycles.toArray()).map((c) => c.number));
    for (const cycle of rows<Cycle>('cycles')) {
      const here = await db.cycles.get(cycle.id);
      if (here) {
        if (!same(here, cycle)) result.conflicts.push(`Cycle ${cycle.number} (${cycle.virtualAccount}) differs here and in the backup: this workspace's kept`);
        continue;
      }
      // Cycle numbers are how operators name cycles: a clash gets the next free number, said in the result.
      const number = numbers.has(cycle.number) ? ++lastNumber : cycle.number;
      if (number !== cycle.number) result.conflicts.push(`Cycle ${cycle.number} of the backup is cycle ${number} here (the number was taken)`);
      numbers.add(number);
      lastNumber = Math.max(lastNumber, number);
      await db.cycles.add({ ...cycle, number });
      add('cycles');
    }
    for (const output of rows<{ sha256: string }>('outputs')) {
      if (await db.outputs.get(output.sha256)) continue;
      await db.outputs.add(output as never);
      add('outputs');
    }
    for (const a of rows<{ id: string }>('assignments')) {
      const here = await db.assignments.get(a.id);
      if (here) {
        if (!same(here, a)) result.conflicts.push(`Licence assignment ${a.id} differs here and in the backup: this workspace's kept`);
        continue;
      }
      await db.assignments.add(a as never);
      add('assignments');
    }
    for (const kv of rows<{ key: string; value: unknown }>('kv')) {
      if (kv.key === LAST_BACKUP_KEY || isJournalKey(kv.key)) continue;
      const here = await db.kv.get(kv.key);
      if (here) {
        if (!same(here, kv)) result.conflicts.push(`Setting "${kv.key}" differs here and in the backup: this workspace's kept`);
        continue;
      }
      await db.kv.add(kv);
      add('kv');
    }
    const known = new Set((await db.events.toArray()).map((e) => `${e.at}|${e.type}|${e.message}`));
    for (const e of rows<LogEvent>('events')) {
      if (known.has(`${e.at}|${e.type}|${e.message}`)) continue;
      const { id: _id, ...rest } = e;
      await db.events.add(rest);
      add('events');
    }
    await db.events.add({
      at: options.now,
      type: 'restore',
      file: name,
      message: `Merged ${name} (SHA-256 ${contents.sha256}): ${result.imported.length} files imported, ${result.alreadyHere} already here, ${result.conflicts.length} conflicts (this workspace's version kept)`,
    });
  });
  return result;
}
