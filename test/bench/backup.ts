/**
 * Issue 8's measures for `npm run bench`: backup and restore of a whole workspace.
 *
 * - Node (fake-indexeddb): writeBackup, verifyBackup and restoreBackup of a 10,000-device workspace beside GNU
 *   `tar czf` / `tar xzf` of the backup's own entries, and beside fake-indexeddb's own reading and writing of the
 *   same records, so the code's cost shows apart from IndexedDB's.
 * - Chromium (the built app, through its UI): a 100,000-device workspace imported through the Import page, then
 *   Settings → "Back up this workspace" until the download is on disk, then "Restore from a backup…" → preview →
 *   replace until "Restored". Peak memory of the tab sampled from /proc every 100 ms while each runs, and the page's
 *   JS heap over CDP. Baselines in the same run: `tar czf` of the backup's entries, the browser's native inflate of
 *   the backup file, and a raw IndexedDB write of the very same records in the same browser.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { analyseFile } from '../../src/core/analyse.ts';
import { writeTar } from '../../src/core/archive/index.ts';
import { decodeRecord } from '../../src/core/backup/format.ts';
import { gzipTarEntries } from '../../src/core/backup/tar-stream.ts';
import { restoreBackup, verifyBackup, writeBackup } from '../../src/db/backup.ts';
import { storeAnalysis } from '../../src/db/import.ts';
import { deviceCount } from '../../src/db/devices.ts';
import { RETIRED_TABLES, SCHEMA_VERSIONS, TABLES, openWorkbenchDb, type WorkbenchDb } from '../../src/db/schema.ts';

const NOW = Date.UTC(2026, 10, 20, 9);
const MiB = 1024 * 1024;
const log = (what: string) => process.stderr.write(`[bench backup ${new Date().toISOString().slice(11, 19)}] ${what}\n`);
export const shm = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export function median(samples: number[]): number {
  const s = samples.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeSync(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export const tarVersion = () => execFileSync('tar', ['--version']).toString().split('\n')[0]!.replace(/^tar \((.*)\)/, '$1');

/** `tar czf` of the backup's entries and `tar xzf` of the backup, on tmpfs: the native floor for the same bytes. */
function tarBaselines(backupPath: string, runs: number): { czfMs: number; xzfMs: number; entries: number; unpackedBytes: number; czfBytes: number } {
  const dir = mkdtempSync(join(shm, 'slp-bench-backup-'));
  try {
    const xzf: number[] = [];
    const czf: number[] = [];
    for (let i = 0; i < runs; i++) {
      rmSync(join(dir, 'x'), { recursive: true, force: true });
      mkdirSync(join(dir, 'x'));
      xzf.push(timeSync(() => execFileSync('tar', ['xzf', backupPath, '-C', join(dir, 'x')])));
    }
    for (let i = 0; i < runs; i++) {
      rmSync(join(dir, 'out.tar.gz'), { force: true });
      czf.push(timeSync(() => execFileSync('tar', ['czf', join(dir, 'out.tar.gz'), '-C', join(dir, 'x'), '.'])));
    }
    const list = execFileSync('find', [join(dir, 'x'), '-type', 'f', '-printf', '%s\n'], { maxBuffer: 64 * MiB }).toString().trim().split('\n').map(Number);
    return { czfMs: median(czf), xzfMs: median(xzf), entries: list.length, unpackedBytes: list.reduce((a, b) => a + b, 0), czfBytes: statSync(join(dir, 'out.tar.gz')).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/* ------------------------------------------------------------------ Node ------------------------------------------------------------------ */

export interface BackupNodeFigures {
  devices: number;
  runs: number;
  setupMs: number;
  counts: Record<string, number>;
  backupBytes: number;
  entries: number;
  unpackedBytes: number;
  writeMs: number;
  verifyMs: number;
  restoreMs: number;
  readTablesMs: number;
  writeTablesMs: number;
  tarCzfMs: number;
  tarXzfMs: number;
  tarCzfBytes: number;
  tar: string;
}

let dbCounter = 0;
const freshDb = (): WorkbenchDb => openWorkbenchDb(`bench-backup-${++dbCounter}`, { indexedDB: new IDBFactory(), IDBKeyRange });

/**
 * A workspace holding one imported archive (the bench's generated fleet, stored as the import worker stores it),
 * then: writeBackup (each run a new `now`, so each file differs), verifyBackup of each (verified backups are cached
 * by SHA-256 in the module, hence distinct files), restoreBackup of each into a fresh database right after its
 * verification, as the app does after the preview (so it does not check again: its time is the writing).
 */
export async function backupNodeFigures(archive: Uint8Array, archiveName: string, devices: number, runs: number): Promise<BackupNodeFigures> {
  const s0 = performance.now();
  const db = freshDb();
  const analysis = await analyseFile(archiveName, archive);
  const stored = await storeAnalysis(db, analysis, new Blob([archive as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }), NOW);
  if (stored.status === 'duplicate') throw new Error('benchmark workspace: the archive was a duplicate');
  const setupMs = performance.now() - s0;
  log(`node: workspace of ${devices} devices stored in ${Math.round(setupMs)} ms`);
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = await db.table(t).count();
  counts.devices = await deviceCount(db.deviceSets);
  if (counts.devices !== devices) throw new Error(`benchmark workspace holds ${counts.devices} devices`);

  // IndexedDB's own part: every table read in one transaction (what the snapshot reads), records as objects.
  const read: number[] = [];
  let records = new Map<string, unknown[]>();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await db.transaction('r', TABLES.map((t) => db.table(t)), async () => {
      records = new Map();
      for (const t of TABLES) records.set(t, await db.table(t).toArray());
    });
    read.push(performance.now() - t0);
  }

  const written: Uint8Array[] = [];
  const write: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = await writeBackup(db, { workspace: 'main', now: NOW + (i + 1) * 1000 });
    const bytes = new Uint8Array(await out.blob.arrayBuffer());
    write.push(performance.now() - t0);
    written.push(bytes);
  }
  const verify: number[] = [];
  const restore: number[] = [];
  for (const [i, bytes] of written.entries()) {
    const name = `bench-${i}.tar.gz`;
    const t0 = performance.now();
    await verifyBackup(name, bytes);
    verify.push(performance.now() - t0);
    const target = freshDb();
    const t1 = performance.now();
    const result = await restoreBackup(target, name, bytes, { now: NOW + 3_600_000 });
    restore.push(performance.now() - t1);
    if (result.counts.devices !== devices) throw new Error(`benchmark restored ${result.counts.devices} devices`);
    target.close();
  }

  // IndexedDB's own part of restoring: the same records (decoded from the backup, untimed) bulk-added in one
  // transaction to a fresh database, without clearing, parsing or checking.
  const decoded = new Map<string, unknown[]>();
  const blobs = new Map<number, Blob>();
  for (const entry of gzipTarEntries(written[0]!, 1024 * MiB)) {
    const blob = /^blobs\/(\d+)$/.exec(entry.name);
    if (blob) blobs.set(Number(blob[1]), new Blob([entry.data as Uint8Array<ArrayBuffer>]));
    const part = /^tables\/([A-Za-z]+)\//.exec(entry.name);
    if (!part) continue;
    const list = decoded.get(part[1]!) ?? [];
    for (const line of new TextDecoder().decode(entry.data).split('\n')) if (line) list.push(decodeRecord(line, (ref) => blobs.get(ref.$blob)!));
    decoded.set(part[1]!, list);
  }
  // Devices and report sets are lines in a backup and buckets in the database: placed as a restore places them
  // (untimed: this figure is IndexedDB's part).
  const converted = new Map<string, unknown[]>();
  for (const [t, { into, convert }] of Object.entries(RETIRED_TABLES)) {
    const list = decoded.get(t);
    if (!list) continue;
    decoded.delete(t);
    const out = convert(list, converted);
    converted.set(into, out);
    decoded.set(into, out);
  }
  const writeTables: number[] = [];
  for (let i = 0; i < runs; i++) {
    const target = freshDb();
    await target.open();
    const t0 = performance.now();
    await target.transaction('rw', TABLES.map((t) => target.table(t)), async () => {
      for (const [t, list] of decoded) await target.table(t).bulkAdd(list);
    });
    writeTables.push(performance.now() - t0);
    target.close();
  }
  records.clear();

  log(`node: write ${median(write)} ms, verify ${median(verify)} ms, restore ${median(restore)} ms, bulkAdd ${median(writeTables)} ms`);
  const dir = mkdtempSync(join(shm, 'slp-bench-node-backup-'));
  let tar: ReturnType<typeof tarBaselines>;
  try {
    writeFileSync(join(dir, 'b.tar.gz'), written[0]!);
    tar = tarBaselines(join(dir, 'b.tar.gz'), runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  db.close();
  return {
    devices,
    runs,
    setupMs,
    counts,
    backupBytes: written[0]!.length,
    entries: tar.entries,
    unpackedBytes: tar.unpackedBytes,
    writeMs: median(write),
    verifyMs: median(verify),
    restoreMs: median(restore),
    readTablesMs: median(read),
    writeTablesMs: median(writeTables),
    tarCzfMs: tar.czfMs,
    tarXzfMs: tar.xzfMs,
    tarCzfBytes: tar.czfBytes,
    tar: tarVersion(),
  };
}

/* ----------------------------------------------------------------- Memory ----------------------------------------------------------------- */

interface Proc {
  pid: number;
  ppid: number;
}

function procs(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(rest[1]) });
    } catch {
      // gone
    }
  }
  return out;
}

