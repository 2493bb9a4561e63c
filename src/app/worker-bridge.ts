import * as Comlink from 'comlink';
import type { ImportEvent, ImportInput, ImportResult, ImportWorkerApi } from './import-api.ts';

/**
 * The page's side of the import worker, after squoosh's worker bridge: the worker starts on first use, jobs
 * queue one at a time, cancel terminates the worker (the only way to stop work mid-flight; IndexedDB rolls back
 * the interrupted transaction) and a fresh one starts on the next job; an idle worker shuts down.
 */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('Cancelled');
  }
}

const IDLE_MS = 15_000;

export class ImportWorkerBridge {
  private worker: Worker | null = null;
  private api: Comlink.Remote<ImportWorkerApi> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private abortCurrent: ((e: Error) => void) | null = null;

  constructor(private readonly create: () => Worker = () => new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'import' })) {}

  private start(): Comlink.Remote<ImportWorkerApi> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.api) {
      this.worker = this.create();
      this.api = Comlink.wrap<ImportWorkerApi>(this.worker);
    }
    return this.api;
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }

  /** Runs one import job after any job before it. Rejects with CancelledError when cancelled. */
  run(dbName: string, inputs: ImportInput[], onEvent: (e: ImportEvent) => void): Promise<ImportResult[]> {
    const job = this.queue.then(async () => {
      const api = this.start();
      // Transfer raw buffers (the page loses them; they are not copied); Blobs are handles and need nothing.
      const buffers = inputs.flatMap((i) => ('bytes' in i ? [i.bytes] : []));
      const work = api.importFiles(dbName, Comlink.transfer(inputs, buffers), Comlink.proxy(onEvent));
      const cancelled = new Promise<never>((_, reject) => {
        this.abortCurrent = reject;
      });
      try {
        return await Promise.race([work, cancelled]);
      } finally {
        this.abortCurrent = null;
        if (this.api) this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
      }
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Stops the running job now. Files already finished stay imported; the one in progress leaves nothing. */
  cancel(): void {
    if (!this.abortCurrent) return;
    this.stop();
    this.abortCurrent(new CancelledError());
  }

  get busy(): boolean {
    return this.abortCurrent !== null;
  }
}
