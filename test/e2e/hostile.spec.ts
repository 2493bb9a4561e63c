import { MARKUP, caseNamed } from '../hostile/corpus.ts';
import { expect, importFiles, test, waitForRows } from './fixtures.ts';

/**
 * Issue 8 in the browser: hostile files from the corpus (test/hostile/corpus.ts) imported through the page's file
 * input. Refusals name the file and the reason, markup in every field of a usage file shows as literal text, and
 * the auto `guard` fixture fails the test on any dialog (an injected script), CSP violation or foreign request.
 */
const file = (name: string) => ({ name, buffer: Buffer.from(caseNamed(name).make()) });

test('hostile files are refused with the file and the reason, and markup stays text in Fleet and the device panel', async ({ page }) => {
  await page.goto('./');
  await importFiles(page, [
    file('usage-markup.xml'),
    file('tar-dotdot.tar'),
    file('xml-dtd-external-entity.xml'),
    file('xml-billion-laughs.xml'),
    file('gzip-bomb-512MiB.gz'),
    file('tar-symlink-hardlink.tar'),
  ]);
  await waitForRows(page, 6);
  const rows = page.locator('[data-testid="import-row"]');
  const row = (name: string) => rows.filter({ has: page.locator('.name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) });

  const refusals: Array<[string, RegExp]> = [
    ['tar-dotdot.tar', /tar-dotdot\.tar › \.\.\/\.\.\/evil\/dev_1\.txt: entry name climbs out of the archive with "\.\." — the archive is refused/],
    ['xml-dtd-external-entity.xml', /xml-dtd-external-entity\.xml: is not a file the workbench can read: XML with a document type declaration \(DTD\) — refused/],
    ['xml-billion-laughs.xml', /xml-billion-laughs\.xml: is not a file the workbench can read: XML with a document type declaration \(DTD\) — refused/],
    ['gzip-bomb-512MiB.gz', /gzip-bomb-512MiB\.gz: expands more than 200:1 \(.* → over .*\) — refused as a gzip bomb/],
  ];
  for (const [name, message] of refusals) {
    await expect(row(name)).toHaveAttribute('data-status', 'refused');
    await expect(row(name).locator('.message')).toHaveText(message);
  }
  await expect(row('usage-markup.xml')).toHaveAttribute('data-status', 'imported');
  // An archive with links: the usage file read, each link named as ignored, nothing followed.
  await expect(row('tar-symlink-hardlink.tar')).toHaveAttribute('data-status', 'imported');
  await row('tar-symlink-hardlink.tar').locator('summary').click();
  await expect(row('tar-symlink-hardlink.tar').locator('.warnings')).toContainText('passwd.txt: symlink entry ignored');

  await page.getByRole('link', { name: /Fleet/ }).click();
  const table = page.getByRole('table', { name: 'Devices' });
  await expect(table.getByText(MARKUP.hostname, { exact: true })).toBeVisible();
  await expect(table.getByText(MARKUP.pid, { exact: true })).toBeVisible();
  await table.getByRole('row', { name: /alert\(1\)<\/script><img/ }).click();
  const detail = page.getByRole('complementary', { name: 'Device details' });
  for (const value of [MARKUP.hostname, MARKUP.softwareVersion, `PID:${MARKUP.pid.toUpperCase()},SN:${MARKUP.sn.toUpperCase()}`]) {
    await expect(detail.getByText(value).first()).toBeVisible();
  }
  // Text, never elements: no image with src=x and no script element came out of the data.
  const injected = await page.evaluate(() => ({
    images: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('alert(1)')).length,
    onerror: document.querySelectorAll('[onerror]').length,
  }));
  expect(injected).toEqual({ images: 0, scripts: 0, onerror: 0 });
});
