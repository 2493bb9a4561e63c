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
  // One map from a device's key to its slot in `devices` and `reportsAt` (one lookup per device instead of one in
  // each of two maps); `reports` and `owners` hold the report lists in the order they were started, and their devices.
  const slots = new Map<string, number>();
  const devices: ProductInstance[] = [];
  const reportsAt: Array<DeviceReports | null> = [];
  const reports: DeviceReports[] = [];
  const owners: ProductInstance[] = [];
  let created = 0;
  const warnings: string[] = [];
  let newReports = 0;
  let knownReports = 0;

  const slotFor = (key: string, udi: Udi): number => {
    const slot = slots.get(key);
    if (slot !== undefined) return slot;
    let d: ProductInstance;
    const old = existingDevices.get(key);
    // Arrays spread to their exact size: one push onto `[]` reserves 17 slots, kept in each of 100,000 records.
    if (old) d = { ...old, files: old.files.includes(file) ? [...old.files] : [...old.files, file], licenses: [...old.licenses] };
    else {
      created++;
      d = blankDevice(key, udi, importedAt);
      d.files = [file];
    }
    d.updatedAt = importedAt;
    slots.set(key, devices.length);
    reportsAt.push(null);
    return devices.push(d) - 1;
  };

  const reportsFor = (key: string, slot: number): DeviceReports => {
    let r = reportsAt[slot];
    if (!r) {
      const old = existingReports.get(key);
      r = { key, reports: old ? old.reports.map((s) => ({ ...s, alsoIn: [...s.alsoIn] })) : [] };
      reportsAt[slot] = r;
      reports.push(r);
      owners.push(devices[slot]!);
    }
    return r;
  };

  // A usage file names a device in its system information and again in each of its reports, one after the
  // other: remember the last UDI's key rather than spell it again (and, below, the last device's report list).
  let lastUdi: Udi | null = null;
  let lastKey = '';
  const keyOf = (udi: Udi): string => {
    if (lastUdi === null || udi.pid !== lastUdi.pid || udi.sn !== lastUdi.sn) {
      lastUdi = udi;
      lastKey = udiKey(udi);
    }
    return lastKey;
  };
  // Report IDs of a device with many reports, to find a report without scanning them all (built when needed).
  const idIndexes = new Map<DeviceReports, Map<string, number>>();
  const indexOfReport = (list: DeviceReports, reportId: string): number => {
    const all = list.reports;
    if (all.length < 16) {
      for (let i = 0; i < all.length; i++) if (all[i]!.reportId === reportId) return i;
      return -1;
    }
    let ids = idIndexes.get(list);
    if (!ids) {
      ids = new Map();
      // The first of equal IDs, as a scan from the start would find.
      for (let i = all.length - 1; i >= 0; i--) ids.set(all[i]!.reportId, i);
      idIndexes.set(list, ids);
    }
    return ids.get(reportId) ?? -1;
  };

  for (const { path, usage } of input.usage) {
    for (const o of usage.devices) {
      const d = devices[slotFor(keyOf(o.udi), o.udi)]!;
      const at = o.observedAt ?? 0;
      d.hostname = newer(d.hostname, o.hostname, file, at);
      d.softwareVersion = newer(d.softwareVersion, o.softwareVersion, file, at);
      d.softwareTag = newer(d.softwareTag, o.softwareTag, file, at);
      d.ha = newer(d.ha, { role: o.role, activeKey: o.activeUdi ? udiKey(o.activeUdi) : null }, file, at);
    }
    let list: DeviceReports | null = null;
    for (const r of usage.reports) {
      const key = keyOf(r.udi);
      if (list === null || list.key !== key) {
        list = reportsFor(key, slotFor(key, r.udi));
      }
      const index = indexOfReport(list, r.reportId);
      const known = index === -1 ? undefined : list.reports[index];
      if (!known) {
        idIndexes.get(list)?.set(r.reportId, list.reports.length);
        list.reports.push(toStored(r, file, path));
        newReports++;
        continue;
      }
      knownReports++;
      if (known.fingerprint === r.fingerprint) {
        if (known.source.file !== file && !known.alsoIn.includes(file)) known.alsoIn.push(file);
      } else if ((r.end ?? 0) > (known.end ?? 0)) {
        list.reports[index] = { ...toStored(r, file, path), acknowledgedBy: known.acknowledgedBy ?? null };
        warnings.push(`report ${r.reportId} of ${key} differs from the copy already stored: this file's copy is newer and is kept`);
      } else {
        warnings.push(`report ${r.reportId} of ${key} differs from the copy already stored: the stored copy is kept`);
      }
    }
  }

  for (let i = 0; i < reports.length; i++) {
    const list = reports[i]!;
    // Reports usually arrive in order: sorting them anyway (V8 copies the array to sort it) was measurable.
    if (!inOrder(list.reports, byEndThenId)) list.reports.sort(byEndThenId);
    const d = owners[i]!;
    d.reportCount = list.reports.length;
    let lastReportEnd: number | null = null;
    for (const s of list.reports) if (s.end !== null && (lastReportEnd === null || s.end > lastReportEnd)) lastReportEnd = s.end;
    d.lastReportEnd = lastReportEnd;
    d.licenses = licensesInUse(list.reports);
    d.usage = usageHistory(list.reports);
  }

  return {
    devices,
    reports,
    newDevices: created,
    updatedDevices: devices.length - created,
    newReports,
    knownReports,
    warnings,
  };
}

/**
 * A report as stored: every field but `range` and `ha`, spelt out in the parser's order. `{ range, ha, ...facts }`
 * and then `{ ...facts, … }` took V8's slow copying paths, 200,000 times for a 100,000-device file.
 */
function toStored(r: RumReport, file: string, entry: string[]): StoredReport {
  return {
    reportId: r.reportId,
    udi: r.udi,
    softwareTag: r.softwareTag,
    entitlementTag: r.entitlementTag,
    count: r.count,
    start: r.start,
    end: r.end,
    utility: r.utility,
    softwareVersion: r.softwareVersion,
    payloadFormat: r.payloadFormat,
    measurementCount: r.measurementCount,
    fingerprint: r.fingerprint,
    source: { file, entry, start: r.range.start, end: r.range.end },
    alsoIn: [],
  };
}

const byEndThenId = (a: StoredReport, b: StoredReport): number => (a.end ?? 0) - (b.end ?? 0) || compareIds(a.reportId, b.reportId);

/** Whether a (stable) sort by `compare` would leave `list` as it is. */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (!(compare(list[i - 1]!, list[i]!) <= 0)) return false;
  return true;
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
  // The latest report of each tag, in the order the tags first appear (a Map keeps a key where it was first set).
  const latest = new Map<string, StoredReport>();
  for (const r of reports) if (r.entitlementTag) latest.set(r.entitlementTag, r);
  const out = [...latest.values()].map((r): LicenseInUse => ({ entitlementTag: r.entitlementTag!, count: r.count, utility: r.utility, asOf: r.end, reportId: r.reportId }));
  // Few tags: sorted by insertion, as Array.prototype.sort (stable) would, without its set-up for each device.
  if (out.length > 8) return out.sort((a, b) => a.entitlementTag.localeCompare(b.entitlementTag));
  for (let i = 1; i < out.length; i++) {
    const item = out[i]!;
    let j = i;
    for (; j > 0 && out[j - 1]!.entitlementTag.localeCompare(item.entitlementTag) > 0; j--) out[j] = out[j - 1]!;
    out[j] = item;
  }
  return out;
}
