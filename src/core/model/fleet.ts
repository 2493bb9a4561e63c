import type { UsageEntry } from '../analyse.ts';
import { usageHistory, type DeviceUsage } from '../policy/usage.ts';
import type { Policy } from './policy.ts';
import type { HaRole, RumReport } from './types.ts';
import { type Udi, udiKey } from './udi.ts';

/**
 * The fleet as stored: one record per product instance (its facts, each with the file it came from) and one
 * record per reporting device holding all its RUM reports. One record per device rather than per report because
 * IndexedDB costs about 70 µs a record (ARCHITECTURE.md): 100,000 devices must not become 200,000+ writes.
 * Merging is pure so the worker, Node and tests share it; the store only reads and writes the records.
 */

/** A fact about a device, the file (SHA-256) it was learned from, and when the device said it (ms). */
export interface Fact<T> {
  value: T;
  file: string;
  at: number;
}

export interface LicenseInUse {
  entitlementTag: string;
  count: number | null;
  utility: boolean;
  /** End of the report this count comes from (the latest report for the tag), ms. */
  asOf: number | null;
  reportId: string;
}

export interface ProductInstance {
  /** `PID:…,SN:…` (udiKey). */
  key: string;
  udi: Udi;
  hostname: Fact<string> | null;
  softwareVersion: Fact<string> | null;
  softwareTag: Fact<string> | null;
  ha: Fact<{ role: HaRole; activeKey: string | null }> | null;
  /** Licences in use as the latest report of each entitlement says (reports come from the active of an HA set). */
  licenses: LicenseInUse[];
  reportCount: number;
  lastReportEnd: number | null;
  /** SHA-256 of every file that said anything about this device, oldest first. */
  files: string[];
  // What `show license …` output said (model/device-facts.ts keeps every observation; these are the newest, for
  // the Fleet table's columns and filters). Optional: records written before issue 4 do not have them.
  smartAccount?: Fact<string> | null;
  virtualAccount?: Fact<string> | null;
  /** `Cisco default`, a custom policy's name, or `Custom policy`. */
  policyName?: Fact<string> | null;
  transport?: Fact<string> | null;
  /** Whether a trust code is installed on this device. */
  trustCode?: Fact<boolean> | null;
  lastAckReceived?: Fact<number> | null;
  nextAckDeadline?: Fact<number> | null;
  /** The newest time any CLI output said something about the device (ms). */
  lastHeard?: number | null;
  /** The policy the device says is in use (`show license status|all`), as a full policy. */
  policy?: Fact<Policy> | null;
  /** Deadlines the device itself announced (ms): `REPORTING_REQUIRED … in N days`, the 9800-CL ACK countdown. */
  reportingRequiredBy?: Fact<number> | null;
  ackCountdownBy?: Fact<number> | null;
  /** Licences in use as `show license summary|usage|all` lists them, for devices known without usage files. */
  cliLicences?: Fact<Array<{ name: string; tag: string | null; count: number | null; enforcement: string | null; licenseType: string | null; inUse: boolean; status?: string | null; exportStatus?: string | null }>> | null;
  /**
   * What the newest ACK carrying any returned for the device besides acknowledgements (issue 6): a trust code,
   * authorization codes (SLAC), utility-mode subscription IDs. Opaque strings, kept to show and to hand back.
   */
  fromAck?: Fact<AckGrants> | null;
  /**
   * Removed from the inventory by the operator (issue 7): kept with its history, left out of the Fleet table,
   * deadlines, cycles and compliance, its licences released. Put back by clearing it.
   */
  retired?: { at: number; by: string; reason: string } | null;
  /** A trust-code request seen in a usage file the device (or its HA active) saved: the element's name, when. */
  trustRequest?: Fact<string> | null;
  /** SLAC requests and returns the device saved (issue 6), oldest first; their progress is the cycles'. */
  authRequests?: AuthRequest[];
  /** Licence consumption distilled from the reports (policy/usage.ts): what the deadline rules read. */
  usage?: DeviceUsage;
  firstSeen: number;
  updatedAt: number;
}

