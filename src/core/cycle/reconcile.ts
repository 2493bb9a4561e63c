import type { SplitAck } from '../bundle/cli-bundle.ts';
import type { AckFile } from '../formats/ack.ts';
import { udiKey } from '../model/udi.ts';
import { plural } from '../words.ts';
import type { AckRef, Cycle, CycleDevice, CycleFileRef } from './model.ts';

/**
 * Step 4 of a cycle, "Reconcile": what CSSM returned, matched to the cycle's devices before anything is written.
 * Each per-device ACK (a single ACK, or one entry of an ACK bundle) is tied to a device by the UDI inside it,
 * else by the report IDs inside it, else by its name (`ACK_<uploaded file>`; in a bundle `ACK_dev_<n>_…` for the
 * `dev_<n>_…` the device's reports went into — how Cisco's own tool maps them, FORMATS.md). Then:
 * - matched: for a device of this cycle, for its reports, for this cycle's Virtual Account;
 * - unexpected: for another Smart or Virtual Account, for reports or devices not in this cycle, or a second ACK for
 *   reports already acknowledged (each with why) — not applied;
 * - unmatched: devices of the cycle with no ACK yet.
 */

export interface AckInput {
  file: CycleFileRef;
  acks: readonly SplitAck[];
}

export interface MatchedAck {
  deviceKey: string;
  hostname: string | null;
  ref: AckRef;
  /** The cycle's reports this ACK acknowledges (all of the device's when the ACK's content names none). */
  reportIds: string[];
  /** What the operator should know: extra reports, content not readable, etc. */
  notes: string[];
  /** The ACK as applied: UDI and report IDs filled in from the cycle when matched by name. */
  ack: AckFile;
}

export type UnexpectedReason = 'other-account' | 'not-in-cycle' | 'other-reports' | 'duplicate' | 'unreadable';

export interface UnexpectedAck {
  file: string;
  /** Where the ACK is: the imported file's name, then the entries inside it. */
  path: string[];
  reason: UnexpectedReason;
  message: string;
}

export interface ReconcilePlan {
  matched: MatchedAck[];
  unexpected: UnexpectedAck[];
  /** Devices of the cycle still without an ACK after this plan. */
  unmatched: Array<{ key: string; hostname: string | null }>;
  /** Trust codes, authorization codes and subscription IDs the matched ACKs carry (counts). */
  extras: { trustCodes: number; authorizationCodes: number; subscriptionIds: number; policies: number };
}

export interface ReconcileContext {
  /** The ACK file (SHA-256) that already acknowledged this report, if any. */
  acknowledgedBy: (deviceKey: string, reportId: string) => string | null;
  /** Other cycles, to say which one a report not in this cycle belongs to. */
  otherCycles: readonly Cycle[];
}

const UNEXPECTED_LABELS: Record<UnexpectedReason, string> = {
  'other-account': 'another account',
  'not-in-cycle': 'not in this cycle',
  'other-reports': 'other reports',
  duplicate: 'duplicate',
  unreadable: 'unreadable',
};

export function unexpectedLabel(reason: UnexpectedReason): string {
  return UNEXPECTED_LABELS[reason];
}

/** The device an ACK's name points at: `ACK_<uploaded file>` (the `.gz` of a gzipped entry already dropped). */
function byFileName(cycle: Cycle, name: string): CycleDevice | null {
  const m = /^ACK_(.+)$/.exec(name);
  if (!m) return null;
  const target = m[1]!;
  if (cycle.mode === 'single' && cycle.upload && target === cycle.upload.name) return cycle.devices[0] ?? null;
  return cycle.devices.find((d) => d.uploadFile === target) ?? null;
}

/**
 * A controller cycle's ACK answers its one report: matched by the report ID inside, else by its name. It changes
 * no device (so it is applied as acknowledging nothing) and completes the cycle.
 */
