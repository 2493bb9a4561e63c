import type { SimPolicy } from '../core/sim/types.ts';

/** The contract between the page and the demo worker (simulated fleet and simulated CSSM, capability 11). */
export interface DemoOptions {
  devices: number;
  seed: string;
  /** ms: "now" for the simulated estate. */
  now: number;
}

export interface DemoProgress {
  phase: 'generating' | 'importing' | 'done';
  fraction: number;
  message: string;
}

/** Stored in the demo database under kv key `demo`. */
export interface DemoInfo extends DemoOptions {
  loadedAt: number;
  smartAccount: string;
  virtualAccounts: Array<{ name: string; policy: SimPolicy }>;
  units: number;
}

export type CssmAnswer =
  | { accepted: true; name: string; bytes: ArrayBuffer; kind: 'ack' | 'ack-bundle'; devices: number; acknowledged: number }
  | { accepted: false; reason: string };

export interface DemoWorkerApi {
  /** Deletes the named database, then fills it with a simulated fleet. */
  loadDemo(dbName: string, options: DemoOptions, onProgress: (p: DemoProgress) => void): Promise<DemoInfo>;
  /** Every file of the loaded demo fleet as one tar.gz (usage files, SLAC requests, CLI text, summary, inventory). */
  demoKit(dbName: string): Promise<{ name: string; bytes: ArrayBuffer }>;
  /** Plays CSSM on an upload, remembering what it received in the demo database. */
  simulateCssm(dbName: string, upload: { name: string; blob: Blob }, virtualAccount: string | null): Promise<CssmAnswer>;
}
