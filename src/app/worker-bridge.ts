import * as Comlink from 'comlink';

/**
 * The page's side of a worker, after squoosh's worker bridge: the worker starts on first use, jobs queue one
 * at a time, cancel terminates the worker (the only way to stop work mid-flight; IndexedDB rolls back the
 * interrupted transaction) and a fresh one starts on the next job; an idle worker shuts down.
 */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('Cancelled');
  }
}

const IDLE_MS = 15_000;

export class WorkerBridge<Api> {
  private worker: Worker | null = null;
  private api: Comlink.Remote<Api> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private abortCurrent: ((e: Error) => void) | null = null;

  constructor(private readonly create: () => Worker) {}

  private start(): Comlink.Remote<Api> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.api) {
      this.worker = this.create();
      this.api = Comlink.wrap<Api>(this.worker);
    }
    return this.api;
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
  }

  /** Runs one job after any job before it. Rejects with CancelledError when cancelled. */
  run<R>(task: (api: Comlink.Remote<Api>) => Promise<R>): Promise<R> {
    const job = this.queue.then(async () => {
      const work = task(this.start());
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

  /** Stops the running job now. */
  cancel(): void {
    if (!this.abortCurrent) return;
    this.stop();
    this.abortCurrent(new CancelledError());
  }
}
