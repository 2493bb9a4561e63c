import type { ProductInstance } from '../model/fleet.ts';
import { ackAlert, syncRule, type ControllerState } from '../policy/controller.ts';
import { DAY, day } from '../policy/deadlines.ts';
import { plural } from '../words.ts';
import type { Assignment } from './assignments.ts';
import { endOf, entitlementRows, NO_ACCOUNT, type StoredSummary } from '../entitlements/summary.ts';

/**
 * SD-WAN Manager's "Out of Compliance Due to Licensing" banner (seed 000 L180-190) and each device's compliance
 * status (L194, L702), as the workbench computes them in offline mode (issue 7). Pure: a function of the summary,
 * the fleet, the assignments and "now"; nothing it says is stored. The 90-day sync and the 48-hour ACK alert are
 * controller.ts's rules, reused here.
 *
 * Decisions where the seed is vague:
 * - Last synchronisation: the latest of `lastSync` (the caller's: when the last licence summary was imported), the
 *   summary's own `importedAt`, and the import of the last usage report's ACK. Either direction of the offline
 *   exchange (summary in, L95-96; report out and ACK in, L102-105) is a synchronisation with CSSM (L92, L110).
 * - Managed devices (those that must have a licence, L187, L251): by default the SD-WAN routers by PID — ISR 1000,
 *   ISR 4000, ASR 1000, Catalyst 8000 and 8000V — and vEdge (L67). `managed` overrides it, e.g. to leave out a
 *   device "not currently intended for use" (L257).
 * - A device is licensed by a DNA licence (role base, other or tenant); an HSEC licence alone does not license it
 *   (L273: HSEC is in addition to the device licence).
 * - Expired postpaid: an active postpaid assignment whose subscription (in the summary, the assignment's Virtual
 *   Account and tag first, else any licence carrying that subscription ID) ended before now, or whose line says
 *   EXPIRED.
 * - Over-assignment: per Virtual Account and tag, the prepaid assignments' counts against what the summary entitles
 *   (`entitlementRows`' `entitled`; a licence missing from the summary entitles nothing — the reconciliation of
 *   default entitlements, L100). The devices over are the latest assigned beyond the entitled number.
 */

export type ComplianceCause = 'not-synced-90-days' | 'devices-without-licence' | 'expired-postpaid' | 'over-assigned' | 'usage-report-unacknowledged';

export type DeviceComplianceStatus = 'compliant' | 'unlicensed' | 'expired' | 'over-assigned';

export interface ComplianceInput {
  summary: StoredSummary | null;
  devices: readonly ProductInstance[];
  /** The workspace's assignments; released ones are ignored. */
  assignments: readonly Assignment[];
  /** When the controller last synchronised with CSSM: when the last licence summary was imported (ms), or null. */
  lastSync: number | null;
  lastUsageReport: { generatedAt: number; acknowledgedAt: number | null } | null;
  now: number;
  /** Which devices must have a licence (default: `sdwanManaged`). */
  managed?: (d: ProductInstance) => boolean;
}

export interface ComplianceResult {
  compliant: boolean;
  causes: Array<{ cause: ComplianceCause; message: string; devices: string[] }>;
  /** Managed devices and devices holding an assignment; others have no compliance status (L194). */
  perDevice: Map<string, { status: DeviceComplianceStatus; reason: string }>;
}

/** SD-WAN-capable routers by PID: ISR 1000, ISR 4000, ASR 1000, Catalyst 8200/8300/8500, Catalyst 8000V; vEdge (L67). */
const SDWAN_PIDS = /^(C11\d\d|ISR11\d\d|ISR1K|ISR4\d{3}|ASR10\d\d|C8[2-5]\d\d|C8000V|VEDGE)/i;

/** The default of `managed`: a device SD-WAN Manager licenses, by its PID. */
export function sdwanManaged(d: ProductInstance): boolean {
  return SDWAN_PIDS.test(d.udi.pid.trim());
}

const licenses = (a: Assignment) => a.role !== 'hsec';

interface Found {
  message: string;
  devices: string[];
}

