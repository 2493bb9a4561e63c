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

  /**
   * Runs one job after any job before it. Rejects with CancelledError when cancelled.
   *
   * Callbacks the worker calls (progress, events) must be made with `listen`: messages the worker posted just
   * before it was terminated are still delivered to the page afterwards, and a late "working…" event would
   * otherwise overwrite the "cancelled" the page has already shown (seen in CI: a cancelled import row that
   * went back to "working" and stayed there). `listen` drops every call once the job is cancelled. A job that
   * ends normally keeps its callbacks: a callback travels on a port of its own, so the worker's last event may
   * reach the page after its answer does, and it must still count.
   */
  run<R>(task: (api: Comlink.Remote<Api>, listen: <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => void) => Promise<R>): Promise<R> {
    const job = this.queue.then(async () => {
      let dropped = false; // once cancelled
      const listen = <A extends unknown[]>(fn: (...args: A) => void) =>
        Comlink.proxy((...args: A) => {
          if (!dropped) fn(...args);
        });
      const work = task(this.start(), listen);
      const cancelled = new Promise<never>((_, reject) => {
        this.abortCurrent = (e) => {
          dropped = true;
          reject(e);
        };
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
