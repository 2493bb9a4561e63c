import type { FileKind } from '../core/formats/classify.ts';
import type { ImportSummary } from '../db/import.ts';

/**
 * The contract between the UI and the import worker. Files travel as `File`/`Blob` handles: structured clone
 * of a Blob shares its data with the worker, so nothing is copied and the page never reads the bytes.
 */
export interface ImportInput {
  name: string;
  blob: Blob;
}

/**
 * What the import worker is doing: reading the file, hashing it, opening it (inflating, walking its tar), parsing its
 * entries, merging what they say with the workspace, storing the result. Each one's time is in `timings`.
 */
export type ImportPhase = 'reading' | 'hashing' | 'opening' | 'parsing' | 'merging' | 'storing';

export type ImportStatus = 'imported' | 'duplicate' | 'refused' | 'not-supported';

export interface ImportResult {
  index: number;
  name: string;
  status: ImportStatus;
  /** One sentence for the user: what happened to this file. */
  message: string;
  warnings: string[];
  sha256: string | null;
  kind: FileKind | null;
  simulated: boolean;
  summary: ImportSummary | null;
  /** Milliseconds spent per phase in the worker, for the progress row and the benchmarks. */
  timings: Partial<Record<ImportPhase, number>>;
}

export type ImportEvent =
  | { type: 'phase'; index: number; phase: ImportPhase; fraction: number }
  | { type: 'result'; result: ImportResult };

export interface ImportWorkerApi {
  /** Imports the files one after the other, each in its own transaction, into the named database. */
  importFiles(dbName: string, inputs: ImportInput[], onEvent: (event: ImportEvent) => void): Promise<ImportResult[]>;
}
