import { writeUsageFile } from '../../src/core/sim/usage-file.ts';
import { expect, fixture, importFiles, test, waitForRows } from './fixtures.ts';

test('the 50-device demo fills its own workspace, plays CSSM, and leaving it finds the real workspace untouched', async ({ page }) => {
  await page.goto('./');
  // Something real first, to prove the demo never touches it.
  await importFiles(page, [{ name: 'real_all_rum.txt', buffer: fixture('formats', 'rum-save-usage_c9300_standalone.txt') }]);
  await waitForRows(page, 1);
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('button', { name: 'Load demo data: 50 devices' }).click();

  await expect(page.getByTestId('demo-badge')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('fleet-summary')).toContainText('50 product instances');
  await expect(page.getByRole('table', { name: 'Devices' })).not.toContainText('access-sw-01');
  await page.screenshot({ path: 'test-results/screens/07-demo-fleet.png' });
  await page.getByRole('link', { name: /Files/ }).click();
  await expect(page.getByRole('table', { name: 'Imported files' }).getByText('simulated').first()).toBeVisible();

  // The simulated CSSM acknowledges an upload once and rejects the same reports a second time.
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  const usage = writeUsageFile({
    udi: { pid: 'C9300-24UX', sn: 'FCW2401Z0AB' },
    hostname: 'lab-sw-01',
    softwareVersion: '17.12.04',
    softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72',
    savedAt: 1_762_592_000_000,
    reports: [{ reportId: '1762500001', entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 1, start: 1_760_000_000, end: 1_762_592_000 }],
  });
  // The operator's own file of the device, imported first: its first report is long overdue.
  await importFiles(page, [{ name: 'lab-sw-01_all_rum.txt', buffer: Buffer.from(usage) }]);
  await expect(page.locator('[data-testid="import-row"]').first()).toHaveAttribute('data-status', 'imported');
  const deadlineOf = async () => {
    await page.getByRole('link', { name: /Fleet/ }).click();
    await page.getByRole('searchbox', { name: 'Search devices' }).fill('FCW2401Z0AB');
    await page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: /FCW2401Z0AB/ }).click();
    return page.getByTestId('device-deadlines');
  };
  await expect(await deadlineOf()).toContainText('Overdue');
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('cssm-upload').setInputFiles({ name: 'lab-sw-01_all_rum.txt', mimeType: 'text/plain', buffer: Buffer.from(usage) });
  await expect(page.getByTestId('cssm-answer')).toContainText('Accepted lab-sw-01_all_rum.txt.');
  const ack = await download;
  expect(ack.suggestedFilename()).toBe('ACK_lab-sw-01_all_rum.txt');
  // Bringing the ACK back acknowledges the report and records the device's last ACK: nothing is due any more
  // (a perpetual licence under the Cisco default has no reporting frequency, and nothing changed since).
  const { readFileSync } = await import('node:fs');
  await importFiles(page, [{ name: 'ACK_lab-sw-01_all_rum.txt', buffer: readFileSync((await ack.path())!) }]);
  await expect(page.locator('[data-testid="import-row"]').first()).toContainText('1 report acknowledged, last ACK recorded for 1 device.');
  await expect(await deadlineOf()).toContainText('No requirement');
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  await page.getByTestId('cssm-upload').setInputFiles({ name: 'again.txt', mimeType: 'text/plain', buffer: Buffer.from(usage) });
  await expect(page.getByTestId('cssm-answer')).toContainText(/Rejected again\.txt: report 1762500001 of PID:C9300-24UX,SN:FCW2401Z0AB was uploaded to CSSM before/);
  await page.screenshot({ path: 'test-results/screens/08-simulated-cssm.png' });

  await page.getByTestId('demo-badge').getByRole('button', { name: 'Wipe demo' }).click();
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
  await expect(page.getByTestId('fleet-summary')).toHaveText('1 product instance · 2 RUM reports · from 1 file');
  await expect(page.getByRole('link', { name: /Simulated CSSM/ })).toHaveCount(0);
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
  expect(databases).toEqual(['slp-workbench']);
});

test('the demo can be cancelled while it loads, leaving the real workspace as it was', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Load demo data: 10,000 devices' }).click();
  await expect(page.getByRole('progressbar', { name: 'Loading the demo' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toHaveText('Cancelled: the demo was not loaded.');
  await expect(page.getByTestId('demo-badge')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('slp-workbench-demo');
});
