import { test as base, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export { expect };

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const fixture = (...p: string[]) => readFileSync(join(FIXTURES, ...p));

/**
 * Every test runs under guard: no request may leave the origin, no Content-Security-Policy violation, no
 * uncaught page error, no dialog (an XSS payload would raise one). Checked after the test body.
 */
export const test = base.extend<{ guard: { requests: string[] } }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const requests: string[] = [];
      const foreign: string[] = [];
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.context().on('request', (request) => {
        const url = request.url();
        requests.push(url);
        if (!url.startsWith(`${baseURL}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });
      page.on('console', (message) => {
        if (/Content[- ]Security[- ]Policy/i.test(message.text())) errors.push(`CSP: ${message.text()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      await use({ requests });
      expect(foreign, 'requests that left the origin').toEqual([]);
      expect(errors, 'page errors and CSP violations').toEqual([]);
      expect(dialogs, 'dialogs (an injected script would open one)').toEqual([]);
    },
    { auto: true },
  ],
});

export async function importFiles(page: Page, files: Array<{ name: string; mimeType?: string; buffer: Buffer }>): Promise<void> {
  await page.goto('#/import');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => ({ mimeType: 'application/octet-stream', ...f })));
}

export async function waitForRows(page: Page, count: number): Promise<void> {
  await expect(page.locator('[data-testid="import-row"]:not([data-status="queued"]):not([data-status="working"])')).toHaveCount(count);
}

/** Loads the 50-device demo from Settings and waits for its badge. */
export async function loadDemo(page: Page): Promise<void> {
  await page.goto('./');
  await page.getByRole('link', { name: /Settings/ }).click();
  await page.getByRole('button', { name: 'Load demo data: 50 devices' }).click();
  await expect(page.getByTestId('demo-badge')).toBeVisible({ timeout: 60_000 });
}
