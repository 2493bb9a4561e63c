import type { HaMember } from '../model/types.ts';
import type { Udi } from '../model/udi.ts';

/**
 * Writes device usage files in the shapes IOS XE devices write them (FORMATS.md, "device usage file"), for the
 * simulator, tests and benchmarks. Every option is a real-world variation the parser must accept. Signatures are
 * fake (base64 of a made-up string): CSSM would reject these files, the workbench must still read them.
 */
export interface SimReport {
  reportId: string;
  entitlementTag: string;
  count: number;
  /** Epoch seconds, as payloads carry them. */
  start: number;
  end: number;
  utility?: boolean;
}

export interface SimUsageDevice {
  udi: Udi;
  hostname: string;
  softwareVersion: string;
  softwareTag: string;
  /** Omit or leave empty for a standalone device; otherwise the full HA set with roles, active first. */
  ha?: HaMember[];
  reports: SimReport[];
  /** Epoch ms written into `<smartLicenseSystemInfo>`. */
  savedAt: number;
}

export interface UsageFileStyle {
  /** `2.0` (17.9+), `legacy` (17.6: no version, report_id in meta), `object` (payload as a JSON object, NX-OS). */
  payload?: '2.0' | 'legacy' | 'object';
  /** One element per line (like the utility sample) instead of one single line. */
  pretty?: boolean;
  crlf?: boolean;
  /** Escape the JSON as XML text (`&quot;`) instead of wrapping it in CDATA. */
  escaped?: boolean;
  /** Add `"header": {"type": "rum"}` after the signature. */
  header?: boolean;
  /** Write a bare `<RUMReport>` root holding only the first report (no system info). */
  bare?: boolean;
  /** Leave out `<smartLicenseSystemInfo>`. */
  noSystemInfo?: boolean;
  /** Extra raw XML placed inside `<smartLicense>` after the reports (e.g. a trust-code request). */
  extraXml?: string;
  /** Text of an XML comment after the declaration (the simulator marks its files with it). */
  comment?: string;
}

const ROLE_NAMES = { active: 'Active', standby: 'Standby', member: 'Member', standalone: 'Active' } as const;

function sudi(udi: Udi) {
  return { udi_pid: udi.pid, udi_serial_number: udi.sn };
}

/**
 * 256 pseudo-random bytes in base64, like a real RSA-2048 signature value: deterministic from its inputs, and
 * as incompressible as the real thing, so generated archives have realistic sizes (ARCHITECTURE.md: 430 MB raw,
 * 116 MB compressed for 100,000 devices).
 */
export function fakeSignature(kind: string, udi: Udi, reportId: string): string {
  let seed = 0x811c9dc5;
  for (const ch of `${kind}|${udi.pid}|${udi.sn}|${reportId}`) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  let binary = '';
  for (let i = 0; i < 256; i++) {
    // mulberry32
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    binary += String.fromCharCode(((t ^ (t >>> 14)) >>> 0) & 0xff);
  }
  return btoa(binary);
}

function payloadOf(device: SimUsageDevice, r: SimReport, style: UsageFileStyle): Record<string, unknown> {
  const ha = device.ha && device.ha.length > 0 ? device.ha : [{ role: 'active' as const, udi: device.udi }];
  const measurement = {
    log_time: r.end,
    metric_name: 'ENTITLEMENT',
    start_time: r.start,
    end_time: r.end,
    sample_interval: 900,
    num_samples: Math.max(1, Math.round((r.end - r.start) / 900)),
    meta: { added_sudi_list: [], removed_sudi_list: [], termination_reason: 'CurrentUsageRequested' },
    value: { type: 'COUNT', value: String(r.count) },
  };
  const signature = { signing_type: 'builtin', key: device.softwareTag, value: fakeSignature('inner', device.udi, r.reportId) };
  const haUdi = ha.map((m) => ({ role: ROLE_NAMES[m.role], sudi: sudi(m.udi) }));
  // Report IDs are written as bare JSON numbers, digit for digit (they may exceed 2^53).
  const id = { __rawNumber: r.reportId };
  if (style.payload === 'legacy') {
    return {
      asset_identification: { asset: { name: device.softwareTag }, instance: { sudi: sudi(device.udi) } },
      signature,
      meta: { entitlement_tag: r.entitlementTag, report_id: id, utility_enabled: r.utility ?? false, software_version: device.softwareVersion, ha_udi: haUdi },
      measurements: [measurement],
    };
  }
  return {
    version: '2.0',
    asset_identification: {
      report_id: id,
      asset: { name: device.softwareTag },
      instance: style.payload === 'object' ? { sudi: sudi(device.udi), product_instance_identifier: '' } : { sudi: sudi(device.udi) },
    },
    signature,
    meta: { entitlement_tag: r.entitlementTag, utility_enabled: r.utility ?? false, software_version: device.softwareVersion, ha_udi: haUdi },
    measurements: [measurement],
  };
}

