import { type SplitAck, splitAck } from '../core/bundle/cli-bundle.ts';
import { type BuiltUpload, StoredEntries, buildUpload, writeHandBack } from '../core/cycle/build.ts';
import { type Cycle, CycleError, type CycleFileRef, advance } from '../core/cycle/model.ts';
import { type ReconcilePlan, planReconcile, planSummary, withAcks } from '../core/cycle/reconcile.ts';
import { writeControllerReport } from '../core/entitlements/controller-report.ts';
import { describeError } from '../core/errors.ts';
import { KIND_LABELS } from '../core/formats/classify.ts';
import { sha256Hex } from '../core/hash.ts';
import { mergeAcks } from '../core/model/acks.ts';
import type { DeviceReports } from '../core/model/fleet.ts';
import { checkReconcilable, heldReports, load, save } from './cycles.ts';
import { findFile } from './import.ts';
import { fileBlob } from './queries.ts';
import type { StoredFile, WorkbenchDb } from './schema.ts';
import { ReportSets } from './reports.ts';
import { DeviceSets } from './devices.ts';

/**
 * The reporting cycle's heavy steps (issue 6): building an upload from stored archives, reading and applying what
 * CSSM returned, writing the hand-back. Run by the report worker (and tests); each write is one transaction, as in
 * cycles.ts.
 */

/** Opens stored originals for the builders: each file's bytes read once per job. */
export function storedEntries(db: WorkbenchDb): StoredEntries {
  return new StoredEntries(async (sha) => {
    const [meta, blob] = await Promise.all([findFile(db, sha), fileBlob(db, sha)]);
    if (!blob) throw new CycleError(`The original file ${meta?.name ?? sha.slice(0, 12)} is not stored any more`);
    return { name: meta?.name ?? sha, bytes: new Uint8Array(await blob.arrayBuffer()) };
  });
}

/** Builds the cycle's upload from the stored originals (reads only; nothing is written). */
export async function buildCycleUpload(db: WorkbenchDb, id: string, now: number, onProgress?: (done: number, total: number) => void): Promise<BuiltUpload> {
  const cycle = await load(db, id);
  if (cycle.state !== 'draft' && cycle.state !== 'built' && cycle.state !== 'downloaded') throw new CycleError(`Cycle ${cycle.number}'s upload went to CSSM: it cannot be rebuilt`);
  if (cycle.kind === 'controller') return buildControllerReport(db, cycle, now);
  const reports = new Map<string, DeviceReports['reports']>();
  for (const r of (await new ReportSets(db.reportSets, new DeviceSets(db.deviceSets)).read(cycle.devices.map((d) => d.key))).values()) reports.set(r.key, r.reports);
  // Reports acknowledged since the cycle was chosen, or carried meanwhile by another cycle, are left out: CSSM
  // would reject the whole upload for one report it already has.
  const held = heldReports(await db.cycles.toArray(), cycle.id);
  const devices = cycle.devices
    .map((d) => {
      if (d.request) return d;
      const acked = new Set((reports.get(d.key) ?? []).filter((r) => r.acknowledgedBy).map((r) => r.reportId));
      return { ...d, reportIds: d.reportIds.filter((id) => !acked.has(id) && !held.has(`${d.key}\u0000${id}`)) };
    })
    .filter((d) => d.request || d.reportIds.length > 0);
  if (devices.length === 0) throw new CycleError(`Cycle ${cycle.number} has nothing left to upload: its reports were acknowledged or carried by another cycle since it was created — abandon it`);
  return buildUpload({ cycle: { ...cycle, devices }, reportsOf: (key) => reports.get(key) ?? [], reader: storedEntries(db), now, onProgress });
}

/**
 * The controller usage report of every active assignment (and those released since the last report): the period
 * runs from the last controller report uploaded (else the first assignment) to now.
 */
async function buildControllerReport(db: WorkbenchDb, cycle: Cycle, now: number): Promise<BuiltUpload> {
  const all = await db.assignments.toArray();
  const earlier = (await db.cycles.toArray()).filter((c) => c.kind === 'controller' && c.id !== cycle.id && c.uploadedOn !== null).map((c) => c.uploadedOn!);
  // A loop, not a spread: released assignments are kept, so there may be more than a call's argument limit.
  let from = now;
  if (earlier.length) from = earlier.reduce((a, b) => Math.max(a, b));
  else for (const a of all) from = Math.min(from, a.assignedAt);
  const keys = [...new Set(all.map((a) => a.deviceKey))];
  const devices = await new DeviceSets(db.deviceSets).get(keys);
  const report = await writeControllerReport({ smartAccount: cycle.smartAccount, assignments: all, devices, period: { from, to: now }, now });
  return { name: report.name, bytes: report.bytes, devices: [], verbatim: 0, composed: 0, controller: { reportId: report.reportId, virtualAccounts: report.virtualAccounts, assignments: report.assignments } };
}

