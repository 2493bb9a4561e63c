import { entitlementName } from '../model/entitlements.ts';
import type { ProductInstance } from '../model/fleet.ts';
import type { LicenceClass, Policy } from '../model/policy.ts';
import { CISCO_DEFAULT_POLICY } from './cisco-default.ts';
import { CLASS_NAMES, classOf } from './classes.ts';

/**
 * The deadline engine (capability 5): which devices must be reported or acknowledged by when, and why. Pure:
 * a function of the facts of one fleet record, the policy that applies and "now"; nothing it says is stored.
 * Each rule is a named function citing the rule's source. Dates a device printed itself win over computed ones
 * when they are at least as new as the facts the computation used; computed dates say "estimate".
 */

export type DeadlineKind = 'report' | 'ack' | 'sync';
export type RuleName =
  | 'first-report'
  | 'reporting-frequency'
  | 'report-on-change'
  | 'utility-30-days'
  | 'c9800cl-first-ack'
  | 'device-next-ack-deadline'
  | 'device-reporting-required'
  | 'device-ack-countdown'
  | 'controller-sync'
  | 'controller-usage-report';

export interface Deadline {
  kind: DeadlineKind;
  dueAt: number;
  rule: RuleName;
  source: 'device' | 'computed';
  /** One sentence: what is due, why, by which rule and from which facts. */
  reason: string;
  cls: LicenceClass | null;
  /** A newer date the device printed makes this computed one moot (kept, to show the derivation). */
  superseded: boolean;
}

export type DeadlineStatus = 'overdue' | 'due7' | 'due30' | 'due90' | 'later' | 'none' | 'unknown';

export const STATUS_LABELS: Record<DeadlineStatus, string> = {
  overdue: 'Overdue',
  due7: 'Due within 7 days',
  due30: 'Due within 30 days',
  due90: 'Due within 90 days',
  later: 'Fine',
  none: 'No requirement',
  unknown: 'Not enough facts',
};

export interface PolicyInUse {
  policy: Policy;
  /** Where the policy comes from: what the device printed, its Virtual Account's, or the Cisco default. */
  source: 'device' | 'virtual-account' | 'default';
  learned: string;
}

export interface DeviceDeadlines {
  key: string;
  status: DeadlineStatus;
  next: Deadline | null;
  deadlines: Deadline[];
  /** Why nothing is due (never consumed, reported by the active…) or which facts are missing. */
  note: string | null;
  /** Licences whose class is a cautious guess, and other things the operator should know. */
  flags: string[];
  policy: PolicyInUse;
}