/** A SLAC request (or return) file a device saved: uploaded to CSSM as is by an authorization cycle. */
export interface AuthRequest {
  /** `<file sha>/<entry path>#<n>`: stable across imports of the same file. */
  id: string;
  file: string;
  fileName: string;
  entry: string[];
  kind: 'request' | 'return';
  entitlements: Array<{ tag: string; count: number | null }>;
  /** When the device saved it (its system information's timestamp), ms. */
  savedAt: number | null;
  importedAt: number;
}

export interface AckGrants {
  trustCode: string | null;
  authorizationCodes: string[];
  subscriptionIds: Record<string, string>;
}

/** Where a report's exact bytes are: a stored file, the entry path inside its archives, a byte range. */
export interface ReportSource {
  file: string;
  entry: string[];
  start: number;
  end: number;
}

export interface StoredReport extends Omit<RumReport, 'range' | 'ha'> {
  source: ReportSource;
  /** Other files holding a byte-identical copy of this report. */
  alsoIn: string[];
  /** The ACK file (SHA-256) that acknowledged this report, and the ACK's time (ms). */
  acknowledgedBy?: { file: string; at: number } | null;
}

export interface DeviceReports {
  key: string;
  reports: StoredReport[];
}

export interface MergeInput {
  file: string;
  importedAt: number;
  usage: UsageEntry[];
}

export interface MergeResult {
  devices: ProductInstance[];
  reports: DeviceReports[];
  newDevices: number;
  updatedDevices: number;
  newReports: number;
  knownReports: number;
  warnings: string[];
}

/** Every device key a set of usage entries touches: what the store must read before merging. */
export function keysTouched(usage: readonly UsageEntry[]): { devices: string[]; reporters: string[] } {
  const devices = new Set<string>();
  const reporters = new Set<string>();
  for (const { usage: u } of usage) {
    for (const d of u.devices) devices.add(udiKey(d.udi));
    for (const r of u.reports) {
      const key = udiKey(r.udi);
      devices.add(key);
      reporters.add(key);
    }
  }
  return { devices: [...devices], reporters: [...reporters] };
}

/** A fact replaced by a value said at `at`, unless the value is missing or the fact is newer (newest wins). */
export function newer<T>(current: Fact<T> | null | undefined, value: T | null | undefined, file: string, at: number): Fact<T> | null {
  if (value === null || value === undefined) return current ?? null;
  if (current && current.at > at) return current;
  return { value, file, at };
}

/** The devices in the inventory (those the operator removed left out). */
export function inInventory<T extends { retired?: unknown }>(devices: readonly T[]): T[] {
  return devices.filter((d) => !d.retired);
}

/** A device known by its UDI only, first seen now. */
export function blankDevice(key: string, udi: Udi, at: number): ProductInstance {
  return { key, udi, hostname: null, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: [], firstSeen: at, updatedAt: at };
}

