/**
 * `npm run bench`: throughput of the import pipeline in Node, each figure beside a baseline measured in the
 * same run (plain inflate of the same bytes), because these machines are noisy and only ratios travel.
 * Writes BENCHMARKS.md. `BENCH_ONLY=backup|cycle|scale` runs one part alone and never writes it.
 */
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir, totalmem, type } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { inflate } from 'pako';
import { analyseFile } from '../../src/core/analyse.ts';
import { gzip, writeTar } from '../../src/core/archive/index.ts';
import { readUsageFile } from '../../src/core/formats/usage-report.ts';
import { sha256Hex } from '../../src/core/hash.ts';
import { reportElement, systemInfoElement, writeUsageFile, type SimUsageDevice } from '../../src/core/sim/usage-file.ts';
import { fleetFiles } from '../../src/core/sim/files.ts';
import { simulateFleet } from '../../src/core/sim/fleet.ts';
import { gzip as pakoGzip } from 'pako';
import { browserFigures, withBuiltApp } from './browser.ts';
import { backupBrowserFigures, backupMarkdown, backupNodeFigures, writeArchives } from './backup.ts';
import { type TargetRow, summaryImportMs, targetsMarkdown } from './targets.ts';
import { scaleFigures, scaleMarkdown, scaleSizes, scaleTargets } from './scale.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { parseCliText } from '../../src/core/formats/cli/index.ts';
import { filterRows, fleetRow, NO_FILTER, sortRows } from '../../src/core/model/fleet-view.ts';
import { type DeviceReports, type ProductInstance, mergeUsage } from '../../src/core/model/fleet.ts';
import type { SimFleet } from '../../src/core/sim/types.ts';
import { fleetDeadlines } from '../../src/core/policy/fleet.ts';
import { usageHistory } from '../../src/core/policy/usage.ts';
import { splitAck } from '../../src/core/bundle/cli-bundle.ts';
import { StoredEntries, buildUpload, writeHandBack } from '../../src/core/cycle/build.ts';
import { candidates, cycleDevices, presetSelection } from '../../src/core/cycle/choose.ts';
import { type Cycle, newCycle } from '../../src/core/cycle/model.ts';
import { planReconcile, withAcks } from '../../src/core/cycle/reconcile.ts';
import { mergeAcks } from '../../src/core/model/acks.ts';
import { simulateCssm } from '../../src/core/sim/cssm.ts';
import { uniqueName, usageFileOf } from '../../src/core/sim/files.ts';
import { emptyLedger } from '../../src/core/sim/ledger.ts';

const DEVICES = 10_000;
const RUNS = 5;
/** Issue 8: the browser's backup and restore workspace (devices), and the Node one's runs. */
const BACKUP_DEVICES = Number(process.env.BENCH_BACKUP_DEVICES ?? 100_000);
const BACKUP_PER_ARCHIVE = 10_000;
const BACKUP_RUNS = 3;
const encoder = new TextEncoder();

function device(i: number): SimUsageDevice {
  const sn = `FCW${String(2300 + (i % 97)).padStart(4, '0')}L${String(i).padStart(5, '0')}`;
  const base = 1_760_000_000 + (i % 1000) * 60;
  return {
    udi: { pid: i % 3 === 0 ? 'C9300-48P' : 'C9300-24UX', sn },
    hostname: `access-sw-${String(i).padStart(5, '0')}`,
    softwareVersion: '17.12.04',
    softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72',
    savedAt: (base + 2_592_000) * 1000,
    reports: [
      { reportId: String(1_760_000_000 + i * 2), entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 1, start: base, end: base + 2_592_000 },
      { reportId: String(1_760_000_001 + i * 2), entitlementTag: 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18', count: 1, start: base, end: base + 2_592_000 },
    ],
  };
}

async function time<T>(fn: () => Promise<T> | T, runs = RUNS): Promise<{ ms: number; result: T }> {
  const samples: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(runs / 2)]!, result };
}

