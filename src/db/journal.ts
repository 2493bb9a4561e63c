import type { WorkbenchDb } from './schema.ts';

/**
 * The job journal (issue 8, several tabs and crashes): one small `kv` record (`job:<id>`) per job that writes, kept
 * while it runs, so that a job cut off by a closed tab, a crashed browser or a killed worker is reported when the
 * workbench is next opened. Each job's writes are one IndexedDB transaction, so an interrupted job stored nothing;
 * the journal only makes sure the operator hears of it and knows what to do again.
 *
 * Liveness is a Web Lock (`slp-job:<id>`) held by the page that runs the job, for as long as it runs: the browser
 * releases a tab's locks when the tab goes, whatever the way. Order is what makes it sound: the owner takes the
 * lock, then writes the record, …, deletes the record, then lets the lock go. So whoever holds the lock and still
 * finds the record knows its owner is gone without finishing. A cancelled job is not interrupted: its owner deletes
 * the record as for any other ending.
 *
 * No DOM here (the lock manager is passed in: `navigator.locks` in a page or worker, a fake in Node's tests).
 */

export type JobKind = 'import' | 'build' | 'reconcile' | 'hand-back' | 'restore' | 'merge';

export interface JobEntry {
  id: string;
  kind: JobKind;
  /** What the operator started, in words ("Reconciling cycle 3"). */
  label: string;
  /** The files the job was given (imports, ACKs), by name. */
  files: string[];
  /** The reporting cycle a cycle job works on. */
  cycleId?: string;
  startedAt: number;
  state: 'running' | 'interrupted';
  /** Once found interrupted: when, and (imports) which of its files were stored all the same, each whole. */
  foundAt?: number;
  stored?: string[];
}

/** The part of the Web Locks API the journal uses (`navigator.locks`). */
export interface JobLocks {
  request<T>(name: string, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
}

const PREFIX = 'job:';

/** True for the key of a journal record (kept out of backups: it belongs to the page running the job). */
export function isJournalKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

export function lockName(id: string): string {
  return `slp-job:${id}`;
}

function isEntry(value: unknown): value is JobEntry {
  return typeof value === 'object' && value !== null && typeof (value as JobEntry).id === 'string' && ((value as JobEntry).state === 'running' || (value as JobEntry).state === 'interrupted');
}

async function read(db: WorkbenchDb, id: string): Promise<JobEntry | null> {
  const row = await db.kv.get(PREFIX + id);
  return row && isEntry(row.value) ? row.value : null;
}

/** Every journal record of the workspace, oldest first. */
export async function listJobs(db: WorkbenchDb): Promise<JobEntry[]> {
  const rows = await db.kv.where('key').startsWith(PREFIX).toArray();
  return rows.flatMap((r) => (isEntry(r.value) ? [r.value] : [])).sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
}

/** Records a job as running. Call it holding the job's lock. */
export async function beginJob(db: WorkbenchDb, job: Omit<JobEntry, 'state' | 'foundAt' | 'stored'>): Promise<void> {
  await db.kv.put({ key: PREFIX + job.id, value: { ...job, state: 'running' } satisfies JobEntry });
}

/** Removes a job's record: it ended (done, failed or cancelled), or the operator read that it was interrupted. */
export async function endJob(db: WorkbenchDb, id: string): Promise<void> {
  await db.kv.delete(PREFIX + id);
}

/**
 * Runs `work` as a journaled job: its lock is held and its record kept until it ends, however it ends (a result, a
 * failure, a cancel). Only the end of the page itself leaves the record behind, and that is what it is for.
 */
export async function runJob<T>(db: WorkbenchDb, locks: JobLocks, job: Omit<JobEntry, 'state' | 'foundAt' | 'stored'>, work: () => Promise<T>): Promise<T> {
  return locks.request(lockName(job.id), async () => {
    await beginJob(db, job);
    try {
      return await work();
    } finally {
      await endJob(db, job.id);
    }
  });
}

/**
 * A running job whose owner is gone is marked interrupted (called holding its lock). What it did all the same is
 * checked, since its owner may have gone between its write and the record's removal: an import's files stored
 * since it started (each whole), a cycle step recorded in the cycle's history. A job that did everything is simply
 * forgotten. Returns the record as it now is, or null.
 */
async function settle(db: WorkbenchDb, id: string, now: number): Promise<JobEntry | null> {
  return db.transaction('rw', [db.kv, db.files, db.cycles], async () => {
    const job = await read(db, id);
    if (!job || job.state !== 'running') return job;
    let stored: string[] = [];
    if (job.kind === 'import' || job.kind === 'reconcile') {
      const names = new Set(job.files);
      stored = [...new Set((await db.files.where('importedAt').aboveOrEqual(job.startedAt).toArray()).map((f) => f.name).filter((n) => names.has(n)))];
    }
    let done = job.kind === 'import' && job.files.length > 0 && stored.length === new Set(job.files).size;
    if (job.cycleId && job.kind !== 'import') {
      const cycle = await db.cycles.get(job.cycleId);
      done = !!cycle?.audit.some((a) => a.at >= job.startedAt);
    }
    if (done) {
      await db.kv.delete(PREFIX + id);
      return null;
    }
    const next: JobEntry = { ...job, state: 'interrupted', foundAt: now, stored };
    await db.kv.put({ key: PREFIX + id, value: next });
    return next;
  });
}

/**
 * Waits for a running job's lock and settles the job then. The lock is granted at once when the job's owner is
 * gone (a tab closed before this one opened): the job is marked interrupted. While its owner runs it (another
 * open tab, or this page), the wait lasts until the owner ends it and the record is gone; if the owner's tab
 * closes or crashes first, the job is reported here at that moment, not only at the next open.
 */
export async function watchJob(db: WorkbenchDb, locks: JobLocks, id: string, now: () => number): Promise<JobEntry | null> {
  return locks.request(lockName(id), () => settle(db, id, now()));
}

/** Interrupted jobs the operator has not dismissed yet, oldest first. */
export async function interruptedJobs(db: WorkbenchDb): Promise<JobEntry[]> {
  return (await listJobs(db)).filter((j) => j.state === 'interrupted');
}

/** Forgets an interrupted job once the operator has read about it. Leaves a running job alone. */
export async function dismissJob(db: WorkbenchDb, id: string): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    if ((await read(db, id))?.state === 'interrupted') await db.kv.delete(PREFIX + id);
  });
}