const kindCache = new Map<number, 'renderer' | 'chromium' | 'other'>();
function kindOf(pid: number): 'renderer' | 'chromium' | 'other' {
  let kind = kindCache.get(pid);
  if (kind) return kind;
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    kind = !/chrom/i.test(exe) ? 'other' : cmd.includes('--type=renderer') ? 'renderer' : 'chromium';
  } catch {
    kind = 'other';
  }
  kindCache.set(pid, kind);
  return kind;
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface MemoryPeak {
  /** Sum of VmRSS of this browser's renderer processes (the tab, its dedicated workers run in it). */
  rendererIdle: number;
  rendererPeak: number;
  /** Sum of VmRSS of every process of this browser (browser, GPU, network and storage services, renderers). */
  chromiumIdle: number;
  chromiumPeak: number;
  /** The page's own JS heap (main thread), CDP Performance.getMetrics JSHeapUsedSize. */
  heapIdle: number;
  heapPeak: number;
  samples: number;
}

/** Samples this process's Chromium descendants from /proc, and the page's JS heap over CDP, every 100 ms. */
export class MemorySampler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  private heapBusy = false;
  private peak = { renderer: 0, chromium: 0, heap: 0 };
  private samples = 0;
  private idle = { renderer: 0, chromium: 0, heap: 0 };

  constructor(private readonly cdp: CDPSession) {}

  private tree(): { renderer: number; chromium: number } {
    const all = procs();
    const children = new Map<number, number[]>();
    for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
    let renderer = 0;
    let chromium = 0;
    const stack = [...(children.get(process.pid) ?? [])];
    while (stack.length) {
      const pid = stack.pop()!;
      stack.push(...(children.get(pid) ?? []));
      const kind = kindOf(pid);
      if (kind === 'other') continue;
      const rss = rssBytes(pid);
      chromium += rss;
      if (kind === 'renderer') renderer += rss;
    }
    return { renderer, chromium };
  }

  private async heap(): Promise<number> {
    const { metrics } = (await this.cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  }

  async start(): Promise<void> {
    const now = this.tree();
    this.idle = { ...now, heap: await this.heap() };
    this.peak = { ...this.idle };
    this.samples = 0;
    this.timer = setInterval(() => {
      if (!this.busy) {
        this.busy = true;
        const t = this.tree();
        this.peak.renderer = Math.max(this.peak.renderer, t.renderer);
        this.peak.chromium = Math.max(this.peak.chromium, t.chromium);
        this.samples++;
        this.busy = false;
      }
      if (!this.heapBusy) {
        this.heapBusy = true;
        this.heap()
          .then((h) => void (this.peak.heap = Math.max(this.peak.heap, h)))
          .catch(() => undefined)
          .finally(() => (this.heapBusy = false));
      }
    }, 100);
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const t = this.tree();
    return {
      rendererIdle: this.idle.renderer,
      rendererPeak: Math.max(this.peak.renderer, t.renderer),
      chromiumIdle: this.idle.chromium,
      chromiumPeak: Math.max(this.peak.chromium, t.chromium),
      heapIdle: this.idle.heap,
      heapPeak: this.peak.heap,
      samples: this.samples,
    };
  }
}