const mb = (bytes: number) => bytes / 1e6;
const fmt = (n: number, d = 1) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The browser's backup workspace: BACKUP_DEVICES devices of the same shape, as archives of 10,000 on disk. */
async function withBackupArchives<T>(fn: (archives: Awaited<ReturnType<typeof writeArchives>>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'slp-bench-archives-'));
  try {
    return await fn(await writeArchives(dir, BACKUP_DEVICES, BACKUP_PER_ARCHIVE, (i) => encoder.encode(writeUsageFile(device(i)))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `BENCH_ONLY=backup`: issue 8's figures alone, written to BENCH_OUT (a temporary file), never to BENCHMARKS.md. */
async function backupOnly() {
  const devices = Array.from({ length: DEVICES }, (_, i) => device(i));
  const tgz = gzip(await writeTar(devices.map((d, i) => ({ name: `dev_${i + 1}_1762592000.txt`, bytes: encoder.encode(writeUsageFile(d)), mtime: 1_762_592_000_000 }))));
  const node = process.env.BENCH_BACKUP_NODE === '0' ? null : await backupNodeFigures(tgz, 'fleet-10000.tar.gz', DEVICES, BACKUP_RUNS);
  let chromiumVersion: string | null = null;
  const browser = await withBackupArchives((archives) =>
    withBuiltApp(async (b, base) => {
      chromiumVersion = b.version();
      return backupBrowserFigures(b, base, archives, BACKUP_DEVICES);
    }),
  );
  const md = backupMarkdown(node, browser, chromiumVersion);
  const out = process.env.BENCH_OUT ?? join(tmpdir(), 'BENCHMARKS-backup.md');
  writeFileSync(out, md);
  process.stdout.write(`${md}\n(written to ${out})\n`);
}

/** `BENCH_ONLY=scale`: issue 9's browser figures at BENCH_SCALE_SIZES alone, written to BENCH_OUT (a temporary file), never to BENCHMARKS.md. */
async function scaleOnly() {
  const figures = await withBuiltApp((b, base) => scaleFigures(b, base, scaleSizes(), device));
  const md = `${scaleMarkdown(figures)}\n### Targets (issue 9) these figures fill\n${targetsMarkdown(Object.values(scaleTargets(figures)))}\n`;
  const out = process.env.BENCH_OUT ?? join(tmpdir(), 'BENCHMARKS-scale.md');
  writeFileSync(out, md);
  process.stdout.write(`${md}\n(written to ${out})\n`);
}

async function main() {
  const t0 = performance.now();
  const devices = Array.from({ length: DEVICES }, (_, i) => device(i));
  const files = devices.map((d, i) => ({ name: `dev_${i + 1}_1762592000.txt`, bytes: encoder.encode(writeUsageFile(d)), mtime: 1_762_592_000_000 }));
  const tar = await writeTar(files);
  const tgz = gzip(tar);
  // One document holding every report: the XML reader and report parser alone, no archive work.
  const oneXml = encoder.encode(`<?xml version="1.0" encoding="UTF-8"?><smartLicense>${devices.flatMap((d) => d.reports.map((r) => reportElement(d, r))).join('')}${systemInfoElement(devices[0]!)}</smartLicense>`);
  const generateMs = performance.now() - t0;

  const inflatePako = await time(() => inflate(tgz));
  const inflateNative = await time(() => gunzipSync(tgz));
  const hash = await time(() => sha256Hex(tgz));
  const pipeline = await time(() => analyseFile('fleet.tar.gz', tgz));
  const parseOnly = await time(() => readUsageFile(oneXml, ['one.xml']));
  const reports = pipeline.result.usage.reduce((n, u) => n + u.usage.reports.length, 0);
  if (reports !== DEVICES * 2 || parseOnly.result.reports.length !== DEVICES * 2) throw new Error('benchmark read the wrong number of reports');

  // Issue 8 in Node: backup, check and restore of this archive's workspace on fake-indexeddb, beside GNU tar.
  const backupNode = await backupNodeFigures(tgz, 'fleet-10000.tar.gz', DEVICES, BACKUP_RUNS);

  // The reporting cycle before the simulator's figures, while little else is held: its 100,000-device run keeps
  // the fleet's stored originals, devices and reports in memory, and a collector marking more would slow it.
  const cycles = [await cycleFigures(10_000, RUNS), await cycleFigures(100_000, 1)];

  // Simulator: 100,000 devices' files, beside gzip (pako, level 6) of the usage files it wrote.
  const SIM_DEVICES = 100_000;
  const g0 = performance.now();
  const fleet = simulateFleet({ seed: 'bench', devices: SIM_DEVICES, now: Date.UTC(2026, 10, 1) });
  const simFiles = await fleetFiles(fleet);
  const simMs = performance.now() - g0;
  const usageBytes = simFiles.filter((f) => f.path.startsWith('usage/'));
  const usageTotal = usageBytes.reduce((n, f) => n + f.bytes.length, 0);
  const allTotal = simFiles.reduce((n, f) => n + f.bytes.length, 0);
  const joined = new Uint8Array(usageTotal);
  usageBytes.reduce((at, f) => (joined.set(f.bytes, at), at + f.bytes.length), 0);
  const z0 = performance.now();
  pakoGzip(joined);
  const gzipMs = performance.now() - z0;

  const cli = await cliFigures();
  const stored = storedDevices(fleet);
  const table = await fleetTableFigures(stored);
  const deadlines = await deadlineFigures(stored, fleet.now);

  // Issue 8 in the browser: after the import and demo figures, in the same build and browser; then issue 9's
  // figures at scale (each in contexts of its own, once the backup's are closed).
  const browser = await withBackupArchives((archives) =>
    browserFigures(tgz, 'fleet-10000.tar.gz', async (b, base) => ({
      backup: await backupBrowserFigures(b, base, archives, BACKUP_DEVICES),
      scale: await scaleFigures(b, base, scaleSizes(), device),
    })),
  );
  const scale = browser?.after?.scale ?? null;
  const scaleRows = scaleTargets(scale);

  const rawMB = mb(tar.length);
  const rows = [
    ['Plain inflate (pako) — baseline', inflatePako.ms, rawMB / (inflatePako.ms / 1000), 1],
    ['Plain inflate (Node zlib, native)', inflateNative.ms, rawMB / (inflateNative.ms / 1000), inflateNative.ms / inflatePako.ms],
    ['SHA-256 of the tar.gz (WebCrypto)', hash.ms, mb(tgz.length) / (hash.ms / 1000), hash.ms / inflatePako.ms],
    ['Full import analysis: inflate + tar walk + classify + parse', pipeline.ms, rawMB / (pipeline.ms / 1000), pipeline.ms / inflatePako.ms],
    [`Usage-file parser alone (one ${fmt(mb(oneXml.length))} MB document)`, parseOnly.ms, mb(oneXml.length) / (parseOnly.ms / 1000), parseOnly.ms / inflatePako.ms],
  ] as const;

  const cpu = cpus();
  const summaryMs = await summaryImportMs();
  const big = cycles[1]!;
  const after = browser?.after?.backup ?? null;
  const GB = 1024 ** 3;
  const targets: TargetRow[] = [
    scaleRows.import,
    {
      figure: `Import a ${(after?.devices ?? BACKUP_DEVICES).toLocaleString('en')}-device fleet as ${after?.archives ?? BACKUP_DEVICES / BACKUP_PER_ARCHIVE} archives, until stored and browsable`,
      size: `${(after?.devices ?? BACKUP_DEVICES).toLocaleString('en')} devices`,
      measured: after?.importMs ?? null,
      unit: 'ms',
      baseline: null,
      ratio: null,
      target: '< 20 s',
      met: after ? after.importMs < 20_000 : null,
      note: `Browser, archives of ${BACKUP_PER_ARCHIVE.toLocaleString('en')} at once (the backup figures' set-up), one run; the one-tar.gz row above has the native baseline`,
    },
    { figure: 'Import a 10,000-licence summary', size: '10,000 licences', measured: summaryMs, unit: 'ms', baseline: null, ratio: null, target: '< 2 s', met: summaryMs < 2000, note: 'Node, fake-indexeddb (slower than a browser\'s IndexedDB)' },
    {
      figure: 'Build the CSSM upload bundle',
      size: `${big.devices.toLocaleString('en')} devices`,
      measured: big.buildMs,
      unit: 'ms',
      baseline: `tar czf ${fmt(big.tarMs / 1000, 1)} s`,
      ratio: big.buildMs / big.tarMs,
      target: '< 10 s, ≤ 2× tar czf',
      met: big.buildMs < 10_000 && big.buildMs <= 2 * big.tarMs,
      note: 'Node, the functions the report worker runs, stored originals in memory',
    },
    { figure: 'Reconcile the ACK bundle', size: `${big.devices.toLocaleString('en')} devices`, measured: big.reconcileMs, unit: 'ms', baseline: `inflate ${fmt(big.inflateMs / 1000, 1)} s`, ratio: big.reconcileMs / big.inflateMs, target: '< 15 s', met: big.reconcileMs < 15_000, note: 'Node, without IndexedDB' },
    { figure: 'Deadlines recomputed', size: `${stored.length.toLocaleString('en')} devices`, measured: deadlines.ms, unit: 'ms', baseline: `sort of host names ${fmt(deadlines.baselineMs, 0)} ms`, ratio: deadlines.ms / deadlines.baselineMs, target: '< 1 s', met: deadlines.ms < 1000, note: 'Node, the engine the Deadlines view runs' },
    scaleRows.fleetOpen,
    scaleRows.sort,
    { figure: 'Fleet table: sort (Node, the function alone)', size: `${table.rows.toLocaleString('en')} rows`, measured: table.sortMs, unit: 'ms', baseline: `sort of host names ${fmt(table.copyMs, 0)} ms`, ratio: table.sortMs / table.copyMs, target: '< 100 ms', met: table.sortMs < 100, note: 'Node, the function the view runs (the simulated fleet), without rendering' },
    scaleRows.filter,
    { figure: 'Fleet table: filter (Node, the function alone)', size: `${table.rows.toLocaleString('en')} rows`, measured: table.filterMs, unit: 'ms', baseline: null, ratio: null, target: '< 100 ms', met: table.filterMs < 100, note: 'Node, as above' },
    scaleRows.scroll,
    scaleRows.importTask,
    { figure: 'Longest main-thread task during an import', size: `${DEVICES.toLocaleString('en')} devices`, measured: browser ? browser.importLongestTaskMs : null, unit: 'ms', baseline: null, ratio: null, target: '≤ 50 ms', met: browser ? browser.importLongestTaskMs <= 50 : null, note: 'Browser, PerformanceObserver longtask, the Node input\'s archive handed over as bytes' },
    {
      figure: 'Memory of the tab, peak',
      size: `${(after?.devices ?? 0).toLocaleString('en')} devices`,
      measured: after ? after.backupMemory.rendererPeak : null,
      unit: 'bytes',
      baseline: null,
      ratio: null,
      target: '< 1 GB',
      met: after ? after.backupMemory.rendererPeak < GB : null,
      note: 'Renderer RSS (page + workers) during the backup, the largest of the backup\'s steps',
    },
    scaleRows.importMemory,
    { figure: 'Initial JavaScript, gzipped', size: 'the page script', measured: browser ? browser.pageScript.gzipped : null, unit: 'bytes', baseline: null, ratio: null, target: '< 200 KB', met: browser ? browser.pageScript.gzipped < 200_000 : null, note: 'Workers load apart, on first use' },
    scaleRows.firstLoad,
  ];
  mkdirSync(new URL('../../bench/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('../../bench/results.json', import.meta.url),
    `${JSON.stringify({ written: new Date().toISOString(), machine: { os: type(), cpus: cpu.length, model: cpu[0]?.model ?? null, memory: totalmem(), node: process.version, chromium: browser?.chromium ?? null }, targets }, null, 1)}\n`,
  );
  const md = `# Benchmarks

Written by \`npm run bench\` (test/bench/run.ts) on ${new Date().toISOString().slice(0, 10)}. Median of ${RUNS} runs each.
Machines here are noisy: compare the **ratio** column (time ÷ the baseline's time, measured in the same run),
not the absolute numbers, across machines and commits.

## Machine
- ${type()} · ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'} · ${fmt(totalmem() / 2 ** 30, 0)} GiB · Node ${process.version}

## Targets (issue 9)
Each figure beside its target; the sections below say how each was measured. Also written to \`bench/results.json\`.

${targetsMarkdown(targets)}

## Input
A generated fleet of **${DEVICES.toLocaleString('en')} devices** (standalone Catalyst 9300, 2 RUM reports each, ${(DEVICES * 2).toLocaleString('en')} reports),
as one \`.tar.gz\` of one \`license smart save usage\` file per device — the shape an operator carries:
${fmt(mb(tgz.length))} MB compressed, ${fmt(rawMB)} MB as tar. Generating it took ${fmt(generateMs / 1000, 2)} s.

## Usage-file import (Node)
| Step | Median time | Throughput | Ratio to baseline |
|---|---:|---:|---:|
${rows.map(([name, ms, mbps, ratio]) => `| ${name} | ${fmt(ms, 0)} ms | ${fmt(mbps)} MB/s | ${fmt(ratio, 2)}× |`).join('\n')}

Throughput is uncompressed megabytes per second (for the SHA-256 row, compressed bytes hashed per second).
Method: each step runs ${RUNS} times on the same in-memory bytes; the median is reported. The full analysis is
what the import worker does before its single IndexedDB transaction; storing is measured in the browser.

## Simulator (Node): ${SIM_DEVICES.toLocaleString('en')} devices
\`simulateFleet({ devices: ${SIM_DEVICES.toLocaleString('en')} })\` then \`fleetFiles\` (every file \`slp demo\` writes), one run:
${fleet.units.length.toLocaleString('en')} reporting units, ${simFiles.length.toLocaleString('en')} files, ${fmt(mb(allTotal))} MB (usage files ${fmt(mb(usageTotal))} MB).

| Step | Time | Ratio to baseline |
|---|---:|---:|
| gzip (pako, level 6) of the usage files written — baseline | ${fmt(gzipMs, 0)} ms | 1.00× |
| Generate the fleet and render every file | ${fmt(simMs, 0)} ms | ${fmt(simMs / gzipMs, 2)}× |

## \`show license tech support\` parsing (Node)
Every \`show license tech support\` sample in test/fixtures (${cli.samples} real outputs, genieparser's and the Cisco
documents') pasted one after another ${cli.copies} times, each copy under its own prompt: ${cli.lines.toLocaleString('en')} lines,
${fmt(mb(cli.bytes))} MB. Baseline: splitting the same text into lines and testing each for a \`Label:\` colon.

| Step | Median time | Lines per second | Ratio to baseline |
|---|---:|---:|---:|
| Split into lines + one regular expression per line — baseline | ${fmt(cli.baselineMs, 0)} ms | ${Math.round(cli.lines / (cli.baselineMs / 1000)).toLocaleString('en')} | 1.00× |
| \`parseCliText\`: split into outputs, parse, merge per device | ${fmt(cli.parseMs, 0)} ms | ${Math.round(cli.lines / (cli.parseMs / 1000)).toLocaleString('en')} | ${fmt(cli.parseMs / cli.baselineMs, 1)}× |

## Fleet table (Node, the functions the Fleet view runs)
${table.rows.toLocaleString('en')} devices (the simulated fleet above, one row per product instance). Baseline: the engine's own
\`sort()\` of the same host names as plain strings.

| Step | Median time | Ratio to baseline |
|---|---:|---:|
| \`hostnames.slice().sort()\` — baseline | ${fmt(table.copyMs, 0)} ms | 1.00× |
| Build the rows (display values, search text, sort key) — once per change of the fleet | ${fmt(table.buildMs, 0)} ms | ${fmt(table.buildMs / table.copyMs, 1)}× |
| Sort by host name (natural order, HA sets kept together) | ${fmt(table.sortMs, 0)} ms | ${fmt(table.sortMs / table.copyMs, 1)}× |
| Filter: search text + Virtual Account | ${fmt(table.filterMs, 0)} ms | ${fmt(table.filterMs / table.copyMs, 1)}× |

## Deadlines (Node, the engine the Deadlines view runs)
Every product instance of the ${fleet.instances.length.toLocaleString('en')}-device simulated fleet as the store holds it after
importing its usage files (usage history per licence, last ACK, HA roles). Baseline: the engine's own \`sort()\` of
the same devices' host names, as in the table figures.

| Step | Median time | Ratio to baseline |
|---|---:|---:|
| \`hostnames.slice().sort()\` — baseline | ${fmt(deadlines.baselineMs, 0)} ms | 1.00× |
| \`fleetDeadlines\`: every device's deadlines, reasons and the status counts | ${fmt(deadlines.ms, 0)} ms | ${fmt(deadlines.ms / deadlines.baselineMs, 1)}× |

Statuses: ${Object.entries(deadlines.counts).map(([s, n]) => `${s} ${n.toLocaleString('en')}`).join(', ')}.

## Reporting cycle (Node, the functions a cycle runs, without IndexedDB)
On the machine above, in this one Node process. The simulated fleet (seed \`bench\`) of ${cycles.map((c) => c.devices.toLocaleString('en')).join(' and of ')} devices,
imported as the demo does it: one tar.gz of usage files per Virtual Account, analysed and merged, each archive kept as
the stored original (${cycles.map((c) => `${fmt(mb(c.originalsBytes))} MB`).join(' and ')}). One cycle in bundle mode carries every device with reports to upload.
${cycles.map((c, i) => `${c.runs === 1 ? 'one run' : `median of ${c.runs} runs`} at ${c.devices.toLocaleString('en')} devices`.replace(/^./, (x) => (i === 0 ? x.toUpperCase() : x))).join(', ')}; setting up (simulate, write and import the usage
files) took ${cycles.map((c) => `${fmt(c.setupMs / 1000, 0)} s`).join(' and ')} and is not counted.

| Devices | Device files (reports) | Bundle | Build | \`tar czf\` — baseline | Ratio | Reconcile | Inflate the ACK bundle — baseline | Ratio | Hand-back | Ratio to inflate |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${cycles
  .map(
    (c) =>
      `| ${c.devices.toLocaleString('en')} | ${c.files.toLocaleString('en')} (${c.reports.toLocaleString('en')}) | ${fmt(mb(c.bundleBytes))} MB | ${fmt(c.buildMs, 0)} ms | ${fmt(c.tarMs, 0)} ms | ${fmt(c.buildMs / c.tarMs, 1)}× | ${fmt(c.reconcileMs, 0)} ms | ${fmt(c.inflateMs, 0)} ms | ${fmt(c.reconcileMs / c.inflateMs, 1)}× | ${fmt(c.handBackMs, 0)} ms | ${fmt(c.handBackMs / c.inflateMs, 1)}× |`,
  )
  .join('\n')}

- **Build**: \`buildUpload\` with a fresh \`StoredEntries\` reader each run: open (inflate, untar) the stored archives,
  take each device's usage file as it is (every one goes in verbatim here), write the \`UD_VA_…tar.gz\` and the \`UD_SA_…tar.gz\`.
  Baseline: ${cycles[0]!.tar} \`tar czf\` (system gzip, level 6) of the same device files, unpacked from the bundle
  into a temporary directory${cycles[0]!.tmpfs ? ' on tmpfs' : ''} beforehand (writing them is not counted).
- **Reconcile**: what \`applyReconcile\` computes before its IndexedDB transaction — SHA-256 of the ACK bundle,
  \`splitAck\`, \`planReconcile\` (each report's earlier ACK looked up from the stored reports), \`mergeAcks\`.
  Every device of the cycle matched, every report acknowledged. Baseline: pako inflate of the ACK bundle's two gzip
  layers (${cycles.map((c) => `${fmt(mb(c.ackBytes), 2)} MB`).join(' and ')} compressed).
- **Hand-back**: \`writeHandBack\` for the reconciled cycle, each device's ACK read back from the stored ACK bundle, its
  \`commands.txt\` written, all in one tar.gz (${cycles.map((c) => `${fmt(mb(c.handBackBytes))} MB`).join(' and ')}).
- The ACK bundle came from the simulated CSSM (\`simulateCssm\`, not the workbench's own work, one run):
  ${cycles.map((c) => `${fmt(c.cssmMs, 0)} ms`).join(' and ')}.

${
  browser
    ? `## In the browser (${browser.chromium}, headless, the built app)
The same ${DEVICES.toLocaleString('en')}-device archive imported through the file input (worker: inflate, parse, one
IndexedDB transaction), then the 10,000-device demo loaded from Settings (worker: generate, archive, import).
Wall time until the app shows the result; long tasks are main-thread tasks over 50 ms during the import.

| Step | Time | Ratio to baseline |
|---|---:|---:|
| Native inflate (DecompressionStream) of the archive in the page — baseline | ${fmt(browser.inflateMs, 0)} ms | 1.00× |
| Import of the ${DEVICES.toLocaleString('en')}-device archive, until "Imported" | ${fmt(browser.importMs, 0)} ms | ${fmt(browser.importMs / browser.inflateMs, 1)}× |
| Load the 10,000-device demo, until the fleet shows | ${fmt(browser.demoMs, 0)} ms | ${fmt(browser.demoMs / browser.inflateMs, 1)}× |

Inside the import worker: ${Object.entries(browser.importPhases).map(([phase, ms]) => `${phase} ${fmt(ms, 0)} ms`).join(', ')}.
The rest of the wall time is the harness handing the file to the page (one ${fmt(browser.harnessLongestTaskMs, 0)} ms task
before the app sees the file), starting the worker and rendering.
Main thread from the moment the file is in the page until "Imported": ${browser.importLongTasks} long task${browser.importLongTasks === 1 ? '' : 's'}${browser.importLongTasks ? `, the longest ${fmt(browser.importLongestTaskMs, 0)} ms` : ' (none over 50 ms)'}.
The page's own script (\`dist/assets/index-*.js\`, workers load apart, on first use): ${fmt(browser.pageScript.bytes / 1024, 0)} KiB, ${fmt(browser.pageScript.gzipped / 1024, 0)} KiB gzipped.
`
    : '## In the browser\nSkipped: /usr/bin/chromium is not installed.\n'
}
${backupMarkdown(backupNode, after, browser?.chromium ?? null)}
${scaleMarkdown(scale)}`;
  writeFileSync(new URL('../../BENCHMARKS.md', import.meta.url), md);
  process.stdout.write(md);
}

/** Every tech-support sample, many times over, each under its own prompt (as a long paste of many devices). */
async function cliFigures() {
  const dirs = ['cli', 'cli-seed'].map((d) => new URL(`../fixtures/${d}/`, import.meta.url));
  const samples = dirs.flatMap((dir) => readdirSync(dir).filter((n) => /tech_?support/i.test(n)).map((n) => readFileSync(new URL(n, dir), 'utf8')));
  const copies = 40;
  const parts: string[] = [];
  for (let c = 0; c < copies; c++) samples.forEach((s, i) => parts.push(`dev-${c}-${i}#show license tech support`, s));
  const text = parts.join('\n');
  const lines = text.split('\n').length;
  // One after the other: `time` awaits between runs, so two at once would time each other.
  const b = await time(() => text.split(/\r?\n/).filter((l) => /^\s*[A-Za-z][^:]*:/.test(l)).length);
  const p = await time(() => parseCliText(text));
  if (p.result.outputs.length !== copies * samples.length) throw new Error(`benchmark split ${p.result.outputs.length} outputs`);
  return { samples: samples.length, copies, lines, bytes: text.length, baselineMs: b.ms, parseMs: p.ms };
}

/** The simulated fleet as the store holds it after importing its usage files: the actives carry the reports. */
function storedDevices(fleet: SimFleet): ProductInstance[] {
  return fleet.units.flatMap((u) =>
    u.members.map((m, i) => {
      const reports = i === 0 ? u.reports.map((r) => ({ reportId: r.reportId, udi: m.udi, softwareTag: null, entitlementTag: r.tag, count: r.count, start: r.start * 1000, end: r.end * 1000, utility: r.utility, softwareVersion: null, payloadFormat: '2.0' as const, measurementCount: 1, fingerprint: 0, source: { file: 'f', entry: [], start: 0, end: 0 }, alsoIn: [] })) : [];
      return {
        key: `PID:${m.udi.pid},SN:${m.udi.sn}`,
        udi: m.udi,
        hostname: { value: m.hostname, file: 'f', at: 1 },
        softwareVersion: { value: m.softwareVersion, file: 'f', at: 1 },
        softwareTag: null,
        ha: { value: { role: m.role, activeKey: null }, file: 'f', at: 1 },
        licenses: [],
        reportCount: reports.length,
        lastReportEnd: null,
        files: ['f'],
        firstSeen: 1,
        updatedAt: 1,
        virtualAccount: { value: m.virtualAccount, file: 'f', at: 1 },
        lastAckReceived: u.lastAckAt !== null ? { value: u.lastAckAt, file: 'f', at: u.lastAckAt } : null,
        usage: usageHistory(reports),
      };
    }),
  );
}

async function fleetTableFigures(devices: ProductInstance[]) {
  const hosts = devices.map((d) => d.hostname!.value);
  const copy = await time(() => hosts.slice().sort());
  const build = await time(() => devices.map((d) => fleetRow(d)));
  const rows = build.result;
  const sort = await time(() => sortRows(rows, 'hostname', 'asc'));
  const filter = await time(() => filterRows(rows, { ...NO_FILTER, query: 'acc', virtualAccount: devices[0]!.virtualAccount!.value }, Date.now()));
  return { rows: rows.length, copyMs: copy.ms, buildMs: build.ms, sortMs: sort.ms, filterMs: filter.ms };
}

async function deadlineFigures(devices: ProductInstance[], now: number) {
  const hosts = devices.map((d) => d.hostname!.value);
  const baseline = await time(() => hosts.slice().sort());
  const run = await time(() => fleetDeadlines(devices, now));
  return { baselineMs: baseline.ms, ms: run.ms, counts: run.result.counts };
}

/** The regular files of a ustar archive, as views into it: enough to find the gzip layers of a bundle. */
function tarFiles(tar: Uint8Array): Array<{ name: string; bytes: Uint8Array }> {
  const ascii = new TextDecoder('latin1');
  const field = (at: number, length: number) => ascii.decode(tar.subarray(at, at + length)).replace(/\0.*$/s, '');
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const size = parseInt(field(at + 124, 12).trim(), 8);
    if (tar[at + 156] === 0x30 || tar[at + 156] === 0) out.push({ name: field(at, 100), bytes: tar.subarray(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/**
 * Issue 6's reporting cycle on a simulated fleet, without IndexedDB: build the CSSM upload bundle from the stored
 * originals, reconcile the ACK bundle the simulated CSSM returns (what applyReconcile computes), write the hand-back.
 */
async function cycleFigures(devices: number, runs: number) {
  const now = Date.UTC(2026, 10, 1);
  const fleet = simulateFleet({ seed: 'bench', devices, now });
  // The workspace after the demo's import (workers/demo.worker.ts): one tar.gz of usage files per Virtual Account,
  // analysed and merged as the import worker does, the archive kept as the stored original under its SHA-256.
  // Node's zlib compresses these only to keep the set-up short: any gzip stream reads back the same.
  const s0 = performance.now();
  const originals = new Map<string, { name: string; bytes: Uint8Array }>();
  const deviceMap = new Map<string, ProductInstance>();
  const reportMap = new Map<string, DeviceReports>();
  for (const va of fleet.virtualAccounts) {
    const units = fleet.units.filter((u) => u.virtualAccount === va.name);
    if (units.length === 0) continue;
    const used = new Set<string>();
    const files = units.map((u) => ({ name: uniqueName(used, u.hostname, '_all_rum.txt'), bytes: encoder.encode(usageFileOf(fleet, u)), mtime: now }));
    const name = `demo-${va.name.replace(/[^A-Za-z0-9._-]+/g, '_')}-usage.tar.gz`;
    const bytes = new Uint8Array(gzipSync(await writeTar(files)));
    const analysis = await analyseFile(name, bytes);
    originals.set(analysis.sha256, { name, bytes });
    const merged = mergeUsage({ file: analysis.sha256, importedAt: now, usage: analysis.usage }, deviceMap, reportMap);
    for (const d of merged.devices) deviceMap.set(d.key, d);
    for (const r of merged.reports) reportMap.set(r.key, r);
  }
  // One cycle, in bundle mode, for every device with reports to upload.
  const reportsOf = (key: string) => reportMap.get(key)?.reports ?? [];
  const list = candidates({ devices: [...deviceMap.values()], reportsOf, deadlines: new Map(), cycles: [] });
  const cycle = newCycle({
    id: 'bench', number: 1, smartAccount: fleet.smartAccount.name, virtualAccount: fleet.virtualAccounts[0]!.name,
    mode: 'bundle', devices: cycleDevices(list, presetSelection(list, 'unreported')), at: now, by: 'bench',
  });
  const reports = cycle.devices.reduce((n, d) => n + d.reportIds.length, 0);
  const setupMs = performance.now() - s0;

  // 1. Build: a fresh reader each run, so every run opens (inflates) the stored originals as the app does.
  const build = await time(() => buildUpload({ cycle, reportsOf, reader: new StoredEntries(async (sha) => originals.get(sha)!), now }), runs);
  const built = build.result;
  if (built.verbatim !== cycle.devices.length) throw new Error(`benchmark built ${built.composed} device files from report slices`);

  // Baseline: the system's tar czf of the bundle's device files (unpacked from the bundle by tar, untimed).
  const tar = execFileSync('tar', ['--version']).toString().split('\n')[0]!.replace(/^tar \((.*)\)/, '$1');
  const tmpfs = existsSync('/dev/shm');
  const dir = mkdtempSync(join(tmpfs ? '/dev/shm' : tmpdir(), 'slp-bench-cycle-'));
  let tarCzf: { ms: number };
  try {
    writeFileSync(join(dir, built.name), built.bytes);
    execFileSync('tar', ['xzf', built.name, '--exclude', 'manifest.mf'], { cwd: dir });
    mkdirSync(join(dir, 'files'));
    for (const va of readdirSync(dir).filter((n) => n.startsWith('UD_VA_'))) execFileSync('tar', ['xzf', join(dir, va), '-C', join(dir, 'files')]);
    const count = readdirSync(join(dir, 'files')).length;
    if (count !== cycle.devices.length) throw new Error(`benchmark unpacked ${count} device files from the bundle`);
    tarCzf = await time(() => execFileSync('tar', ['czf', join(dir, 'baseline.tar.gz'), '-C', join(dir, 'files'), '.']), runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 2. CSSM's answer (the simulator: not the workbench, one run), then what applyReconcile computes before writing.
  const ackedAt = now + 86_400_000;
  const c0 = performance.now();
  const answer = await simulateCssm(built.name, built.bytes, emptyLedger(fleet.smartAccount, fleet.virtualAccounts.map((v) => v.name)), { now: ackedAt });
  const cssmMs = performance.now() - c0;
  if (!answer.accepted) throw new Error(`the simulated CSSM refused the bundle: ${answer.reason}`);
  const uploaded: Cycle = { ...cycle, state: 'uploaded', devices: built.devices, upload: { name: built.name, sha256: await sha256Hex(built.bytes), size: built.bytes.length }, uploadedOn: ackedAt };
  const reconcile = await time(async () => {
    const file = { name: answer.name, sha256: await sha256Hex(answer.bytes), size: answer.bytes.length };
    const split = await splitAck(answer.name, answer.bytes);
    const acknowledgedBy = new Map<string, Map<string, string | null>>();
    for (const d of uploaded.devices) {
      const r = reportMap.get(d.key);
      if (r) acknowledgedBy.set(d.key, new Map(r.reports.map((x) => [x.reportId, x.acknowledgedBy?.file ?? null])));
    }
    const plan = planReconcile(uploaded, [{ file, acks: split.acks }], { acknowledgedBy: (key, id) => acknowledgedBy.get(key)?.get(id) ?? null, otherCycles: [] });
    const merged = mergeAcks({ file: file.sha256, importedAt: ackedAt, acks: plan.matched.map((m) => m.ack) }, deviceMap, reportMap);
    return { file, plan, merged };
  }, runs);
  const { file, plan, merged } = reconcile.result;
  if (plan.matched.length !== cycle.devices.length || merged.acknowledged !== reports) throw new Error(`benchmark reconciled ${plan.matched.length} devices, ${merged.acknowledged} reports`);
  // Baseline: pako inflate of the ACK bundle's two gzip layers (the outer tar.gz, then each ACK_UD_VA_….tar.gz in it).
  const inflateAck = await time(() => tarFiles(inflate(answer.bytes)).filter((f) => f.name.endsWith('.gz')).reduce((n, f) => n + inflate(f.bytes).length, 0), runs);

  // 3. Hand-back: every device's ACK read back from the stored ACK bundle, with its commands, in one tar.gz.
  const reconciled: Cycle = { ...uploaded, state: 'reconciled', devices: withAcks(uploaded, plan, ackedAt), acks: [file] };
  const ackStore = () =>
    new StoredEntries(async (sha) => {
      if (sha !== file.sha256) throw new Error(`benchmark hand-back asked for ${sha}`);
      return { name: answer.name, bytes: answer.bytes };
    });
  const handBack = await time(() => writeHandBack(reconciled, ackStore(), ackedAt), runs);
  if (handBack.result.devices !== cycle.devices.length) throw new Error(`benchmark handed back ${handBack.result.devices} devices`);

  return {
    devices: fleet.instances.length,
    files: cycle.devices.length,
    reports,
    originalsBytes: [...originals.values()].reduce((n, o) => n + o.bytes.length, 0),
    bundleBytes: built.bytes.length,
    ackBytes: answer.bytes.length,
    handBackBytes: handBack.result.bytes.length,
    runs,
    tar,
    tmpfs,
    setupMs,
    buildMs: build.ms,
    tarMs: tarCzf.ms,
    cssmMs,
    reconcileMs: reconcile.ms,
    inflateMs: inflateAck.ms,
    handBackMs: handBack.ms,
  };
}

/** `BENCH_ONLY=cycle`: the reporting cycle's figures alone (BENCH_CYCLE_DEVICES, default 100,000), printed, never written. */
async function cycleOnly() {
  const devices = Number(process.env.BENCH_CYCLE_DEVICES ?? 100_000);
  const { tar: _tar, tmpfs: _tmpfs, ...figures } = await cycleFigures(devices, 1);
  console.log(JSON.stringify(figures, null, 1));
}

const only: Record<string, () => Promise<void>> = { backup: backupOnly, cycle: cycleOnly, scale: scaleOnly };
const part = process.env.BENCH_ONLY;
// A mistyped part must not start the whole bench (and overwrite BENCHMARKS.md).
if (part && !only[part]) throw new Error(`BENCH_ONLY=${part}: one of ${Object.keys(only).join(', ')}`);
await (part ? only[part]! : main)();