function planController(cycle: Cycle, inputs: readonly AckInput[]): ReconcilePlan {
  const plan: ReconcilePlan = { matched: [], unexpected: [], unmatched: [], extras: { trustCodes: 0, authorizationCodes: 0, subscriptionIds: 0, policies: 0 } };
  const id = cycle.controller?.reportId ?? null;
  for (const input of inputs) {
    for (const a of input.acks) {
      const byId = id !== null && a.ack.reportRef === id;
      const byName = cycle.upload !== null && a.file === `ACK_${cycle.upload.name}`;
      const other = a.ack.reportRef !== null && a.ack.reportRef !== id;
      if ((!byId && !byName) || other) {
        plan.unexpected.push({ file: input.file.sha256, path: a.path, reason: other ? 'other-reports' : 'not-in-cycle', message: other ? `answers controller report ${a.ack.reportRef}, not this cycle's (${id ?? 'not built'})` : `is not the ACK of ${cycle.upload?.name ?? 'this cycle\'s report'}` });
        continue;
      }
      if (plan.matched.length || cycle.acks.length) {
        plan.unexpected.push({ file: input.file.sha256, path: a.path, reason: 'duplicate', message: 'is a second ACK for this cycle\'s report' });
        continue;
      }
      plan.matched.push({ deviceKey: '', hostname: 'controller usage report', ref: { file: input.file.sha256, fileName: input.file.name, entry: a.path.slice(1), name: a.file, at: ackTime(a.ack), via: byId ? 'report-ids' : 'file-name' }, reportIds: [], notes: [byId ? `names report ${id}` : 'tied by its name'], ack: { ...a.ack, udi: null, acknowledged: [] } });
    }
  }
  return plan;
}

