import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Cycle } from '../../../src/core/cycle/model.ts';
import { type JobEntry, type JobLocks, describeInterrupted, dismissJob, interruptedJobs, listJobs, lockName, runJob, watchJob } from '../../../src/db/journal.ts';
import { type StoredFile, type WorkbenchDb, openWorkbenchDb } from '../../../src/db/schema.ts';

let dbCounter = 0;
function freshDb(): WorkbenchDb {
  return openWorkbenchDb(`journal-${++dbCounter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

/**
 * Web Locks as a browser keeps them for one origin (Node 20 has no `navigator.locks`): exclusive, granted in the
 * order asked. Each agent (a tab) asks through its own manager; killing an agent (closing the tab) releases what it
 * holds and drops what it waits for, and its callbacks never finish.
 */
function lockBroker() {
  const holders = new Map<string, symbol>();
  const waiting = new Map<string, Array<{ agent: symbol; grant: () => void }>>();
  const dead = new Set<symbol>();
  const release = (name: string) => {
    holders.delete(name);
    const queue = (waiting.get(name) ?? []).filter((w) => !dead.has(w.agent));
    const next = queue.shift();
    waiting.set(name, queue);
    next?.grant();
  };
  const agent = () => {
    const me = Symbol('agent');
    const locks: JobLocks & { kill(): void } = {
      request<T>(name: string, ...rest: unknown[]): Promise<T> {
        const callback = rest.at(-1) as (lock: unknown) => Promise<T> | T;
        return new Promise<T>((resolve, reject) => {
          const grant = () => {
            holders.set(name, me);
            void (async () => {
              try {
                const out = await callback({ name });
                if (dead.has(me)) return;
                release(name);
                resolve(out);
              } catch (e) {
                if (dead.has(me)) return;
                release(name);
                reject(e);
              }
            })();
          };
          if (!holders.has(name)) grant();
          else waiting.set(name, [...(waiting.get(name) ?? []), { agent: me, grant }]);
        });
      },
      kill() {
        dead.add(me);
        for (const [name, holder] of [...holders]) if (holder === me) release(name);
      },
    };
    return locks;
  };
  return { agent, held: (name: string) => holders.has(name) };
}

const never = () => new Promise<never>(() => undefined);
const tick = () => new Promise((r) => setTimeout(r, 5));

/** Waits until the jobs have written their running records (however slow the machine): the job has begun. */
async function begun(db: WorkbenchDb, ...ids: string[]): Promise<void> {
  for (;;) {
    const running = new Set((await listJobs(db)).map((j) => j.id));
    if (ids.every((id) => running.has(id))) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}

function job(over: Partial<Omit<JobEntry, 'state'>> = {}): Omit<JobEntry, 'state' | 'foundAt' | 'stored'> {
  return { id: 'j1', kind: 'import', label: 'Importing fleet.tar.gz', files: ['fleet.tar.gz'], startedAt: 1_800_000_000_000, ...over };
}

function storedFile(name: string, importedAt: number): StoredFile {
  return { sha256: `sha-${name}`, name, size: 1, kind: 'usage-report', kindReason: '', simulated: false, importedAt, warnings: [], problems: [], summary: { entries: 1, usageFiles: 1, devices: 1, newDevices: 1, reports: 1, newReports: 1 } };
}

describe('job journal', () => {
  it('keeps a running record under the job lock while the job runs, and removes it when the job ends', async () => {
    const db = freshDb();
    const broker = lockBroker();
    const tab = broker.agent();
    let seen: JobEntry[] = [];
    let locked = false;
    const out = await runJob(db, tab, job(), async () => {
      seen = await listJobs(db);
      locked = broker.held(lockName('j1'));
      return 42;
    });
    expect(out).toBe(42);
    expect(seen).toEqual([expect.objectContaining({ id: 'j1', kind: 'import', state: 'running', files: ['fleet.tar.gz'] })]);
    expect(locked).toBe(true);
    expect(await listJobs(db)).toEqual([]);
    expect(broker.held(lockName('j1'))).toBe(false);
  });

  it('a job that fails or is cancelled is not interrupted: its record goes, and a watcher finds nothing to report', async () => {
    const db = freshDb();
    const broker = lockBroker();
    const tab = broker.agent();
    await expect(runJob(db, tab, job({ id: 'failed' }), () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    // A cancel: the page terminates the worker and the job's promise rejects while another tab watches it.
    let cancel!: (e: Error) => void;
    const running = runJob(db, tab, job({ id: 'cancelled' }), () => new Promise((_, reject) => (cancel = reject)));
    await begun(db, 'cancelled');
    const watcher = watchJob(db, broker.agent(), 'cancelled', () => 1_800_000_100_000);
    cancel(new Error('Cancelled'));
    await expect(running).rejects.toThrow('Cancelled');
    expect(await watcher).toBeNull();
    expect(await listJobs(db)).toEqual([]);
    expect(await interruptedJobs(db)).toEqual([]);
  });

  it('a job whose tab closed is found interrupted by the next page, once, until dismissed', async () => {
    const db = freshDb();
    const broker = lockBroker();
    const closed = broker.agent();
    void runJob(db, closed, job(), never);
    await begun(db, 'j1');
    closed.kill();
    expect(await listJobs(db)).toEqual([expect.objectContaining({ id: 'j1', state: 'running' })]);

    const next = broker.agent();
    const found = await watchJob(db, next, 'j1', () => 1_800_000_100_000);
    expect(found).toMatchObject({ id: 'j1', state: 'interrupted', foundAt: 1_800_000_100_000, stored: [] });
    expect(await interruptedJobs(db)).toEqual([found]);
    // A second tab opening at the same time reports the same record, not a second one.
    expect(await watchJob(db, broker.agent(), 'j1', () => 1_800_000_200_000)).toEqual(found);
    expect(describeInterrupted(found!, () => '14:02')).toBe('The import of fleet.tar.gz started at 14:02 was interrupted: nothing from it was stored. Import it again.');

    await dismissJob(db, 'j1');
    expect(await listJobs(db)).toEqual([]);
  });

  it("a job running in another open tab is left alone, and reported the moment that tab goes", async () => {
    const db = freshDb();
    const broker = lockBroker();
    const other = broker.agent();
    void runJob(db, other, job(), never);
    await begun(db, 'j1');
    let settled: JobEntry | null | 'waiting' = 'waiting';
    void watchJob(db, broker.agent(), 'j1', () => 1_800_000_100_000).then((j) => (settled = j));
    await tick();
    expect(settled).toBe('waiting');
    expect(await interruptedJobs(db)).toEqual([]);
    // Dismissing is for interrupted jobs only: a running one stays.
    await dismissJob(db, 'j1');
    expect(await listJobs(db)).toHaveLength(1);
    other.kill();
    await expect.poll(() => settled).toMatchObject({ id: 'j1', state: 'interrupted' });
  });

  it('a watched job that ends normally is not reported', async () => {
    const db = freshDb();
    const broker = lockBroker();
    let finish!: () => void;
    const running = runJob(db, broker.agent(), job(), () => new Promise<void>((r) => (finish = r)));
    await begun(db, 'j1');
    const watcher = watchJob(db, broker.agent(), 'j1', () => 1_800_000_100_000);
    finish();
    await running;
    expect(await watcher).toBeNull();
    expect(await listJobs(db)).toEqual([]);
  });

  it("an import cut off after some of its files were stored says which were stored and which to import again", async () => {
    const db = freshDb();
    const broker = lockBroker();
    const start = 1_800_000_000_000;
    const closed = broker.agent();
    void runJob(db, closed, job({ label: 'Importing 3 files', files: ['a.txt', 'b.txt', 'c.tar.gz'], startedAt: start }), never);
    await begun(db, 'j1');
    // a.txt was stored by this import; b.txt has the same name as a file stored before it started.
    await db.files.bulkPut([storedFile('a.txt', start + 10), storedFile('b.txt', start - 10)]);
    closed.kill();
    const found = await watchJob(db, broker.agent(), 'j1', () => start + 1000);
    expect(found).toMatchObject({ state: 'interrupted', stored: ['a.txt'] });
    expect(describeInterrupted(found!, () => '14:02')).toBe(
      'The import of 3 files started at 14:02 was interrupted: a.txt was stored whole; nothing from b.txt, c.tar.gz was stored. Import them again (a file already stored is recognised and left as it is).',
    );
  });

  it('an import whose files were all stored before its tab went is simply forgotten', async () => {
    const db = freshDb();
    const broker = lockBroker();
    const start = 1_800_000_000_000;
    const closed = broker.agent();
    void runJob(db, closed, job({ files: ['a.txt'], startedAt: start }), never);
    await begun(db, 'j1');
    await db.files.put(storedFile('a.txt', start + 10));
    closed.kill();
    expect(await watchJob(db, broker.agent(), 'j1', () => start + 1000)).toBeNull();
    expect(await listJobs(db)).toEqual([]);
  });

  it('a cycle step is interrupted unless the cycle recorded it after the step started', async () => {
    const db = freshDb();
    const broker = lockBroker();
    const start = 1_800_000_000_000;
    const audit = [{ at: start - 5000, by: 'Ana', step: 'uploaded', message: 'Uploaded to CSSM', files: [] }];
    await db.cycles.bulkPut([
      { id: 'c1', number: 1, audit } as unknown as Cycle,
      { id: 'c2', number: 2, audit: [...audit, { at: start + 20, by: 'Ana', step: 'reconciled', message: 'Reconciled', files: [] }] } as unknown as Cycle,
    ]);
    const closed = broker.agent();
    void runJob(db, closed, job({ id: 'r1', kind: 'reconcile', label: 'Reconciling cycle 1', files: ['ACK_UD_SA_1.tar.gz'], cycleId: 'c1', startedAt: start }), never);
    void runJob(db, closed, job({ id: 'r2', kind: 'reconcile', label: 'Reconciling cycle 2', files: ['ACK_UD_SA_2.tar.gz'], cycleId: 'c2', startedAt: start }), never);
    await begun(db, 'r1', 'r2');
    closed.kill();
    const next = broker.agent();
    const [r1, r2] = await Promise.all([watchJob(db, next, 'r1', () => start + 1000), watchJob(db, next, 'r2', () => start + 1000)]);
    expect(r2).toBeNull();
    expect(r1).toMatchObject({ id: 'r1', state: 'interrupted' });
    expect(describeInterrupted(r1!, () => '14:02')).toBe('Reconciling cycle 1 (ACK_UD_SA_1.tar.gz), started at 14:02, was interrupted: nothing from it was written and the cycle is as it was. Import the ACK again.');
    expect((await interruptedJobs(db)).map((j) => j.id)).toEqual(['r1']);
  });

  it('journal records live beside other kv records without touching them', async () => {
    const db = freshDb();
    await db.kv.bulkPut([
      { key: 'demo', value: { devices: 50 } },
      { key: 'job:not-a-job', value: 'something else' },
    ]);
    await runJob(db, lockBroker().agent(), job(), async () => expect(await listJobs(db)).toHaveLength(1));
    expect(await listJobs(db)).toEqual([]);
    expect(await db.kv.count()).toBe(2);
  });
});
