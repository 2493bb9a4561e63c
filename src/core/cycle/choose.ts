import type { AuthRequest, ProductInstance, StoredReport } from '../model/fleet.ts';
import type { Udi } from '../model/udi.ts';
import { type DeadlineStatus, type DeviceDeadlines, day } from '../policy/deadlines.ts';
import { STATUS_ORDER } from '../policy/fleet.ts';
import { type Cycle, type CycleDevice, type HandBackPath, holdsReports } from './model.ts';

/**
 * Step 1 of a cycle, "Choose": which devices of a Virtual Account have something to upload, which are due, and
 * what the operator should know before building — reports already carried in an earlier cycle (CSSM rejects a
 * report it has received: they are left out) and devices whose newest usage file is not newer than their last
 * cycle (nothing new to send: a fresh `license smart save usage unreported` on the device is needed).
 */
export interface Candidate {
  key: string;
  udi: Udi;
  hostname: string | null;
  virtualAccount: string | null;
  smartAccount: string | null;
  status: DeadlineStatus | null;
  /** The device's next deadline (ms), when one is known. */
  nextDue: number | null;
  /** Reports neither acknowledged nor carried by an earlier cycle: what this cycle would upload. */
  unreported: string[];
  /** Reports carried by an earlier cycle that CSSM has not acknowledged yet, with the cycle's number. */
  inEarlierCycle: Array<{ reportId: string; cycle: number }>;
  lastCycle: { number: number; at: number } | null;
  handBack: HandBackPath;
  warnings: string[];
}

/** How a device gets its ACK back, from the transport it printed: behind CSLU the ACK goes to CSLU. */
export function handBackPath(device: Pick<ProductInstance, 'transport'>): HandBackPath {
  const t = device.transport?.value ?? '';
  if (/cslu/i.test(t)) return 'cslu';
  if (/on-?prem/i.test(t)) return 'on-prem';
  return 'device';
}

export const DUE_STATUSES: readonly DeadlineStatus[] = ['overdue', 'due7', 'due30'];

export interface ChooseInput {
  devices: readonly ProductInstance[];
  reportsOf: (key: string) => readonly StoredReport[];
  deadlines: ReadonlyMap<string, DeviceDeadlines>;
  cycles: readonly Cycle[];
}

/** Every device of the fleet with what a new cycle could carry for it, due ones first. */
export function candidates(input: ChooseInput): Candidate[] {
  // Reports held by a cycle that may have reached CSSM, and each device's latest such cycle.
  const held = new Map<string, Map<string, number>>();
  const last = new Map<string, { number: number; at: number }>();
  // Cycles built but not yet carried: their reports may still be sent, so choosing them again is only warned.
  const pending = new Map<string, number>();
  for (const c of input.cycles) {
    if (c.state === 'draft' || c.state === 'built') for (const d of c.devices) pending.set(d.key, c.number);
    if (!holdsReports(c)) continue;
    for (const d of c.devices) {
      let m = held.get(d.key);
      if (!m) held.set(d.key, (m = new Map()));
      for (const id of d.reportIds) m.set(id, c.number);
      const l = last.get(d.key);
      if (!l || c.createdAt > l.at) last.set(d.key, { number: c.number, at: c.createdAt });
    }
  }
  const out: Candidate[] = [];
  for (const d of input.devices) {
    const reports = input.reportsOf(d.key);
    const dl = input.deadlines.get(d.key) ?? null;
    const mine = held.get(d.key);
    const unreported: string[] = [];
    const inEarlierCycle: Candidate['inEarlierCycle'] = [];
    for (const r of reports) {
      if (r.acknowledgedBy) continue;
      const cycle = mine?.get(r.reportId);
      if (cycle !== undefined) inEarlierCycle.push({ reportId: r.reportId, cycle });
      else unreported.push(r.reportId);
    }
    const lastCycle = last.get(d.key) ?? null;
    const warnings: string[] = [];
    if (inEarlierCycle.length) {
      const numbers = [...new Set(inEarlierCycle.map((x) => x.cycle))].join(', ');
      warnings.push(`${inEarlierCycle.length} report${inEarlierCycle.length === 1 ? ' was' : 's were'} uploaded in cycle ${numbers} and ${inEarlierCycle.length === 1 ? 'is' : 'are'} not acknowledged yet: left out, since CSSM rejects a report it has already received`);
    }
    if (lastCycle && (d.lastReportEnd ?? 0) <= lastCycle.at && unreported.length === 0) {
      warnings.push(`no usage file newer than cycle ${lastCycle.number} (${day(lastCycle.at)}): save a fresh one on the device (license smart save usage unreported file bootflash:usage.txt) and import it`);
    }
    const draft = pending.get(d.key);
    if (draft !== undefined && unreported.length) warnings.push(`is also in cycle ${draft}, not downloaded yet: send its reports in one cycle only (abandon the other), or CSSM rejects the second upload`);
    const due = dl !== null && DUE_STATUSES.includes(dl.status);
    if (reports.length === 0 && due) warnings.push('is due but no usage file of it was imported: save its usage on the device and import the file first');
    if (reports.length === 0 && !due && !inEarlierCycle.length) continue;
    out.push({
      key: d.key,
      udi: d.udi,
      hostname: d.hostname?.value ?? null,
      virtualAccount: d.virtualAccount?.value ?? null,
      smartAccount: d.smartAccount?.value ?? null,
      status: dl?.status ?? null,
      nextDue: dl?.next?.dueAt ?? null,
      unreported,
      inEarlierCycle,
      lastCycle,
      handBack: handBackPath(d),
      warnings,
    });
  }
  const rank = (c: Candidate) => (c.status === null ? 99 : STATUS_ORDER.indexOf(c.status));
  return out.sort((a, b) => rank(a) - rank(b) || (a.nextDue ?? Infinity) - (b.nextDue ?? Infinity) || a.key.localeCompare(b.key));
}

