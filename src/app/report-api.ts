import type { AuthCandidate, Candidate } from '../core/cycle/choose.ts';
import type { Cycle } from '../core/cycle/model.ts';
import type { VaSettings } from '../core/policy/fleet.ts';
import type { ReconcilePreview } from '../db/cycle-files.ts';

/**
 * The contract between the Reporting cycles view and the report worker: everything that reads many devices or
 * opens archives (choosing, building an upload, reading ACKs, writing the hand-back) runs there, off the page.
 */
export interface AckInput {
  name: string;
  blob: Blob;
}

export interface ReportWorkerApi {
  /** Every device with something a new cycle could carry, with its deadline status. */
  candidates(dbName: string, now: number, settings: Record<string, VaSettings>): Promise<Candidate[]>;
  /** Every device with a SLAC request or return no cycle carried yet, with what it needs (policy/slac.ts). */
  authCandidates(dbName: string): Promise<{ candidates: Array<AuthCandidate & { need: string | null }>; missing: Array<{ key: string; hostname: string | null; reason: string }> }>;
  /** Builds the cycle's upload from the stored originals and keeps it; the cycle moves to "upload built". */
  build(dbName: string, cycleId: string, now: number, by: string, onProgress: (done: number, total: number) => void): Promise<Cycle>;
  /** What importing these files would do, before anything is written. */
  preview(dbName: string, cycleId: string, files: AckInput[]): Promise<ReconcilePreview>;
  /** Imports the matched ACKs into the cycle (one transaction). */
  apply(dbName: string, cycleId: string, files: AckInput[], now: number, by: string): Promise<ReconcilePreview & { cycle: Cycle }>;
  /** Writes and keeps the hand-back tar.gz; returns its hash (the page downloads it from the outputs table). */
  handBack(dbName: string, cycleId: string, now: number, by: string): Promise<{ cycle: Cycle; sha256: string; name: string }>;
}
