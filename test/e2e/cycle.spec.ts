import { readFileSync } from 'node:fs';
import { expand, leaves } from '../../src/core/archive/index.ts';
import { expect, loadDemo, test } from './fixtures.ts';

/**
 * The reporting cycle from choose to hand-back, in the demo workspace, with a reload in the middle: the cycle is
 * stored, so the page comes back to the same step with the same files.
 */
test('a reporting cycle: choose, build, carry, reload, confirm, reconcile the simulated ACK, hand back, verify', async ({ page }) => {
  test.setTimeout(180_000);
  await loadDemo(page);

  await page.getByRole('link', { name: /Reporting cycles/ }).click();
  await page.getByTestId('operator').fill('Ana Lima');
  await page.getByTestId('new-cycle').click();
  await expect(page.getByTestId('candidate').first()).toBeVisible({ timeout: 30_000 });
  // The default selection is the due or overdue devices of the first Virtual Account; take all with usage.
  await page.getByTestId('preset-unreported').click();
  const summary = await page.getByTestId('chosen-summary').textContent();
  const devices = Number(/^(\d+) device/.exec(summary ?? '')?.[1]);
  expect(devices).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/screens/20-cycle-choose.png' });
  await page.getByTestId('create-cycle').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Draft');

  await page.getByTestId('build-upload').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Upload built', { timeout: 30_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('download-upload').click();
  const upload = await download;
  expect(upload.suggestedFilename()).toMatch(/^UD_SA_\d+\.tar\.gz$/);
  const uploadBytes = readFileSync((await upload.path())!);
  await expect(page.getByTestId('cycle-state')).toHaveText('Downloaded');
  await expect(page.getByTestId('guide')).toContainText(`ACK_${upload.suggestedFilename()}`);

  // A reload in the middle of the cycle: the same cycle, at the same step.
  await page.reload();
  await expect(page.getByTestId('cycle-state')).toHaveText('Downloaded');
  await expect(page.getByTestId('cycle-device')).toHaveCount(Math.min(devices, 200));
  await page.screenshot({ path: 'test-results/screens/21-cycle-guide.png', fullPage: true });
  await page.getByTestId('confirm-uploaded').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  const cycleUrl = page.url();

  // The workstation: the simulated CSSM takes the bundle and answers with an ACK bundle.
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  const ackDownload = page.waitForEvent('download');
  await page.getByTestId('cssm-upload').setInputFiles({ name: upload.suggestedFilename(), mimeType: 'application/gzip', buffer: uploadBytes });
  await expect(page.getByTestId('cssm-answer')).toContainText(`Accepted ${upload.suggestedFilename()}.`);
  const ack = await ackDownload;
  const ackBytes = readFileSync((await ack.path())!);

  await page.goto(cycleUrl);
  await page.getByTestId('ack-files').setInputFiles({ name: ack.suggestedFilename(), mimeType: 'application/gzip', buffer: ackBytes });
  await expect(page.getByTestId('reconcile-plan')).toContainText(`${devices} ACK${devices === 1 ? '' : 's'} matched, 0 unexpected ACKs, 0 devices still waiting`);
  await page.screenshot({ path: 'test-results/screens/22-cycle-reconcile.png', fullPage: true });
  await page.getByTestId('apply-reconcile').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Reconciled', { timeout: 30_000 });

  const handBackDownload = page.waitForEvent('download');
  await page.getByTestId('export-handback').click();
  const handBack = await handBackDownload;
  await expect(page.getByTestId('cycle-state')).toHaveText('Device files exported');
  const files = leaves(await expand(handBack.suggestedFilename(), readFileSync((await handBack.path())!)));
  const commands = files.filter((f) => f.name.endsWith('/commands.txt'));
  expect(commands).toHaveLength(devices);
  const first = new TextDecoder().decode(commands[0]!.bytes);
  expect(first).toMatch(/license smart import bootflash:ACK_dev_\d+_\d+\.txt/);

  // The device's commands are shown in the page too, ready to copy.
  await page.getByTestId('cycle-device').first().getByRole('button', { name: 'Commands' }).click();
  await expect(page.getByTestId('handback-script')).toContainText('license smart import bootflash:ACK_dev_');

  // Verification: the first device's show license status after installing its ACK.
  const host = (await page.getByTestId('cycle-device').first().locator('strong').textContent())!.trim();
  const later = new Date(Date.now() + 86_400_000);
  const stamp = `${later.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${String(later.getUTCDate()).padStart(2, '0')} ${later.toISOString().slice(11, 19)} ${later.getUTCFullYear()} UTC`;
  await page.getByTestId('verify-text').fill(`${host}#show license status\nUsage Reporting:\n  Last ACK received: ${stamp}\n`);
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('1 device verified');
  await expect(page.getByTestId('audit')).toContainText('Verified on 1 device');
  await expect(page.getByTestId('audit')).toContainText('Ana Lima');
  await page.screenshot({ path: 'test-results/screens/23-cycle-handback.png', fullPage: true });

  // The Fleet knows: the cycle's devices now have their last ACK.
  await page.getByRole('link', { name: /Deadlines/ }).click();
  await expect(page.getByTestId('tile-overdue')).toBeVisible();
});

