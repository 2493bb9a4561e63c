import type { FileAnalysis } from './analyse.ts';
import type { FileKind } from './formats/classify.ts';
import type { CliParse } from './formats/cli/index.ts';
import type { CliDate } from './formats/cli/types.ts';
import { entitlementName, lookupEntitlement } from './model/entitlements.ts';
import type { HaRole } from './model/types.ts';
import { type Udi, udiKey } from './model/udi.ts';

/**
 * The inspection object of FORMATS.md ("Inspection JSON"): one per input file, the contract of
 * `slp inspect` and of every test that asks "what did the workbench learn from this file?".
 * Absent fields are `null` or `[]`, never missing.
 */
export interface InspectionUdi {
  pid: string;
  sn: string;
}

export interface Inspection {
  file: string;
  sha256: string | null;
  kind: FileKind;
  devices: Array<{ udi: InspectionUdi; hostname: string | null; role: HaRole | null; softwareVersion: string | null }>;
  account: { smartAccount: string | null; virtualAccount: string | null } | null;
  policy: {
    name: string | null;
    ackRequired: boolean | null;
    classes: Record<string, { firstReportDays: number | null; reportingFrequencyDays: number | null; reportOnChangeDays: number | null }>;
  } | null;
  usageReporting: { lastAckReceived: string | null; nextAckDeadline: string | null; lastReportPush: string | null; nextReportPush: string | null } | null;
  licenses: Array<{ name: string | null; tag: string | null; count: number | null; status: string | null; enforcement: string | null; type: string | null }>;
  reports: Array<{
    reportId: number | string;
    udi: InspectionUdi;
    entitlementTag: string | null;
    state: string | null;
    count: number | null;
    start: string | null;
    end: string | null;
  }>;
  acknowledged: Array<{ reportId: number | string; udi: InspectionUdi | null }>;
  warnings: string[];
  /** Present only when the file could not be read: the one-line reason. */
  error?: string;
}