/* ---------------------------------------------------------------- Browser ----------------------------------------------------------------- */

export interface BackupBrowserFigures {
  devices: number;
  archives: number;
  archiveBytes: number;
  importMs: number;
  counts: Record<string, number>;
  backupName: string;
  backupBytes: number;
  backupMs: number;
  /** The backup's phases as the page showed them (ms from the click): reading, compressing, then the download. */
  backupPhases: Record<string, number>;
  backupMemory: MemoryPeak;
  checkMs: number;
  writeMs: number;
  restorePhases: Record<string, number>;
  checkMemory: MemoryPeak;
  writeMemory: MemoryPeak;
  /** Baselines. */
  inflateMs: number;
  tarBytes: number;
  rawWriteMs: number;
  rawRecords: number;
  tarCzfMs: number;
  tarXzfMs: number;
  tarCzfBytes: number;
  entries: number;
}

/** Writes `devices` devices as archives of at most `perArchive` devices each (tar.gz, one usage file a device). */
export async function writeArchives(
  dir: string,
  devices: number,
  perArchive: number,
  usageFile: (i: number) => Uint8Array,
): Promise<Array<{ name: string; path: string; bytes: number }>> {
  const out: Array<{ name: string; path: string; bytes: number }> = [];
  for (let from = 0; from < devices; from += perArchive) {
    const to = Math.min(devices, from + perArchive);
    const files = [];
    for (let i = from; i < to; i++) files.push({ name: `dev_${i + 1}_1762592000.txt`, bytes: usageFile(i), mtime: 1_762_592_000_000 });
    const name = `fleet-${String(from + 1).padStart(6, '0')}-${String(to).padStart(6, '0')}.tar.gz`;
    const bytes = gzipSync(await writeTar(files));
    writeFileSync(join(dir, name), bytes);
    out.push({ name, path: join(dir, name), bytes: bytes.length });
  }
  return out;
}

