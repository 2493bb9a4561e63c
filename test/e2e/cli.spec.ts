import { readFileSync } from 'node:fs';
import { expect, fixture, test, waitForRows } from './fixtures.ts';

/** A paste as an operator makes it: two controllers, several commands each, prompts carrying their host names. */
function twoControllers(): string {
  const body = (name: string) => fixture('cli-seed', name).toString('utf8').split('\n').slice(1).join('\n');
  return [
    'wlc-sle#show license udi',
    'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS',
    'HA UDI List:',
    '  Active:PID:C9800-CL-K9,SN:93BBAH93MGS',
    '  Standby:PID:C9800-CL-K9,SN:9XECPSUU4XN',
    'wlc-sle#show license status',
    body('F07_show_license_status_custom_policy_ha_trust.clean.txt'),
    'wlc-lab#show license all',
    body('F10_show_license_all_9800CL_17.7.1.clean.txt'),
    'wlc-lab#',
  ].join('\n');
}

test('pasted show output of two controllers becomes two HA pairs with facts, sources and conflicts', async ({ page }) => {
  await page.goto('./#/import');
  await page.getByTestId('paste-text').fill(twoControllers());
  await page.getByTestId('paste-import').click();
  await waitForRows(page, 1);
  const row = page.locator('[data-testid="import-row"]').first();
  await expect(row).toHaveAttribute('data-status', 'imported');
  await expect(row).toContainText('"show license" output: read what 2 devices said; 4 product instances (4 new).');
  await expect(page.getByTestId('paste-text')).toHaveValue('');
  await page.screenshot({ path: 'test-results/screens/10-paste.png' });

  await page.getByRole('link', { name: /Fleet/ }).click();
  const table = page.getByRole('table', { name: 'Devices' });
  await expect(page.getByTestId('fleet-summary')).toContainText('4 product instances');
  const sle = table.getByRole('row', { name: /93BBAH93MGS/ });
  await expect(sle).toContainText('SLE Policy');
  await expect(sle).toContainText('installed');
  await expect(table.getByRole('row', { name: /9KGIXIDOXFE/ })).toContainText('Eg-VA');

  // Filters: the Virtual Account only the lab pair printed (its standby shares it), then devices whose VA is not known.
  await page.getByTestId('filter-va').selectOption('Eg-VA');
  await expect(page.getByTestId('fleet-shown')).toHaveText('2 shown');
  await expect(table.getByRole('row', { name: /9UBKZU955E4/ })).toContainText('Eg-VA');
  await page.getByTestId('filter-va').selectOption({ label: 'Not known' });
  await expect(page.getByTestId('fleet-shown')).toHaveText('2 shown');
  await page.getByTestId('filter-va').selectOption({ label: 'All' });
  await page.getByTestId('filter-policy').selectOption('SLE Policy');
  await page.getByTestId('filter-trust').selectOption('installed');
  await expect(page.getByTestId('fleet-shown')).toHaveText('2 shown');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const csv = readFileSync((await (await download).path())!, 'utf8').split('\r\n');
  expect(csv[0]).toMatch(/^hostname,pid,serial,family,ha_role,/);
  // Both controllers of the SLE pair have their own trust code (F07's Trust Code Installed lists both).
  expect(csv[1]).toMatch(/^wlc-sle,C9800-CL-K9,93BBAH93MGS,C9800-CL,active,,,,SLE Policy,Smart,installed,/);
  expect(csv[2]).toMatch(/^wlc-sle,C9800-CL-K9,9XECPSUU4XN,C9800-CL,standby,,,,SLE Policy,Smart,installed,/);
  expect(csv).toHaveLength(4);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // A newer paste for the lab controller, without a UDI: tied by its prompt's host name; its VA now differs.
  await page.getByRole('link', { name: /Import/ }).click();
  await page.getByTestId('paste-text').fill('wlc-lab#show license status\nAccount Information:\n  Smart Account: Eg-SA\n  Virtual Account: Lab-VA\n');
  await page.getByTestId('paste-import').click();
  await waitForRows(page, 2);
  await expect(page.locator('[data-testid="import-row"]').first()).toHaveAttribute('data-status', 'imported');
  await page.getByRole('link', { name: /Fleet/ }).click();
  await table.getByRole('row', { name: /9KGIXIDOXFE/ }).click();
  const detail = page.getByRole('complementary', { name: 'Device details' });
  const account = detail.getByTestId('picture-account');
  await expect(account.getByRole('row', { name: /Virtual Account/ })).toContainText('Lab-VA');
  await expect(account.getByRole('row', { name: /Virtual Account/ })).toContainText('differs');
  await expect(account.getByRole('row', { name: /Virtual Account/ })).toContainText(/was “Eg-VA” \[\d\]/);
  await expect(detail.getByTestId('picture-sources')).toContainText('show license all in pasted-');
  await expect(detail.getByTestId('picture-sources')).toContainText('show license status in pasted-');
  await expect(detail.getByTestId('picture-policy')).toContainText('Unenforced perpetual: first report (days)');
  await account.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/11-device-picture.png' });
  // The standby learned its role and its set's host name from the active's output.
  await expect(table.getByRole('row', { name: /9UBKZU955E4/ })).toContainText('wlc-lab');
});

test('a host name carrying markup in pasted output is shown as text and never run', async ({ page }) => {
  await page.goto('./#/import');
  await page.getByTestId('paste-text').fill('<svg/onload=alert(1)> uptime is 1 week, 2 days\nCisco IOS XE Software, Version 17.09.04\nUDI: PID:C9300-24UX,SN:XSS0001\n');
  await page.getByTestId('paste-import').click();
  await waitForRows(page, 1);
  await expect(page.locator('[data-testid="import-row"]').first()).toHaveAttribute('data-status', 'imported');
  await page.getByRole('link', { name: /Fleet/ }).click();
  const row = page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: /XSS0001/ });
  await expect(row).toContainText('<svg/onload=alert(1)>');
  await expect(page.locator('svg[onload]')).toHaveCount(0);
  await row.click();
  await expect(page.getByRole('complementary', { name: 'Device details' })).toContainText('<svg/onload=alert(1)>');
  // The fixture's guard fails the test on any dialog or page error: nothing ran.
});
