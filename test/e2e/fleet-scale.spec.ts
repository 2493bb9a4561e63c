import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';

/**
 * The Fleet table is served by the fleet worker: the page holds only the rows in view. These checks compare what
 * the table shows, row by row and after scrolling, with the CSV export of the same rows (written by the worker
 * from every row, in order), on the 1,000-device demo.
 */
test('the Fleet table of 1,000 devices scrolls, sorts and filters from the fleet worker, matching its CSV export', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./');
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('button', { name: 'Load demo data: 1,000 devices' }).click();
  await expect(page.getByTestId('demo-badge')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('fleet-summary')).toContainText(/product instances/, { timeout: 60_000 });
  const total = Number((await page.getByTestId('fleet-summary').textContent())!.replace(/,/g, '').match(/(\d+) product instances/)![1]);
  expect(total).toBeGreaterThanOrEqual(1000);

  const table = page.getByRole('table', { name: 'Devices' });
  const csvRows = async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const lines = readFileSync((await (await download).path())!, 'utf8').trim().split('\r\n');
    const header = lines[0]!.split(',');
    const serial = header.indexOf('serial');
    expect(serial).toBeGreaterThanOrEqual(0);
    return lines.slice(1).map((l) => l.split(',')[serial]!);
  };
  const rowSerial = (index: number) => table.locator(`[role="row"][data-index="${index}"] [role="cell"]`).nth(2);

  // Sorted by serial number, descending: the first rows and, after scrolling to the end, the last rows are the
  // CSV's first and last.
  await table.getByRole('button', { name: 'Serial' }).click();
  await table.getByRole('button', { name: 'Serial' }).click();
  await expect(table.getByRole('columnheader', { name: /Serial/ })).toHaveAttribute('aria-sort', 'descending');
  const serials = await csvRows();
  expect(serials).toHaveLength(total);
  expect([...serials].sort().reverse().slice(0, 3)).toEqual(serials.slice(0, 3));
  await expect(rowSerial(0)).toHaveText(serials[0]!);
  await expect(rowSerial(1)).toHaveText(serials[1]!);
  await table.locator('.scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(rowSerial(total - 1)).toHaveText(serials[total - 1]!);
  await expect(table.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);

  // A filter narrows the rows the worker holds; the table and the export agree.
  const query = serials[total - 1]!.slice(0, 6);
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(query);
  const shown = Number((await page.getByTestId('fleet-shown').textContent())!.replace(/\D/g, ''));
  const filtered = await csvRows();
  expect(filtered.length).toBe(shown);
  expect(shown).toBeLessThan(total);
  for (const s of filtered) expect(s.toLowerCase()).toContain(query.toLowerCase());
  await expect(rowSerial(0)).toHaveText(filtered[0]!);

  // The detail panel reads its device from the worker.
  await table.locator('[role="row"][data-index="0"]').click();
  await expect(page.getByTestId('device-deadlines')).toBeVisible();
  await expect(page.locator('aside, [data-testid="device-detail"]').first()).toContainText(filtered[0]!);
  await page.screenshot({ path: 'test-results/screens/fleet-worker-1000.png' });
});
