import { allReportSets, openReportBucket } from '../../../src/db/reports.ts';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { candidates, cycleDevices, presetSelection } from '../../../src/core/cycle/choose.ts';
import { udiKey } from '../../../src/core/model/udi.ts';
import { fleetDeadlines } from '../../../src/core/policy/fleet.ts';
import { simulateCssm } from '../../../src/core/sim/cssm.ts';
import { emptyLedger } from '../../../src/core/sim/ledger.ts';
import { simulateFleet } from '../../../src/core/sim/fleet.ts';
import { assignLicences } from '../../../src/db/assignments.ts';
import { applyReconcile, buildCycleUpload, storeBuilt } from '../../../src/db/cycle-files.ts';
import { createCycle, listCycles, markDownloaded, markUploaded } from '../../../src/db/cycles.ts';
import { fillDemo } from '../../../src/db/demo.ts';
import { type WorkbenchDb, TABLES, openWorkbenchDb } from '../../../src/db/schema.ts';
import { getDevice, listDevices } from '../../../src/db/queries.ts';
import { BUCKET_SIZE, type DeviceMeta, type DeviceSetRecord, type DirectoryShard, META_KEY, type StoredDeviceBucket, bucketKey, openDeviceBucket, shardKey } from '../../../src/db/devices.ts';
import type { ProductInstance } from '../../../src/core/model/fleet.ts';
import { expect } from 'vitest';

export const NOW = Date.UTC(2026, 10, 20, 9);
const DAY = 86_400_000;
let counter = 0;

/** A fresh database on its own fake IndexedDB (each test its own factory: nothing leaks between tests). */
export function freshDb(prefix = 'ws'): WorkbenchDb {
  return openWorkbenchDb(`${prefix}-${++counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

/**
 * A workspace with something in every table: the demo's fleet (usage archives, `show license all` pastes, SLAC
 * requests, the licence summary), one reporting cycle taken through reconcile against the simulated CSSM (cycles,
 * outputs, acknowledged reports) and licences assigned to a few devices.
 */
export async function populatedWorkspace(devices = 50): Promise<WorkbenchDb> {
  const db = freshDb();
  const info = await fillDemo(db, { devices, seed: 'backup', now: NOW });
  const fleet = simulateFleet(info);
  const va = fleet.virtualAccounts[0]!.name;
  const all = await listDevices(db);
  const reports = new Map((await allReportSets(db.reportSets)).map((r) => [r.key, r.reports]));
  const inVa = new Set(fleet.units.filter((u) => u.virtualAccount === va).flatMap((u) => u.members.map((m) => udiKey(m.udi))));
  const deadlines = new Map(fleetDeadlines(all, NOW).results.map((r) => [r.key, r]));
  const list = candidates({ devices: all.filter((d) => inVa.has(d.key)), reportsOf: (k) => reports.get(k) ?? [], deadlines, cycles: await listCycles(db) });
  const cycle = await createCycle(db, { smartAccount: fleet.smartAccount.name, virtualAccount: va, mode: 'bundle', devices: cycleDevices(list, presetSelection(list, 'unreported')) }, NOW, 'Ana');
  const built = await buildCycleUpload(db, cycle.id, NOW);
  await storeBuilt(db, cycle.id, built, NOW + 1, 'Ana');
  await markDownloaded(db, cycle.id, NOW + 2, 'Ana');
  await markUploaded(db, cycle.id, NOW + DAY, NOW + DAY, 'Ben');
  const answer = await simulateCssm(built.name, built.bytes, emptyLedger(fleet.smartAccount, fleet.virtualAccounts.map((v) => v.name)), { now: NOW + DAY + 3_600_000 });
  if (!answer.accepted) throw new Error(answer.reason);
  await applyReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }], NOW + 2 * DAY, 'Ana');
  const summary = (await db.summaries.toArray())[0]!;
  const licence = summary.licenses.find((l) => l.virtualAccount === va && l.tag) ?? summary.licenses.find((l) => l.tag)!;
  await assignLicences(db, { deviceKeys: all.slice(0, 3).map((d) => d.key), virtualAccount: va, tag: licence.tag!, billing: 'prepaid', msla: false, subscriptionId: null, role: 'other' }, NOW + 3 * DAY, 'Ana');
  for (const table of TABLES) {
    if ((await db.table(table).count()) === 0) throw new Error(`the populated workspace has nothing in ${table}`);
  }
  return db;
}

/** The device store's bookkeeping agrees with its buckets: each device once, where the directory says, counted. */
export async function expectDeviceStoreWhole(db: WorkbenchDb, devices: ProductInstance[]): Promise<void> {
  const records = (await db.deviceSets.toArray()) as DeviceSetRecord[];
  const buckets = records.filter((r): r is StoredDeviceBucket => r.key.startsWith('d')).map(openDeviceBucket);
  const shards = records.filter((r): r is DirectoryShard => r.key.startsWith('~dir-'));
  const meta = records.find((r): r is DeviceMeta => r.key === META_KEY);
  const where = new Map(shards.flatMap((s) => s.keys.map((k, i) => [k, s.buckets[i]!] as const)));
  expect(where.size, 'directory entries').toBe(devices.length);
  for (const s of shards) for (const k of s.keys) expect(shardKey(k), `${k}'s shard`).toBe(s.key);
  for (const b of buckets) {
    expect(b.devices.length, `${b.key} size`).toBeLessThanOrEqual(BUCKET_SIZE);
    for (const d of b.devices) expect(bucketKey(where.get(d.key)!), `${d.key}'s bucket`).toBe(b.key);
  }
  expect(buckets.reduce((n, b) => n + b.devices.length, 0), 'devices in buckets').toBe(devices.length);
  expect(meta?.devices ?? 0, 'meta count').toBe(devices.length);
  expect(meta?.next ?? 0, 'buckets in use').toBe(buckets.length);
  expect(await getDevice(db, devices[0]?.key ?? 'none')).toEqual(devices[0]);
  // Each device's report set sits in the report bucket of its device bucket's key.
  for (const b of (await db.reportSets.toArray()).map(openReportBucket)) for (const set of b.sets) expect(bucketKey(where.get(set.key)!), `${set.key}'s reports`).toBe(b.key);
}

/** Every table's records, by primary key order, Blobs replaced by their bytes: what "identical" means here. */
export async function dump(db: WorkbenchDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    // Which bucket holds a device is the order they were first stored in: the devices themselves are compared,
    // once the store is checked whole (every device in one bucket, found through the directory, counted).
    if (table === 'deviceSets') {
      const devices = await listDevices(db);
      await expectDeviceStoreWhole(db, devices);
      out[table] = devices;
      continue;
    }
    // Likewise the report sets, by device key (their placement is checked with the devices').
    if (table === 'reportSets') {
      out[table] = (await allReportSets(db.reportSets)).sort((x, y) => (x.key < y.key ? -1 : 1));
      continue;
    }
    const rows = await db.table(table).toArray();
    out[table] = await Promise.all(rows.map((r) => withBytes(r)));
  }
  return out;
}

async function withBytes(value: unknown): Promise<unknown> {
  if (value instanceof Blob) return { blob: Buffer.from(await value.arrayBuffer()).toString('base64'), type: value.type };
  if (Array.isArray(value)) return Promise.all(value.map(withBytes));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await withBytes(v);
    return out;
  }
  return value;
}
