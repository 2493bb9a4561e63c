import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, fixture, importFiles, test, waitForRows } from './fixtures.ts';

const C9300 = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
const C8000V = fixture('formats', 'rum-save-usage_c8000v_utility.txt');

test('back up, import more, restore: the workspace returns to the backup; a damaged backup changes nothing; a merge adds only what is missing', async ({ page }) => {
  await importFiles(page, [{ name: 'access-sw-01_all_rum.txt', buffer: C9300 }]);
  await waitForRows(page, 1);
  // Something to lose, no backup yet: the reminder says so on every view but Settings.
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('backup-reminder')).toContainText('never been backed up');

  await page.getByTestId('backup-reminder').getByRole('link', { name: 'Back up now' }).click();
  const panel = page.getByTestId('backup-panel');
  await expect(panel.getByTestId('last-backup')).toHaveText('No backup of this workspace yet.');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Back up this workspace' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^slp-backup-real-\d{8}-\d{4}\.tar\.gz$/);
  const backup = readFileSync((await file.path())!);
  await expect(panel.getByTestId('backup-done')).toContainText('1 devices, 1 imported files');
  await expect(panel.getByTestId('last-backup')).toContainText(file.suggestedFilename());
  await expect(panel.getByTestId('last-backup').locator(`[title="${createHash('sha256').update(backup).digest('hex')}"]`)).toHaveCount(1);
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('backup-reminder')).toHaveCount(0);

  // A file imported after it: the reminder comes back.
  await importFiles(page, [{ name: 'wan-edge-07_all_rum.txt', buffer: C8000V }]);
  await waitForRows(page, 2); // this session's rows: the first import's and this one
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('fleet-summary')).toHaveText('2 product instances · 4 RUM reports · from 2 files');
  await expect(page.getByTestId('backup-reminder')).toContainText('imported after the last backup');

  // A damaged copy is refused with the reason, and nothing changes.
  await page.goto('#/settings');
  await panel.getByTestId('restore-input').setInputFiles({ name: 'cut.tar.gz', mimeType: 'application/gzip', buffer: backup.subarray(0, backup.length - 200) });
  await expect(panel.getByTestId('backup-error')).toHaveText(/^cut\.tar\.gz: the file ends early — it was cut short .*Nothing was changed\.$/);
  await expect(panel.getByTestId('restore-preview')).toHaveCount(0);

  // The good one: checked and shown first, then replaces the workspace once confirmed.
  await panel.getByTestId('restore-input').setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/gzip', buffer: backup });
  const preview = panel.getByTestId('restore-preview');
  await expect(preview).toContainText('checked');
  await expect(preview.getByTestId('restore-count-devices')).toHaveText('1');
  await expect(preview.getByTestId('restore-count-files')).toHaveText('1');
  // The check is over: its progress bar is gone (late progress events must not bring it back).
  await expect(panel.getByTestId('backup-progress')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/backup-preview.png', fullPage: true });
  await preview.getByRole('button', { name: 'Replace this workspace with it…' }).click();
  await preview.getByRole('button', { name: 'Yes, replace this workspace' }).click();
  await expect(panel.getByTestId('backup-done')).toContainText('Restored');
  await expect(panel.getByTestId('last-backup')).toContainText(`Restored from ${file.suggestedFilename()}`);
  // The hash recorded is the downloaded file's own.
  const sha = createHash('sha256').update(backup).digest('hex');
  await expect(panel.getByTestId('last-backup').locator(`[title="${sha}"]`)).toHaveCount(1);
  await page.getByRole('link', { name: /Fleet/ }).click();
  await expect(page.getByTestId('fleet-summary')).toHaveText('1 product instance · 2 RUM reports · from 1 file');

  // Merging the same backup again adds nothing: its one file is already here.
  await page.goto('#/settings');
  await panel.getByTestId('restore-input').setInputFiles({ name: file.suggestedFilename(), mimeType: 'application/gzip', buffer: backup });
  await panel.getByTestId('restore-preview').getByRole('button', { name: 'Merge it into this workspace' }).click();
  await expect(panel.getByTestId('backup-done')).toContainText('0 files imported, 1 already here');
  await page.screenshot({ path: 'test-results/screens/backup-done.png', fullPage: true });
});
