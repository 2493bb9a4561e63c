/**
 * The report worker (issue 6): the reporting cycle's heavy steps — choosing among every device, building an upload
 * from stored archives, reading ACK bundles, writing the hand-back — so the page stays responsive at 100,000
 * devices. Writes go through src/db/cycles.ts, each step one transaction; cancel terminates this worker, which
 * rolls back the step in flight.
 */
import * as Comlink from 'comlink';
import type { AckInput, ReportWorkerApi } from '../src/app/report-api.ts';
import { authCandidates, candidates } from '../src/core/cycle/choose.ts';
import { fleetSlacFlags, slacNeeds } from '../src/core/policy/slac.ts';
import { fleetDeadlines } from '../src/core/policy/fleet.ts';
import { inInventory } from '../src/core/model/fleet.ts';
import { applyReconcile, buildCycleUpload, exportHandBack, previewReconcile, storeBuilt, type AckUpload } from '../src/db/cycle-files.ts';
import { listCycles } from '../src/db/cycles.ts';
import { database } from '../src/db/schema.ts';
import { listDevices } from '../src/db/queries.ts';
import { allReportSets } from '../src/db/reports.ts';


async function read(files: AckInput[]): Promise<AckUpload[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.blob.arrayBuffer()) })));
}

const api: ReportWorkerApi = {
  async candidates(dbName, now, settings) {
    const db = database(dbName);
    const [all, reports, cycles] = await Promise.all([listDevices(db), allReportSets(db.reportSets), listCycles(db)]);
    const devices = inInventory(all);
    const byKey = new Map(reports.map((r) => [r.key, r.reports]));
    const deadlines = fleetDeadlines(devices, now, settings);
    return candidates({ devices, reportsOf: (k) => byKey.get(k) ?? [], deadlines: new Map(deadlines.results.map((r) => [r.key, r])), cycles });
  },
  async authCandidates(dbName) {
    const db = database(dbName);
    const [all, cycles] = await Promise.all([listDevices(db), listCycles(db)]);
    const devices = inInventory(all);
    const list = authCandidates(devices, cycles);
    const byKey = new Map(devices.map((d) => [d.key, d]));
    const cli = new Map((await db.cli.bulkGet(list.map((c) => c.key))).flatMap((r) => (r ? [[r.key, r.observations] as const] : [])));
    const candidates = list.map((c) => {
      const s = slacNeeds(byKey.get(c.key)!, { cliObservations: cli.get(c.key) ?? null });
      return { ...c, need: s.status === 'none' ? null : s.reason };
    });
    // Devices using a licence that needs an authorization with none on record and no request waiting.
    const asking = new Set(list.map((c) => c.key));
    const missing = fleetSlacFlags(devices.filter((d) => !asking.has(d.key))).map((f) => ({ key: f.key, hostname: byKey.get(f.key)?.hostname?.value ?? null, reason: f.reason }));
    return { candidates, missing };
  },
  async build(dbName, cycleId, now, by, onProgress) {
    const db = database(dbName);
    let last = 0;
    const built = await buildCycleUpload(db, cycleId, now, (done, total) => {
      if (done === total || done - last >= Math.max(1, Math.floor(total / 100))) {
        last = done;
        onProgress(done, total);
      }
    });
    return storeBuilt(db, cycleId, built, now, by);
  },
  async preview(dbName, cycleId, files) {
    return previewReconcile(database(dbName), cycleId, await read(files));
  },
  async apply(dbName, cycleId, files, now, by) {
    return applyReconcile(database(dbName), cycleId, await read(files), now, by);
  },
  async handBack(dbName, cycleId, now, by) {
    const out = await exportHandBack(database(dbName), cycleId, now, by);
    return { cycle: out.cycle, name: out.name, sha256: out.sha256 };
  },
};

Comlink.expose(api);