/** One sentence (or two) for the operator about an interrupted job: what happened, what is stored, what to do. */
export function describeInterrupted(job: JobEntry, formatTime: (ms: number) => string): string {
  const when = formatTime(job.startedAt);
  const list = (names: string[]) => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);
  switch (job.kind) {
    case 'import': {
      const stored = new Set(job.stored ?? []);
      const missing = job.files.filter((f) => !stored.has(f));
      if (job.files.length === 1) return `The import of ${job.files[0]} started at ${when} was interrupted: nothing from it was stored. Import it again.`;
      const kept = stored.size ? ` ${list([...stored])} ${stored.size === 1 ? 'was' : 'were'} stored whole;` : '';
      return `The import of ${job.files.length} files started at ${when} was interrupted:${kept} nothing from ${list(missing)} was stored. Import ${missing.length === 1 ? 'it' : 'them'} again (a file already stored is recognised and left as it is).`;
    }
    case 'reconcile':
      return `${job.label} (${list(job.files)}), started at ${when}, was interrupted: nothing from it was written and the cycle is as it was. Import the ACK again.`;
    case 'build':
      return `${job.label}, started at ${when}, was interrupted: nothing was kept and the cycle is as it was. Build the upload again.`;
    case 'hand-back':
      return `${job.label}, started at ${when}, was interrupted: nothing was kept and the cycle is as it was. Export the device files again.`;
    case 'restore':
      return `${job.label}, started at ${when}, was interrupted: a restore is written in one step, so the workspace is as it was before it. Restore again.`;
    case 'merge':
      return `${job.label}, started at ${when}, was interrupted: the files merged before that are kept, each whole. Merge again: what is already here is recognised and skipped.`;
  }
}
