import { gzip, writeTar } from '../../src/core/archive/index.ts';
import { writeUsageFile } from '../../src/core/sim/usage-file.ts';
import { expect, fixture, importFiles, test, waitForRows } from './fixtures.ts';

const C9300 = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
const C8000V = fixture('formats', 'rum-save-usage_c8000v_utility.txt');

test('imports the sample usage files and shows the fleet', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/01-empty.png' });

  await importFiles(page, [
    { name: 'access-sw-01_all_rum.txt', buffer: C9300 },
    { name: 'wan-edge-07_all_rum.txt', buffer: C8000V },
  ]);
  await waitForRows(page, 2);
  await expect(page.locator('[data-testid="import-row"][data-status="imported"]')).toHaveCount(2);
  await expect(page.getByText('Device usage file: 1 device (1 new), 2 reports (2 new).').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/02-import.png' });

  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('fleet-summary')).toHaveText('2 product instances · 4 RUM reports · from 2 files');
  const table = page.getByRole('table', { name: 'Devices' });
  await expect(table.getByRole('row', { name: /access-sw-01/ })).toContainText('C9300-24UX');
  await expect(table.getByRole('row', { name: /wan-edge-07/ })).toContainText('hseck9 ×1');
  await table.getByRole('row', { name: /access-sw-01/ }).click();
  const detail = page.getByRole('complementary', { name: 'Device details' });
  await expect(detail).toContainText('PID:C9300-24UX,SN:FCW2303D16Y');
  await expect(detail).toContainText('from access-sw-01_all_rum.txt');
  await expect(detail.getByText('1760003601', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/03-fleet.png' });

  await page.getByRole('link', { name: /Files/ }).click();
  await page.getByRole('row', { name: /wan-edge-07_all_rum.txt/ }).click();
  await expect(page.getByTestId('file-sha')).toHaveText('82bbfcd585853f446de96136df4c96e775a07bed4e84ef95ee56c0da7241c026');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the original' }).click();
  const saved = await (await download).path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(saved!)).toEqual(C8000V);
  await page.screenshot({ path: 'test-results/screens/04-files.png' });
});

test('importing the same bytes twice changes nothing and says so', async ({ page }) => {
  await page.goto('./');
  await importFiles(page, [{ name: 'first.txt', buffer: C9300 }]);
  await waitForRows(page, 1);
  await importFiles(page, [{ name: 'copy-of-first.xml', buffer: C9300 }]);
  await waitForRows(page, 2);
  const row = page.locator('[data-testid="import-row"]').first();
  await expect(row).toHaveAttribute('data-status', 'duplicate');
  await expect(row).toContainText(/Already imported as first\.txt .*nothing changed/);
  await expect(page.getByRole('link', { name: /Files/ })).toContainText('1');
});

test('a bad file gets a clear error naming it, and changes nothing', async ({ page }) => {
  await page.goto('./');
  await importFiles(page, [{ name: 'good.txt', buffer: C9300 }]);
  await waitForRows(page, 1);
  await importFiles(page, [
    { name: 'cut-short.txt', buffer: C8000V.subarray(0, 1500) },
    { name: 'holiday.png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]) },
    { name: 'ACK_all_rum.txt', buffer: fixture('made', 'ack_single.xml') },
    { name: 'fleet.tar.gz', buffer: Buffer.from(gzip(await writeTar([{ name: 'dev_1.txt', bytes: C8000V, mtime: 0 }]))).subarray(0, 900) },
  ]);
  await waitForRows(page, 5);
  const rows = page.locator('[data-testid="import-row"]');
  await expect(rows.filter({ hasText: 'cut-short.txt' })).toHaveAttribute('data-status', 'refused');
  await expect(rows.filter({ hasText: 'cut-short.txt' })).toContainText(/cut-short\.txt: the XML ends early \(line 4: unterminated CDATA section\) — the file was cut short .* Nothing was imported\./);
  await expect(rows.filter({ hasText: 'holiday.png' })).toContainText('holiday.png: is not a file the workbench can read: a PNG image, not a licensing file');
  // An ACK whose body names no device the workbench knows is refused (its encoding is not public: no UDI read).
  await expect(rows.filter({ hasText: 'ACK_all_rum.txt' })).toHaveAttribute('data-status', 'refused');
  await expect(rows.filter({ hasText: 'ACK_all_rum.txt' })).toContainText('is an ACK for no device the workbench knows');
  // The browser's native inflate must report truncation too, not hand back the part it could read.
  await expect(rows.filter({ hasText: 'fleet.tar.gz' })).toContainText('fleet.tar.gz: the gzip data ends early — the file was cut short');
  await page.screenshot({ path: 'test-results/screens/05-errors.png' });
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('fleet-summary')).toHaveText('1 product instance · 2 RUM reports · from 1 file');
});

test('a hostname carrying markup is shown as text, never run', async ({ page }) => {
  const hostile = '<img src=x onerror=alert(document.domain)>';
  const file = writeUsageFile({
    udi: { pid: 'C9300-48P', sn: 'FOC2222X0XX' },
    hostname: hostile,
    softwareVersion: '17.09.04',
    softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72',
    savedAt: 1_762_592_000_000,
    reports: [{ reportId: '1770000001', entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 1, start: 1_760_000_000, end: 1_762_592_000 }],
  });
  await page.goto('./');
  await importFiles(page, [{ name: 'hostile.txt', buffer: Buffer.from(file) }]);
  await waitForRows(page, 1);
  await page.getByRole('link', { name: /Fleet/ }).click();
  const row = page.getByRole('table', { name: 'Devices' }).getByRole('row').filter({ hasText: 'FOC2222X0XX' });
  await expect(row).toContainText(hostile);
  await row.click();
  await expect(page.getByRole('complementary', { name: 'Device details' }).getByRole('heading', { level: 2 })).toHaveText(hostile);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
});

test('after one online load, the app loads and imports with the network off', async ({ page, context }) => {
  await page.goto('./');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { message: 'the service worker controls the first page' }).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
  await importFiles(page, [{ name: 'offline.txt', buffer: C8000V }]);
  await waitForRows(page, 1);
  await expect(page.locator('[data-testid="import-row"]')).toHaveAttribute('data-status', 'imported');
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('fleet-summary')).toContainText('1 product instance');
  await context.setOffline(false);
});