/** Keeps a built upload and moves the cycle to "upload built". */
export async function storeBuilt(db: WorkbenchDb, id: string, built: BuiltUpload, at: number, by: string): Promise<Cycle> {
  const sha256 = await sha256Hex(built.bytes);
  const ref: CycleFileRef = { name: built.name, sha256, size: built.bytes.length, at };
  return db.transaction('rw', [db.cycles, db.outputs, db.events], async () => {
    const cycle = await load(db, id);
    if (!(await db.outputs.get(sha256))) await db.outputs.add({ sha256, name: built.name, blob: new Blob([built.bytes as Uint8Array<ArrayBuffer>]), createdAt: at, cycleId: id, role: 'upload' });
    const how = built.controller
      ? `${built.controller.assignments} licence assignment${built.controller.assignments === 1 ? '' : 's'} in ${built.controller.virtualAccounts.join(', ')}`
      : built.composed === 0
        ? 'every device file as the device wrote it'
        : `${built.verbatim} device file${built.verbatim === 1 ? '' : 's'} as written, ${built.composed} assembled from the devices' exact reports`;
    const again = cycle.upload ? ' (rebuilt; the earlier upload was not sent)' : '';
    return save(db, cycle, advance(cycle, 'built', { at, by, message: `Upload built: ${built.name}, ${how}${again}`, files: [ref] }, { devices: built.devices, upload: ref, ...(built.controller ? { controller: built.controller } : {}) }));
  });
}

export interface AckUpload {
  name: string;
  bytes: Uint8Array;
}

export interface ReconcilePreview {
  plan: ReconcilePlan;
  /** Files refused whole (not an ACK, damaged, already reconciled here), with why: nothing of them is used. */
  refused: Array<{ name: string; message: string }>;
  files: CycleFileRef[];
}

interface ReadInputs {
  inputs: Array<{ file: CycleFileRef; acks: SplitAck[]; kind: 'ack' | 'ack-bundle'; bytes: Uint8Array; skipped: string[] }>;
  refused: ReconcilePreview['refused'];
}

async function readInputs(uploads: readonly AckUpload[]): Promise<ReadInputs> {
  const out: ReadInputs = { inputs: [], refused: [] };
  const seen = new Set<string>();
  for (const u of uploads) {
    const sha256 = await sha256Hex(u.bytes);
    if (seen.has(sha256)) {
      out.refused.push({ name: u.name, message: `${u.name}: the same bytes as another file of this import — used once` });
      continue;
    }
    seen.add(sha256);
    try {
      const split = await splitAck(u.name, u.bytes);
      out.inputs.push({ file: { name: u.name, sha256, size: u.bytes.length }, acks: split.acks, kind: split.kind, bytes: u.bytes, skipped: split.skipped });
    } catch (e) {
      out.refused.push({ name: u.name, message: describeError(e, [u.name]) });
    }
  }
  return out;
}

async function planFor(db: WorkbenchDb, cycle: Cycle, inputs: ReadInputs['inputs']): Promise<ReconcilePlan> {
  const reports = new Map<string, Map<string, string | null>>();
  for (const r of (await new ReportSets(db.reportSets, new DeviceSets(db.deviceSets)).read(cycle.devices.map((d) => d.key))).values()) {
    reports.set(r.key, new Map(r.reports.map((x) => [x.reportId, x.acknowledgedBy?.file ?? null])));
  }
  const others = (await db.cycles.toArray()).filter((c) => c.id !== cycle.id);
  return planReconcile(cycle, inputs, { acknowledgedBy: (key, id) => reports.get(key)?.get(id) ?? null, otherCycles: others });
}

/** What importing these files into the cycle would do: matched, unexpected, unmatched. Writes nothing. */
export async function previewReconcile(db: WorkbenchDb, id: string, uploads: readonly AckUpload[]): Promise<ReconcilePreview> {
  const cycle = await load(db, id);
  checkReconcilable(cycle);
  const read = await readInputs(uploads);
  for (const i of read.inputs) if (cycle.acks.some((a) => a.sha256 === i.file.sha256)) read.refused.push({ name: i.file.name, message: `${i.file.name}: was imported into this cycle before — nothing new in it` });
  const fresh = read.inputs.filter((i) => !cycle.acks.some((a) => a.sha256 === i.file.sha256));
  return { plan: await planFor(db, cycle, fresh), refused: read.refused, files: fresh.map((i) => i.file) };
}

/**
 * Imports what CSSM returned into the cycle, in one transaction: the matched ACKs mark their reports acknowledged,
 * give each device its last ACK, policy and grants (model/acks.ts); the files holding them are stored as originals;
 * the cycle records each device's ACK. Unexpected ACKs are not applied. The plan is computed again inside the
 * transaction, so what is written is what the data says now.
 */
