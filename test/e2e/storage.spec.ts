import { gzip, writeTar } from '../../src/core/archive/index.ts';
import { switchUsage } from '../switch-usage.ts';
import { expect, importFiles, test, waitForRows } from './fixtures.ts';

/** An archive of `count` device files, random serials so that it does not compress to nothing. */
async function archive(count: number): Promise<Buffer> {
  const files = Array.from({ length: count }, (_, i) => ({
    name: `dev_${i}.txt`,
    mtime: 1_762_592_000_000,
    bytes: switchUsage(i, { sn: `FCW${Math.random().toString(36).slice(2, 10).toUpperCase()}`, hostname: `sw-${i}-${Math.random().toString(36).slice(2)}` }),
  }));
  return Buffer.from(gzip(await writeTar(files)));
}

test('a disk too full for an import: it rolls back whole and says how much it needed', async ({ page, baseURL }) => {
  await page.goto('./');
  // The browser's quota for this site, made small (DevTools protocol): the import's transaction is refused at commit.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 600 * 1024 });
  const big = await archive(4000);
  await importFiles(page, [{ name: 'whole-fleet.tar.gz', buffer: big }]);
  await waitForRows(page, 1);
  const row = page.getByTestId('import-row').first();
  await expect(row).toHaveAttribute('data-status', 'refused');
  await expect(row).toContainText(/^.*whole-fleet\.tar\.gz: the browser's storage for this app is full — this needs about [\d.]+ (KiB|MiB)\. This browser lets the workbench use .+, of which .+ is free\. Nothing was changed\./);
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
  await page.getByRole('link', { name: /Files/ }).click();
  await expect(page.getByRole('row', { name: /whole-fleet/ })).toHaveCount(0);

  // Space again: the same file imports whole.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin });
  await importFiles(page, [{ name: 'whole-fleet.tar.gz', buffer: big }]);
  await expect(page.getByTestId('import-row').first()).toHaveAttribute('data-status', 'imported', { timeout: 30_000 });
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('fleet-summary')).toHaveText('4,000 product instances · 4,000 RUM reports · from 1 file');
});