/** L110, L186: synchronised with CSSM within the last 90 days (controller.ts `syncRule`). */
function syncCause(input: ComplianceInput, account: string): Found | null {
  const times = [input.lastSync, input.summary?.importedAt ?? null, input.lastUsageReport?.acknowledgedAt ?? null].filter((t): t is number => t !== null);
  const last = times.length ? Math.max(...times) : null;
  const state: ControllerState = { smartAccount: account, lastSyncAt: last, prepaid: false, postpaid: false, lastReportGeneratedAt: null, lastReportAckedAt: null };
  const rule = syncRule(state);
  if (typeof rule === 'string') return { message: `${rule}: import a licence summary from CSSM (seed 000 L110, L186).`, devices: [] };
  if (input.now <= rule.dueAt) return null;
  const days = Math.floor((input.now - last!) / DAY);
  return { message: `Smart Account ${account} was last synchronised with CSSM on ${day(last!)}, ${days} days ago: offline mode requires a synchronisation at least every 90 days (seed 000 L110, L186).`, devices: [] };
}

/** L187, L251: every managed device has a licence assigned. */
function unlicensedCause(managed: readonly ProductInstance[], licensed: ReadonlySet<string>): Found | null {
  const without = managed.filter((d) => !licensed.has(d.key)).map((d) => d.key);
  if (!without.length) return null;
  return { message: `${without.length} of the ${plural(managed.length, 'device')} SD-WAN Manager licenses ${without.length === 1 ? 'has' : 'have'} no licence assigned (seed 000 L187, L251).`, devices: without };
}

/** Each subscription ID's end in the summary: by Virtual Account and tag, and anywhere. */
function subscriptionEnds(summary: StoredSummary): { at: (a: Assignment) => { end: number | null; expired: boolean } | null } {
  const byLine = new Map<string, { end: number | null; expired: boolean }>();
  const anywhere = new Map<string, { end: number | null; expired: boolean }>();
  const put = (m: Map<string, { end: number | null; expired: boolean }>, k: string, end: number | null, expired: boolean) => {
    const was = m.get(k);
    // The latest end wins (a renewed subscription), and a line still active wins over an expired one.
    if (!was) m.set(k, { end, expired });
    else m.set(k, { end: was.end === null || end === null ? null : Math.max(was.end, end), expired: was.expired && expired });
  };
  for (const l of summary.licenses) {
    const lines = l.details.length ? l.details : [{ billing: l.billing, subscriptionId: l.subscriptionId, endDate: l.endDate, status: l.status }];
    for (const d of lines) {
      if (!d.subscriptionId || d.billing?.toUpperCase() !== 'POSTPAID') continue;
      const end = endOf(d.endDate);
      const expired = /EXPIRED/i.test(d.status ?? '');
      put(byLine, `${l.virtualAccount ?? ''}\u0000${(l.tag ?? l.displayName ?? '').toLowerCase()}\u0000${d.subscriptionId}`, end, expired);
      put(anywhere, d.subscriptionId, end, expired);
    }
  }
  return {
    at: (a) => (a.subscriptionId ? (byLine.get(`${a.virtualAccount}\u0000${a.tag.toLowerCase()}\u0000${a.subscriptionId}`) ?? anywhere.get(a.subscriptionId) ?? null) : null),
  };
}

/** L188: a device with an expired licence for a postpaid subscription. */
function expiredCause(active: readonly Assignment[], summary: StoredSummary | null, now: number, why: Map<string, string>): Found | null {
  if (!summary) return null;
  const ends = subscriptionEnds(summary);
  const subs = new Set<string>();
  for (const a of active) {
    if (a.billing !== 'postpaid') continue;
    const s = ends.at(a);
    if (!s) continue;
    const ended = s.end !== null && s.end < now;
    if (!ended && !s.expired) continue;
    subs.add(a.subscriptionId!);
    if (!why.has(a.deviceKey)) why.set(a.deviceKey, `${a.name}: postpaid subscription ${a.subscriptionId} ${ended ? `ended on ${day(s.end!)}` : 'is EXPIRED in the licence summary'} (seed 000 L188)`);
  }
  if (!why.size) return null;
  return {
    message: `${plural(why.size, 'device has', 'devices have')} a licence from an expired postpaid subscription (${[...subs].join(', ')}) (seed 000 L188).`,
    devices: [...why.keys()],
  };
}