export async function applyReconcile(db: WorkbenchDb, id: string, uploads: readonly AckUpload[], at: number, by: string): Promise<ReconcilePreview & { cycle: Cycle }> {
  const read = await readInputs(uploads);
  return db.transaction('rw', [db.cycles, db.files, db.fileBytes, db.deviceSets, db.reportSets, db.events], async () => {
    const cycle = await load(db, id);
    checkReconcilable(cycle);
    const fresh = read.inputs.filter((i) => !cycle.acks.some((a) => a.sha256 === i.file.sha256));
    const plan = await planFor(db, cycle, fresh);
    if (plan.matched.length === 0) {
      const why = plan.unexpected[0]?.message ?? read.refused[0]?.message ?? 'no ACK for a device of this cycle';
      throw new CycleError(`Nothing to reconcile: ${why}`);
    }
    const keys = [...new Set(plan.matched.map((m) => m.deviceKey).filter(Boolean))];
    const deviceSets = new DeviceSets(db.deviceSets);
    const reportSets = new ReportSets(db.reportSets, deviceSets);
    const [deviceMap, reportMap] = await Promise.all([deviceSets.get(keys), reportSets.read(keys)]);
    const used: CycleFileRef[] = [];
    let acknowledged = 0;
    for (const input of fresh) {
      const mine = plan.matched.filter((m) => m.ref.file === input.file.sha256);
      if (!mine.length) continue;
      used.push(input.file);
      const merged = mergeAcks({ file: input.file.sha256, importedAt: at, acks: mine.map((m) => m.ack), usageAck: cycle.kind === 'usage' }, deviceMap, reportMap);
      for (const d of merged.devices) deviceMap.set(d.key, d);
      for (const r of merged.reports) reportMap.set(r.key, r);
      acknowledged += merged.acknowledged;
      if (!(await db.files.get(input.file.sha256))) {
        const file: StoredFile = {
          sha256: input.file.sha256,
          name: input.file.name,
          size: input.file.size,
          kind: input.kind,
          kindReason: `imported into reporting cycle ${cycle.number}`,
          simulated: input.acks.some((a) => a.ack.simulated),
          importedAt: at,
          warnings: [...new Set(mine.flatMap((m) => m.ack.warnings))],
          problems: [],
          summary: { entries: input.acks.length, usageFiles: 0, devices: mine.length, newDevices: 0, reports: 0, newReports: 0, acknowledged: merged.acknowledged },
        };
        await db.fileBytes.add({ sha256: input.file.sha256, blob: new Blob([input.bytes as Uint8Array<ArrayBuffer>]) });
        await db.files.add(file);
        await db.events.add({ at, type: 'import', file: input.file.sha256, message: `Imported ${input.file.name} (${KIND_LABELS[input.kind]}) into cycle ${cycle.number}: ${mine.length} device${mine.length === 1 ? '' : 's'}, ${merged.acknowledged} report${merged.acknowledged === 1 ? '' : 's'} acknowledged` });
      }
    }
    await deviceSets.put([...deviceMap.values()]);
    await reportSets.write([...reportMap.values()]);
    const devices = withAcks(cycle, plan, at);
    const acks = [...cycle.acks, ...used];
    const complete = devices.every((d) => d.ack);
    const message = `ACK imported: ${used.map((f) => f.name).join(', ')} — ${planSummary(plan)}; ${acknowledged} report${acknowledged === 1 ? '' : 's'} acknowledged`;
    // A late ACK after reconciling or exporting is recorded as a note: the cycle stays where it is (export again
    // to hand the late devices their file).
    const late = cycle.state === 'reconciled' || cycle.state === 'exported';
    let next = advance(cycle, late ? cycle.state : 'ack-imported', { at, by, message: late ? `Late ${message}` : message, files: used }, { devices, acks });
    if (complete && !late) next = advance(next, 'reconciled', { at, by, message: `Reconciled: every device of the cycle has its ACK`, files: [] });
    await save(db, cycle, next);
    return { plan, refused: read.refused, files: used, cycle: next };
  });
}

/** Builds the hand-back tar.gz (ACK files + commands per device), keeps it, and moves the cycle to "exported". */
export async function exportHandBack(db: WorkbenchDb, id: string, at: number, by: string): Promise<{ cycle: Cycle; name: string; bytes: Uint8Array; sha256: string }> {
  const cycle = await load(db, id);
  if (!['reconciled', 'exported', 'verified'].includes(cycle.state)) throw new CycleError(`Cycle ${cycle.number} is not reconciled yet: import its ACK first`);
  if (cycle.kind === 'controller') throw new CycleError(`Cycle ${cycle.number} carried the controller's report: there is nothing to hand back to devices`);
  const out = await writeHandBack(cycle, storedEntries(db), at);
  const sha256 = await sha256Hex(out.bytes);
  const ref: CycleFileRef = { name: out.name, sha256, size: out.bytes.length };
  const next = await db.transaction('rw', [db.cycles, db.outputs, db.events], async () => {
    const now = await load(db, id);
    if (!(await db.outputs.get(sha256))) await db.outputs.add({ sha256, name: out.name, blob: new Blob([out.bytes as Uint8Array<ArrayBuffer>]), createdAt: at, cycleId: id, role: 'hand-back' });
    if (now.state === 'verified') return now;
    return save(db, now, advance(now, 'exported', { at, by, message: `Device files exported: ${out.name} (${out.devices} device${out.devices === 1 ? '' : 's'})`, files: [ref] }, { handBack: ref }));
  });
  return { cycle: next, name: out.name, bytes: out.bytes, sha256 };
}
