import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, fixture, importFiles, loadDemo, test, waitForRows } from './fixtures.ts';

const DIST = join(import.meta.dirname, '..', '..', 'dist');

/** A header block of `dist/_headers` as name → value. */
function headersFile(): Record<string, string> {
  const lines = readFileSync(join(DIST, '_headers'), 'utf8').split('\n');
  expect(lines[0]).toBe('/*');
  return Object.fromEntries(lines.slice(1).filter(Boolean).map((l) => /^ {2}([\w-]+): (.+)$/.exec(l)!.slice(1, 3) as [string, string]));
}

test('the served build sends strict security headers, and its HTML carries the same policy and no inline script', async ({ request }) => {
  const page = await request.get('./');
  const html = await page.text();
  const headers = page.headers();
  const csp = headers['content-security-policy']!;
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  expect(directives).toMatchObject({ 'default-src': "'self'", 'script-src': "'self'", 'connect-src': "'self'", 'object-src': "'none'", 'base-uri': "'none'", 'frame-ancestors': "'none'" });
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');

  // The same policy in the page itself (for servers that send no headers), less what only a header can say.
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  expect(`${meta}; frame-ancestors 'none'`).toBe(csp);
  // No inline script, no inline event handler, nothing loaded from another origin.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attrs, body] of scripts) {
    expect(attrs).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
    expect(body!.trim()).toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

  // Every asset gets the headers too (a script served with the wrong type is not sniffed into running).
  const script = scripts[0]![1]!.match(/src="\.\/([^"]+)"/)![1]!;
  const asset = await request.get(`./${script}`);
  expect(asset.headers()['x-content-type-options']).toBe('nosniff');
  expect(asset.headers()['content-type']).toMatch(/javascript/);

  // The build writes the same headers for static hosts that read `_headers`.
  const file = headersFile();
  expect(file['Content-Security-Policy']).toBe(csp);
  expect(file['X-Content-Type-Options']).toBe('nosniff');
  expect(file['Referrer-Policy']).toBe('no-referrer');
});

test('a full session — demo, import, a reporting cycle, a backup — makes no request to any other origin', async ({ page, guard, baseURL }) => {
  test.setTimeout(180_000);
  await loadDemo(page);
  await importFiles(page, [{ name: 'access-sw-01_all_rum.txt', buffer: fixture('formats', 'rum-save-usage_c9300_standalone.txt') }]);
  await waitForRows(page, 1);

  await page.getByRole('link', { name: /Reporting cycles/ }).click();
  await page.getByTestId('new-cycle').click();
  await expect(page.getByTestId('candidate').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('preset-unreported').click();
  await page.getByTestId('create-cycle').click();
  await page.getByTestId('build-upload').click();
  await expect(page.getByTestId('cycle-state')).toHaveText('Upload built', { timeout: 30_000 });
  const upload = page.waitForEvent('download');
  await page.getByTestId('download-upload').click();
  await upload;

  await page.getByRole('link', { name: /Settings/ }).click();
  const backup = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Back up this workspace' }).click();
  expect((await backup).suggestedFilename()).toMatch(/^slp-backup-demo-/);

  // The guard fixture fails the test on any request that leaves the origin; say here that there were requests.
  expect(guard.requests.length).toBeGreaterThan(10);
  expect(guard.requests.filter((u) => !u.startsWith(`${baseURL}/`) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
});
