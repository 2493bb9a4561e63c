import { type SplitAck, splitAck } from '../core/bundle/cli-bundle.ts';
import { type BuiltUpload, StoredEntries, buildUpload } from '../core/cycle/build.ts';
import { verifyFromCli, writeHandBack, type Verification } from '../core/cycle/handback.ts';
import { type Cycle, CycleError, type CycleFileRef, type CycleKind, type CycleState, type UploadMode, type CycleDevice, abandon, advance, holdsReports, newCycle } from '../core/cycle/model.ts';
import { type ReconcilePlan, planReconcile, planSummary, withAcks } from '../core/cycle/reconcile.ts';
import { describeError } from '../core/errors.ts';
import { KIND_LABELS } from '../core/formats/classify.ts';
import { parseCliText } from '../core/formats/cli/index.ts';
import { sha256Hex } from '../core/hash.ts';
import { DAY } from '../core/policy/deadlines.ts';
import { mergeAcks } from '../core/model/acks.ts';
import type { DeviceReports, ProductInstance } from '../core/model/fleet.ts';
import { writeControllerReport } from '../core/entitlements/controller-report.ts';
import { findFile } from './import.ts';
import { fileBlob } from './queries.ts';
import type { StoredFile, WorkbenchDb } from './schema.ts';

/**
 * The reporting cycle's store (issue 6): every step is one transaction that checks the cycle's state, writes what
 * the step produced and appends to the cycle's audit trail — a reload, a closed tab or a failed write leaves the
 * cycle at its last completed step. Files the workbench writes are kept in `outputs`; ACKs imported into a cycle
 * are stored like any imported original (`files` + `fileBytes`).
 */

export function listCycles(db: WorkbenchDb): Promise<Cycle[]> {
  return db.cycles.orderBy('number').reverse().toArray();
}

async function load(db: WorkbenchDb, id: string): Promise<Cycle> {
  const c = await db.cycles.get(id);
  if (!c) throw new CycleError(`There is no reporting cycle ${id}`);
  return c;
}

async function save(db: WorkbenchDb, before: Cycle, after: Cycle): Promise<Cycle> {
  await db.cycles.put(after);
  const last = after.audit[after.audit.length - 1]!;
  if (after.audit.length > before.audit.length) await db.events.add({ at: last.at, type: 'cycle', file: last.files[0]?.sha256 ?? null, message: `Cycle ${after.number}: ${last.message}` });
  return after;
}

export interface CreateCycleInput {
  kind?: CycleKind;
  smartAccount: string | null;
  virtualAccount: string;
  mode: UploadMode;
  devices: CycleDevice[];
}

export async function createCycle(db: WorkbenchDb, input: CreateCycleInput, at: number, by: string): Promise<Cycle> {
  return db.transaction('rw', [db.cycles, db.events], async () => {
    const last = await db.cycles.orderBy('number').last();
    const number = (last?.number ?? 0) + 1;
    const cycle = newCycle({ ...input, id: `cycle-${number}-${at.toString(36)}`, number, at, by });
    await db.cycles.add(cycle);
    await db.events.add({ at, type: 'cycle', file: null, message: `Cycle ${number}: ${cycle.audit[0]!.message}` });
    return cycle;
  });
}

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
  for (const r of await db.reports.bulkGet(cycle.devices.map((d) => d.key))) if (r) reports.set(r.key, r.reports);
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

