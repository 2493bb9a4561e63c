import { type Verification, verifyFromCli } from '../core/cycle/handback.ts';
import { type Cycle, CycleError, type CycleDevice, type CycleKind, type CycleState, type UploadMode, abandon, advance, holdsReports, newCycle } from '../core/cycle/model.ts';
import { parseCliText } from '../core/formats/cli/index.ts';
import { DAY } from '../core/policy/deadlines.ts';
import type { WorkbenchDb } from './schema.ts';

/**
 * The reporting cycle's store (issue 6): every step is one transaction that checks the cycle's state, writes what
 * the step produced and appends to the cycle's audit trail — a reload, a closed tab or a failed write leaves the
 * cycle at its last completed step. This module holds the light steps the page takes itself; the steps that open
 * archives and write files (building, reconciling, handing back) are in cycle-files.ts, loaded by the report worker
 * only, so the page's bundle stays small.
 */

export function listCycles(db: WorkbenchDb): Promise<Cycle[]> {
  return db.cycles.orderBy('number').reverse().toArray();
}

export async function load(db: WorkbenchDb, id: string): Promise<Cycle> {
  const c = await db.cycles.get(id);
  if (!c) throw new CycleError(`There is no reporting cycle ${id}`);
  return c;
}

export async function save(db: WorkbenchDb, before: Cycle, after: Cycle): Promise<Cycle> {
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

/** `<device key>\0<report id>` of every report held by a cycle other than this one (one that may be in CSSM). */
export function heldReports(cycles: readonly Cycle[], except: string): Set<string> {
  const held = new Set<string>();
  for (const c of cycles) if (c.id !== except && holdsReports(c)) for (const d of c.devices) for (const id of d.reportIds) held.add(`${d.key}\u0000${id}`);
  return held;
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

export function checkReconcilable(cycle: Cycle): void {
  if (!['uploaded', 'ack-imported', 'reconciled', 'exported'].includes(cycle.state)) {
    const why = cycle.state === 'abandoned' ? 'was abandoned' : cycle.uploadedOn === null ? 'has not been confirmed as uploaded to CSSM yet' : `is at "${cycle.state}"`;
    throw new CycleError(`Cycle ${cycle.number} ${why}: import its ACK after confirming the upload`);
  }
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