export interface DeadlineContext {
  now: number;
  /** A Virtual Account's policy, when one was learned (a custom policy seen on its devices, or from an ACK). */
  vaPolicy?: (virtualAccount: string) => PolicyInUse | null;
  /**
   * Whether the Virtual Account's hardware and software were bought through a distributor or partner: the
   * 365-day first report of unenforced perpetual licences applies only then (seed 004 L295). Default: yes.
   */
  distributorPurchase?: (virtualAccount: string | null) => boolean;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** `3 Mar 2026`, in UTC: reasons must read the same wherever they are shown. */
export function day(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

interface Line {
  name: string;
  cls: LicenceClass;
  known: boolean;
  firstUse: number | null;
  count: number | null;
  utility: boolean;
  changes: readonly number[];
}

/** A fleet has few distinct tags and many devices: each tag's class and name are worked out once. */
const tagInfo = new Map<string, { name: string; cls: LicenceClass; known: boolean }>();
function infoOf(tag: string) {
  let info = tagInfo.get(tag);
  if (!info) {
    const c = classOf(tag);
    info = { name: entitlementName(tag), cls: c.cls, known: c.known };
    if (tagInfo.size > 50_000) tagInfo.clear();
    tagInfo.set(tag, info);
  }
  return info;
}

/** The licences a device consumes: from its reports when there are any, else as its `show` output lists them. */
function licenceLines(d: ProductInstance): { lines: Line[]; from: 'reports' | 'cli' | null } {
  if (d.usage && d.usage.lines.length) {
    return {
      from: 'reports',
      lines: d.usage.lines.map((l) => {
        const c = infoOf(l.tag);
        return { name: c.name, cls: c.cls, known: c.known, firstUse: l.firstUse, count: l.count, utility: l.utility, changes: l.changes ?? [] };
      }),
    };
  }
  const cli = d.cliLicences?.value;
  if (cli) {
    return {
      from: 'cli',
      lines: cli.filter((l) => l.inUse).map((l) => {
        const c = classOf(l.tag ?? l.name, l);
        return { name: l.tag ? entitlementName(l.tag) : l.name, cls: c.cls, known: c.known, firstUse: null, count: l.count, utility: false, changes: [] };
      }),
    };
  }
  return { lines: [], from: null };
}

const DEFAULT_IN_USE: PolicyInUse = Object.freeze({ policy: CISCO_DEFAULT_POLICY, source: 'default', learned: 'no other policy known: the Cisco default applies (seed 003 L167)' });

function policyFor(d: ProductInstance, ctx: DeadlineContext): PolicyInUse {
  if (d.policy) return { policy: d.policy.value, source: 'device', learned: `the device's own, printed by it or sent with its ACK (as of ${day(d.policy.at)})` };
  const va = d.virtualAccount?.value;
  const fromVa = va ? ctx.vaPolicy?.(va) : null;
  if (fromVa) return fromVa;
  return DEFAULT_IN_USE;
}

const policyText = (p: PolicyInUse) => (p.source === 'default' ? 'Cisco default policy' : `policy "${p.policy.name}"`);
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** Seed 004 L260-262: the first report is due within N days; we anchor it at the first use (the seeds name no anchor). */
function firstReportRule(cls: LicenceClass, lines: Line[], p: PolicyInUse, kind: DeadlineKind, distributor: boolean): Deadline | string | null {
  const n = p.policy.classes[cls].firstReportDays;
  if (n <= 0) return null; // 0 = no first report required
  if (cls === 'unenforcedPerpetual' && !distributor) return null; // 365-day rule: distributor or partner purchases only (004:L295)
  const uses = lines.map((l) => l.firstUse).filter((t): t is number => t !== null);
  if (!uses.length) return `first use of its ${CLASS_NAMES[cls]} licences is not known (no usage file): the first-report date cannot be estimated`;
  const first = Math.min(...uses);
  const names = lines.filter((l) => l.firstUse !== null).map((l) => l.name).join(', ');
  return {
    kind,
    dueAt: first + n * DAY,
    rule: 'first-report',
    source: 'computed',
    cls,
    superseded: false,
    reason: `${cap(CLASS_NAMES[cls])} licence ${names} in use since ${day(first)}, never acknowledged; first report due within ${days(n)} (${policyText(p)}) — estimate`,
  };
}

/** Seed 004 L263-264: after an acknowledged report, the next is due within the reporting frequency (0 = only on change). */
function frequencyRule(cls: LicenceClass, lastAck: number, p: PolicyInUse, kind: DeadlineKind): Deadline | null {
  const n = p.policy.classes[cls].reportingFrequencyDays;
  if (n <= 0) return null;
  return {
    kind,
    dueAt: lastAck + n * DAY,
    rule: 'reporting-frequency',
    source: 'computed',
    cls,
    superseded: false,
    reason: `${cap(CLASS_NAMES[cls])} licences: last ACK ${day(lastAck)}; the next report is due every ${days(n)} (${policyText(p)}) — estimate`,
  };
}

/** Seed 004 L265-269, seed 003 L148-152: a usage change not yet acknowledged must be reported within N days. */
function changeRule(cls: LicenceClass, changes: readonly number[], since: number | null, p: PolicyInUse, kind: DeadlineKind): Deadline | null {
  const n = p.policy.classes[cls].reportOnChangeDays;
  if (n <= 0) return null;
  const pending = changes.filter((t) => since === null || t > since);
  if (!pending.length) return null;
  const first = pending[0]!;
  return {
    kind,
    dueAt: first + n * DAY,
    rule: 'report-on-change',
    source: 'computed',
    cls,
    superseded: false,
    reason: `Licence usage changed on ${day(first)}${since !== null ? `, after the last ACK (${day(since)})` : ''}; a change must be reported within ${days(n)} (${policyText(p)}) — estimate`,
  };
}

/** Seed 004 L797: a post-paid (utility mode, MSLA) device must report and install an ACK every 30 days. */
function utilityRule(lastAck: number | null, firstUse: number | null): Deadline | string {
  const from = lastAck ?? firstUse;
  if (from === null) return 'utility mode: its first use is not known, so its 30-day ACK date cannot be estimated';
  return {
    kind: 'ack',
    dueAt: from + 30 * DAY,
    rule: 'utility-30-days',
    source: 'computed',
    cls: null,
    superseded: false,
    reason: `Utility mode (post-paid): an ACK is needed every 30 days; ${lastAck !== null ? `last ACK ${day(lastAck)}` : `no ACK yet, in use since ${day(firstUse!)}`} — estimate`,
  };
}

/** `17.07.01`, `17.7.1`, `17.12.04` → comparable numbers. */
function version(v: string | null | undefined): number[] | null {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}
function atLeast(v: number[], min: number[]): boolean {
  for (let i = 0; i < min.length; i++) if (v[i] !== min[i]) return (v[i] ?? 0) > min[i]!;
  return true;
}

/** Seed 003 L1964-2041: a Catalyst 9800-CL on 17.7.1 or later must install at least one ACK, else AP joins are capped at 50. */
function c9800clRule(d: ProductInstance, lastAck: number | null): Deadline | string | null {
  if (!/^C9800-CL/i.test(d.udi.pid) || lastAck !== null) return null;
  const v = version(d.softwareVersion?.value);
  if (!v || !atLeast(v, [17, 7, 1])) return null;
  if (d.ackCountdownBy) {
    return {
      kind: 'ack',
      dueAt: d.ackCountdownBy.value,
      rule: 'device-ack-countdown',
      source: 'device',
      cls: null,
      superseded: false,
      reason: `Catalyst 9800-CL on ${d.softwareVersion!.value}: at least one ACK is mandatory; the controller counts down to ${day(d.ackCountdownBy.value)} ("License Ack expected within"). After it, AP joins are capped at 50 (seed 003 L1996)`,
    };
  }
  return `Catalyst 9800-CL on ${d.softwareVersion!.value}: at least one ACK is mandatory (after the controller's countdown, AP joins are capped at 50); its countdown is not known — paste "show license air entities summary"`;
}

/** Dates the device printed: its own `Next ACK deadline`, and `%SMART_LIC-6-REPORTING_REQUIRED … in N days`. */
function deviceRules(d: ProductInstance): Deadline[] {
  const out: Deadline[] = [];
  if (d.nextAckDeadline) {
    out.push({ kind: 'ack', dueAt: d.nextAckDeadline.value, rule: 'device-next-ack-deadline', source: 'device', cls: null, superseded: false, reason: `The device says its next ACK is due by ${day(d.nextAckDeadline.value)} ("Next ACK deadline", as of ${day(d.nextAckDeadline.at)})` });
  }
  if (d.reportingRequiredBy) {
    out.push({ kind: 'ack', dueAt: d.reportingRequiredBy.value, rule: 'device-reporting-required', source: 'device', cls: null, superseded: false, reason: `The device logged %SMART_LIC-6-REPORTING_REQUIRED: an ACK is required by ${day(d.reportingRequiredBy.value)}` });
  }
  return out;
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function statusOf(next: Deadline | null, now: number): DeadlineStatus {
  if (!next) return 'unknown';
  const left = next.dueAt - now;
  if (left < 0) return 'overdue';
  if (left <= 7 * DAY) return 'due7';
  if (left <= 30 * DAY) return 'due30';
  if (left <= 90 * DAY) return 'due90';
  return 'later';
}

/** The deadlines of one device. */
export function deviceDeadlines(d: ProductInstance, ctx: DeadlineContext): DeviceDeadlines {
  const policy = policyFor(d, ctx);
  const flags: string[] = [];
  // One object shape for every result (explicit fields, no spread): 100,000 of them are made per recompute.
  const result = (status: DeadlineStatus, next: Deadline | null, deadlines: Deadline[], note: string | null): DeviceDeadlines => ({ key: d.key, status, next, deadlines, note, flags, policy });
  const role = d.ha?.value.role;
  if (role === 'standby' || role === 'member') {
    // Seed 003 §1.15: only the active of an HA set reports, for the whole set.
    return result('none', null, [], `reported by the active of its HA set${d.ha?.value.activeKey ? ` (${d.ha.value.activeKey})` : ''}`);
  }
  const { lines, from } = licenceLines(d);
  const lastAck = d.lastAckReceived?.value ?? null;
  const device = deviceRules(d);
  const c9800 = c9800clRule(d, lastAck);
  const notes: string[] = [];
  if (typeof c9800 === 'string') notes.push(c9800);
  const deadlines: Deadline[] = [...device];
  if (c9800 && typeof c9800 !== 'string') deadlines.push(c9800);

  const consumed = lines.some((l) => l.firstUse !== null || (l.count ?? 0) > 0);
  if (!consumed && !deadlines.length) {
    if (from === null) {
      return result('unknown', null, [], notes[0] ?? 'no licence usage known: import its usage file or paste "show license usage"');
    }
    if (from === 'cli') {
      // `show` output tells what is in use now, not whether anything ever was: a licence dropped to zero still
      // has to be reported (a change, seed 004 L269). Only the reports' history can tell "never".
      return result('unknown', null, [], 'no licence in use now, but whether one ever was is not known: import its usage file');
    }
    // Seed 004 L273, seed 003 L159: never consumed a licence → no reporting requirement, whatever the policy.
    return result('none', null, [], 'has never consumed a licence: no reporting is required (seed 004 L273)');
  }

  const kind: DeadlineKind = policy.policy.ackRequired ? 'ack' : 'report';
  const distributor = ctx.distributorPurchase?.(d.virtualAccount?.value ?? null) ?? true;
  const byClass = new Map<LicenceClass, Line[]>();
  for (const l of lines) {
    if (l.firstUse === null && !((l.count ?? 0) > 0)) continue;
    const group = byClass.get(l.cls);
    if (group) group.push(l);
    else byClass.set(l.cls, [l]);
    if (!l.known) flags.push(`${l.name}: class unknown, taken as unenforced subscription (the strictest common class)`);
  }
  for (const [cls, group] of byClass) {
    // The changes of this class's licences (the class whose "report on change" applies).
    const changes = group.length === 1 ? group[0]!.changes : [...new Set(group.flatMap((l) => l.changes))].sort((a, b) => a - b);
    if (lastAck === null) {
      const r = firstReportRule(cls, group, policy, kind, distributor);
      if (typeof r === 'string') notes.push(r);
      else if (r) deadlines.push(r);
    } else {
      const r = frequencyRule(cls, lastAck, policy, kind);
      if (r) deadlines.push(r);
    }
    let firstUse = Infinity;
    for (const l of group) if (l.firstUse !== null && l.firstUse < firstUse) firstUse = l.firstUse;
    const c = changeRule(cls, changes, lastAck ?? (Number.isFinite(firstUse) ? firstUse : null), policy, kind);
    if (c) deadlines.push(c);
  }
  if (lines.some((l) => l.utility)) {
    const r = utilityRule(lastAck, d.usage?.firstUse ?? null);
    if (typeof r === 'string') notes.push(r);
    else deadlines.push(r);
  }

  // A date the device printed wins over estimates when it is at least as new as the facts they used.
  const factsAt = Math.max(d.lastAckReceived?.at ?? 0, d.usage?.reportedUntil ?? 0);
  const fresh = device.filter((x) => (x.rule === 'device-next-ack-deadline' ? (d.nextAckDeadline?.at ?? 0) : (d.reportingRequiredBy?.at ?? 0)) >= factsAt);
  const estimate = deadlines.filter((x) => x.source === 'computed').sort((a, b) => a.dueAt - b.dueAt)[0];
  const own = device.find((x) => x.rule === 'device-next-ack-deadline');
  if (own && estimate) {
    // Say whether the policy reproduces the device's date (ground truth for the rules) or not.
    own.reason +=
      Math.abs(own.dueAt - estimate.dueAt) <= DAY
        ? `; the policy gives the same date (${estimate.rule.replace(/-/g, ' ')})`
        : `; the policy alone would give ${day(estimate.dueAt)} (${estimate.rule.replace(/-/g, ' ')}) — the device's own date is used`;
  }
  if (fresh.length) for (const x of deadlines) if (x.source === 'computed') x.superseded = true;
  deadlines.sort((a, b) => a.dueAt - b.dueAt);
  const live = deadlines.filter((x) => !x.superseded);
  const next = live[0] ?? null;
  if (!next && !deadlines.length) {
    const why = notes[0] ?? `no reporting requirement under the ${policyText(policy)} for the licences in use`;
    return result(notes.length ? 'unknown' : 'none', null, deadlines, why);
  }
  // Why an estimate is missing matters only when no date the device printed stands in for it.
  return result(statusOf(next, ctx.now), next, deadlines, next?.source === 'device' ? null : (notes[0] ?? null));
}
