import type { Udi } from '../model/udi.ts';

/**
 * The offline reporting cycle (issue 6, capability 6): one guided, resumable round trip per Virtual Account —
 * choose devices, build the upload for CSSM, carry it across, import what CSSM returned, reconcile, hand every
 * device its ACK back, and optionally verify on the device. A cycle is one stored record; every step appends to
 * its audit trail (who, when, which files by SHA-256). Nothing is ever deleted: a cycle can only be abandoned,
 * with a reason, because CSSM cannot delete an upload either (FORMATS.md).
 *
 * Pure: the store (db/cycles.ts) persists these records, the report worker builds files, the view renders.
 */

export type CycleState = 'draft' | 'built' | 'downloaded' | 'uploaded' | 'ack-imported' | 'reconciled' | 'exported' | 'verified' | 'abandoned';

/** The steps in order (abandoned is off to the side). */
export const CYCLE_STEPS: readonly CycleState[] = ['draft', 'built', 'downloaded', 'uploaded', 'ack-imported', 'reconciled', 'exported', 'verified'];

export const STATE_LABELS: Record<CycleState, string> = {
  draft: 'Draft',
  built: 'Upload built',
  downloaded: 'Downloaded',
  uploaded: 'Uploaded to CSSM',
  'ack-imported': 'ACK imported',
  reconciled: 'Reconciled',
  exported: 'Device files exported',
  verified: 'Verified',
  abandoned: 'Abandoned',
};

/**
 * What a cycle carries: device usage (RUM reports, answered by an ACK), or SLAC requests and returns (answered by
 * a file with the authorization code, installed on the device the same way — seed 004 L658-662), or the
 * workbench's controller usage report of licence assignments (SD-WAN Manager offline mode, seed 000 L788-822): it
 * names no device; its ACK closes the cycle and nothing is handed back.
 */
export type CycleKind = 'usage' | 'authorization' | 'controller';

/** How the upload is shaped: a CSSM upload bundle, one device's usage file as is, or one file per device in a tar. */
export type UploadMode = 'bundle' | 'single' | 'per-device';

export interface CycleFileRef {
  name: string;
  sha256: string;
  size: number;
  /** When the workbench wrote it (uploads and hand-backs). */
  at?: number;
}

export interface AuditEntry {
  at: number;
  /** The operator's name as typed in the workbench (there are no accounts: it is a label, not a credential). */
  by: string;
  /** The state this step led to; `note` for a step that does not change state (a rebuild, a partial ACK). */
  step: CycleState | 'note';
  message: string;
  files: CycleFileRef[];
}

/** Where a device's ACK came from: a stored file (the ACK or ACK bundle imported) and the entry inside it. */
export interface AckRef {
  /** SHA-256 of the imported file. */
  file: string;
  fileName: string;
  /** The entry path inside the file's archives; [] for a single ACK file. */
  entry: string[];
  /** The name the device's ACK is handed back under (the entry's base name, e.g. `ACK_dev_3_1790000000.txt`). */
  name: string;
  /** The ACK's own time, else when it was imported (ms). */
  at: number;
  /** How the ACK was tied to this device. */
  via: 'udi' | 'report-ids' | 'file-name';
}

export interface CycleDevice {
  key: string;
  udi: Udi;
  hostname: string | null;
  /** `cslu`, `on-prem` or `device` (the device imports its ACK itself): decides the hand-back steps. */
  handBack: HandBackPath;
  /** The reports this cycle carries for the device (decimal strings); none in an authorization cycle. */
  reportIds: string[];
  /** The SLAC request or return an authorization cycle carries for the device (its stored file, uploaded as is). */
  request: { id: string; file: string; entry: string[]; kind: 'request' | 'return'; entitlements: string[] } | null;
  /** The file inside the upload that holds the device's reports (`dev_<n>_<ts>.txt`, or the upload's own name). */
  uploadFile: string | null;
  /** The `<n>` of `dev_<n>_…` in a bundle: how an ACK bundle maps back when its content names no device. */
  n: number | null;
  /** Whether the device's file went in byte for byte (a stored usage file holding exactly these reports). */
  verbatim: boolean | null;
  ack: AckRef | null;
  /** `Last ACK received` a `show license status` pasted after hand-back printed (ms), when verified. */
  verifiedAck: number | null;
}

