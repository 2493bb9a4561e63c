import type { FileKind } from '../core/formats/classify.ts';
import type { ImportSummary } from '../db/import.ts';
import type { ImportEvent, ImportInput, ImportPhase, ImportResult, ImportStatus, ImportWorkerApi } from './import-api.ts';
import { journaled } from './interrupted.svelte.ts';
import { storage } from './storage.svelte.ts';
import { CancelledError, WorkerBridge } from './worker-bridge.ts';
import { workspaceName } from './workspace.ts';

export type RowStatus = 'queued' | 'working' | ImportStatus | 'cancelled';

export interface JobRow {
  id: number;
  name: string;
  size: number;
  status: RowStatus;
  phase: ImportPhase | null;
  fraction: number;
  message: string;
  warnings: string[];
  kind: FileKind | null;
  simulated: boolean;
  summary: ImportSummary | null;
  timings: ImportResult['timings'];
}

/** Files an operating system leaves in folders; importing them would only produce noise. */
const SYSTEM_FILES = /^(\..*|Thumbs\.db|desktop\.ini|__MACOSX)$/i;

export function isSystemFile(name: string): boolean {
  return name.split('/').some((part) => SYSTEM_FILES.test(part));
}

let nextId = 1;

/** Every import the user started this session, with per-file progress, result and errors. */
class Jobs {
  rows = $state<JobRow[]>([]);
  skippedSystemFiles = $state(0);
  private bridge = new WorkerBridge<ImportWorkerApi>(() => new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'import' }));
  private askedPersistence = false;

  get running(): boolean {
    return this.rows.some((r) => r.status === 'queued' || r.status === 'working');
  }

  /** Queues files for import; each becomes a row that fills in as the worker goes. */
  async importFiles(files: readonly ImportInput[]): Promise<void> {
    const wanted = files.filter((f) => !isSystemFile(f.name));
    this.skippedSystemFiles += files.length - wanted.length;
    if (wanted.length === 0) return;
    const batch: JobRow[] = wanted.map((f) => ({
      id: nextId++,
      name: f.name,
      size: f.blob.size,
      status: 'queued',
      phase: null,
      fraction: 0,
      message: 'Waiting…',
      warnings: [],
      kind: null,
      simulated: false,
      summary: null,
      timings: {},
    }));
    this.rows = [...batch, ...this.rows];
    const rowAt = (index: number) => this.rows.find((r) => r.id === batch[index]!.id);
    const onEvent = (event: ImportEvent) => {
      if (event.type === 'phase') {
        const row = rowAt(event.index);
        if (!row) return;
        row.status = 'working';
        row.phase = event.phase;
        row.fraction = event.fraction;
        row.message = `${event.phase[0]!.toUpperCase()}${event.phase.slice(1)}…`;
      } else {
        const { result } = event;
        const row = rowAt(result.index);
        if (!row) return;
        Object.assign(row, { status: result.status, phase: null, fraction: 1, message: result.message, warnings: result.warnings, kind: result.kind, simulated: result.simulated, summary: result.summary, timings: result.timings });
        if (result.status === 'imported') void this.afterFirstImport();
      }
    };
    try {
      // Files go as Blob handles: structured clone shares a Blob's data, so nothing is copied.
      // Journaled (src/db/journal.ts): if this tab closes or crashes mid-way, the next open says which files to import again.
      const files = wanted.map((f) => f.name);
      await journaled({ kind: 'import', label: files.length === 1 ? `Importing ${files[0]}` : `Importing ${files.length} files`, files }, () =>
        this.bridge.run((api, listen) => api.importFiles(workspaceName, [...wanted], listen(onEvent))),
      );
    } catch (e) {
      const cancelled = e instanceof CancelledError;
      for (const row of batch) {
        const live = this.rows.find((r) => r.id === row.id);
        if (live && (live.status === 'queued' || live.status === 'working')) {
          live.status = cancelled ? 'cancelled' : 'refused';
          live.fraction = 0;
          live.message = cancelled ? 'Cancelled: nothing from this file was imported.' : `The import stopped unexpectedly (${e instanceof Error ? e.message : String(e)}). Nothing from this file was imported.`;
        }
      }
    }
    void storage.refresh();
  }

  cancel(): void {
    this.bridge.cancel();
  }

  clearFinished(): void {
    this.rows = this.rows.filter((r) => r.status === 'queued' || r.status === 'working');
    this.skippedSystemFiles = 0;
  }

  private async afterFirstImport(): Promise<void> {
    if (this.askedPersistence) return;
    this.askedPersistence = true;
    await storage.refresh();
    if (storage.persisted === false) await storage.requestPersistence();
  }
}

export const jobs = new Jobs();
