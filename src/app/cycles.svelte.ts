import * as Comlink from 'comlink';
import type { JobEntry } from '../db/journal.ts';
import { journaled } from './interrupted.svelte.ts';
import type { ReportWorkerApi } from './report-api.ts';
import { CancelledError, WorkerBridge } from './worker-bridge.ts';

const OPERATOR_KEY = 'slp-workbench.operator';

/**
 * The page's side of the report worker: one job at a time, with progress and cancel, and the operator's name
 * for the audit trail (a label the operator types, remembered in this browser; there are no accounts).
 */
class CycleJobs {
  busy = $state<{ label: string; done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  operator = $state(readOperator());
  private bridge = new WorkerBridge<ReportWorkerApi>(() => new Worker(new URL('../../workers/report.worker.ts', import.meta.url), { type: 'module', name: 'report' }));

  setOperator(name: string): void {
    this.operator = name;
    try {
      localStorage.setItem(OPERATOR_KEY, name);
    } catch {
      // Private windows may refuse storage: the name then lasts for this page only.
    }
  }

  get by(): string {
    return this.operator.trim() || 'operator';
  }

  /**
   * Runs one worker job; a failure becomes `error` (shown by the view) and the result null. A job that writes
   * names its `journal` kind and cycle: if the tab goes mid-way, the next open says so (src/db/journal.ts).
   */
  async run<T>(
    label: string,
    task: (api: Comlink.Remote<ReportWorkerApi>, progress: (done: number, total: number) => void) => Promise<T>,
    journal?: { kind: Exclude<JobEntry['kind'], 'import'>; cycleId: string; files?: string[] },
  ): Promise<T | null> {
    this.error = null;
    this.busy = { label, done: 0, total: 0 };
    const work = () => this.bridge.run((api, listen) => task(api, listen((done: number, total: number) => void (this.busy?.label === label && (this.busy = { label, done, total })))));
    try {
      return await (journal ? journaled({ kind: journal.kind, label, files: journal.files ?? [], cycleId: journal.cycleId }, work) : work());
    } catch (e) {
      this.error = e instanceof CancelledError ? `${label}: cancelled — nothing was written.` : e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      this.busy = null;
    }
  }

  cancel(): void {
    this.bridge.cancel();
  }
}

function readOperator(): string {
  try {
    return globalThis.localStorage?.getItem(OPERATOR_KEY) ?? '';
  } catch {
    return '';
  }
}

export const cycleJobs = new CycleJobs();
