import { backup } from './backup.svelte.ts';
import { cycleJobs } from './cycles.svelte.ts';
import { demo } from './demo.svelte.ts';
import { jobs } from './jobs.svelte.ts';

/**
 * Service worker registration with `prompt` updates (capability 10): a new version is announced and applied
 * only when the user asks, and never while a job runs, since reloading would cancel it: an import, a demo load, or a
 * report-worker job (choosing, building an upload, reconciling, the hand-back), a backup or a restore.
 */
class PwaState {
  updateReady = $state(false);
  offlineReady = $state(false);
  private apply: ((reload?: boolean) => Promise<void>) | null = null;

  setUpdater(apply: (reload?: boolean) => Promise<void>) {
    this.apply = apply;
  }

  get canUpdateNow(): boolean {
    return this.updateReady && !jobs.running && !demo.running && !cycleJobs.busy && !backup.busy;
  }

  async update(): Promise<void> {
    if (!this.canUpdateNow || !this.apply) return;
    await this.apply(true);
  }
}

export const pwa = new PwaState();

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  void import('virtual:pwa-register').then(({ registerSW }) => {
    const apply = registerSW({
      immediate: true,
      onNeedRefresh() {
        pwa.updateReady = true;
      },
      onOfflineReady() {
        pwa.offlineReady = true;
      },
    });
    pwa.setUpdater(apply);
  });
}