/** Records, in the page, when the backup panel's progress text changes (epoch ms). */
async function watchPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __phases: Array<[number, string]>; __phaseObserver?: MutationObserver };
    w.__phaseObserver?.disconnect();
    w.__phases = [];
    let last = '';
    const look = () => {
      const text = document.querySelector('[data-testid="backup-progress"] span')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      const phase = /— (.*)…/.exec(text)?.[1] ?? (text ? 'starting' : '');
      if (phase !== last) {
        last = phase;
        w.__phases.push([performance.timeOrigin + performance.now(), phase || 'idle']);
      }
    };
    w.__phaseObserver = new MutationObserver(look);
    w.__phaseObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function phases(page: Page, from: number): Promise<Record<string, number>> {
  const list = await page.evaluate(() => (window as unknown as { __phases: Array<[number, string]> }).__phases);
  const out: Record<string, number> = {};
  for (const [i, [at, phase]] of list.entries()) {
    if (phase === 'idle') continue;
    const end = list[i + 1]?.[0] ?? at;
    out[phase] = (out[phase] ?? 0) + (end - at);
  }
  out['(first shown after)'] = list.length ? list[0]![0] - from : 0;
  return out;
}

async function doneOrError(page: Page, timeout: number): Promise<void> {
  await page.locator('[data-testid="backup-done"], [data-testid="backup-error"]').first().waitFor({ timeout });
  if (await page.getByTestId('backup-error').count()) throw new Error(`the app said: ${await page.getByTestId('backup-error').textContent()}`);
}

/** Dexie store syntax ('++id, at', '&x', '*x', '[a+b]') as raw IndexedDB store and index definitions. */
function rawSchema(): Array<{ name: string; keyPath: string | null; autoIncrement: boolean; indexes: Array<{ name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }> }> {
  const stores = new Map<string, string>();
  for (const v of SCHEMA_VERSIONS) for (const [t, s] of Object.entries(v.stores)) if (s === null) stores.delete(t); else stores.set(t, s);
  // A backup lists devices and report sets one per line (the app places them in buckets as it restores): the raw
  // write puts them one record each in stores of their own, as schemas before v8 held them.
  for (const t of Object.keys(RETIRED_TABLES)) if (!stores.has(t)) stores.set(t, 'key');
  return [...stores].map(([name, spec]) => {
    const [primary, ...rest] = spec.split(',').map((s) => s.trim()).filter(Boolean);
    const plain = (s: string) => s.replace(/^(\+\+|&|\*)/, '');
    const keyPath = (s: string): string | string[] => (s.startsWith('[') ? s.slice(1, -1).split('+') : s);
    return {
      name,
      keyPath: primary ? plain(primary) || null : null,
      autoIncrement: primary?.startsWith('++') ?? false,
      indexes: rest.map((s) => ({ name: plain(s), keyPath: keyPath(plain(s)), unique: s.startsWith('&'), multiEntry: s.startsWith('*') })),
    };
  });
}

/**
 * Baselines in the page, on the downloaded backup given to a file input by path: the browser's native inflate
 * (DecompressionStream) of it, then — after untar and JSON.parse, untimed — a raw IndexedDB write of the very
 * same records (Blobs as Blobs) in one strict-durability transaction to a fresh database with the app's stores,
 * keys and indexes: what IndexedDB itself costs for this restore, without Dexie, reading or checking. Devices and
 * report sets go one record each, as the backup lists them (the app writes them as fewer, larger bucket records).
 */
