import { analyseFile } from '../core/analyse.ts';
import { writeTarGz } from '../core/archive/tar.ts';
import { safeName } from '../core/words.ts';
import { emptyLedger } from '../core/sim/ledger.ts';
import { licenseSummaryOf, showOutputsOf, slacRequestOf, uniqueName, usageFileOf } from '../core/sim/files.ts';
import { simulateFleet } from '../core/sim/fleet.ts';
import type { DemoInfo, DemoOptions, DemoProgress } from '../app/demo-api.ts';
import { storeAnalysis } from './import.ts';
import type { WorkbenchDb } from './schema.ts';

const encoder = new TextEncoder();

/** Devices whose `show license all` the demo imports (all of them below this many). */
const CLI_UNITS = 500;

/**
 * Fills an empty database with the simulated fleet through the same analyse-and-store path as real files (the
 * demo worker, and tests that need a whole workspace).
 */
export async function fillDemo(db: WorkbenchDb, options: DemoOptions, onProgress: (p: DemoProgress) => void = () => undefined): Promise<DemoInfo> {
  onProgress({ phase: 'generating', fraction: 0, message: 'Generating the simulated fleet…' });
  const fleet = simulateFleet(options);
  // One archive of usage files per Virtual Account: what an operator collects and carries, and few large
  // IndexedDB writes instead of one per device (ARCHITECTURE.md).
  const archives: Array<{ name: string; bytes: Uint8Array }> = [];
  let written = 0;
  for (const va of fleet.virtualAccounts) {
    const units = fleet.units.filter((u) => u.virtualAccount === va.name);
    if (units.length === 0) continue;
    const used = new Set<string>();
    const files = units.map((unit) => {
      const name = uniqueName(used, unit.hostname, '_all_rum.txt');
      written++;
      if (written % 200 === 0) onProgress({ phase: 'generating', fraction: (0.4 * written) / fleet.units.length, message: `Writing usage files… ${written.toLocaleString('en')} of ${fleet.units.length.toLocaleString('en')}` });
      return { name, bytes: encoder.encode(usageFileOf(fleet, unit)), mtime: options.now };
    });
    archives.push({ name: `demo-${safeName(va.name)}-usage.tar.gz`, bytes: await writeTarGz(files) });
  }
  for (const [i, archive] of archives.entries()) {
    const base = 0.4 + (0.5 * i) / archives.length;
    onProgress({ phase: 'importing', fraction: base, message: `Importing ${archive.name}…` });
    const analysis = await analyseFile(archive.name, archive.bytes, {
      onProgress: (done, total) => onProgress({ phase: 'importing', fraction: base + (0.4 * (total ? done / total : 1)) / archives.length, message: `Importing ${archive.name}…` }),
    });
    await storeAnalysis(db, analysis, new Blob([archive.bytes as Uint8Array<ArrayBuffer>]), Date.now());
  }
  // What the devices print, as an operator collects it: `show license all` of each device under its prompt,
  // one paste per Virtual Account. Up to CLI_UNITS devices (evenly spread), so the 10,000-device demo stays quick.
  const step = Math.max(1, Math.ceil(fleet.units.length / CLI_UNITS));
  const captured = fleet.units.filter((_, i) => i % step === 0);
  for (const [k, va] of fleet.virtualAccounts.entries()) {
    const units = captured.filter((u) => u.virtualAccount === va.name);
    if (units.length === 0) continue;
    const name = `demo-${safeName(va.name)}-show-license-all.txt`;
    onProgress({ phase: 'importing', fraction: 0.9 + (0.1 * k) / fleet.virtualAccounts.length, message: `Importing ${name}…` });
    const bytes = encoder.encode(units.map((u) => showOutputsOf(fleet, u).all).join('\n'));
    await storeAnalysis(db, await analyseFile(name, bytes), new Blob([bytes as Uint8Array<ArrayBuffer>]), Date.now());
  }
  // The SLAC requests of the routers waiting for their HSEC authorization, as an operator collects them.
  const waiting = fleet.units.filter((u) => u.slacNeeded);
  if (waiting.length) {
    const used = new Set<string>();
    const files = waiting.map((u) => ({ name: uniqueName(used, u.hostname, '_slac_request.txt'), bytes: encoder.encode(slacRequestOf(fleet, u)), mtime: options.now }));
    const bytes = await writeTarGz(files);
    await storeAnalysis(db, await analyseFile('demo-slac-requests.tar.gz', bytes), new Blob([bytes as Uint8Array<ArrayBuffer>]), Date.now());
  }
  // The CSSM licence summary, as downloaded for SD-WAN Manager's offline mode (Entitlements).
  const summaryBytes = await licenseSummaryOf(fleet);
  await storeAnalysis(db, await analyseFile('demo-license-summary.tar.gz', summaryBytes), new Blob([summaryBytes as Uint8Array<ArrayBuffer>]), Date.now());
  const info: DemoInfo = {
    ...options,
    loadedAt: Date.now(),
    smartAccount: fleet.smartAccount.name,
    virtualAccounts: fleet.virtualAccounts.map((v) => ({ name: v.name, policy: v.policy })),
    units: fleet.units.length,
  };
  const ledger = emptyLedger({ name: fleet.smartAccount.name, id: fleet.smartAccount.id }, fleet.virtualAccounts.map((v) => v.name));
  await db.transaction('rw', [db.kv, db.events], async () => {
    await db.kv.bulkPut([
      { key: 'demo', value: info },
      { key: 'simulated-cssm', value: ledger },
    ]);
    await db.events.add({ at: Date.now(), type: 'demo', file: null, message: `Loaded a simulated fleet: ${fleet.instances.length.toLocaleString('en')} devices (seed "${options.seed}")` });
  });
  return info;
}
