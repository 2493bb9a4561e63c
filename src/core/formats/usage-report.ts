import { ImportError } from '../errors.ts';
import { fnv1a } from '../hash.ts';
import type { ByteRange, DeviceObservation, HaMember, HaRole, RumReport, SystemInfo } from '../model/types.ts';
import { type Udi, udiFromJson, udiKey } from '../model/udi.ts';
import { type XmlDocument, type XmlNode, lineOf, parseXml, textOf } from './xml.ts';

/**
 * Device usage file, as written by `license smart save usage {all|days N|rum-id ID|unreported} file <path>`
 * (FORMATS.md, KNOWN): `<smartLicense>` holding `<RUMReport>`s (JSON, usually in CDATA) and one
 * `<smartLicenseSystemInfo><data>`; or a bare `<RUMReport>` root. Payloads: v2.0 (17.9+), the older 17.6 shape
 * (no version, report_id in meta) and NX-OS's payload-as-object. Nothing here re-serialises a report: each keeps
 * its byte range in the original file.
 */
export interface UsageFile {
  root: 'smartLicense' | 'RUMReport';
  systemInfo: SystemInfo | null;
  reports: RumReport[];
  devices: DeviceObservation[];
  /** Children of `<smartLicense>` this parser does not understand (e.g. the 17.7.1+ trust-code request), kept as bytes. */
  unknownElements: Array<{ name: string; range: ByteRange }>;
  warnings: string[];
}

type Json = Record<string, unknown>;

const KNOWN_CHILDREN = new Set(['RUMReport', 'smartLicenseSystemInfo']);

export function readUsageFile(bytes: Uint8Array, where: readonly string[]): UsageFile {
  return parseUsageFile(parseXml(bytes, where), where);
}

export function parseUsageFile(doc: XmlDocument, where: readonly string[]): UsageFile {
  const { root } = doc;
  const warnings: string[] = [];
  const unknownElements: UsageFile['unknownElements'] = [];
  let reportNodes: XmlNode[];
  let systemInfo: SystemInfo | null = null;

  if (root.name === 'RUMReport') {
    reportNodes = [root];
  } else if (root.name === 'smartLicense') {
    reportNodes = [];
    for (const child of root.children) {
      if (child.name === 'RUMReport') reportNodes.push(child);
      else if (child.name === 'smartLicenseSystemInfo') {
        if (systemInfo) warnings.push('more than one <smartLicenseSystemInfo>: the first is used');
        else systemInfo = readSystemInfo(doc, child, where);
      } else {
        unknownElements.push({ name: child.name, range: { start: child.start, end: child.end } });
      }
    }
    for (const u of unknownElements) {
      warnings.push(
        `kept <${u.name}> (line ${lineOf(doc.bytes, u.range.start)}) without reading it: its format is not public` +
          (KNOWN_CHILDREN.has(u.name) ? '' : ' (from IOS XE 17.7.1 devices add their trust-code request to usage files)'),
      );
    }
  } else {
    throw new ImportError('wrong-kind', where, `is XML with root <${root.name}>, not a device usage file (<smartLicense> or <RUMReport>)`);
  }

  const reports: RumReport[] = [];
  const seen = new Map<string, RumReport>();
  reportNodes.forEach((node, index) => {
    const report = readReport(doc, node, index, where, systemInfo);
    const key = `${udiKey(report.udi)}#${report.reportId}`;
    const earlier = seen.get(key);
    if (earlier) {
      warnings.push(
        earlier.fingerprint === report.fingerprint
          ? `report ${report.reportId} appears twice (identical): the second copy is ignored`
          : `report ${report.reportId} appears twice with different content: the first copy is kept`,
      );
      return;
    }
    seen.set(key, report);
    reports.push(report);
  });
  if (reports.length === 0 && !systemInfo) {
    throw new ImportError('invalid', where, 'holds neither RUM reports nor system information — nothing to import');
  }
  if (reports.length === 0) warnings.push('holds no RUM reports (the device had nothing to report for the chosen range)');

  return { root: root.name, systemInfo, reports, devices: observeDevices(systemInfo, reports, warnings), unknownElements, warnings };
}

