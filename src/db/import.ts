import type { FileAnalysis } from '../core/analyse.ts';
import { KIND_LABELS } from '../core/formats/classify.ts';
import { keysTouched, mergeUsage, type DeviceReports, type ProductInstance } from '../core/model/fleet.ts';
import type { StoredFile, WorkbenchDb } from './schema.ts';

export interface ImportSummary {
  devices: number;
  newDevices: number;
  reports: number;
  newReports: number;
}

export type StoreOutcome =
  | { status: 'imported'; file: StoredFile; summary: ImportSummary; warnings: string[] }
  | { status: 'duplicate'; file: StoredFile };

/** The stored record of a file with this SHA-256, if it was imported before. */
export function findFile(db: WorkbenchDb, sha256: string): Promise<StoredFile | undefined> {
  return db.files.get(sha256);
}

/**
 * Stores one analysed file and everything learned from it in one transaction: all of it or nothing (a crash,
 * a closed tab or a failing write leaves no half-import behind). The same bytes twice is a no-op that says so.
 */
export async function storeAnalysis(db: WorkbenchDb, analysis: FileAnalysis, blob: Blob, now: number): Promise<StoreOutcome> {
  if (!analysis.readable) throw new Error(`${analysis.name}: ${KIND_LABELS[analysis.kind]} files cannot be imported yet`);
  const keys = keysTouched(analysis.usage);
  return db.transaction('rw', [db.files, db.fileBytes, db.devices, db.reports, db.events], async () => {
    const earlier = await db.files.get(analysis.sha256);
    if (earlier) return { status: 'duplicate' as const, file: earlier };

    const [oldDevices, oldReports] = await Promise.all([db.devices.bulkGet(keys.devices), db.reports.bulkGet(keys.reporters)]);
    const deviceMap = new Map<string, ProductInstance>();
    for (const d of oldDevices) if (d) deviceMap.set(d.key, d);
    const reportMap = new Map<string, DeviceReports>();
    for (const r of oldReports) if (r) reportMap.set(r.key, r);

    const merged = mergeUsage({ file: analysis.sha256, importedAt: now, usage: analysis.usage }, deviceMap, reportMap);
    const warnings = [...analysis.warnings, ...merged.warnings];
    const summary: ImportSummary = {
      devices: merged.devices.length,
      newDevices: merged.newDevices,
      reports: merged.newReports + merged.knownReports,
      newReports: merged.newReports,
    };
    const file: StoredFile = {
      sha256: analysis.sha256,
      name: analysis.name,
      size: analysis.size,
      kind: analysis.kind,
      kindReason: analysis.kindReason,
      simulated: analysis.simulated,
      importedAt: now,
      warnings,
      problems: analysis.entries.filter((e) => e.status !== 'read'),
      summary: { entries: analysis.entries.length, usageFiles: analysis.usage.length, ...summary },
    };
    await db.fileBytes.add({ sha256: analysis.sha256, blob });
    await db.files.add(file);
    await db.devices.bulkPut(merged.devices);
    await db.reports.bulkPut(merged.reports);
    await db.events.add({
      at: now,
      type: 'import',
      file: analysis.sha256,
      message: `Imported ${analysis.name} (${KIND_LABELS[analysis.kind]}): ${summary.devices} device${summary.devices === 1 ? '' : 's'} (${summary.newDevices} new), ${summary.reports} report${summary.reports === 1 ? '' : 's'} (${summary.newReports} new)${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`,
    });
    return { status: 'imported' as const, file, summary, warnings };
  });
}