export function mergeUsage(input: MergeInput, existingDevices: ReadonlyMap<string, ProductInstance>, existingReports: ReadonlyMap<string, DeviceReports>): MergeResult {
  const { file, importedAt } = input;
  const devices = new Map<string, ProductInstance>();
  const reports = new Map<string, DeviceReports>();
  const created = new Set<string>();
  const warnings: string[] = [];
  let newReports = 0;
  let knownReports = 0;

  const deviceFor = (udi: Udi): ProductInstance => {
    const key = udiKey(udi);
    let d = devices.get(key);
    if (d) return d;
    const old = existingDevices.get(key);
    if (old) d = { ...old, files: [...old.files], licenses: [...old.licenses] };
    else {
      created.add(key);
      d = blankDevice(key, udi, importedAt);
    }
    if (!d.files.includes(file)) d.files.push(file);
    d.updatedAt = importedAt;
    devices.set(key, d);
    return d;
  };

  const reportsFor = (key: string): DeviceReports => {
    let r = reports.get(key);
    if (!r) {
      const old = existingReports.get(key);
      r = { key, reports: old ? old.reports.map((s) => ({ ...s, alsoIn: [...s.alsoIn] })) : [] };
      reports.set(key, r);
    }
    return r;
  };

  for (const { path, usage } of input.usage) {
    for (const o of usage.devices) {
      const d = deviceFor(o.udi);
      const at = o.observedAt ?? 0;
      d.hostname = newer(d.hostname, o.hostname, file, at);
      d.softwareVersion = newer(d.softwareVersion, o.softwareVersion, file, at);
      d.softwareTag = newer(d.softwareTag, o.softwareTag, file, at);
      d.ha = newer(d.ha, { role: o.role, activeKey: o.activeUdi ? udiKey(o.activeUdi) : null }, file, at);
    }
    for (const r of usage.reports) {
      const key = udiKey(r.udi);
      deviceFor(r.udi);
      const list = reportsFor(key);
      const { range, ha: _ha, ...facts } = r;
      const stored: StoredReport = { ...facts, source: { file, entry: path, start: range.start, end: range.end }, alsoIn: [] };
      const index = list.reports.findIndex((s) => s.reportId === r.reportId);
      const known = index === -1 ? undefined : list.reports[index];
      if (!known) {
        list.reports.push(stored);
        newReports++;
        continue;
      }
      knownReports++;
      if (known.fingerprint === r.fingerprint) {
        if (known.source.file !== file && !known.alsoIn.includes(file)) known.alsoIn.push(file);
      } else if ((r.end ?? 0) > (known.end ?? 0)) {
        list.reports[index] = { ...stored, acknowledgedBy: known.acknowledgedBy ?? null };
        warnings.push(`report ${r.reportId} of ${key} differs from the copy already stored: this file's copy is newer and is kept`);
      } else {
        warnings.push(`report ${r.reportId} of ${key} differs from the copy already stored: the stored copy is kept`);
      }
    }
  }

  for (const [key, list] of reports) {
    list.reports.sort((a, b) => (a.end ?? 0) - (b.end ?? 0) || compareIds(a.reportId, b.reportId));
    const d = devices.get(key)!;
    d.reportCount = list.reports.length;
    d.lastReportEnd = list.reports.reduce<number | null>((m, s) => (s.end !== null && (m === null || s.end > m) ? s.end : m), null);
    d.licenses = licensesInUse(list.reports);
    d.usage = usageHistory(list.reports);
  }

  return {
    devices: [...devices.values()],
    reports: [...reports.values()],
    newDevices: created.size,
    updatedDevices: devices.size - created.size,
    newReports,
    knownReports,
    warnings,
  };
}

/** The newest time anything we hold was true of the device: a CLI output, a usage file, a report's end. */
export function lastHeard(d: ProductInstance): number | null {
  const times = [d.lastHeard, d.hostname?.at, d.softwareVersion?.at, d.ha?.at, d.lastReportEnd].filter((t): t is number => typeof t === 'number' && t > 0);
  return times.length ? Math.max(...times) : null;
}

/** Numeric order of decimal report IDs of any length. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Per entitlement, what the latest report says (reports sorted by end). */
export function licensesInUse(reports: readonly StoredReport[]): LicenseInUse[] {
  const byTag = new Map<string, LicenseInUse>();
  for (const r of reports) {
    if (!r.entitlementTag) continue;
    byTag.set(r.entitlementTag, { entitlementTag: r.entitlementTag, count: r.count, utility: r.utility, asOf: r.end, reportId: r.reportId });
  }
  return [...byTag.values()].sort((a, b) => a.entitlementTag.localeCompare(b.entitlementTag));
}