test('an authorization cycle: a SLAC request imported with the demo goes to CSSM as is and its code comes back', async ({ page }) => {
  test.setTimeout(120_000);
  await loadDemo(page);

  await page.goto('#/cycles/new');
  await page.getByTestId('kind-authorization').check();
  const rows = page.getByTestId('auth-candidate');
  await expect(rows.first()).toBeVisible();
  // One device: its request file goes as the device saved it.
  const count = await rows.count();
  for (let i = 1; i < count; i++) await rows.nth(i).getByRole('checkbox').uncheck();
  const host = (await rows.first().locator('strong').textContent())!.trim();
  await expect(rows.first()).toContainText(/HSEC/i);
  // The target defaults to the Virtual Account the devices said they belong to.
  const va = await page.getByTestId('auth-target').inputValue();
  expect(va).not.toBe('');
  await page.getByTestId('create-auth-cycle').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Draft');
  await page.getByTestId('build-upload').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Upload built');
  const download = page.waitForEvent('download');
  await page.getByTestId('download-upload').click();
  const upload = await download;
  expect(upload.suggestedFilename()).toMatch(/_slac_request_\d{8}_\d{6}\.txt$/);
  await page.getByTestId('confirm-uploaded').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Uploaded to CSSM');
  const cycleUrl = page.url();

  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  await page.getByRole('combobox').selectOption(va);
  const answerDownload = page.waitForEvent('download');
  await page.getByTestId('cssm-upload').setInputFiles({ name: upload.suggestedFilename(), mimeType: 'text/plain', buffer: readFileSync((await upload.path())!) });
  await expect(page.getByTestId('cssm-answer')).toContainText('Accepted');
  const answer = await answerDownload;

  await page.goto(cycleUrl);
  await page.getByTestId('ack-files').setInputFiles({ name: answer.suggestedFilename(), mimeType: 'text/plain', buffer: readFileSync((await answer.path())!) });
  await expect(page.getByTestId('reconcile-plan')).toContainText('1 ACK matched');
  await expect(page.getByTestId('matched')).toContainText('carries 1 authorization code');
  await page.getByTestId('apply-reconcile').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Reconciled');
  await page.getByTestId('cycle-device').first().getByRole('button', { name: 'Commands' }).click();
  await expect(page.getByTestId('handback-script')).toContainText(`license smart import bootflash:${answer.suggestedFilename()}`);
  await expect(page.getByTestId('handback-script')).toContainText('show license authorization');

  // The device panel follows the request and shows the code on record.
  await page.getByRole('link', { name: /Fleet/ }).click();
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(host);
  await page.getByRole('table', { name: 'Devices' }).getByRole('row', { name: new RegExp(host) }).first().click();
  await expect(page.getByTestId('device-authorization')).toContainText('Code received');
  await expect(page.getByTestId('device-authorization')).toContainText('SLAC on record');
  await page.getByTestId('device-authorization').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/24-device-authorization.png' });
});
