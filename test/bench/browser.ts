/**
 * Browser half of `npm run bench`: the built app in Debian's Chromium, driven by Playwright. Measures what the
 * user waits for (importing a fleet archive, loading the 10,000-device demo) and whether the page stays
 * responsive meanwhile (the longest main-thread task, from PerformanceObserver 'longtask'), beside a baseline
 * measured in the same page: the browser's native inflate of the same archive.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';

export interface BrowserFigures {
  chromium: string;
  inflateMs: number;
  importMs: number;
  importLongestTaskMs: number;
  importLongTasks: number;
  harnessLongestTaskMs: number;
  importPhases: Record<string, number>;
  demoMs: number;
  /** The page's own JavaScript (what loads before any worker), raw and gzipped bytes. */
  pageScript: { bytes: number; gzipped: number };
}

/** The built page script (`dist/assets/index-*.js`; workers load separately, on first use). */
function pageScript(): { bytes: number; gzipped: number } {
  const dir = new URL('../../dist/assets/', import.meta.url);
  const name = readdirSync(dir).find((n) => /^index-.*\.js$/.test(n));
  if (!name) throw new Error('no page script in dist/assets');
  const bytes = readFileSync(new URL(name, dir));
  return { bytes: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

/** BENCH_PORT: another port, for a bench run beside another (or beside a script using this helper). */
const PORT = Number(process.env.BENCH_PORT ?? 4179);

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the preview server did not start on ${url}`);
}

/** Builds the app, serves the build and launches Chromium for `fn`; null when /usr/bin/chromium is missing. */
export async function withBuiltApp<T>(fn: (browser: Browser, base: string) => Promise<T>): Promise<T | null> {
  if (!existsSync('/usr/bin/chromium')) return null;
  const base = `http://127.0.0.1:${PORT}/`;
  const build = spawn('npm', ['run', '-s', 'build'], { stdio: 'ignore' });
  await new Promise((resolve, reject) => build.on('exit', (code) => (code === 0 ? resolve(null) : reject(new Error('build failed')))));
  // With --strictPort our server would exit at once and the bench would measure whatever answers there.
  if (await fetch(base).then(() => true, () => false)) throw new Error(`port ${PORT} already serves something (another bench?): set BENCH_PORT`);
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  try {
    await waitForServer(base, 30_000);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      return await fn(browser, base);
    } finally {
      await browser.close();
    }
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

/**
 * The import and demo figures; then `after` (issue 8's backup figures), once their contexts are closed, in the
 * same build, server and browser.
 */
export async function browserFigures<X = undefined>(
  archive: Uint8Array,
  archiveName: string,
  after?: (browser: Browser, base: string) => Promise<X>,
): Promise<(BrowserFigures & { after: X | undefined }) | null> {
  return withBuiltApp(async (browser, base) => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const observe = () =>
      page.evaluate(() => {
        const w = window as unknown as { __longTasks: number[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
        }).observe({ type: 'longtask' });
      });
    const longTasks = () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);

    await page.goto(`${base}#/import`);
    await page.getByTestId('file-input').waitFor({ state: 'attached' });
    // Baseline: the browser's own inflate of the same bytes, in this page.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-input';
      document.body.append(input);
    });
    await observe();
    await page.setInputFiles('#bench-input', { name: archiveName, mimeType: 'application/gzip', buffer: Buffer.from(archive) });
    // Playwright hands the file to the page on its main thread: that cost is the harness's, not the app's.
    const harnessTasks = await longTasks();
    const inflateMs = await page.evaluate(async () => {
      const file = (document.getElementById('bench-input') as HTMLInputElement).files![0]!;
      const data = new Uint8Array(await file.arrayBuffer());
      const t0 = performance.now();
      await new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
      return performance.now() - t0;
    });

    await observe();
    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles({ name: archiveName, mimeType: 'application/gzip', buffer: Buffer.from(archive) });
    // Count from the moment the file is in the page: what came before was the harness handing it over.
    await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks = []));
    await page.locator('[data-testid="import-row"][data-status="imported"]').waitFor({ timeout: 600_000 });
    const importMs = Date.now() - t0;
    const phases = JSON.parse((await page.getByTestId('import-timings').getAttribute('data-timings')) ?? '{}') as Record<string, number>;
    const importTasks = await longTasks();

    const demoContext = await browser.newContext();
    const demoPage = await demoContext.newPage();
    await demoPage.goto(`${base}#/settings`);
    const t1 = Date.now();
    await demoPage.getByRole('button', { name: 'Load demo data: 10,000 devices' }).click();
    await demoPage.getByTestId('demo-badge').waitFor({ timeout: 600_000 });
    await demoPage.getByTestId('fleet-summary').waitFor({ timeout: 600_000 });
    const demoMs = Date.now() - t1;
    await context.close();
    await demoContext.close();
    const more = after ? await after(browser, base) : undefined;
    return {
      chromium: browser.version(),
      inflateMs,
      importMs,
      importLongestTaskMs: Math.max(0, ...importTasks),
      importLongTasks: importTasks.length,
      harnessLongestTaskMs: Math.max(0, ...harnessTasks),
      importPhases: phases,
      demoMs,
      pageScript: pageScript(),
      after: more,
    };
  });
}
