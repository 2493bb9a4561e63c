import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { gzip, writeTar } from '../../src/core/archive/index.ts';
import { switchUsage } from '../switch-usage.ts';
import { expect, fixture, importFiles, test, waitForRows } from './fixtures.ts';

/**
 * Issue 8, several tabs and crashes: two tabs importing at once, a tab closed in the middle of an import, a worker
 * killed in the middle of a reconcile. Each operation is all or nothing, the interrupted one is reported (once),
 * and the other tab's views follow live.
 */

const C9300 = fixture('formats', 'rum-save-usage_c9300_standalone.txt');

/** A tar.gz of `count` device files with serial numbers of their own (`prefix`), one report each. */
async function fleetArchive(prefix: string, count: number): Promise<Buffer> {
  const files = Array.from({ length: count }, (_, i) => ({
    name: `dev_${prefix}${i + 1}_1762592000.txt`,
    mtime: 1_762_592_000_000,
    bytes: switchUsage(i, { sn: `FC${prefix}${String(i).padStart(8, '0')}`, hostname: `sw-${prefix}-${i}` }),
  }));
  return Buffer.from(gzip(await writeTar(files)));
}

/** The fixture's guard covers its own page; a second page of the test gets the same (checked by `clean`). */
function guardPage(p: Page): string[] {
  const problems: string[] = [];
  p.on('pageerror', (e) => problems.push(e.message));
  p.on('dialog', async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  p.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return problems;
}

/** What the database holds, read with IndexedDB itself (after the app has opened it). */
async function stored(page: Page, dbName: string) {
  return page.evaluate(async (name) => {
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const r = idb.transaction(store, 'readonly').objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
        r.onerror = () => reject(r.error);
      });
    // A bucket holds its items as one JSON string (schema v10, src/db/bulk.ts), as objects before.
    const items = <T>(stored: T[] | string): T[] => (typeof stored === 'string' ? (JSON.parse(stored) as T[]) : stored);
    // Report sets live in buckets of many devices (schema v8, src/db/reports.ts).
    const reports = (await all<{ sets: Array<{ reports: Array<{ acknowledgedBy?: unknown }> }> | string }>('reportSets')).flatMap((b) => items(b.sets));
    const out = {
      files: (await all<{ name: string }>('files')).map((f) => f.name).sort(),
      fileBytes: (await all('fileBytes')).length,
      // Devices live in buckets with a directory (schema v9, src/db/devices.ts): counted in the buckets themselves.
      devices: (await all<{ key: string; devices?: unknown[] | string }>('deviceSets')).reduce((n, r) => n + (r.key.startsWith('d') ? items(r.devices!).length : 0), 0),
      reports: reports.reduce((n, r) => n + r.reports.length, 0),
      acknowledged: reports.reduce((n, r) => n + r.reports.filter((x) => x.acknowledgedBy).length, 0),
      cycles: (await all<{ number: number; state: string; audit: unknown[]; acks: unknown[] }>('cycles')).map((c) => ({ number: c.number, state: c.state, audit: c.audit.length, acks: c.acks.length })),
      journal: (await all<{ key: string }>('kv')).map((r) => r.key).filter((k) => k.startsWith('job:')),
    };
    idb.close();
    return out;
  }, dbName);
}