export type HandBackPath = 'device' | 'cslu' | 'on-prem';

export interface Cycle {
  id: string;
  /** 1, 2, 3… in the workspace: what the operator says ("cycle 4"). */
  number: number;
  kind: CycleKind;
  smartAccount: string | null;
  virtualAccount: string;
  mode: UploadMode;
  state: CycleState;
  createdAt: number;
  updatedAt: number;
  devices: CycleDevice[];
  /** The built upload (kept in the outputs table by its SHA-256, so it can be downloaded again). */
  upload: CycleFileRef | null;
  /** The date the operator says the upload went into CSSM (ms). */
  uploadedOn: number | null;
  /** ACK files imported into this cycle. */
  acks: CycleFileRef[];
  /** The hand-back tar (ACK files + scripts), when exported. */
  handBack: CycleFileRef | null;
  abandoned: { at: number; reason: string } | null;
  /** A controller cycle's report: its ID (matched against the ACK), Virtual Accounts and assignments counted. */
  controller?: { reportId: string; virtualAccounts: string[]; assignments: number } | null;
  audit: AuditEntry[];
}

export class CycleError extends Error {
  override readonly name = 'CycleError';
}

/**
 * Which steps may follow which. Rebuilding is allowed until the upload is downloaded (from then on it may be in
 * CSSM: abandon with a reason and start again). A late ACK may still come in after reconciling or exporting.
 */
const NEXT: Record<CycleState, readonly CycleState[]> = {
  draft: ['built'],
  built: ['built', 'downloaded'],
  downloaded: ['downloaded', 'uploaded'],
  uploaded: ['ack-imported', 'reconciled'],
  'ack-imported': ['ack-imported', 'reconciled'],
  reconciled: ['reconciled', 'exported'],
  exported: ['exported', 'verified'],
  verified: ['verified'],
  abandoned: [],
};

export function canMove(from: CycleState, to: CycleState): boolean {
  return NEXT[from].includes(to);
}

/** The cycle after one step: the state (when it changes) and one audit entry. Throws CycleError when out of order. */
export function advance(cycle: Cycle, to: CycleState, entry: Omit<AuditEntry, 'step'>, patch: Partial<Cycle> = {}): Cycle {
  if (!canMove(cycle.state, to)) {
    throw new CycleError(`Cycle ${cycle.number} is ${STATE_LABELS[cycle.state].toLowerCase()}: it cannot go to "${STATE_LABELS[to]}" from there`);
  }
  const step: AuditEntry['step'] = to === cycle.state ? 'note' : to;
  return { ...cycle, ...patch, state: to, updatedAt: entry.at, audit: [...cycle.audit, { ...entry, step }] };
}

/** Abandons a cycle with the operator's reason. Its files and history stay. */
export function abandon(cycle: Cycle, reason: string, at: number, by: string): Cycle {
  const why = reason.trim();
  if (!why) throw new CycleError('Say why the cycle is abandoned: the reason stays in its history');
  if (cycle.state === 'abandoned' || cycle.state === 'verified') throw new CycleError(`Cycle ${cycle.number} is ${STATE_LABELS[cycle.state].toLowerCase()}: there is nothing to abandon`);
  return { ...cycle, state: 'abandoned', updatedAt: at, abandoned: { at, reason: why }, audit: [...cycle.audit, { at, by, step: 'abandoned', message: `Abandoned: ${why}`, files: [] }] };
}

/** A cycle whose upload may be (or has been) in CSSM: its reports must not go into another cycle. */
export function holdsReports(cycle: Cycle): boolean {
  return cycle.state !== 'draft' && cycle.state !== 'built' && !(cycle.state === 'abandoned' && cycle.uploadedOn === null);
}

