import type { FileAnalysis } from '../analyse.ts';
import { type DeviceCliRecord, mergeCli } from './device-facts.ts';
import { type DeviceReports, type ProductInstance, mergeUsage } from './fleet.ts';

/**
 * The fleet a set of analysed files makes, merged in memory by the same functions the store uses (one file after
 * the other, as if imported in that order). For the command line and tests: no database involved.
 */
export function fleetFromAnalyses(analyses: readonly FileAnalysis[], importedAt: number): { devices: ProductInstance[]; warnings: string[] } {
  const devices = new Map<string, ProductInstance>();
  const reports = new Map<string, DeviceReports>();
  const cli = new Map<string, DeviceCliRecord>();
  const warnings: string[] = [];
  for (const a of analyses) {
    const merged = mergeUsage({ file: a.sha256, importedAt, usage: a.usage }, devices, reports);
    for (const d of merged.devices) devices.set(d.key, d);
    for (const r of merged.reports) reports.set(r.key, r);
    const byHost = (host: string) => {
      const h = host.toLowerCase();
      const hits = [...devices.values()].filter((d) => d.hostname?.value.toLowerCase() === h && d.ha?.value.role !== 'standby' && d.ha?.value.role !== 'member');
      return hits.length === 1 ? hits[0]!.key : null;
    };
    const c = mergeCli({ file: a.sha256, fileName: a.name, importedAt, parses: a.cli }, devices, cli, byHost);
    for (const d of c.devices) devices.set(d.key, d);
    for (const r of c.records) cli.set(r.key, r);
    warnings.push(...merged.warnings.map((w) => `${a.name}: ${w}`), ...c.warnings.map((w) => `${a.name}: ${w}`));
  }
  return { devices: [...devices.values()], warnings };
}