/** ISO 8601 in UTC (payload times are epoch seconds, so the zone is known), without milliseconds. */
export function isoUtc(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Report IDs as JSON numbers when exact, as strings beyond 2^53 (IDs go up to 2^64-1). */
export function reportIdJson(id: string): number | string {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

export function emptyInspection(file: string, sha256: string | null, kind: FileKind): Inspection {
  return { file, sha256, kind, devices: [], account: null, policy: null, usageReporting: null, licenses: [], reports: [], acknowledged: [], warnings: [] };
}

export function inspectionOf(analysis: FileAnalysis): Inspection {
  const out = emptyInspection(analysis.name, analysis.sha256, analysis.kind);
  out.warnings = [...analysis.warnings];
  const devices = new Map<string, Inspection['devices'][number] & { at: number }>();
  const addDevice = (udi: Udi, hostname: string | null, role: HaRole | null, softwareVersion: string | null, at = 0) => {
    const key = udiKey(udi);
    const known = devices.get(key);
    if (known && known.at > at) {
      known.hostname ??= hostname;
      known.role ??= role;
      known.softwareVersion ??= softwareVersion;
      return;
    }
    devices.set(key, {
      udi: { pid: udi.pid, sn: udi.sn },
      hostname: hostname ?? known?.hostname ?? null,
      role: role ?? known?.role ?? null,
      softwareVersion: softwareVersion ?? known?.softwareVersion ?? null,
      at,
    });
  };
  const licenses = new Map<string, { count: number | null; end: number }>();
  for (const { usage } of analysis.usage) {
    for (const d of usage.devices) addDevice(d.udi, d.hostname, d.role, d.softwareVersion, d.observedAt ?? 0);
    for (const r of usage.reports) {
      out.reports.push({
        reportId: reportIdJson(r.reportId),
        udi: { pid: r.udi.pid, sn: r.udi.sn },
        entitlementTag: r.entitlementTag,
        state: null, // a saved usage file does not say where the report is in its OPEN → ACK life
        count: r.count,
        start: isoUtc(r.start),
        end: isoUtc(r.end),
      });
      if (r.entitlementTag) {
        // Licences in use across the file: per tag, the count of the most recent report of each device summed.
        const key = `${r.entitlementTag}\u0000${udiKey(r.udi)}`;
        const prev = licenses.get(key);
        if (!prev || (r.end ?? 0) >= prev.end) licenses.set(key, { count: r.count, end: r.end ?? 0 });
      }
    }
  }
  const perTag = new Map<string, number | null>();
  for (const [key, v] of licenses) {
    const tag = key.slice(0, key.indexOf('\u0000'));
    const sum = perTag.get(tag);
    perTag.set(tag, v.count === null ? (sum ?? null) : (sum ?? 0) + v.count);
  }
  out.licenses = [...perTag].map(([tag, count]) => {
    const known = lookupEntitlement(tag);
    return { name: entitlementName(tag), tag, count, status: null, enforcement: known?.enforcement ?? null, type: known?.duration ?? null };
  });

  const { other } = analysis;
  for (const slac of other.slacRequests) {
    for (const d of slac.systemInfo?.devices ?? []) addDevice(d.udi, d.hostname, null, null);
    if (slac.systemInfo?.udi) addDevice(slac.systemInfo.udi, slac.systemInfo.hostname, null, null);
    for (const request of slac.requests) {
      if (request.udi) addDevice(request.udi, null, null, null);
      for (const key of request.keys) {
        const known = lookupEntitlement(key.entitlement);
        out.licenses.push({ name: entitlementName(key.entitlement), tag: key.entitlement, count: key.count, status: 'AUTHORIZATION REQUESTED', enforcement: known?.enforcement ?? null, type: known?.duration ?? null });
      }
    }
  }
  for (const inventory of other.inventories) {
    for (const row of inventory.rows) addDevice({ pid: row.pid, sn: row.serial }, row.hostname || null, row.role, null);
  }
  for (const { parse } of analysis.cli) addCli(out, parse, addDevice);
  for (const ack of other.acks) {
    for (const a of ack.acknowledged) out.acknowledged.push({ reportId: reportIdJson(a.reportId), udi: a.udi ? { pid: a.udi.pid, sn: a.udi.sn } : null });
    if (ack.smartAccount || ack.virtualAccount) out.account ??= { smartAccount: ack.smartAccount, virtualAccount: ack.virtualAccount };
  }
  const summary = other.summary;
  if (summary) {
    out.account = { smartAccount: summary.smartAccount, virtualAccount: summary.virtualAccounts.length === 1 ? summary.virtualAccounts[0]! : null };
    for (const d of summary.devices) addDevice(d.udi, d.hostname, null, null);
    for (const l of summary.licenses) {
      out.licenses.push({
        name: l.displayName ?? (l.tag ? entitlementName(l.tag) : null),
        tag: l.tag,
        count: l.quantity,
        status: l.status,
        enforcement: l.exportRestricted ? 'EXPORT RESTRICTED' : l.enforced ? 'ENFORCED' : l.enforced === false ? 'NOT ENFORCED' : null,
        type: l.licenseType === 'TERM' ? 'Subscription' : l.licenseType === 'PERPETUAL' ? 'Perpetual' : l.licenseType,
      });
    }
  }
  out.devices = [...devices.values()].map(({ at: _at, ...d }) => d);
  return out;
}

const cliIso = (d: CliDate | null | undefined): string | null => d?.iso ?? null;

/** What `show license …` output and syslog say, in the inspection's shape: the first device's account and policy. */
function addCli(out: Inspection, parse: CliParse, addDevice: (udi: Udi, hostname: string | null, role: HaRole | null, softwareVersion: string | null, at?: number) => void): void {
  for (const d of parse.devices) {
    const f = d.facts;
    const at = f.observedAt?.epochMs ?? 0;
    if (d.udi) addDevice(d.udi, f.hostname, d.role, f.softwareVersion, at);
    for (const m of f.ha) addDevice(m.udi, null, m.role, null, at);
    if (f.account && !out.account) out.account = { smartAccount: f.account.smartAccount, virtualAccount: f.account.virtualAccount };
    if (f.policy && !out.policy) {
      const classes: NonNullable<Inspection['policy']>['classes'] = {};
      for (const [k, c] of Object.entries(f.policy.classes)) {
        if (!c) continue;
        classes[k] = {
          firstReportDays: c.firstReportDays?.days ?? null,
          reportingFrequencyDays: c.reportingFrequencyDays?.days ?? null,
          reportOnChangeDays: c.reportOnChangeDays?.days ?? null,
        };
      }
      out.policy = { name: f.policy.name ?? f.policy.inUse, ackRequired: f.policy.ackRequired?.value ?? null, classes };
    }
    const u = f.usageReporting;
    if (u && !out.usageReporting) {
      out.usageReporting = { lastAckReceived: cliIso(u.lastAckReceived), nextAckDeadline: cliIso(u.nextAckDeadline), lastReportPush: cliIso(u.lastReportPush), nextReportPush: cliIso(u.nextReportPush) };
    }
    for (const l of f.licenses) {
      out.licenses.push({ name: l.name, tag: l.tag, count: l.count, status: l.status, enforcement: l.enforcement, type: l.licenseType });
    }
    for (const r of f.rumReports) {
      const udi = r.udi ?? d.udi;
      if (!udi) continue;
      out.reports.push({ reportId: reportIdJson(r.reportId), udi: { pid: udi.pid, sn: udi.sn }, entitlementTag: r.entitlementTag, state: r.state, count: null, start: cliIso(r.startTime), end: cliIso(r.endTime) });
    }
  }
}