/** `<device key>\0<report id>` of every report held by a cycle other than this one (one that may be in CSSM). */
function heldReports(cycles: readonly Cycle[], except: string): Set<string> {
  const held = new Set<string>();
  for (const c of cycles) if (c.id !== except && holdsReports(c)) for (const d of c.devices) for (const id of d.reportIds) held.add(`${d.key}\u0000${id}`);
  return held;
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
  const devices = new Map<string, ProductInstance>();
  for (const d of await db.devices.bulkGet(keys)) if (d) devices.set(d.key, d);
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

export async function markDownloaded(db: WorkbenchDb, id: string, at: number, by: string): Promise<Cycle> {
  return db.transaction('rw', [db.cycles, db.events], async () => {
    const cycle = await load(db, id);
    if (!cycle.upload) throw new CycleError(`Cycle ${cycle.number} has no upload to download yet`);
    if (cycle.state === 'built') {
      const held = heldReports(await db.cycles.toArray(), cycle.id);
      const clash = cycle.devices.find((d) => d.reportIds.some((id) => held.has(`${d.key}\u0000${id}`)));
      if (clash) throw new CycleError(`Another cycle carried reports of ${clash.hostname ?? clash.key} since this upload was built: rebuild it (the rebuild leaves them out)`);
    }
    return save(db, cycle, advance(cycle, 'downloaded', { at, by, message: `Upload downloaded: ${cycle.upload.name}`, files: [cycle.upload] }));
  });
}

/** The operator confirms the upload went into CSSM, on the date given. */
export async function markUploaded(db: WorkbenchDb, id: string, uploadedOn: number, at: number, by: string): Promise<Cycle> {
  return db.transaction('rw', [db.cycles, db.events], async () => {
    const cycle = await load(db, id);
    if (!Number.isFinite(uploadedOn)) throw new CycleError('Give the date the file was uploaded to CSSM');
    if (uploadedOn > at + DAY) throw new CycleError('The upload date is in the future: give the day it was uploaded to CSSM');
    if (uploadedOn < cycle.createdAt - DAY) throw new CycleError('The upload date is before the cycle was created');
    return save(db, cycle, advance(cycle, 'uploaded', { at, by, message: `Uploaded to CSSM on ${new Date(uploadedOn).toISOString().slice(0, 10)} (as the operator confirms): ${cycle.upload?.name ?? ''}`, files: cycle.upload ? [cycle.upload] : [] }, { uploadedOn }));
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
  for (const r of await db.reports.bulkGet(cycle.devices.map((d) => d.key))) {
    if (r) reports.set(r.key, new Map(r.reports.map((x) => [x.reportId, x.acknowledgedBy?.file ?? null])));
  }
  const others = (await db.cycles.toArray()).filter((c) => c.id !== cycle.id);
  return planReconcile(cycle, inputs, { acknowledgedBy: (key, id) => reports.get(key)?.get(id) ?? null, otherCycles: others });
}

function checkReconcilable(cycle: Cycle): void {
  if (!['uploaded', 'ack-imported', 'reconciled', 'exported'].includes(cycle.state)) {
    const why = cycle.state === 'abandoned' ? 'was abandoned' : cycle.uploadedOn === null ? 'has not been confirmed as uploaded to CSSM yet' : `is at "${cycle.state}"`;
    throw new CycleError(`Cycle ${cycle.number} ${why}: import its ACK after confirming the upload`);
  }
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
  return db.transaction('rw', [db.cycles, db.files, db.fileBytes, db.devices, db.reports, db.events], async () => {
    const cycle = await load(db, id);
    checkReconcilable(cycle);
    const fresh = read.inputs.filter((i) => !cycle.acks.some((a) => a.sha256 === i.file.sha256));
    const plan = await planFor(db, cycle, fresh);
    if (plan.matched.length === 0) {
      const why = plan.unexpected[0]?.message ?? read.refused[0]?.message ?? 'no ACK for a device of this cycle';
      throw new CycleError(`Nothing to reconcile: ${why}`);
    }
    const keys = [...new Set(plan.matched.map((m) => m.deviceKey).filter(Boolean))];
    const [devs, reps] = await Promise.all([db.devices.bulkGet(keys), db.reports.bulkGet(keys)]);
    const deviceMap = new Map<string, ProductInstance>();
    for (const d of devs) if (d) deviceMap.set(d.key, d);
    const reportMap = new Map<string, DeviceReports>();
    for (const r of reps) if (r) reportMap.set(r.key, r);
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
    await db.devices.bulkPut([...deviceMap.values()]);
    await db.reports.bulkPut([...reportMap.values()]);
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

/** The operator closes reconciliation with devices still waiting (their ACK may come in a later cycle). */
export async function closeReconcile(db: WorkbenchDb, id: string, at: number, by: string): Promise<Cycle> {
  return db.transaction('rw', [db.cycles, db.events], async () => {
    const cycle = await load(db, id);
    if (cycle.state !== 'ack-imported') throw new CycleError(`Cycle ${cycle.number} has no partial reconciliation to close`);
    const waiting = cycle.devices.filter((d) => !d.ack).length;
    return save(db, cycle, advance(cycle, 'reconciled', { at, by, message: `Reconciled with ${waiting} device${waiting === 1 ? '' : 's'} still without an ACK (closed by the operator)`, files: [] }));
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

/** Checks pasted `show license status` output against the cycle; records the devices it proves installed their ACK. */
export async function verifyCycle(db: WorkbenchDb, id: string, text: string, at: number, by: string): Promise<{ cycle: Cycle; verification: Verification }> {
  const verification = verifyFromCli(await load(db, id), parseCliText(text));
  const cycle = await db.transaction('rw', [db.cycles, db.events], async () => {
    const c = await load(db, id);
    if (c.state !== 'exported' && c.state !== 'verified') throw new CycleError(`Cycle ${c.number}: export the device files first, then verify on the devices`);
    if (verification.verified.length === 0) return c;
    const ok = new Map(verification.verified.map((v) => [v.key, v.lastAck]));
    const devices = c.devices.map((d) => (ok.has(d.key) ? { ...d, verifiedAck: ok.get(d.key)! } : d));
    const all = devices.every((d) => !d.ack || d.verifiedAck !== null);
    const to: CycleState = all ? 'verified' : c.state;
    const proof = c.kind === 'authorization' ? 'show license authorization shows the authorization installed or returned' : 'show license status shows the new Last ACK received';
    const message = `Verified on ${verification.verified.length} device${verification.verified.length === 1 ? '' : 's'} (${proof})${verification.notYet.length ? `; ${verification.notYet.length} not yet` : ''}`;
    return save(db, c, advance(c, to, { at, by, message, files: [] }, { devices }));
  });
  return { cycle, verification };
}

export async function abandonCycle(db: WorkbenchDb, id: string, reason: string, at: number, by: string): Promise<Cycle> {
  return db.transaction('rw', [db.cycles, db.events], async () => {
    const cycle = await load(db, id);
    return save(db, cycle, abandon(cycle, reason, at, by));
  });
}

/** Numbers of the cycles uploaded to CSSM and still waiting for an ACK of one of these devices. */
export async function cyclesAwaiting(db: WorkbenchDb, keys: readonly string[]): Promise<number[]> {
  const wanted = new Set(keys);
  const open = await db.cycles.filter((c) => c.state === 'uploaded' || c.state === 'ack-imported').toArray();
  return open.filter((c) => c.devices.some((d) => !d.ack && wanted.has(d.key))).map((c) => c.number);
}

/** A stored output (upload or hand-back) by its hash. */
export async function outputBlob(db: WorkbenchDb, sha256: string): Promise<Blob | null> {
  return (await db.outputs.get(sha256))?.blob ?? null;
}