/** JSON.stringify that writes `{__rawNumber: "123"}` as the bare number 123. */
function stringify(value: unknown, indent?: number): string {
  const marker = '\u0000raw:';
  const text = JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && '__rawNumber' in v ? `${marker}${(v as { __rawNumber: string }).__rawNumber}` : v), indent);
  return text.replace(/"\\u0000raw:(\d+)"/g, '$1');
}

function escapeXml(text: string, quotes = true): string {
  const out = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quotes ? out.replace(/"/g, '&quot;') : out;
}

export function reportElement(device: SimUsageDevice, r: SimReport, style: UsageFileStyle = {}): string {
  const payload = payloadOf(device, r, style);
  const outer: Record<string, unknown> = {
    payload: style.payload === 'object' ? payload : stringify(payload),
    signature: { sudi: sudi(device.udi), signing_type: 'builtin', key: device.softwareTag, value: fakeSignature('outer', device.udi, r.reportId) },
  };
  if (style.header) outer.header = { type: 'rum' };
  const json = style.payload === 'object' ? stringify(outer, 2) : stringify(outer);
  return `<RUMReport>${style.escaped ? escapeXml(json) : `<![CDATA[${json}]]>`}</RUMReport>`;
}

export function systemInfoElement(device: SimUsageDevice): string {
  const members = device.ha && device.ha.length > 0 ? device.ha : [{ role: 'active' as const, udi: device.udi }];
  const data = {
    sudi: sudi(device.udi),
    timestamp: device.savedAt,
    nonce: String(1_000_000_000_000_000 + (device.savedAt % 8_999_999_999_999_999)),
    hostname: device.hostname,
    software_tag_identifier: device.softwareTag,
    device_list: members.map((m) => ({ sudi: sudi(m.udi), software_tag_identifier: device.softwareTag, hostname: device.hostname })),
  };
  // Devices write this JSON as plain text; escaping is a no-op for real hostnames and keeps hostile ones well-formed.
  return `<smartLicenseSystemInfo><data>${escapeXml(stringify(data), false)}</data></smartLicenseSystemInfo>`;
}

export function writeUsageFile(device: SimUsageDevice, style: UsageFileStyle = {}): string {
  const nl = style.crlf ? '\r\n' : '\n';
  const sep = style.pretty ? nl : '';
  const decl = '<?xml version="1.0" encoding="UTF-8"?>';
  const comment = style.comment ? `<!-- ${style.comment} -->${sep}` : '';
  if (style.bare) {
    const first = device.reports[0];
    if (!first) throw new Error('a bare <RUMReport> file needs one report');
    return `${decl}${sep}${comment}${reportElement(device, first, style)}${style.pretty ? nl : ''}`;
  }
  const parts = device.reports.map((r) => reportElement(device, r, style));
  if (style.extraXml) parts.push(style.extraXml);
  if (!style.noSystemInfo) parts.push(systemInfoElement(device));
  return `${decl}${sep}${comment}<smartLicense>${sep}${parts.join(sep)}${sep}</smartLicense>${style.pretty ? nl : ''}`;
}