test('two tabs importing at once: both complete, and each Fleet shows both, live, with exact counts', async ({ page, context }) => {
  test.setTimeout(150_000);
  const [a, b] = await Promise.all([fleetArchive('A', 6000), fleetArchive('B', 6000)]);
  const other = await context.newPage();
  const problems = guardPage(other);
  for (const p of [page, other]) {
    await p.goto('./');
    await p.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  }
  await Promise.all([importFiles(page, [{ name: 'fleet-a.tar.gz', buffer: a }]), importFiles(other, [{ name: 'fleet-b.tar.gz', buffer: b }])]);
  const rowA = page.getByTestId('import-row').first();
  const rowB = other.getByTestId('import-row').first();
  // Both run at the same time, each tab's import worker on the same database.
  await expect.poll(async () => [await rowA.getAttribute('data-status'), await rowB.getAttribute('data-status')], { intervals: [50] }).toEqual(['working', 'working']);

  // Both tabs watch the Fleet while the imports run: the first one's only way to learn of the other's is live.
  await page.getByRole('link', { name: /Fleet/ }).click();
  await other.getByRole('link', { name: /Fleet/ }).click();
  const union = '12,000 product instances · 12,000 RUM reports · from 2 files';
  await expect(page.getByTestId('fleet-summary')).toHaveText(union, { timeout: 90_000 });
  await expect(other.getByTestId('fleet-summary')).toHaveText(union, { timeout: 30_000 });

  // One more file imported in the first tab shows in the second, which stays on its Fleet.
  await importFiles(page, [{ name: 'one-more.txt', buffer: C9300 }]);
  await expect(other.getByTestId('fleet-summary')).toHaveText('12,001 product instances · 12,002 RUM reports · from 3 files');

  for (const p of [page, other]) {
    await p.goto('#/import');
    await waitForRows(p, p === page ? 2 : 1);
    await expect(p.locator('[data-testid="import-row"][data-status="imported"]')).toHaveCount(p === page ? 2 : 1);
    expect(await p.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), 'no reload happened').toBe(true);
  }
  expect(await stored(page, 'slp-workbench')).toMatchObject({ files: ['fleet-a.tar.gz', 'fleet-b.tar.gz', 'one-more.txt'], fileBytes: 3, devices: 12_001, reports: 12_002, journal: [] });
  expect(problems).toEqual([]);
});

test('a tab closed in the middle of an import: nothing of it is stored, and the next page says so once', async ({ page, context }) => {
  test.setTimeout(150_000);
  const archive = await fleetArchive('X', 20_000);
  const doomed = await context.newPage();
  const problems = guardPage(doomed);
  await doomed.goto('./');
  await importFiles(doomed, [{ name: 'closed-mid-way.tar.gz', buffer: archive }]);
  const row = doomed.getByTestId('import-row').first();
  await expect(row).toHaveAttribute('data-status', 'working');
  // The one transaction that writes the whole archive is under way when the tab goes.
  await expect(row).toContainText('Storing…', { timeout: 90_000 });
  await doomed.close();

  await page.goto('./');
  const notice = page.getByTestId('interrupted-job');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText(/^The import of closed-mid-way\.tar\.gz started at .+ was interrupted: nothing from it was stored\. Import it again\./);
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
  await page.getByRole('link', { name: /Files/ }).click();
  await expect(page.getByRole('heading', { name: 'No files yet' })).toBeVisible();
  expect(await stored(page, 'slp-workbench')).toMatchObject({ files: [], fileBytes: 0, devices: 0, reports: 0 });

  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'No files yet' })).toBeVisible();
  // Dismissed means gone from the journal, not only from this page.
  expect((await stored(page, 'slp-workbench')).journal).toEqual([]);
  await expect(page.getByTestId('interrupted-jobs')).toHaveCount(0);
  expect(problems).toEqual([]);
});

/**
 * Clicks `selector`, then waits until a read-write transaction holds the `cycles` store: a read of it is held up
 * (IndexedDB runs a reader after the writer created before it). Then, with `cancel`, clicks the cycle job's Cancel
 * in the same task, so the worker is terminated with its transaction open. Returns false if no writer was seen.
 */
async function clickThenCatchWriter(page: Page, dbName: string, selector: string, cancel: boolean): Promise<boolean> {
  return page.evaluate(
    async ({ dbName, selector, cancel }) => {
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(dbName);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const read = () => new Promise<void>((resolve) => (idb.transaction('cycles', 'readonly').objectStore('cycles').count().onsuccess = () => resolve()));
      (document.querySelector(selector) as HTMLButtonElement).click();
      const until = performance.now() + 60_000;
      try {
        while (performance.now() < until) {
          // 10 ms: a read of a tiny store answers in 1-3 ms unless a writer holds it; the reconcile's writer (bulk
          // reads, then a few hundred records with report buckets, schema v8) can be done in well under 100 ms.
          const held = await Promise.race([read().then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10))]);
          if (held) {
            if (cancel) (document.querySelector('[data-testid="cycle-busy"] button') as HTMLButtonElement).click();
            return true;
          }
        }
        return false;
      } finally {
        idb.close();
      }
    },
    { dbName, selector, cancel },
  );
}

