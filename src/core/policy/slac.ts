import type { UsageEntry } from '../analyse.ts';
import { type CliAuthorization, type CliLicense, emptyFacts } from '../formats/cli/types.ts';
import type { CliObservation } from '../model/device-facts.ts';
import { entitlementName, lookupEntitlement, shortNameOf } from '../model/entitlements.ts';
import type { ProductInstance } from '../model/fleet.ts';
import { udiKey } from '../model/udi.ts';
import { HOUR, day } from './deadlines.ts';

/**
 * Authorizations and trust (capability 7): which devices need an authorization code (SLAC) and whether one is on
 * record, which devices asked for a trust code and whether one came back, and device clocks that run ahead. Pure:
 * functions of a fleet record, the CLI observations and usage files the caller hands over, and "now"; nothing
 * here is stored. Each rule is a named function citing its source; every reason is one sentence.
 */

// ——— authorization codes (SLAC) ———

export type SlacRule = 'export-controlled-licence' | 'enforced-licence' | 'throughput-above-250';

/** One authorization the device needs, and whether one that covers it is on record. */
export interface SlacNeed {
  /** `hseck9 (DNA_HSEC)`, `MRP Client`, `Throughput above 250 Mbps`. */
  what: string;
  /** The authorization that covers it: `HSECK9` (also for throughput, seed 004 L927-929), `MRP Client`, … */
  authorization: string;
  rule: SlacRule;
  /** One sentence: why it is needed, from which facts, citing the seed. */
  reason: string;
  /** An authorization covering it is on record, newer than anything the device said against it. */
  covered: boolean;
  /** The `what` of the on-record item that covers it, or of the device's refusal when `covered` is false. */
  by: string | null;
}

export type SlacSource = 'ack' | 'cli-authorization' | 'cli-licence' | 'slr';

/** Something on record about an authorization: what, where from, when, and which authorization it is about. */
export interface SlacEvidence {
  what: string;
  source: SlacSource;
  /** The authorization it is about (`HSECK9`, `MRP Client`, …), or `any` when the record does not say. */
  covers: string;
  at: number;
  reason: string;
}

export type SlacStatus = 'none' | 'authorized' | 'not-on-record' | 'not-authorized';

export interface DeviceSlac {
  key: string;
  /**
   * `none`: nothing needs an authorization; `authorized`: every need has one on record; `not-on-record`: a need
   * has none on record (the device may still hold one: Cisco pre-installs some, seed 004 L214); `not-authorized`:
   * the device itself said so (`NOT AUTHORIZED`, `RESTRICTED - NOT ALLOWED`, `NOT INSTALLED`).
   */
  status: SlacStatus;
  needed: SlacNeed[];
  /** Authorizations on record (ACK codes, what the CLI printed), newest first. */
  onRecord: SlacEvidence[];
  /** What the device printed against an authorization (`NOT AUTHORIZED` …), newest first. */
  refused: SlacEvidence[];
  /** A need has no authorization on record (`status` is `not-on-record` or `not-authorized`). */
  missing: boolean;
  /** One sentence for the device. */
  reason: string;
  /** Facts that are missing for a rule (throughput not known) and other things the operator should know. */
  notes: string[];
}

export interface SlacOptions {
  /**
   * The device's throughput in Mbps, when the operator knows it: encrypted throughput for the physical routers of
   * seed 004 Table 5, encrypted and unencrypted combined for the Catalyst 8000V / CSR 1000v / ISRv (L242). The
   * fleet record has no throughput: without it the throughput rule says "not known" rather than guess.
   */
  throughputMbps?: number | null;
  /**
   * The device's CLI observations (`DeviceCliRecord.observations`): the fleet record keeps neither the
   * `show license authorization` block nor a licence's printed status, and both tell whether it is authorized.
   * Without them the record's `cliLicences` are read (see `recordObservation`).
   */
  cliObservations?: readonly CliObservation[] | null;
}

const HSECK9 = 'HSECK9';