export function planReconcile(cycle: Cycle, inputs: readonly AckInput[], ctx: ReconcileContext): ReconcilePlan {
  if (cycle.kind === 'controller') return planController(cycle, inputs);
  const byKey = new Map(cycle.devices.map((d) => [d.key, d]));
  const byReport = new Map<string, CycleDevice>();
  for (const d of cycle.devices) for (const id of d.reportIds) byReport.set(id, d);
  const otherCycleOf = (key: string, id: string) => ctx.otherCycles.find((c) => c.id !== cycle.id && c.devices.some((d) => d.key === key && d.reportIds.includes(id)));
  const matched: MatchedAck[] = [];
  const unexpected: UnexpectedAck[] = [];
  const taken = new Map<string, string>();
  const extras = { trustCodes: 0, authorizationCodes: 0, subscriptionIds: 0, policies: 0 };

  for (const input of inputs) {
    for (const a of input.acks) {
      const say = (reason: UnexpectedReason, message: string) => unexpected.push({ file: input.file.sha256, path: a.path, reason, message });
      // 1. Which device: the UDI inside, else the report IDs inside, else the name.
      let device: CycleDevice | null = null;
      let via: AckRef['via'] = 'udi';
      const named = a.udi ? udiKey(a.udi) : null;
      if (named) device = byKey.get(named) ?? null;
      if (!device && !named) {
        via = 'report-ids';
        device = a.reportIds.map((id) => byReport.get(id)).find((d) => d) ?? null;
      }
      if (!device && !named && (a.reportIds.length === 0 || cycle.kind === 'authorization')) {
        via = 'file-name';
        device = byFileName(cycle, a.file);
      }
      if (!device) {
        if (named) {
          const elsewhere = a.reportIds.map((id) => otherCycleOf(named, id)).find((c) => c);
          say('not-in-cycle', `is for ${named}, which is not in this cycle${elsewhere ? ` (its reports went up in cycle ${elsewhere.number})` : ''}`);
        } else if (a.reportIds.length) say('not-in-cycle', `acknowledges ${plural(a.reportIds.length, 'report')} none of which this cycle uploaded`);
        else say('unreadable', `names no device and no report the workbench can read, and its name matches no file of this cycle's upload`);
        continue;
      }
      const where = device.hostname ? `${device.hostname} (${device.key})` : device.key;
      // 2. For this cycle's accounts.
      if (a.ack.virtualAccount && a.ack.virtualAccount !== cycle.virtualAccount) {
        say('other-account', `is for Virtual Account "${a.ack.virtualAccount}", but this cycle uploaded ${where} to "${cycle.virtualAccount}"`);
        continue;
      }
      if (a.ack.smartAccount && cycle.smartAccount && a.ack.smartAccount !== cycle.smartAccount) {
        say('other-account', `is for Smart Account "${a.ack.smartAccount}", but this cycle is for "${cycle.smartAccount}"`);
        continue;
      }
      // 3. For this cycle's reports (an authorization cycle carries none: its answer is an authorization code).
      const auth = cycle.kind === 'authorization';
      const mine = new Set(device.reportIds);
      const ids = auth ? [] : [...new Set(a.reportIds)];
      const inCycle = ids.filter((id) => mine.has(id));
      const extra = ids.length - inCycle.length;
      if (ids.length && inCycle.length === 0) {
        const other = otherCycleOf(device.key, ids[0]!);
        say('other-reports', `acknowledges ${plural(ids.length, 'report')} of ${where} that this cycle did not upload${other ? ` (cycle ${other.number} did)` : ''}`);
        continue;
      }
      // 4. Not a second ACK.
      const earlier = taken.get(device.key);
      if (earlier) {
        say('duplicate', `is a second ACK for ${where}: ${earlier} already acknowledges its reports`);
        continue;
      }
      if (device.ack) {
        say('duplicate', `is a second ACK for ${where}: ${device.ack.name} from ${device.ack.fileName} was reconciled before`);
        continue;
      }
      const covered = inCycle.length ? inCycle : device.reportIds;
      const before = covered.map((id) => ctx.acknowledgedBy(device.key, id)).filter((f): f is string => f !== null && f !== input.file.sha256);
      if (covered.length && before.length === covered.length) {
        say('duplicate', `acknowledges reports of ${where} that another ACK file already acknowledged (${before[0]!.slice(0, 12)}…)`);
        continue;
      }
      taken.set(device.key, `${a.path.join(' › ')}`);
      const notes: string[] = [];
      if (extra) notes.push(`also names ${plural(extra, 'report')} not in this cycle (left as they are)`);
      if (auth) {
        const codes = a.ack.authorizationCodes.length;
        if (device.request?.kind === 'return') notes.push('confirms the return of the authorization');
        else notes.push(codes ? `carries ${plural(codes, 'authorization code')}` : 'carries no authorization code the workbench can read: install it and check show license authorization');
      } else if (ids.length === 0) notes.push(a.ack.warnings[0] ?? 'its content names no report: tied by its name, the cycle\'s reports are taken as acknowledged');
      if (inCycle.length && inCycle.length < device.reportIds.length) notes.push(`acknowledges ${inCycle.length} of the ${device.reportIds.length} reports uploaded`);
      const udi = a.ack.udi ?? device.udi;
      const ack: AckFile = {
        ...a.ack,
        udi,
        acknowledged: covered.map((reportId) => ({ reportId, udi: device.udi })),
      };
      extras.trustCodes += a.ack.trustCodes.length;
      extras.authorizationCodes += a.ack.authorizationCodes.length;
      extras.subscriptionIds += Object.keys(a.ack.subscriptionIds).length;
      extras.policies += a.ack.policies;
      matched.push({
        deviceKey: device.key,
        hostname: device.hostname,
        ref: { file: input.file.sha256, fileName: input.file.name, entry: a.path.slice(1), name: a.file, at: ackTime(a.ack), via },
        reportIds: covered,
        notes,
        ack,
      });
    }
  }
  const done = new Set(matched.map((m) => m.deviceKey));
  const unmatched = cycle.devices.filter((d) => !d.ack && !done.has(d.key)).map((d) => ({ key: d.key, hostname: d.hostname }));
  return { matched, unexpected, unmatched, extras };
}

/** An ACK's own time in ms (a seconds value scaled), or null when it does not say. */
export function ackTime(ack: Pick<AckFile, 'timestamp'>): number {
  return ack.timestamp === null ? 0 : ack.timestamp < 1e11 ? ack.timestamp * 1000 : ack.timestamp;
}

/** The cycle's devices with the plan's ACKs recorded. */
export function withAcks(cycle: Cycle, plan: ReconcilePlan, importedAt: number): CycleDevice[] {
  const refs = new Map(plan.matched.map((m) => [m.deviceKey, { ...m.ref, at: m.ref.at || importedAt }]));
  return cycle.devices.map((d) => (refs.has(d.key) ? { ...d, ack: refs.get(d.key)! } : d));
}

/** One line for the audit trail and the view. */
export function planSummary(plan: ReconcilePlan): string {
  return `${plural(plan.matched.length, 'ACK')} matched, ${plural(plan.unexpected.length, 'unexpected ACK')}, ${plural(plan.unmatched.length, 'device')} still waiting for an ACK`;
}
