import { liveQuery } from 'dexie';
import { type JobEntry, type JobLocks, dismissJob, interruptedJobs, listJobs, runJob, watchJob } from '../db/journal.ts';
import { db } from './workspace.ts';

/**
 * The page's side of the job journal (src/db/journal.ts): the jobs that write run journaled under a Web Lock held
 * by this page; on open, jobs another page left running and whose page is gone are reported once, until the
 * operator dismisses them (in every tab: the list is a live query).
 */

/** `navigator.locks`, absent only in browsers too old for the rest of the workbench (and insecure contexts). */
function locks(): JobLocks | null {
  return (globalThis.navigator?.locks as JobLocks | undefined) ?? null;
}

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Runs `work` as a journaled job of this page; without Web Locks, just runs it. */
export function journaled<T>(job: { kind: JobEntry['kind']; label: string; files: string[]; cycleId?: string }, work: () => Promise<T>): Promise<T> {
  const l = locks();
  if (!l) return work();
  return runJob(db, l, { ...job, id: newId(), startedAt: Date.now() }, work);
}

class InterruptedJobs {
  list = $state<JobEntry[]>([]);
  private started = false;
  private watched = new Set<string>();

  /**
   * Follows the journal: every running job is watched (journal.ts `watchJob`), so one whose page is gone — before
   * this page opened, or while it is open — is reported; interrupted ones show until dismissed, in every tab.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    liveQuery(() => interruptedJobs(db)).subscribe({ next: (jobs) => (this.list = jobs), error: () => undefined });
    const l = locks();
    if (l) liveQuery(() => listJobs(db)).subscribe({ next: (jobs) => this.watch(l, jobs), error: () => undefined });
  }

  private watch(l: JobLocks, jobs: JobEntry[]): void {
    for (const job of jobs) {
      if (job.state !== 'running' || this.watched.has(job.id)) continue;
      this.watched.add(job.id);
      void watchJob(db, l, job.id, Date.now).catch(() => undefined);
    }
  }

  async dismiss(id: string): Promise<void> {
    await dismissJob(db, id);
  }
}

export const interrupted = new InterruptedJobs();