/** L593 ("how many license instances are available"): prepaid assignments above what the summary entitles. */
function overCause(active: readonly Assignment[], summary: StoredSummary | null, now: number, why: Map<string, string>): Found | null {
  if (!summary) return null;
  const entitled = new Map<string, { name: string; entitled: number }>();
  for (const r of entitlementRows(summary, [], now)) {
    if (r.billing === 'postpaid' || r.billing === 'unknown') continue;
    const k = `${r.virtualAccount}\u0000${(r.tag ?? r.name).toLowerCase()}`;
    const was = entitled.get(k);
    entitled.set(k, { name: r.name, entitled: (was?.entitled ?? 0) + (r.entitled ?? 0) });
  }
  const pools = new Map<string, Assignment[]>();
  for (const a of active) {
    if (a.billing !== 'prepaid') continue;
    const k = `${a.virtualAccount}\u0000${a.tag.toLowerCase()}`;
    const list = pools.get(k);
    if (list) list.push(a);
    else pools.set(k, [a]);
  }
  const lines: string[] = [];
  for (const [k, list] of pools) {
    const e = entitled.get(k);
    const have = e?.entitled ?? 0;
    const used = list.reduce((n, a) => n + a.count, 0);
    if (used <= have) continue;
    const first = list[0]!;
    lines.push(`${e?.name ?? first.name} in ${first.virtualAccount}: ${used} assigned, ${e ? `${have} entitled` : 'not in the summary'}`);
    // The latest assigned are the ones over.
    const sorted = [...list].sort((a, b) => a.assignedAt - b.assignedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let n = 0;
    for (const a of sorted) {
      n += a.count;
      if (n > have && !why.has(a.deviceKey)) why.set(a.deviceKey, `${a.name} in ${a.virtualAccount}: ${used} assigned for ${have} entitled, and this device's is beyond them (seed 000 L593)`);
    }
  }
  if (!lines.length) return null;
  return { message: `${plural(lines.length, 'licence is', 'licences are')} assigned beyond what the summary makes available — ${lines.join('; ')} (seed 000 L593).`, devices: [...why.keys()] };
}

/** L798: a usage report generated more than 48 hours ago without its ACK (controller.ts `ackAlert`). */
function ackCause(input: ComplianceInput, account: string): Found | null {
  const r = input.lastUsageReport;
  if (!r) return null;
  const alert = ackAlert({ smartAccount: account, lastSyncAt: null, prepaid: false, postpaid: false, lastReportGeneratedAt: r.generatedAt, lastReportAckedAt: r.acknowledgedAt }, input.now);
  return alert ? { message: `${alert} (seed 000 L798).`, devices: [] } : null;
}

/** The compliance banner's causes and each device's status. */
export function compliance(input: ComplianceInput): ComplianceResult {
  const isManaged = input.managed ?? sdwanManaged;
  const account = input.summary?.smartAccount ?? NO_ACCOUNT;
  const active = input.assignments.filter((a) => a.releasedAt === null);
  const licensed = new Set(active.filter(licenses).map((a) => a.deviceKey));
  const names = new Map<string, string[]>();
  for (const a of active) {
    const list = names.get(a.deviceKey);
    if (list) list.push(a.name);
    else names.set(a.deviceKey, [a.name]);
  }
  const managed = input.devices.filter(isManaged);

  const expiredWhy = new Map<string, string>();
  const overWhy = new Map<string, string>();
  const found: Array<[ComplianceCause, Found | null]> = [
    ['not-synced-90-days', syncCause(input, account)],
    ['devices-without-licence', unlicensedCause(managed, licensed)],
    ['expired-postpaid', expiredCause(active, input.summary, input.now, expiredWhy)],
    ['over-assigned', overCause(active, input.summary, input.now, overWhy)],
    ['usage-report-unacknowledged', ackCause(input, account)],
  ];
  const causes = found.filter((f): f is [ComplianceCause, Found] => f[1] !== null).map(([cause, f]) => ({ cause, message: f.message, devices: f.devices }));

  const perDevice: ComplianceResult['perDevice'] = new Map();
  for (const d of input.devices) {
    const isM = isManaged(d);
    if (!isM && !names.has(d.key)) continue;
    const expired = expiredWhy.get(d.key);
    const over = overWhy.get(d.key);
    if (expired) perDevice.set(d.key, { status: 'expired', reason: expired });
    else if (over) perDevice.set(d.key, { status: 'over-assigned', reason: over });
    else if (isM && !licensed.has(d.key)) {
      const hsecOnly = names.has(d.key);
      perDevice.set(d.key, {
        status: 'unlicensed',
        reason: hsecOnly ? 'Only an HSEC licence is assigned: HSEC is in addition to the device licence, such as DNA Advantage (seed 000 L273, L187)' : 'No licence assigned (seed 000 L187, L251)',
      });
    } else {
      perDevice.set(d.key, { status: 'compliant', reason: `Licensed: ${names.get(d.key)!.join(', ')}` });
    }
  }
  return { compliant: causes.length === 0, causes, perDevice };
}