export type Preset = 'due' | 'unreported' | 'none';

/** The devices a preset selects: `due` (overdue or due within 30 days, with something to upload), `unreported` (anything to upload). */
export function presetSelection(list: readonly Candidate[], preset: Preset): Set<string> {
  const pick = list.filter((c) => c.unreported.length > 0 && (preset === 'unreported' || (preset === 'due' && c.status !== null && DUE_STATUSES.includes(c.status))));
  return new Set(preset === 'none' ? [] : pick.map((c) => c.key));
}

/** The cycle's devices from the chosen candidates (those with nothing to upload are left out). */
export function cycleDevices(list: readonly Candidate[], chosen: ReadonlySet<string>): CycleDevice[] {
  return list
    .filter((c) => chosen.has(c.key) && c.unreported.length > 0)
    .map((c) => ({ key: c.key, udi: c.udi, hostname: c.hostname, handBack: c.handBack, reportIds: [...c.unreported], request: null, uploadFile: null, n: null, verbatim: null, ack: null, verifiedAck: null }));
}

/** A device with a SLAC request or return no cycle has carried yet (the newest one when it saved several). */
export interface AuthCandidate {
  key: string;
  udi: Udi;
  hostname: string | null;
  virtualAccount: string | null;
  smartAccount: string | null;
  request: AuthRequest;
  /** Other pending requests of the device, left for a later cycle. */
  others: number;
  handBack: HandBackPath;
}

export function authCandidates(devices: readonly ProductInstance[], cycles: readonly Cycle[]): AuthCandidate[] {
  const carried = new Set<string>();
  for (const c of cycles) if (holdsReports(c) || c.state === 'draft' || c.state === 'built') for (const d of c.devices) if (d.request) carried.add(d.request.id);
  const out: AuthCandidate[] = [];
  for (const d of devices) {
    const pending = (d.authRequests ?? []).filter((r) => !carried.has(r.id));
    if (!pending.length) continue;
    const newest = pending.reduce((a, b) => ((b.savedAt ?? b.importedAt) >= (a.savedAt ?? a.importedAt) ? b : a));
    out.push({ key: d.key, udi: d.udi, hostname: d.hostname?.value ?? null, virtualAccount: d.virtualAccount?.value ?? null, smartAccount: d.smartAccount?.value ?? null, request: newest, others: pending.length - 1, handBack: handBackPath(d) });
  }
  return out.sort((a, b) => (a.hostname ?? a.key).localeCompare(b.hostname ?? b.key));
}

export function authCycleDevices(list: readonly AuthCandidate[], chosen: ReadonlySet<string>): CycleDevice[] {
  return list
    .filter((c) => chosen.has(c.key))
    .map((c) => ({
      key: c.key,
      udi: c.udi,
      hostname: c.hostname,
      handBack: c.handBack,
      reportIds: [],
      request: { id: c.request.id, file: c.request.file, entry: c.request.entry, kind: c.request.kind, entitlements: c.request.entitlements.map((e) => e.tag) },
      uploadFile: null,
      n: null,
      verbatim: null,
      ack: null,
      verifiedAck: null,
    }));
}
