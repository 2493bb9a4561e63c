/**
 * The README's screenshots, from the real app: `npx tsx scripts/screenshots.ts` (builds, serves, drives
 * Debian's Chromium). Run it after a visible change and look at the pictures.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const PORT = 4188;
const base = `http://127.0.0.1:${PORT}/`;
const build = spawn('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
await new Promise((resolve) => build.on('exit', resolve));
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
try {
  for (let i = 0; i < 60; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 860 } })).newPage();

  // Import with a refused file among good ones.
  await page.goto(`${base}#/import`);
  const fixture = (p: string) => readFileSync(new URL(`../test/fixtures/${p}`, import.meta.url));
  await page.getByTestId('file-input').setInputFiles([
    { name: 'access-sw-01_all_rum.txt', mimeType: 'text/plain', buffer: fixture('formats/rum-save-usage_c9300_standalone.txt') },
    { name: 'wan-edge-07_all_rum.txt', mimeType: 'text/plain', buffer: fixture('formats/rum-save-usage_c8000v_utility.txt') },
    { name: 'core-sw-02_all_rum.txt', mimeType: 'text/plain', buffer: fixture('formats/rum-save-usage_c8000v_utility.txt').subarray(0, 1500) },
    { name: 'ACK_all_rum.txt', mimeType: 'text/plain', buffer: fixture('made/ack_single.xml') },
  ]);
  await page.locator('[data-testid="import-row"][data-status="refused"]').nth(1).waitFor();
  await page.locator('[data-testid="import-row"][data-status="imported"]').nth(1).waitFor();
  await page.getByRole('heading', { name: 'This session' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'docs/screenshot-import.png' });

  // The demo: 1,000 devices, a wireless HA pair selected.
  await page.goto(`${base}#/settings`);
  await page.getByRole('button', { name: 'Load demo data: 1,000 devices' }).click();
  await page.getByTestId('demo-badge').waitFor({ timeout: 120_000 });
  await page.getByTestId('fleet-summary').waitFor();
  await page.getByRole('searchbox', { name: 'Search devices' }).fill('wlc');
  // Devices whose `show license all` the demo imported know their Virtual Account: show one of those.
  await page.getByTestId('filter-va').selectOption('Wireless');
  // The licence summary tells every device its Virtual Account; a known policy marks those whose `show license all` was imported.
  await page.getByTestId('filter-policy').selectOption({ index: 1 });
  await page.getByRole('table', { name: 'Devices' }).getByRole('row').filter({ hasText: 'active' }).first().click();
  const detail = page.getByRole('complementary', { name: 'Device details' });
  await detail.waitFor();
  await page.screenshot({ path: 'docs/screenshot-fleet.png' });
  // What the device says: its facts with their sources (the demo imports `show license all` of its devices).
  await detail.getByRole('heading', { name: 'What the device says' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'docs/screenshot-device.png' });
  await page.getByRole('link', { name: /Deadlines/ }).click();
  await page.getByTestId('tile-overdue').waitFor();
  await page.screenshot({ path: 'docs/screenshot-deadlines.png' });

  // A reporting cycle of the demo: built, carried to the simulated CSSM, its ACK bundle shown before it is applied.
  await page.goto(`${base}#/cycles/new`);
  await page.getByTestId('operator').fill('Ana Lima');
  await page.getByTestId('candidate').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('preset-unreported').click();
  await page.getByTestId('create-cycle').click();
  await page.getByTestId('build-upload').click();
  const uploadDownload = page.waitForEvent('download');
  await page.getByTestId('download-upload').click({ timeout: 60_000 });
  const upload = await uploadDownload;
  await page.getByTestId('confirm-uploaded').click();
  await page.getByTestId('cycle-state').filter({ hasText: 'Uploaded to CSSM' }).waitFor();
  const cycleUrl = page.url();
  await page.getByRole('link', { name: /Simulated CSSM/ }).click();
  const ackDownload = page.waitForEvent('download');
  await page.getByTestId('cssm-upload').setInputFiles({ name: upload.suggestedFilename(), mimeType: 'application/gzip', buffer: readFileSync((await upload.path())!) });
  const ack = await ackDownload;
  await page.goto(cycleUrl);
  await page.getByTestId('ack-files').setInputFiles({ name: ack.suggestedFilename(), mimeType: 'application/gzip', buffer: readFileSync((await ack.path())!) });
  await page.getByTestId('reconcile-plan').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: 'docs/screenshot-cycle.png' });

  // Entitlements of the demo's licence summary.
  await page.getByRole('link', { name: /Entitlements/ }).click();
  await page.getByTestId('entitlement-row').first().waitFor();
  await page.screenshot({ path: 'docs/screenshot-entitlements.png' });
  await browser.close();
} finally {
  if (server.pid) process.kill(-server.pid);
}