/** `what` names the thing for an error message; a function, so line numbers are only counted on failure. */
export function parseJson(text: string, where: readonly string[], what: () => string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const code = /end of (JSON )?input|Unterminated/i.test(reason) ? 'truncated' : 'json';
    throw new ImportError(code, where, `${what()} is not valid JSON (${reason})`);
  }
}

/** The JSON of `<smartLicenseSystemInfo><data>` (usage files and SLAC requests carry the same element). */
export function readSystemInfo(doc: XmlDocument, node: XmlNode, where: readonly string[]): SystemInfo {
  const data = node.children.find((c) => c.name === 'data');
  const text = (data ? textOf(doc, data, where) : textOf(doc, node, where)).trim();
  const at = () => `the system information (line ${lineOf(doc.bytes, node.start)})`;
  const json = parseJson(text, where, at);
  if (!json || typeof json !== 'object') throw new ImportError('invalid', where, `${at()} is not a JSON object`);
  const o = json as Json;
  const devices: SystemInfo['devices'] = [];
  if (Array.isArray(o.device_list)) {
    for (const d of o.device_list) {
      const udi = udiFromJson((d as Json)?.sudi);
      if (!udi) continue;
      devices.push({ udi, hostname: str((d as Json).hostname), softwareTag: str((d as Json).software_tag_identifier) });
    }
  }
  return {
    udi: udiFromJson(o.sudi),
    timestamp: typeof o.timestamp === 'number' && Number.isFinite(o.timestamp) ? o.timestamp : null,
    hostname: str(o.hostname),
    softwareTag: str(o.software_tag_identifier),
    devices,
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function obj(v: unknown): Json | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

/** Payload times are epoch seconds; tolerate milliseconds too. */
function epochMs(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  return n > 1e11 ? n : n * 1000;
}

// A Map, not an object: a role named "constructor" or "__proto__" must not find Object's own properties.
const ROLES: ReadonlyMap<string, HaRole> = new Map([
  ['active', 'active'],
  ['standby', 'standby'],
  ['member', 'member'],
]);

function readReport(doc: XmlDocument, node: XmlNode, index: number, where: readonly string[], systemInfo: SystemInfo | null): RumReport {
  const what = () => `RUM report ${index + 1} (line ${lineOf(doc.bytes, node.start)})`;
  const text = textOf(doc, node, where).trim();
  if (!text) throw new ImportError('invalid', where, `${what()} is empty`);
  const outer = obj(parseJson(text, where, what));
  if (!outer) throw new ImportError('invalid', where, `${what()} is not a JSON object`);

  let payload: Json | null;
  let payloadText: string;
  let payloadFormat: RumReport['payloadFormat'];
  if (typeof outer.payload === 'string') {
    payloadText = outer.payload;
    payload = obj(parseJson(outer.payload, where, () => `the payload of ${what()}`));
    payloadFormat = payload?.version === '2.0' ? '2.0' : 'legacy';
  } else {
    payload = obj(outer.payload);
    payloadText = text;
    payloadFormat = 'object';
  }
  if (!payload) throw new ImportError('invalid', where, `${what()} has no payload object`);

  const ident = obj(payload.asset_identification);
  const meta = obj(payload.meta) ?? {};
  // Exact digits from the text: JSON.parse would round IDs above 2^53.
  const idMatch = /"report_id"\s*:\s*"?(\d+)"?/.exec(payloadText);
  if (!idMatch) throw new ImportError('invalid', where, `${what()} has no report_id`);
  const reportId = idMatch[1]!.replace(/^0+(?=\d)/, '');

  const instance = obj(ident?.instance);
  const udi =
    udiFromJson(instance?.sudi) ??
    udiFromJson(payload.sudi) ??
    udiFromJson(obj(payload.product_instance_identifier)?.sudi) ??
    udiFromJson(obj(outer.signature)?.sudi) ??
    systemInfo?.udi ??
    null;
  if (!udi) throw new ImportError('invalid', where, `${what()} does not say which device (UDI) it comes from`);

  const measurements = Array.isArray(payload.measurements) ? payload.measurements.map(obj).filter((m): m is Json => m !== null) : [];
  let start: number | null = null;
  let end: number | null = null;
  let count: number | null = null;
  let latestEnd = -Infinity;
  let entitlementTag = str(meta.entitlement_tag) ?? str(payload.entitlement_tag);
  for (const m of measurements) {
    const s = epochMs(m.start_time);
    const e = epochMs(m.end_time) ?? epochMs(m.log_time);
    if (s !== null && (start === null || s < start)) start = s;
    if (e !== null && (end === null || e > end)) end = e;
    const value = obj(m.value);
    const raw = value ? value.value : m.value;
    const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : typeof raw === 'number' ? raw : null;
    if (n !== null && (e ?? 0) >= latestEnd) {
      count = n;
      latestEnd = e ?? 0;
    }
    entitlementTag ??= str(m.metric_value) ?? str(m.entitlement_tag);
  }

  const ha: HaMember[] = [];
  if (Array.isArray(meta.ha_udi)) {
    for (const entry of meta.ha_udi) {
      const e = obj(entry);
      const member = udiFromJson(e?.sudi);
      const role = ROLES.get(String(e?.role ?? '').toLowerCase());
      if (member && role) ha.push({ role, udi: member });
    }
  }

  return {
    reportId,
    udi,
    softwareTag: str(obj(ident?.asset)?.name) ?? str(obj(payload.asset)?.name),
    entitlementTag,
    count,
    start,
    end,
    utility: meta.utility_enabled === true || meta.utility_enabled === 'true',
    softwareVersion: str(meta.software_version),
    ha,
    payloadFormat,
    measurementCount: measurements.length,
    range: { start: node.start, end: node.end },
    fingerprint: fnv1a(doc.bytes, node.start, node.end),
  };
}

/** Merges what the system info and the reports say into one observation per UDI in the file. */
function observeDevices(systemInfo: SystemInfo | null, reports: RumReport[], warnings: string[]): DeviceObservation[] {
  const latestEnd = reports.reduce<number | null>((m, r) => (r.end !== null && (m === null || r.end > m) ? r.end : m), null);
  const observedAt = systemInfo?.timestamp ?? latestEnd;
  const byKey = new Map<string, DeviceObservation>();
  const touch = (udi: Udi): DeviceObservation => {
    const key = udiKey(udi);
    let d = byKey.get(key);
    if (!d) {
      d = { udi, hostname: null, softwareVersion: null, softwareTag: null, role: 'standalone', activeUdi: null, observedAt };
      byKey.set(key, d);
    }
    return d;
  };

  if (systemInfo?.udi) {
    const d = touch(systemInfo.udi);
    d.hostname = systemInfo.hostname;
    d.softwareTag = systemInfo.softwareTag;
  }
  for (const listed of systemInfo?.devices ?? []) {
    const d = touch(listed.udi);
    d.hostname = listed.hostname ?? d.hostname;
    d.softwareTag = listed.softwareTag ?? d.softwareTag;
  }
  // Reports in file order; the latest report's HA view wins, since members come and go.
  const sorted = [...reports].sort((a, b) => (a.end ?? 0) - (b.end ?? 0));
  for (const r of sorted) {
    const d = touch(r.udi);
    d.softwareVersion = r.softwareVersion ?? d.softwareVersion;
    d.softwareTag ??= r.softwareTag;
    if (r.ha.length > 1) {
      const active = r.ha.find((m) => m.role === 'active')?.udi ?? r.udi;
      for (const member of r.ha) {
        const m = touch(member.udi);
        m.role = member.role;
        m.activeUdi = active;
      }
    }
  }
  if (systemInfo?.udi) {
    const fileKey = udiKey(systemInfo.udi);
    const strangers = new Set(
      reports.filter((r) => udiKey(r.udi) !== fileKey && !r.ha.some((m) => udiKey(m.udi) === fileKey)).map((r) => udiKey(r.udi)),
    );
    for (const s of strangers) warnings.push(`reports from ${s} are in a file saved by ${fileKey}`);
  }
  return [...byKey.values()];
}