/** A new cycle in draft, for the devices chosen. */
export function newCycle(input: { id: string; number: number; kind?: CycleKind; smartAccount: string | null; virtualAccount: string; mode: UploadMode; devices: CycleDevice[]; at: number; by: string }): Cycle {
  const kind = input.kind ?? 'usage';
  if (!input.virtualAccount.trim()) throw new CycleError('Choose the Virtual Account the upload goes to');
  if (input.devices.length === 0 && kind !== 'controller') throw new CycleError(kind === 'usage' ? 'Choose at least one device with reports to upload' : 'Choose at least one device with a SLAC request or return to upload');
  if (kind === 'controller' && input.mode !== 'single') throw new CycleError('A controller usage report goes to CSSM as one file');
  if (kind === 'authorization' && input.mode === 'bundle') throw new CycleError('SLAC requests go to CSSM as the files the devices saved: one file, or one file per device');
  if (kind === 'authorization' && input.devices.some((d) => !d.request)) throw new CycleError('Every device of an authorization cycle needs its SLAC request or return file');
  if (input.mode === 'single' && kind !== 'controller' && input.devices.length !== 1) throw new CycleError('A single usage file carries one device: choose the bundle or one file per device for several');
  const reports = input.devices.reduce((n, d) => n + d.reportIds.length, 0);
  const what =
    kind === 'usage'
      ? `${reports} report${reports === 1 ? '' : 's'}`
      : kind === 'controller'
        ? 'the controller usage report of the licence assignments'
        : `${input.devices.filter((d) => d.request?.kind === 'request').length} SLAC request(s), ${input.devices.filter((d) => d.request?.kind === 'return').length} return(s)`;
  return {
    id: input.id,
    number: input.number,
    kind,
    smartAccount: input.smartAccount,
    virtualAccount: input.virtualAccount.trim(),
    mode: input.mode,
    state: 'draft',
    createdAt: input.at,
    updatedAt: input.at,
    devices: input.devices,
    upload: null,
    uploadedOn: null,
    acks: [],
    handBack: null,
    abandoned: null,
    audit: [{ at: input.at, by: input.by, step: 'draft', message: kind === 'controller' ? `Created for ${input.virtualAccount.trim()}: ${what}` : `Created for Virtual Account ${input.virtualAccount.trim()}: ${input.devices.length} device${input.devices.length === 1 ? '' : 's'}, ${what}`, files: [] }],
  };
}

export type AuthRequestState = 'requested' | 'uploaded' | 'code-received' | 'installed' | 'returned';

export const AUTH_STATE_LABELS: Record<AuthRequestState, string> = {
  requested: 'Requested',
  uploaded: 'Uploaded to CSSM',
  'code-received': 'Code received',
  installed: 'Installed',
  returned: 'Returned',
};

/**
 * Where a SLAC request or return stands, from the cycles that carried it (the cycle is the record: nothing is
 * written to the device for each step): requested → uploaded → code received → installed, or → returned.
 */
export function authRequestState(requestId: string, kind: 'request' | 'return', cycles: readonly Cycle[]): { state: AuthRequestState; cycle: number | null } {
  let best: { state: AuthRequestState; cycle: number | null } = { state: 'requested', cycle: null };
  const rank: AuthRequestState[] = ['requested', 'uploaded', 'code-received', 'returned', 'installed'];
  for (const c of cycles) {
    if (!holdsReports(c)) continue;
    const d = c.devices.find((x) => x.request?.id === requestId);
    if (!d) continue;
    const state: AuthRequestState = d.ack ? (kind === 'return' ? 'returned' : d.verifiedAck !== null ? 'installed' : 'code-received') : c.uploadedOn !== null ? 'uploaded' : 'requested';
    if (rank.indexOf(state) >= rank.indexOf(best.state)) best = { state, cycle: c.number };
  }
  return best;
}