/**
 * Which authorization a licence needs (seed 004 Table 4, L229-233), from its tag or name in any naming variant
 * (`hseck9`, `DNA_HSEC`, `ISR_4400_Hsec` L1015, `C9K_HSEC`; `MRP Client`, `MRP_Manager`), else from the enforcement
 * type the catalogue or the device gives (L202-212: enforced and export-controlled licences need one); null when
 * the licence needs none.
 */
export function authorizationFor(nameOrTag: string, printed: { enforcement?: string | null } = {}): { authorization: string; rule: SlacRule } | null {
  const known = lookupEntitlement(nameOrTag);
  const text = [nameOrTag, known?.license, known?.shortName, known?.description].filter(Boolean).join(' ');
  if (/hsec/i.test(text)) return { authorization: HSECK9, rule: 'export-controlled-licence' };
  if (/(^|[^a-z0-9])mrp([^a-z0-9]|$)/i.test(text)) {
    const authorization = /manager/i.test(text) ? 'MRP Manager' : /client/i.test(text) ? 'MRP Client' : 'MRP';
    return { authorization, rule: 'enforced-licence' };
  }
  const enforcement = (known?.enforcement ?? printed.enforcement ?? '').toUpperCase();
  if (/EXPORT/.test(enforcement)) return { authorization: entitlementName(nameOrTag), rule: 'export-controlled-licence' };
  if (/^ENFORCED/.test(enforcement)) return { authorization: entitlementName(nameOrTag), rule: 'enforced-licence' };
  return null;
}

/** `hseck9 (DNA_HSEC)` for a regid tag, the name as printed otherwise. */
function licenceLabel(name: string, tag: string | null): string {
  const full = tag ?? name;
  const short = shortNameOf(full) ?? (tag && tag !== name ? tag : null);
  const base = shortNameOf(name) ? entitlementName(name) : name;
  return short && short !== base ? `${base} (${short})` : base;
}

/** The routers of seed 004 Table 5 (L237-242): above 250 Mbps they need an HSECK9 authorization. */
const TABLE_5: Array<{ pid: RegExp; family: string; measure: 'encrypted' | 'combined'; line: string }> = [
  { pid: /^ISR4\d{3}/i, family: 'Cisco 4000 Series ISR', measure: 'encrypted', line: 'L240' },
  { pid: /^C1100TG/i, family: 'Cisco 1100 Terminal Services Gateway', measure: 'encrypted', line: 'L240' },
  { pid: /^(C11[0-6]\d|ISR1100)/i, family: 'Cisco 1000 Series ISR', measure: 'encrypted', line: 'L241' },
  { pid: /^C8[235]\d\d/i, family: 'Catalyst 8200/8300/8500 Edge', measure: 'encrypted', line: 'L241' },
  { pid: /^(C8000V|CSR1000V|ISRV)/i, family: 'Catalyst 8000V (also CSR 1000v, ISRv)', measure: 'combined', line: 'L242' },
];

export function table5Family(pid: string): (typeof TABLE_5)[number] | null {
  return TABLE_5.find((r) => r.pid.test(pid.trim())) ?? null;
}

interface LicenceSeen {
  label: string;
  authorization: string;
  rule: SlacRule;
  where: string[];
}

