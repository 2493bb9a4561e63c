import { Dexie } from 'dexie';
import type { CssmAnswer, DemoInfo, DemoProgress, DemoWorkerApi } from './demo-api.ts';
import { saveFile } from './download.ts';
import { CancelledError, WorkerBridge } from './worker-bridge.ts';
import { db, isDemo, switchWorkspace } from './workspace.ts';
import { DEMO_DB_NAME } from '../db/schema.ts';

/** Sizes offered for the demo (issue 3): small enough to load in seconds, large enough to show scale. */
export const DEMO_SIZES = [50, 1000, 10_000] as const;

/**
 * Demo mode (capability 11): a simulated fleet in its own database, generated and imported in a worker with
 * progress and cancel; a simulated CSSM to answer uploads. The demo's "now" is today, so its deadlines are
 * live; its seed is fixed, so every presenter gets the same fleet on the same day.
 */
class DemoState {
  running = $state(false);
  progress = $state<DemoProgress | null>(null);
  error = $state<string | null>(null);
  private bridge = new WorkerBridge<DemoWorkerApi>(() => new Worker(new URL('../../workers/demo.worker.ts', import.meta.url), { type: 'module', name: 'demo' }));

  /**
   * Fills the demo database with `devices` simulated devices, then opens the demo workspace. Offered from the
   * real workspace only: this page never holds the demo database open while the worker rebuilds it.
   */
  async load(devices: number): Promise<void> {
    if (this.running || isDemo) return;
    this.running = true;
    this.error = null;
    this.progress = { phase: 'generating', fraction: 0, message: 'Starting…' };
    const today = new Date();
    const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 9);
    try {
      await this.bridge.run((api, listen) => api.loadDemo(DEMO_DB_NAME, { devices, seed: 'slp-demo', now }, listen((p: DemoProgress) => (this.progress = p))));
      switchWorkspace('demo');
    } catch (e) {
      // A cancelled or failed load leaves a half-filled demo database behind: remove it.
      await Dexie.delete(DEMO_DB_NAME).catch(() => undefined);
      this.running = false;
      this.progress = null;
      this.error = e instanceof CancelledError ? 'Cancelled: the demo was not loaded.' : `The demo could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  cancel(): void {
    this.bridge.cancel();
  }

  async downloadKit(): Promise<void> {
    const kit = await this.bridge.run((api) => api.demoKit(DEMO_DB_NAME));
    saveFile(kit.name, kit.bytes);
  }

  async info(): Promise<DemoInfo | null> {
    return ((await db.kv.get('demo'))?.value as DemoInfo | undefined) ?? null;
  }

  simulateCssm(upload: { name: string; blob: Blob }, virtualAccount: string | null): Promise<CssmAnswer> {
    return this.bridge.run((api) => api.simulateCssm(DEMO_DB_NAME, upload, virtualAccount) as Promise<CssmAnswer>);
  }
}

export const demo = new DemoState();
