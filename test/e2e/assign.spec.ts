import { expect, importFiles, test, waitForRows } from './fixtures.ts';

test('licences assigned in bulk from the Fleet table clear the compliance banner; an invalid assignment is explained', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('./#/settings');
  await page.getByRole('button', { name: 'Load demo data: 1,000 devices' }).click();
  await expect(page.getByTestId('demo-badge')).toBeVisible({ timeout: 120_000 });

  // A new purchase for the WAN Virtual Account, as CSSM's licence summary for it says.
  const piece = {
    virtual_account: { name: 'WAN' },
    summary: [
      { tag: 'regid.2018-12.com.cisco.DNA_P_100M_A,1.0_8b3e1d54-6a9c-4f27-9d2e-3a1b5c7e9f01', display_name: 'DNA Advantage 100M', prepaid_entitled: 500, prepaid_inuse: 0, prepaid_reserved: 0, license_details: [{ billing_type: 'PREPAID', quantity: 500, license_type: 'TERM', start_date: '2026-01-01', end_date: '2029-12-31' }] },
    ],
  };
  await importFiles(page, [{ name: 'wan-licenses.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(piece)) }]);
  await waitForRows(page, 1);
  await expect(page.getByTestId('import-row').first()).toHaveAttribute('data-status', 'imported');

  await page.getByRole('link', { name: /Fleet/ }).click();
  const banner = page.getByTestId('compliance-banner');
  await expect(banner).toHaveAttribute('data-compliant', 'false');
  await expect(page.locator('[data-cause="devices-without-licence"]')).toBeVisible();

  await page.getByTestId('assign-open').click();
  const panel = page.getByTestId('assign-panel');
  await expect(panel.getByRole('heading')).toHaveText(/Assign a licence to (\d+) devices/);
  const edge = Number(/to ([\d,]+) devices/.exec((await panel.getByRole('heading').textContent()) ?? '')![1]!.replace(/,/g, ''));
  expect(edge).toBeGreaterThanOrEqual(20);
  await page.getByTestId('assign-va').selectOption('WAN');
  await page.getByTestId('assign-licence').selectOption({ label: 'DNA Advantage 100M' });

  // Invalid: a tier above 250 Mbps on routers that have no HSEC licence.
  await page.getByTestId('assign-throughput').fill('1000');
  await expect(page.getByTestId('assign-preview')).toContainText(`0 devices of ${edge} can take it`);
  await expect(page.getByTestId('assign-findings')).toContainText('HSEC');
  await expect(page.getByTestId('assign-apply')).toBeDisabled();
  await page.screenshot({ path: 'test-results/screens/40-assign-invalid.png' });

  await page.getByTestId('assign-throughput').fill('');
  await expect(page.getByTestId('assign-preview')).toContainText(`${edge.toLocaleString('en')} devices of ${edge} can take it`);
  await page.getByTestId('assign-apply').click();
  await expect(page.getByTestId('assign-done')).toHaveText(`Assigned to ${edge.toLocaleString('en')} devices.`);
  await expect(banner).toHaveAttribute('data-compliant', 'true');
  await page.screenshot({ path: 'test-results/screens/41-assigned.png' });

  await page.getByRole('link', { name: /Entitlements/ }).click();
  const row = page.getByTestId('entitlement-va').filter({ hasText: 'WAN' }).getByTestId('entitlement-row').filter({ hasText: 'DNA Advantage 100M' });
  await expect(row.getByTestId('assigned')).toHaveText(String(edge));

  // The controller usage report goes to CSSM through a cycle, and its ACK comes back.
  await page.getByTestId('report-to-cssm').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Draft');
  await page.getByTestId('build-upload').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Upload built');
  const download = page.waitForEvent('download');
  await page.getByTestId('download-upload').click();
  const report = await download;
  expect(report.suggestedFilename()).toMatch(/^controller_usage_\d+\.tar\.gz$/);
  await page.getByTestId('confirm-uploaded').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  const cycleUrl = page.url();
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  const ackDownload = page.waitForEvent('download');
  const { readFileSync } = await import('node:fs');
  await page.getByTestId('cssm-upload').setInputFiles({ name: report.suggestedFilename(), mimeType: 'application/gzip', buffer: readFileSync((await report.path())!) });
  await expect(page.getByTestId('cssm-answer')).toContainText('Accepted');
  const ack = await ackDownload;
  await page.goto(cycleUrl);
  await page.getByTestId('ack-files').setInputFiles({ name: ack.suggestedFilename(), mimeType: 'text/plain', buffer: readFileSync((await ack.path())!) });
  await expect(page.getByTestId('reconcile-plan')).toContainText('1 ACK matched, 0 unexpected ACKs');
  await page.getByTestId('apply-reconcile').click();
  await expect(page.getByTestId('controller-done')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/42-controller-report.png' });

  // Releasing one device's licence keeps the history and brings the banner back for it.
  await page.getByRole('link', { name: /Fleet/ }).click();
  await page.getByRole('searchbox', { name: 'Search devices' }).fill('edge-001');
  await page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: /edge-001/ }).first().click();
  const assignmentsOf = page.getByTestId('device-assignments');
  await assignmentsOf.getByTestId('release').click();
  await page.getByRole('textbox', { name: 'Why release it' }).fill('returned to stock');
  await assignmentsOf.getByTestId('release-confirm').click();
  await expect(assignmentsOf).toContainText('— returned to stock');
  await expect(banner).toHaveAttribute('data-compliant', 'false');

  // The device leaves the network: removed from the inventory, it no longer counts; its record stays.
  await page.getByTestId('remove-device').click();
  await page.getByTestId('remove-reason').fill('decommissioned');
  await page.getByTestId('remove-confirm').click();
  await expect(banner).toHaveAttribute('data-compliant', 'true');
  await page.getByTestId('show-removed').check();
  await page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: /edge-001/ }).first().click();
  await expect(page.getByTestId('device-removed')).toContainText('decommissioned');
});