async function rawBaselines(page: Page, backupPath: string): Promise<{ inflateMs: number; tarBytes: number; rawWriteMs: number; records: number }> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-backup-input';
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles('#bench-backup-input', backupPath);
  return page.evaluate(async (schema) => {
    const file = (document.getElementById('bench-backup-input') as HTMLInputElement).files![0]!;
    const gz = await file.arrayBuffer();
    const t0 = performance.now();
    let tar: Uint8Array | null = new Uint8Array(await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    const inflateMs = performance.now() - t0;
    const tarBytes = tar.length;
    const latin1 = new TextDecoder('latin1');
    const utf8 = new TextDecoder();
    const field = (at: number, n: number) => latin1.decode(tar!.subarray(at, at + n)).replace(/\0.*$/s, '');
    const blobs = new Map<number, Blob>();
    const tables = new Map<string, unknown[]>();
    let records = 0;
    for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
      const name = field(at, 100);
      const size = parseInt(field(at + 124, 12).trim(), 8);
      const data = tar.subarray(at + 512, at + 512 + size);
      const blob = /^blobs\/(\d+)$/.exec(name);
      if (blob) blobs.set(Number(blob[1]), new Blob([data.slice()]));
      const part = /^tables\/([A-Za-z]+)\//.exec(name);
      if (part) {
        const list = tables.get(part[1]!) ?? [];
        for (const line of utf8.decode(data).split('\n')) {
          if (!line) continue;
          list.push(
            JSON.parse(line, (_k, v) => {
              if (v && typeof v === 'object' && !Array.isArray(v) && '$blob' in v) {
                const b = blobs.get(v.$blob)!;
                return v.type ? b.slice(0, b.size, v.type) : b;
              }
              return v;
            }),
          );
          records++;
        }
        tables.set(part[1]!, list);
      }
      at += 512 + Math.ceil(size / 512) * 512;
    }
    tar = null;
    const dbName = `bench-raw-${Date.now()}`;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(dbName, 1);
      open.onupgradeneeded = () => {
        for (const s of schema) {
          const store = open.result.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
          for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
        }
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const t1 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction([...tables.keys()], 'readwrite', { durability: 'strict' });
      for (const [t, list] of tables) {
        const store = tx.objectStore(t);
        for (const r of list) store.add(r);
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const rawWriteMs = performance.now() - t1;
    db.close();
    await new Promise((r) => {
      const del = indexedDB.deleteDatabase(dbName);
      del.onsuccess = del.onerror = del.onblocked = r;
    });
    document.getElementById('bench-backup-input')!.remove();
    return { inflateMs, tarBytes, rawWriteMs, records };
  }, rawSchema());
}

/**
 * The browser half, in a context of its own: import the archives through the Import page (set-up, timed apart),
 * reload on Settings, back up through the button until the download is complete, restore it with replace through
 * the restore input, then the baselines.
 */
export async function backupBrowserFigures(browser: Browser, base: string, archives: Array<{ name: string; path: string; bytes: number }>, devices: number): Promise<BackupBrowserFigures> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  // tsx keeps function names with a helper the page lacks; functions handed to page.evaluate need it there.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const work = mkdtempSync(join(tmpdir(), 'slp-bench-backup-dl-'));
  try {
    const page = await context.newPage();
    await page.goto(`${base}#/import`);
    await page.getByTestId('file-input').waitFor({ state: 'attached' });
    const i0 = Date.now();
    // By path: a local browser reads the files itself, nothing crosses the protocol.
    await page.getByTestId('file-input').setInputFiles(archives.map((a) => a.path));
    await page.waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('[data-testid="import-row"]')];
        if (rows.some((r) => !['imported', 'queued', 'working'].includes(r.getAttribute('data-status') ?? ''))) throw new Error(`an import failed: ${rows.map((r) => r.textContent).join(' | ')}`);
        return rows.filter((r) => r.getAttribute('data-status') === 'imported').length >= n;
      },
      archives.length,
      { timeout: 1_800_000, polling: 1000 },
    );
    const importMs = Date.now() - i0;
    log(`browser: ${devices} devices imported in ${importMs} ms`);

    // The state an operator backs up from: the app freshly opened on Settings, the import's leftovers gone.
    await page.goto(`${base}#/settings`);
    await page.reload();
    await page.getByRole('button', { name: 'Back up this workspace' }).waitFor();
    await page.waitForTimeout(3000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await watchPhases(page);

    // Backup: click → the file is completely on disk.
    const sampler = new MemorySampler(cdp);
    await sampler.start();
    const b0 = Date.now();
    const downloading = page.waitForEvent('download', { timeout: 1_800_000 });
    await page.getByRole('button', { name: 'Back up this workspace' }).click();
    const download = await downloading;
    await download.path();
    const backupMs = Date.now() - b0;
    const backupMemory = sampler.stop();
    const backupPhases = await phases(page, b0);
    backupPhases['download'] = backupMs - Object.values(backupPhases).reduce((a, b) => a + b, 0);
    await doneOrError(page, 60_000);
    const backupPath = join(work, download.suggestedFilename());
    await download.saveAs(backupPath);
    const backupBytes = statSync(backupPath).size;
    log(`browser: backup ${backupMs} ms, ${backupBytes} bytes, ${JSON.stringify(backupPhases)}, ${JSON.stringify(backupMemory)}`);
    const counts = JSON.parse(
      await page.evaluate(async () => {
        const open = indexedDB.open('slp-workbench');
        const db = await new Promise<IDBDatabase>((r) => (open.onsuccess = () => r(open.result)));
        const out: Record<string, number> = {};
        for (const name of db.objectStoreNames) {
          out[name] = await new Promise<number>((r) => {
            const q = db.transaction(name).objectStore(name).count();
            q.onsuccess = () => r(q.result);
          });
        }
        // Devices live in buckets (schema v9): their count is the bookkeeping record's.
        out.devices = await new Promise<number>((r) => {
          const q = db.transaction('deviceSets').objectStore('deviceSets').get('~meta');
          q.onsuccess = () => r((q.result as { devices?: number } | undefined)?.devices ?? 0);
        });
        db.close();
        return JSON.stringify(out);
      }),
    ) as Record<string, number>;
    if (counts.devices !== devices) throw new Error(`the browser workspace holds ${counts.devices} devices, not ${devices}`);
    // Past the backup worker's idle time (app/worker-bridge.ts, 15 s): the restore starts, as the backup did, with no
    // worker and no garbage of the step before it.
    await page.waitForTimeout(16_000);

    // Restore, replacing: the file chosen → checked and previewed; "Yes, replace" → "Restored".
    await watchPhases(page);
    const checkSampler = new MemorySampler(cdp);
    await checkSampler.start();
    const r0 = Date.now();
    await page.getByTestId('restore-input').setInputFiles(backupPath);
    await page.locator('[data-testid="restore-preview"], [data-testid="backup-error"]').first().waitFor({ timeout: 1_800_000 });
    if (await page.getByTestId('backup-error').count()) throw new Error(`the app said: ${await page.getByTestId('backup-error').textContent()}`);
    const checkMs = Date.now() - r0;
    const checkMemory = checkSampler.stop();
    const checkPhases = await phases(page, r0);
    await page.getByRole('button', { name: 'Replace this workspace with it…' }).click();
    await watchPhases(page);
    const writeSampler = new MemorySampler(cdp);
    await writeSampler.start();
    const w0 = Date.now();
    await page.getByRole('button', { name: 'Yes, replace this workspace' }).click();
    await doneOrError(page, 1_800_000);
    const writeMs = Date.now() - w0;
    const writeMemory = writeSampler.stop();
    const writePhases = await phases(page, w0);
    const restored = (await page.getByTestId('backup-done').textContent()) ?? '';
    if (!restored.includes(`${devices.toLocaleString('en')} devices`) && !restored.includes(`${devices} devices`)) throw new Error(`the restore said: ${restored}`);
    log(`browser: check ${checkMs} ms, replace ${writeMs} ms, ${JSON.stringify(checkPhases)} ${JSON.stringify(writePhases)}, ${JSON.stringify(checkMemory)} ${JSON.stringify(writeMemory)}`);
    const restorePhases: Record<string, number> = {};
    for (const [k, v] of Object.entries(checkPhases)) restorePhases[`check: ${k}`] = v;
    for (const [k, v] of Object.entries(writePhases)) restorePhases[`replace: ${k}`] = v;
    await page.waitForTimeout(2000);

    // Baselines: in this page (native inflate, raw IndexedDB write of the same records), then GNU tar.
    const raw = await rawBaselines(page, backupPath);
    log(`browser: raw ${JSON.stringify(raw)}`);
    const tar = tarBaselines(backupPath, 1);
    log(`browser: tar czf ${tar.czfMs} ms, xzf ${tar.xzfMs} ms`);
    return {
      devices,
      archives: archives.length,
      archiveBytes: archives.reduce((n, a) => n + a.bytes, 0),
      importMs,
      counts,
      backupName: download.suggestedFilename(),
      backupBytes,
      backupMs,
      backupPhases,
      backupMemory,
      checkMs,
      writeMs,
      restorePhases,
      checkMemory,
      writeMemory,
      inflateMs: raw.inflateMs,
      tarBytes: raw.tarBytes,
      rawWriteMs: raw.rawWriteMs,
      rawRecords: raw.records,
      tarCzfMs: tar.czfMs,
      tarXzfMs: tar.xzfMs,
      tarCzfBytes: tar.czfBytes,
      entries: tar.entries,
    };
  } finally {
    await context.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/* ---------------------------------------------------------------- Markdown ---------------------------------------------------------------- */

export const mb = (bytes: number) => bytes / 1e6;
export const fmt = (n: number, d = 1) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
const ms = (n: number) => `${fmt(n, 0)} ms`;
const s = (n: number) => `${fmt(n / 1000, 1)} s`;
export const mib = (n: number) => `${fmt(n / MiB, 0)} MiB`;

export function backupMarkdown(node: BackupNodeFigures | null, browser: BackupBrowserFigures | null, chromiumVersion: string | null): string {
  const parts: string[] = ['## Backup and restore (issue 8)'];
  if (browser) {
    const b = browser;
    const mem = (m: MemoryPeak) => `${mib(m.rendererPeak)} (idle ${mib(m.rendererIdle)}) | ${mib(m.chromiumPeak)} (idle ${mib(m.chromiumIdle)}) | ${mib(m.heapPeak)} (idle ${mib(m.heapIdle)})`;
    const phase = (p: Record<string, number>) =>
      Object.entries(p)
        .filter(([k]) => !k.includes('first shown'))
        .map(([k, v]) => `${k} ${s(v)}`)
        .join(', ');
    parts.push(`### In the browser (${chromiumVersion ?? 'Chromium'}, headless, the built app, through its UI): ${b.devices.toLocaleString('en')} devices
The workspace: the bench's generated fleet (the Node input's shape, devices numbered on) as ${b.archives} archive${b.archives === 1 ? '' : 's'} of up to
${Math.ceil(b.devices / b.archives).toLocaleString('en')} devices (${fmt(mb(b.archiveBytes))} MB) given to the Import page's file input by path, imported by the app
in ${s(b.importMs)} (set-up, not counted): ${Object.entries(b.counts).filter(([, n]) => n).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')} records.
Then the page reloaded on Settings. **Back up**: from the click on "Back up this workspace" until the download is
complete on disk: \`${b.backupName}\`, ${fmt(mb(b.backupBytes))} MB (${b.entries.toLocaleString('en')} entries, ${fmt(mb(b.tarBytes))} MB as tar).
**Restore** with replace: the file given to the restore input by path until the preview shows it checked (**check**),
then from the click on "Yes, replace this workspace" until "Restored" (**replace**: ${
      Object.keys(b.restorePhases).some((k) => k.startsWith('replace: Checking'))
        ? 'the worker checked the whole file again before writing, its preview check was not reused'
        : 'the worker had verified this file for the preview, so it writes without checking again'
    }).

| Step | Time | Ratio to baseline | Tab: renderer RSS, peak | All of Chromium: RSS, peak | Page JS heap, peak |
|---|---:|---:|---:|---:|---:|
| \`tar czf\` of the backup's entries (GNU tar, gzip -6, on tmpfs) — backup baseline | ${ms(b.tarCzfMs)} | 1.00× | | | |
| Back up this workspace, until the download is complete | ${ms(b.backupMs)} | ${fmt(b.backupMs / b.tarCzfMs, 1)}× | ${mem(b.backupMemory)} |
| Native inflate (DecompressionStream) of the backup in the page — check baseline | ${ms(b.inflateMs)} | 1.00× | | | |
| \`tar xzf\` of the backup (GNU tar, on tmpfs) | ${ms(b.tarXzfMs)} | ${fmt(b.tarXzfMs / b.inflateMs, 1)}× | | | |
| Restore, check: until the preview | ${ms(b.checkMs)} | ${fmt(b.checkMs / b.inflateMs, 1)}× | ${mem(b.checkMemory)} |
| Raw IndexedDB write of the same ${b.rawRecords.toLocaleString('en')} records, one transaction — replace baseline | ${ms(b.rawWriteMs)} | 1.00× | | | |
| Restore, replace: until "Restored" | ${ms(b.writeMs)} | ${fmt(b.writeMs / b.rawWriteMs, 1)}× | ${mem(b.writeMemory)} |

- Phases as the page showed them: backup — ${phase(b.backupPhases)}; restore — ${phase(b.restorePhases)}.
- **Memory**: sampled every 100 ms while each step runs (${b.backupMemory.samples}, ${b.checkMemory.samples} and ${b.writeMemory.samples} samples), the idle level
  just before it in brackets. *Tab*: the sum of VmRSS (\`/proc/<pid>/status\`) of this browser's processes with
  \`--type=renderer\`; the app's dedicated workers (backup, import) run inside the renderer, so they are included; the
  other contexts were closed, so this is the app's page (and any spare renderer Chromium keeps). *All of Chromium*:
  VmRSS summed over every process of this browser (browser process with IndexedDB and Blob storage, GPU, network,
  storage, renderers); shared pages count once per process, so it overstates. *Page JS heap*: CDP
  \`Performance.getMetrics\` JSHeapUsedSize for the page's main thread only (not the worker's heap).
- **Baselines**: backup — GNU tar's \`czf\` (${b.entries.toLocaleString('en')} files, gzip level 6 as the app's CompressionStream) of the
  entries the backup holds, unpacked beforehand (untimed) to tmpfs: the same bytes compressed into the same format by
  native code, without reading IndexedDB or hashing (${fmt(mb(b.tarCzfBytes))} MB written). Check — the browser's native
  inflate of the same file in the same page (the floor of reading it; the app also hashes every entry and parses every
  line, in JavaScript). Replace — the same records (untarred and parsed first, untimed, Blobs as Blobs) written by raw
  IndexedDB in one strict-durability transaction to a fresh, empty database with the app's stores, keys and indexes:
  what IndexedDB costs for these records; the app's replace also clears the workspace first and inflates and
  parses as it writes.`);
  } else {
    parts.push('### In the browser\nSkipped: /usr/bin/chromium is not installed.');
  }
  if (node) {
    const n = node;
    parts.push(`### Node (fake-indexeddb): ${n.devices.toLocaleString('en')} devices
The Node input above (${n.devices.toLocaleString('en')} devices, one archive) stored as the import worker stores it (\`storeAnalysis\`) in a
fake-indexeddb database (set-up ${s(n.setupMs)}, not counted): ${Object.entries(n.counts).filter(([, c]) => c).map(([t, c]) => `${t} ${c.toLocaleString('en')}`).join(', ')}.
The backup: ${fmt(mb(n.backupBytes))} MB, ${n.entries.toLocaleString('en')} entries, ${fmt(mb(n.unpackedBytes))} MB unpacked. Median of ${n.runs} runs.

| Step | Median time | Ratio to baseline |
|---|---:|---:|
| \`tar czf\` of the backup's entries (${n.tar}, on tmpfs) — baseline | ${ms(n.tarCzfMs)} | 1.00× |
| \`writeBackup\`: read every table, hash, encode, compress (CompressionStream), record it | ${ms(n.writeMs)} | ${fmt(n.writeMs / n.tarCzfMs, 1)}× |
| — of which fake-indexeddb alone: every table \`toArray\` in one transaction | ${ms(n.readTablesMs)} | ${fmt(n.readTablesMs / n.tarCzfMs, 1)}× |
| \`tar xzf\` of the backup (on tmpfs) | ${ms(n.tarXzfMs)} | ${fmt(n.tarXzfMs / n.tarCzfMs, 1)}× |
| \`verifyBackup\`: SHA-256 of the file, inflate (pako), untar, SHA-256 of every entry, parse every line | ${ms(n.verifyMs)} | ${fmt(n.verifyMs / n.tarCzfMs, 1)}× |
| \`restoreBackup\` into a fresh database, right after its verification (as the app: no second check) | ${ms(n.restoreMs)} | ${fmt(n.restoreMs / n.tarCzfMs, 1)}× |
| — of which fake-indexeddb alone: the same records \`bulkAdd\`ed in one transaction | ${ms(n.writeTablesMs)} | ${fmt(n.writeTablesMs / n.tarCzfMs, 1)}× |

Each \`writeBackup\` run writes a different file (its own \`now\`), because \`verifyBackup\` remembers files it verified
by SHA-256. fake-indexeddb is JavaScript, much slower than a browser's IndexedDB; its rows show how much of each step it is.`);
  }
  return parts.join('\n\n') + '\n';
}
