import { expect, importFiles, loadDemo, test, waitForRows } from './fixtures.ts';

test('the demo\'s CSSM licence summary shows per Virtual Account, and a newer piece replaces it with its changes', async ({ page }) => {
  await loadDemo(page);
  await page.getByRole('link', { name: /Entitlements/ }).click();
  await expect(page.getByTestId('summary')).toContainText('Smart Account Adatum Transit');
  const vas = page.getByTestId('entitlement-va');
  expect(await vas.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('entitlement-row').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/30-entitlements.png', fullPage: true });

  // CSSM's licences of one Virtual Account, downloaded again later: only that Virtual Account changes.
  const piece = {
    virtual_account: { name: 'Campus' },
    summary: [{ tag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', display_name: 'Network Advantage', prepaid_entitled: 400, prepaid_inuse: 3, prepaid_reserved: 0, license_details: [{ billing_type: 'PREPAID', quantity: 400, license_type: 'PERPETUAL' }] }],
  };
  await importFiles(page, [{ name: 'campus-licenses.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(piece)) }]);
  await waitForRows(page, 1);
  await expect(page.getByTestId('import-row').first()).toHaveAttribute('data-status', 'imported');
  await page.getByRole('link', { name: /Entitlements/ }).click();
  await expect(page.getByTestId('summary')).toContainText('From campus-licenses.json');
  await expect(page.getByTestId('summary')).toContainText('Replaced demo-license-summary.tar.gz');
  const campus = vas.filter({ hasText: 'Campus' });
  await expect(campus.getByTestId('entitlement-row')).toHaveCount(1);
  await expect(campus.getByTestId('entitlement-row')).toContainText('400');
});
