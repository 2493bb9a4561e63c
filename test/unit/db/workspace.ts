import { type ReportBucket, allReportSets } from '../../../src/db/reports.ts';
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
  const all = await db.devices.toArray();
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

/** Every table's records, by primary key order, Blobs replaced by their bytes: what "identical" means here. */
export async function dump(db: WorkbenchDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    let rows = await db.table(table).toArray();
    // The order of the devices inside a report bucket means nothing (it is the order they were written in).
    if (table === 'reportSets') rows = rows.map((b: ReportBucket) => ({ ...b, sets: [...b.sets].sort((x, y) => (x.key < y.key ? -1 : 1)) }));
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