/** Seed 004 Table 4 (L229-233), L202-212: a licence in use that is export-controlled or enforced needs an authorization code. */
function licenceRule(d: ProductInstance, cli: CliObservation | null): LicenceSeen[] {
  const byAuth = new Map<string, LicenceSeen>();
  const add = (name: string, tag: string | null, where: string, enforcement: string | null) => {
    const a = authorizationFor(tag ?? name, { enforcement }) ?? (tag ? authorizationFor(name, { enforcement }) : null);
    if (!a) return;
    const seen = byAuth.get(a.authorization);
    if (seen) {
      if (!seen.where.includes(where)) seen.where.push(where);
    } else byAuth.set(a.authorization, { label: licenceLabel(name, tag), authorization: a.authorization, rule: a.rule, where: [where] });
  };
  for (const l of d.licenses) {
    // The latest report of the tag counts; 0 means it is no longer in use (a SLAC can then be returned, L227).
    if (l.count === 0) continue;
    add(l.entitlementTag, l.entitlementTag, `in use per its usage reports${l.asOf !== null ? ` (as of ${day(l.asOf)})` : ''}`, null);
  }
  if (cli) {
    // The printed status is exact: `NOT AUTHORIZED` = configured, waiting for its SLAC (seed 003 L4786).
    for (const l of cli.facts.licenses) {
      const s = l.status ?? '';
      if (/NOT AUTHORIZED/.test(s)) add(l.name, l.tag, `printed NOT AUTHORIZED by the device (${day(cli.source.at)})`, l.enforcement);
      else if (/IN USE/.test(s) && !/NOT IN USE/.test(s)) add(l.name, l.tag, `printed IN USE by the device (${day(cli.source.at)})`, l.enforcement);
    }
  } else if (d.cliLicences) {
    for (const l of d.cliLicences.value) {
      // The record keeps `inUse`, not the status: a count above 0 that is not IN USE can only be NOT AUTHORIZED
      // (statuses IN USE / NOT IN USE / NOT AUTHORIZED, and a licence not in use counts 0: seed 003 L4752, L4912).
      if (l.inUse) add(l.name, l.tag, `in use per its show license output (${day(d.cliLicences.at)})`, l.enforcement);
      else if ((l.count ?? 0) > 0) add(l.name, l.tag, `configured but not in use per its show license output (${day(d.cliLicences.at)}), which only NOT AUTHORIZED explains`, l.enforcement);
    }
  }
  return [...byAuth.values()];
}

/** Seed 004 L235-242 (Table 5): throughput above 250 Mbps on these routers needs an HSECK9 authorization (L927-929). */
function throughputRule(d: ProductInstance, mbps: number | null | undefined, notes: string[]): SlacNeed | null {
  const row = table5Family(d.udi.pid);
  if (!row) {
    if (mbps != null && mbps > 250) notes.push(`${d.udi.pid} is not a router of seed 004 Table 5 (L237-242): no throughput rule applies to its ${mbps} Mbps`);
    return null;
  }
  const kind = row.measure === 'combined' ? 'encrypted and unencrypted throughput combined' : 'encrypted throughput';
  if (mbps == null) {
    notes.push(`throughput not known: a ${row.family} needs an HSECK9 authorization when its ${kind} is above 250 Mbps (seed 004 Table 5, ${row.line})`);
    return null;
  }
  if (mbps <= 250) return null;
  return {
    what: 'Throughput above 250 Mbps',
    authorization: HSECK9,
    rule: 'throughput-above-250',
    reason: `${row.family} at ${mbps} Mbps: ${kind} above 250 Mbps needs an authorization code, an HSECK9 SLAC (seed 004 L235, Table 5 ${row.line})`,
    covered: false,
    by: null,
  };
}

/** The authorization the CLI printed for this device: its own UDI's, or the only one printed. */
function ownAuthorization(list: readonly CliAuthorization[], key: string): CliAuthorization | null {
  return list.find((a) => a.udi && udiKey(a.udi) === key) ?? (list.length === 1 && !list[0]!.udi ? list[0]! : null);
}

const installed = (s: string | null | undefined) => !!s && /INSTALLED/.test(s) && !/NOT INSTALLED/.test(s);
const allowed = (s: string | null | undefined) => !!s && /ALLOWED/.test(s) && !/NOT ALLOWED/.test(s);

