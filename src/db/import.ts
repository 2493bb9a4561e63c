import type { FileAnalysis } from '../core/analyse.ts';
import { KIND_LABELS } from '../core/formats/classify.ts';
import { ImportError } from '../core/errors.ts';
import { ackKeys, mergeAcks } from '../core/model/acks.ts';
import { authRequestKeys, mergeAuthRequests } from '../core/model/auth-requests.ts';
import { mergeCli, type DeviceCliRecord } from '../core/model/device-facts.ts';
import { keysTouched, mergeUsage, newer, type DeviceReports, type ProductInstance } from '../core/model/fleet.ts';
import { clockSkew, trustCodeRequests } from '../core/policy/slac.ts';
import { NO_ACCOUNT, diffLines, mergeSummary, reconcileAssignments, summaryDiff, toStored } from '../core/entitlements/summary.ts';
import { udiKey } from '../core/model/udi.ts';
import type { StoredFile, WorkbenchDb } from './schema.ts';
import { getExisting } from './bulk.ts';
import { ReportSets } from './reports.ts';
import { DeviceSets, allDevices } from './devices.ts';

export interface ImportSummary {
  devices: number;
  newDevices: number;
  reports: number;
  newReports: number;
  /** Device outputs of `show license …` text stored (one per device per file). */
  observations: number;
  /** Reports an imported ACK marked acknowledged. */
  acknowledged: number;
  /** SLAC requests and returns recorded. */
  authRequests: number;
  /** Licences of a licence summary, and what it changed against the one it replaced. */
  licences: number;
  summaryChanges: string[];
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
 * `onWriting` is called when merging is done and the writes begin (the import's phases).
 */
export async function storeAnalysis(db: WorkbenchDb, analysis: FileAnalysis, blob: Blob, now: number, onWriting?: () => void): Promise<StoreOutcome> {
  if (!analysis.readable) throw new Error(`${analysis.name}: ${KIND_LABELS[analysis.kind]} files cannot be imported yet`);
  const keys = keysTouched(analysis.usage);
  const cliKeys = new Set<string>();
  const hosts = new Set<string>();
  for (const { parse } of analysis.cli) {
    for (const d of parse.devices) {
      if (d.udi) cliKeys.add(udiKey(d.udi));
      else if (d.host) hosts.add(d.host.toLowerCase());
      for (const m of d.facts.ha) cliKeys.add(udiKey(m.udi));
    }
    for (const e of parse.events) {
      if (e.udi) cliKeys.add(udiKey(e.udi));
      else if (e.host) hosts.add(e.host.toLowerCase());
    }
  }
  const licenceSummary = analysis.other.summary;
  if (licenceSummary) {
    // A summary replaces the account's whole licence picture: a partial one would silently drop licences.
    const broken = analysis.entries.find((e) => e.status === 'error');
    if (broken) throw new ImportError('invalid', [analysis.name, ...broken.path], `cannot be read (${broken.note}): a licence summary is imported whole or not at all`);
    if (licenceSummary.licenses.length === 0 && licenceSummary.devices.length === 0 && licenceSummary.virtualAccounts.length === 0) throw new ImportError('invalid', [analysis.name], `holds no licence and no device the workbench can read as a CSSM licence summary${licenceSummary.warnings[0] ? ` (${licenceSummary.warnings[0]})` : ''}`);
  }
  return db.transaction('rw', [db.files, db.fileBytes, db.deviceSets, db.reportSets, db.events, db.cli, db.summaries, db.assignments], async () => {
    const earlier = await db.files.get(analysis.sha256);
    if (earlier) return { status: 'duplicate' as const, file: earlier };

    // A paste without a UDI is tied to a known device by host name: only then is the fleet scanned for names.
    // An HA set shares its host name: its active (the one that prints the set's output) is the device meant.
    const hostKeys = new Map<string, string[]>();
    if (hosts.size) {
      for (const d of await allDevices(db.deviceSets)) {
        const h = d.hostname?.value.toLowerCase();
        const follower = d.ha?.value.role === 'standby' || d.ha?.value.role === 'member';
        if (h && hosts.has(h) && !follower) hostKeys.set(h, [...(hostKeys.get(h) ?? []), d.key]);
      }
      for (const ks of hostKeys.values()) if (ks.length === 1) cliKeys.add(ks[0]!);
    }
    const acked = ackKeys(analysis.other.acks);
    const summaryKeys = (licenceSummary?.devices ?? []).map((d) => udiKey(d.udi));
    const deviceKeys = [...new Set([...keys.devices, ...cliKeys, ...acked, ...authRequestKeys(analysis.other.slacRequests), ...summaryKeys])];
    const reportKeys = [...new Set([...keys.reporters, ...acked])];
    const deviceSets = new DeviceSets(db.deviceSets);
    const reportSets = new ReportSets(db.reportSets, deviceSets);
    const [deviceMap, reportMap, cliMap] = await Promise.all([deviceSets.get(deviceKeys), reportSets.read(reportKeys), getExisting(db.cli, cliKeys)]);

    const merged = mergeUsage({ file: analysis.sha256, importedAt: now, usage: analysis.usage }, deviceMap, reportMap);
    // Trust-code requests travel in usage files (17.7.1+): recorded so the device panel can follow them.
    const mergedByKey = new Map(merged.devices.map((d) => [d.key, d]));
    for (const [key, t] of trustCodeRequests(analysis.usage)) {
      const d = mergedByKey.get(key);
      if (d) d.trustRequest = newer(d.trustRequest, t.element, analysis.sha256, t.at ?? now);
    }
    for (const d of merged.devices) deviceMap.set(d.key, d);
    const cli = mergeCli({ file: analysis.sha256, fileName: analysis.name, importedAt: now, parses: analysis.cli }, deviceMap, cliMap, (host) => {
      const ks = hostKeys.get(host.toLowerCase());
      return ks?.length === 1 ? ks[0]! : null;
    });
    for (const d of cli.devices) deviceMap.set(d.key, d);
    for (const r of merged.reports) reportMap.set(r.key, r);
    const acks = mergeAcks({ file: analysis.sha256, importedAt: now, acks: analysis.other.acks }, deviceMap, reportMap);
    for (const d of acks.devices) deviceMap.set(d.key, d);
    const slac = mergeAuthRequests({ file: analysis.sha256, fileName: analysis.name, importedAt: now, slac: analysis.other.slacRequests }, deviceMap);
    for (const d of slac.devices) deviceMap.set(d.key, d);
    // A file dated after the operator's clock proves the device's clock runs ahead (policy/slac.ts clockSkew).
    const skew = analysis.usage.flatMap(({ path, usage }) => {
      const w = clockSkew(usage.systemInfo?.timestamp, now);
      return w ? [`${[analysis.name, ...path].join(' › ')} (${usage.systemInfo?.hostname ?? 'device'}): ${w}`] : [];
    });
    const warnings = [...analysis.warnings, ...merged.warnings, ...cli.warnings, ...acks.warnings, ...slac.warnings, ...skew.slice(0, 20)];
    if (skew.length > 20) warnings.push(`… and ${skew.length - 20} more device files dated in the future`);
    const controllerAck = analysis.other.acks.find((a) => a.reportRef !== null);
    if (controllerAck && acks.devices.length === 0) {
      throw new ImportError('invalid', [analysis.name], `is the ACK of controller usage report ${controllerAck.reportRef}: import it in that report's cycle (Reporting cycles), which records it`);
    }
    if (analysis.other.acks.length && acks.devices.length === 0) {
      throw new ImportError('invalid', [analysis.name], `is an ACK for no device the workbench knows (${acks.unknownDevices.slice(0, 3).join(', ') || 'it names no device'}): import the devices' usage files first`);
    }
    let summaryChanges: string[] = [];
    const summaryDevices: ProductInstance[] = [];
    if (licenceSummary) {
      // A piece that does not name its Smart Account belongs to the one account the workspace knows, if only one.
      const accounts = await db.summaries.toCollection().primaryKeys();
      const key = licenceSummary.smartAccount ?? (accounts.length === 1 ? accounts[0]! : NO_ACCOUNT);
      const earlier = (await db.summaries.get(key)) ?? null;
      if (earlier && earlier.generated && licenceSummary.generated && licenceSummary.generated < earlier.generated) {
        throw new ImportError('invalid', [analysis.name], `is older (generated ${licenceSummary.generated}) than the summary already imported for ${key} (${earlier.generated}, from ${earlier.fileName}): nothing replaced`);
      }
      const mergedSummary = mergeSummary(earlier, licenceSummary);
      summaryChanges = [...diffLines(summaryDiff(earlier, mergedSummary, now)), ...reconcileAssignments(await db.assignments.filter((a) => a.releasedAt === null).toArray(), mergedSummary)];
      await db.summaries.put(toStored(licenceSummary, mergedSummary, key, analysis.sha256, analysis.name, now, earlier, summaryChanges));
      // CSSM knows which Virtual Account each device is in: known devices learn it (as of the summary's date).
      const at = Date.parse(licenceSummary.generated ?? '') || now;
      for (const sd of licenceSummary.devices) {
        const old = deviceMap.get(udiKey(sd.udi));
        if (!old || !sd.virtualAccount) continue;
        const d = { ...old, files: old.files.includes(analysis.sha256) ? old.files : [...old.files, analysis.sha256], updatedAt: now };
        d.virtualAccount = newer(d.virtualAccount, sd.virtualAccount, analysis.sha256, at);
        if (licenceSummary.smartAccount) d.smartAccount = newer(d.smartAccount, licenceSummary.smartAccount, analysis.sha256, at);
        deviceMap.set(d.key, d);
        summaryDevices.push(d);
      }
    }
    if (analysis.usage.length === 0 && cli.observations === 0 && acks.devices.length === 0 && slac.requests === 0 && !licenceSummary) {
      if (analysis.other.slacRequests.length) throw new ImportError('invalid', [analysis.name], `holds no SLAC request the workbench can tie to a device (${slac.warnings[0] ?? 'every request was imported before'})`);
      // Nothing would be stored but the file itself: say why rather than keep a file that changed nothing.
      const why = cli.warnings[0] ?? analysis.warnings.find((w) => /names no device|nothing here/.test(w)) ?? 'no UDI and no known host name';
      throw new ImportError('invalid', [analysis.name], `names no device the workbench can tie its facts to (${why})`);
    }
    const devicesOut = new Map(merged.devices.map((d) => [d.key, d]));
    for (const d of cli.devices) devicesOut.set(d.key, d);
    for (const d of acks.devices) devicesOut.set(d.key, d);
    for (const d of slac.devices) devicesOut.set(d.key, d);
    for (const d of summaryDevices) devicesOut.set(d.key, d);
    const reportsOut = new Map(merged.reports.map((r) => [r.key, r]));
    for (const r of acks.reports) reportsOut.set(r.key, r);
    const summary: ImportSummary = {
      devices: devicesOut.size,
      newDevices: merged.newDevices + cli.newDevices + slac.newDevices,
      reports: merged.newReports + merged.knownReports,
      newReports: merged.newReports,
      observations: cli.observations,
      acknowledged: acks.acknowledged,
      authRequests: slac.requests,
      licences: licenceSummary?.licenses.length ?? 0,
      summaryChanges,
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
    onWriting?.();
    await db.fileBytes.add({ sha256: analysis.sha256, blob });
    await db.files.add(file);
    await deviceSets.put([...devicesOut.values()]);
    await reportSets.write([...reportsOut.values()]);
    if (cli.records.length) await db.cli.bulkPut(cli.records);
    await db.events.add({
      at: now,
      type: 'import',
      file: analysis.sha256,
      message: `Imported ${analysis.name} (${KIND_LABELS[analysis.kind]}): ${summary.devices} device${summary.devices === 1 ? '' : 's'} (${summary.newDevices} new), ${summary.reports} report${summary.reports === 1 ? '' : 's'} (${summary.newReports} new)${summary.observations ? `, ${summary.observations} device output${summary.observations === 1 ? '' : 's'} of show commands` : ''}${summary.acknowledged ? `, ${summary.acknowledged} report${summary.acknowledged === 1 ? '' : 's'} acknowledged` : ''}${summary.authRequests ? `, ${summary.authRequests} SLAC request${summary.authRequests === 1 ? '' : 's'}` : ''}${summary.licences ? `, ${summary.licences} licence${summary.licences === 1 ? '' : 's'} of a CSSM summary${summary.summaryChanges.length ? ` (${summary.summaryChanges.length} change${summary.summaryChanges.length === 1 ? '' : 's'})` : ''}` : ''}${warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}`,
    });
    return { status: 'imported' as const, file, summary, warnings };
  });
}