test('a worker killed in the middle of a reconcile: the cycle is as it was, and reconciling again works', async ({ page, context }) => {
  test.setTimeout(300_000);
  const DEMO = 'slp-workbench-demo';
  // The 1,000-device demo: its reconcile writes long enough to be cut in the middle.
  await page.goto('./');
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('button', { name: 'Load demo data: 1,000 devices' }).click();
  await expect(page.getByTestId('demo-badge')).toBeVisible({ timeout: 120_000 });

  await page.getByRole('link', { name: /Reporting cycles/ }).click();
  await page.getByTestId('operator').fill('Ana Lima');
  await page.getByTestId('new-cycle').click();
  await expect(page.getByTestId('candidate').first()).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('preset-unreported').click();
  const devices = Number(/^([\d,]+) device/.exec((await page.getByTestId('chosen-summary').textContent()) ?? '')?.[1]?.replace(/,/g, ''));
  expect(devices).toBeGreaterThan(100);
  await page.getByTestId('create-cycle').click();
  await page.getByTestId('build-upload').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Upload built', { timeout: 60_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-upload').click();
  const upload = await download;
  await page.getByTestId('confirm-uploaded').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  const cycleUrl = page.url();
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  const ackDownload = page.waitForEvent('download');
  await page.getByTestId('cssm-upload').setInputFiles({ name: upload.suggestedFilename(), mimeType: 'application/gzip', buffer: readFileSync((await upload.path())!) });
  const ack = await ackDownload;
  const ackFile = { name: ack.suggestedFilename(), mimeType: 'application/gzip', buffer: readFileSync((await ack.path())!) };
  const plan = `${devices.toLocaleString('en')} ACKs matched, 0 unexpected ACKs, 0 devices still waiting`;

  await page.goto(cycleUrl);
  await page.getByTestId('ack-files').setInputFiles(ackFile);
  await expect(page.getByTestId('reconcile-plan')).toContainText(plan, { timeout: 60_000 });
  const before = await stored(page, DEMO);
  expect(before.cycles).toEqual([expect.objectContaining({ number: 1, state: 'uploaded' })]);

  // 1. Cancelled with its transaction open: the page terminates the worker.
  expect(await clickThenCatchWriter(page, DEMO, '[data-testid="apply-reconcile"]', true), 'the reconcile was caught writing').toBe(true);
  await expect(page.getByTestId('cycle-error')).toHaveText('Reconciling cycle 1: cancelled — nothing was written.');
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  // (The page removes the job's journal record once the worker is gone.)
  await expect.poll(() => stored(page, DEMO)).toEqual(before);
  // A cancel is not an interruption: nothing to report on the next open.
  await page.reload();
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  expect((await stored(page, DEMO)).journal).toEqual([]);

  // 2. A second tab reconciling is closed with its transaction open; this tab, open all along, hears of it.
  const doomed = await context.newPage();
  const problems = guardPage(doomed);
  await doomed.goto(cycleUrl);
  await doomed.getByTestId('ack-files').setInputFiles(ackFile);
  await expect(doomed.getByTestId('reconcile-plan')).toContainText(plan, { timeout: 60_000 });
  expect(await clickThenCatchWriter(doomed, DEMO, '[data-testid="apply-reconcile"]', false), 'the reconcile was caught writing').toBe(true);
  await doomed.close();
  const notice = page.getByTestId('interrupted-job');
  await expect(notice).toContainText(`Reconciling cycle 1 (${ack.suggestedFilename()}), started at `);
  await expect(notice).toContainText('was interrupted: nothing from it was written and the cycle is as it was. Import the ACK again.');
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  expect({ ...(await stored(page, DEMO)), journal: [] }).toEqual(before);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  // 3. Reconciling again works, once.
  await page.getByTestId('ack-files').setInputFiles(ackFile);
  await expect(page.getByTestId('reconcile-plan')).toContainText(plan, { timeout: 60_000 });
  await page.getByTestId('apply-reconcile').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Reconciled', { timeout: 60_000 });
  const after = await stored(page, DEMO);
  expect(after.acknowledged).toBeGreaterThanOrEqual(before.acknowledged + devices);
  expect(after.files).toEqual([...before.files, ack.suggestedFilename()].sort());
  expect(after.cycles).toEqual([expect.objectContaining({ number: 1, state: 'reconciled', acks: 1 })]);
  expect(after.journal).toEqual([]);
  expect(problems).toEqual([]);
});