/** What one CLI observation says for and against the device's authorizations. */
function cliEvidence(o: CliObservation, key: string, grants: SlacEvidence[], refusals: SlacEvidence[]): void {
  const at = o.source.at;
  const when = day(at);
  const licenceAuth = (l: CliLicense) => authorizationFor(l.tag ?? l.name, l)?.authorization ?? null;
  const reserved = new Set<string>();
  for (const l of o.facts.licenses) {
    const auth = licenceAuth(l);
    if (!auth) continue;
    const label = licenceLabel(l.name, l.tag);
    const terms = (l.reservation?.terms ?? []).filter((t) => !t.udi || udiKey(t.udi) === key);
    const slr = installed(l.reservation?.status) && /SPECIFIC/.test(l.reservation!.status!) ? l.reservation!.status : terms.find((t) => installed(t.authorizationType) && /SPECIFIC/.test(t.authorizationType!))?.authorizationType;
    const slac = terms.find((t) => installed(t.authorizationType) && !/SPECIFIC/.test(t.authorizationType!))?.authorizationType;
    if (slr) {
      reserved.add(auth);
      // L240, L939: an SLR authorization code including an HSECK9 licence is honoured; SLR codes survive the upgrade (L246-248).
      grants.push({ what: `SLR authorization code for ${label}`, source: 'slr', covers: auth, at, reason: `The device printed ${slr} for ${label} on ${when}: an SLR authorization code is honoured under Smart Licensing Using Policy (seed 004 L240, L246-248)` });
    }
    if (slac) grants.push({ what: `SLAC for ${label}`, source: 'cli-licence', covers: auth, at, reason: `The device printed "Authorization type: ${slac}" for ${label} on ${when}` });
    const s = l.status ?? '';
    if (/NOT AUTHORIZED/.test(s)) {
      refusals.push({ what: `${label} NOT AUTHORIZED`, source: 'cli-licence', covers: auth, at, reason: `The device printed ${label} as NOT AUTHORIZED on ${when}: it needs its SLAC installed before use (seed 003 L4786)` });
    } else if (/NOT ALLOWED/.test(`${l.exportStatus ?? ''} ${l.enforcement ?? ''}`)) {
      refusals.push({ what: `${label} RESTRICTED - NOT ALLOWED`, source: 'cli-licence', covers: auth, at, reason: `The device printed ${label} as export-restricted and not allowed on ${when} (seed 003 L4915, L4921)` });
    } else if (allowed(l.exportStatus) || allowed(l.enforcement)) {
      grants.push({ what: `${label} RESTRICTED - ALLOWED`, source: 'cli-licence', covers: auth, at, reason: `The device printed ${label} as export-restricted and allowed on ${when}, so its authorization is installed (seed 003 L4915, L4921)` });
    } else if (/IN USE/.test(s) && !/NOT IN USE/.test(s)) {
      grants.push({ what: `${label} IN USE`, source: 'cli-licence', covers: auth, at, reason: `The device printed ${label} as IN USE on ${when}; a licence that needs a SLAC prints NOT AUTHORIZED until it has one (seed 003 L4786)` });
    }
  }
  const a = ownAuthorization(o.facts.authorizations, key);
  if (!a?.status) return;
  if (installed(a.status)) {
    if (/SPECIFIC/.test(a.status)) {
      // An SLR code covers the licences it reserves (the detail names them when the block lists no licence).
      const covers = [...reserved];
      if (!covers.length && a.detail && /hsec/i.test(a.detail)) covers.push(HSECK9);
      for (const c of covers) grants.push({ what: `SLR authorization code (${a.status})`, source: 'slr', covers: c, at, reason: `The device printed "Status: ${a.status}" on ${when} with ${c} reserved: an SLR authorization code is honoured (seed 004 L240, L246-248)` });
    } else {
      grants.push({ what: `authorization ${a.status}`, source: 'cli-authorization', covers: 'any', at, reason: `The device printed "Status: ${a.status}" under its license authorizations on ${when}` });
    }
  } else if (/NOT INSTALLED/.test(a.status)) {
    refusals.push({ what: 'authorization NOT INSTALLED', source: 'cli-authorization', covers: 'any', at, reason: `The device printed "Status: NOT INSTALLED" under its license authorizations on ${when}` });
  }
}

/** Seed 004 L305: an ACK may carry authorization codes; they are opaque, so which licence each is for is not known. */
function ackEvidence(d: ProductInstance): SlacEvidence | null {
  const codes = d.fromAck?.value.authorizationCodes ?? [];
  if (!codes.length) return null;
  const at = d.fromAck!.at;
  const n = codes.length;
  return {
    what: `${n} authorization code${n === 1 ? '' : 's'} in the ACK of ${day(at)}`,
    source: 'ack',
    covers: 'any',
    at,
    reason: `CSSM returned ${n} authorization code${n === 1 ? '' : 's'} in the ACK of ${day(at)} (seed 004 L305); the workbench cannot tell which licence ${n === 1 ? 'it is' : 'they are'} for`,
  };
}

/**
 * The fleet record's licence lines as one CLI observation, when they keep the printed `status` and
 * `exportStatus` (records written before they were kept have only `inUse`): the fleet-wide check then reads them
 * exactly, without every device's observations. Null when the lines carry no status.
 */
function recordObservation(d: ProductInstance): CliObservation | null {
  const fact = d.cliLicences;
  const lines = fact?.value ?? [];
  if (!fact || !lines.some((l) => l.status)) return null;
  const licenses: CliLicense[] = lines.map((l) => ({
    name: l.name,
    tag: l.tag,
    description: null,
    count: l.count,
    version: null,
    status: l.status ?? null,
    exportStatus: l.exportStatus ?? null,
    featureName: null,
    featureDescription: null,
    enforcement: l.enforcement,
    licenseType: l.licenseType,
    truncated: false,
  }));
  return { source: { file: fact.file, fileName: '', command: 'usage', line: null, at: fact.at, atFromDevice: true }, facts: { ...emptyFacts(), udi: d.udi, licenses } };
}

const newestFirst = (a: SlacEvidence, b: SlacEvidence) => b.at - a.at;
const about = (e: SlacEvidence, auth: string) => e.covers === 'any' || e.covers === auth;

/** Which authorizations (SLAC) the device needs and whether each is on record. */
export function slacNeeds(device: ProductInstance, opts: SlacOptions = {}): DeviceSlac {
  const notes: string[] = [];
  const key = device.key;
  const result = (status: SlacStatus, needed: SlacNeed[], onRecord: SlacEvidence[], refused: SlacEvidence[], reason: string): DeviceSlac => ({
    key,
    status,
    needed,
    onRecord,
    refused,
    missing: status === 'not-on-record' || status === 'not-authorized',
    reason,
    notes,
  });
  if (device.ha?.value.role === 'member') {
    // Seed 004 L847: in a device stack only the active needs an authorization code.
    return result('none', [], [], [], `Stack member: only the active of a device stack needs an authorization code (seed 004 L847)`);
  }

  const fromRecord = opts.cliObservations ? null : recordObservation(device);
  const observations = [...(opts.cliObservations ?? (fromRecord ? [fromRecord] : []))].sort((a, b) => b.source.at - a.source.at);
  // The newest output that printed licence statuses (`show license authorization` lists licences without one).
  const newestLicences = observations.find((o) => o.facts.licenses.some((l) => l.status)) ?? null;
  const needed: SlacNeed[] = licenceRule(device, newestLicences).map((l) => ({
    what: l.label,
    authorization: l.authorization,
    rule: l.rule,
    reason: `${l.label} is ${l.where.join(' and ')}; ${l.rule === 'export-controlled-licence' ? 'an export-controlled' : 'an enforced'} licence needs an authorization code (seed 004 Table 4, L229-233)`,
    covered: false,
    by: null,
  }));
  const t = throughputRule(device, opts.throughputMbps, notes);
  if (t) needed.push(t);

  const onRecord: SlacEvidence[] = [];
  const refused: SlacEvidence[] = [];
  const ack = ackEvidence(device);
  if (ack) onRecord.push(ack);
  for (const o of observations) cliEvidence(o, key, onRecord, refused);
  onRecord.sort(newestFirst);
  refused.sort(newestFirst);

  if (!needed.length) {
    const why = notes.length ? `; ${notes[0]}` : '';
    return result('none', [], onRecord, refused, `No licence in use needs an authorization code (HSECK9, MRP Client/Manager: seed 004 Table 4, L229-233)${why}`);
  }
  for (const n of needed) {
    // Newest statement wins: a grant at least as new as the device's refusal covers the need (an ACK after a
    // `NOT AUTHORIZED` brought the code; the device printing `NOT AUTHORIZED` after an ACK did not install it).
    const grant = onRecord.find((e) => about(e, n.authorization));
    const refusal = refused.find((e) => about(e, n.authorization));
    if (grant && (!refusal || grant.at >= refusal.at)) {
      n.covered = true;
      n.by = grant.what;
    } else if (refusal) n.by = refusal.what;
  }
  const open = needed.filter((n) => !n.covered);
  if (!open.length) {
    const pending = needed.some((n) => onRecord.find((e) => e.what === n.by)?.source === 'ack' && refused.some((r) => about(r, n.authorization)));
    return result(
      'authorized',
      needed,
      onRecord,
      refused,
      `Needs ${list([...new Set(needed.map((n) => n.authorization))])}; on record: ${list([...new Set(needed.map((n) => n.by!))])}${pending ? ' — the device last said it was not authorized: install that ACK' : ''}`,
    );
  }
  // One phrase per authorization: an HSECK9 licence and the throughput rule ask for the same code.
  const phrases = new Map<string, string>();
  for (const n of open) {
    if (!phrases.has(n.authorization)) phrases.set(n.authorization, n.rule === 'throughput-above-250' ? 'an HSECK9 authorization for its throughput above 250 Mbps' : `an authorization for ${n.what}`);
  }
  const what = list([...phrases.values()]);
  const denied = open.find((n) => n.by !== null);
  if (denied) {
    return result('not-authorized', needed, onRecord, refused, `Needs ${what}, and the device says it has none (${denied.by}): request a SLAC and install it (seed 004 L223-227)`);
  }
  return result('not-on-record', needed, onRecord, refused, `Needs ${what}, and none is on record: request a SLAC, or paste "show license authorization" if the device already has one (seed 004 L214, L223-227)`);
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The devices that need an authorization code without one on record (`optsFor` gives each its throughput, CLI observations). */
export function fleetSlacFlags(devices: Iterable<ProductInstance>, optsFor?: (d: ProductInstance) => SlacOptions | undefined): DeviceSlac[] {
  const out: DeviceSlac[] = [];
  for (const d of devices) {
    const s = slacNeeds(d, optsFor?.(d));
    if (s.missing) out.push(s);
  }
  return out;
}

// ——— trust codes ———

/** A trust-code request seen in a usage file. */
export interface TrustCodeRequest {
  /** The device it is for (udiKey). */
  key: string;
  /** The device that wrote the file: itself, or the active of its HA set. */
  requestedBy: string;
  /** The element's name as found (its format is not public; the simulator writes `smartLicenseTrustCodeRequest`). */
  element: string;
  /** When the device wrote the file (system-info timestamp, else its latest report's end), ms. */
  at: number | null;
  /** The entry path inside nested archives. */
  path: string[];
}

/**
 * Seed 002 L596, seed 004 L398-400, L656: from 17.7.1a `license smart save usage` adds a trust-code request when the
 * device has no trust code; in an HA set the active asks for every member that has none. The request's format is
 * not public (FORMATS.md), so it is a child of `<smartLicense>` this parser does not know whose name says "trust".
 * Which members it covers cannot be read: every UDI of the file's HA set gets the request (the active's own, the
 * others with `requestedBy`), and a member whose CLI shows a trust code installed reads as installed anyway.
 */
export function trustCodeRequests(entries: readonly UsageEntry[]): Map<string, TrustCodeRequest> {
  const out = new Map<string, TrustCodeRequest>();
  for (const { path, usage } of entries) {
    const element = usage.unknownElements.find((e) => /trust/i.test(e.name));
    if (!element) continue;
    const writer = usage.systemInfo?.udi ?? usage.devices.find((o) => o.role === 'active' || o.role === 'standalone')?.udi ?? usage.devices[0]?.udi ?? null;
    if (!writer) continue;
    const by = udiKey(writer);
    const at = usage.systemInfo?.timestamp ?? usage.devices.find((o) => udiKey(o.udi) === by)?.observedAt ?? null;
    const keys = new Set([by, ...usage.devices.map((o) => udiKey(o.udi)), ...(usage.systemInfo?.devices ?? []).map((o) => udiKey(o.udi))]);
    for (const key of keys) {
      const old = out.get(key);
      if (old && (old.at ?? -Infinity) >= (at ?? -Infinity)) continue;
      out.set(key, { key, requestedBy: by, element: element.name, at, path });
    }
  }
  return out;
}

export type TrustState = 'installed' | 'returned' | 'requested' | 'missing' | 'unknown';

export interface TrustStatus {
  key: string;
  state: TrustState;
  /** One sentence. */
  sentence: string;
}

/**
 * Where the device's trust code stands (seed 004 L326-353): installed per its CLI (`Trust Code Installed:`, L353),
 * returned by CSSM in an ACK (L305), asked for in a usage file (`request`, from `trustCodeRequests`), or none.
 * The newest fact wins: an ACK newer than the request answers it; a CLI "installed" is final.
 */
export function trustCodeStatus(device: ProductInstance, request?: { at: number | null } | null): TrustStatus {
  const key = device.key;
  const cli = device.trustCode ?? null;
  const ack = device.fromAck?.value.trustCode ? device.fromAck : null;
  const reqAt = request ? (request.at ?? 0) : null;
  const r = (state: TrustState, sentence: string): TrustStatus => ({ key, state, sentence });
  if (cli?.value) {
    return r('installed', `Trust code installed (the device said so on ${day(cli.at)}, show license status, seed 004 L353)`);
  }
  if (ack && (reqAt === null || ack.at >= reqAt)) {
    const after = cli && cli.at > ack.at ? `, but the device still showed none on ${day(cli.at)}` : '';
    return r('returned', `CSSM returned a trust code in the ACK of ${day(ack.at)}${after}: install that ACK on the device and check "Trust Code Installed" (seed 004 L305, L353)`);
  }
  if (request) {
    const when = request.at !== null ? ` of ${day(request.at)}` : '';
    return r('requested', `The device asked for a trust code in its usage file${when} and no ACK has returned one yet: upload the file to CSSM and install the ACK (seed 002 L596)`);
  }
  if (cli) {
    return r('missing', `No trust code installed (the device said so on ${day(cli.at)}) and no request seen: from 17.7.1a "license smart save usage" adds one to the usage file (seed 002 L596)`);
  }
  return r('unknown', 'Whether a trust code is installed is not known: paste "show license status"');
}

// ——— clocks ———


/**
 * A device file dated more than an hour after the operator's clock at import: a file cannot be written in the
 * future, so the device's clock is ahead by at least that much. A file dated *before* the import says nothing:
 * a device clock running behind cannot be told apart from a file saved some time ago, so no warning is given.
 * A trust code (or policy) fails to install when the device's time is not synchronized with CSSM (seed 003
 * L6143-6150, L5878-5883; remedy NTP, L6162). The one-hour margin is the product's (PRODUCT.md capability 7): the
 * seeds name no tolerance. Returns null when there is nothing to warn about.
 */
export function clockSkew(fileTimestampMs: number | null | undefined, operatorNowMs: number): string | null {
  if (fileTimestampMs == null || !Number.isFinite(fileTimestampMs) || !Number.isFinite(operatorNowMs)) return null;
  const ahead = fileTimestampMs - operatorNowMs;
  if (ahead <= HOUR) return null;
  const minutes = Math.floor(ahead / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const amount = `${h} h${m ? ` ${m} min` : ''}`;
  return `The device's clock is at least ${amount} ahead (its file is dated ${iso(fileTimestampMs)}, imported at ${iso(operatorNowMs)}): trust-code and policy installs fail when the device's time is not synchronized with CSSM — set its clock or NTP first (seed 003 L6150, L6162)`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
