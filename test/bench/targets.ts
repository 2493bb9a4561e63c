/**
 * Issue 9's targets beside what `npm run bench` measured, as a table for BENCHMARKS.md and as
 * `bench/results.json`, so each commit's standing can be compared. A target with no figure yet says so; a figure
 * measured at another size or in Node rather than the browser says that too, in its `note`.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { analyseFile } from '../../src/core/analyse.ts';
import { storeAnalysis } from '../../src/db/import.ts';
import { openWorkbenchDb } from '../../src/db/schema.ts';

export interface TargetRow {
  figure: string;
  size: string;
  /** Milliseconds (or bytes for sizes); null when not measured yet. */
  measured: number | null;
  unit: 'ms' | 'bytes';
  baseline: string | null;
  ratio: number | null;
  target: string;
  met: boolean | null;
  /** Why a figure the bench tried to measure is missing (the page did not settle, the import was refused…). */
  failed?: string;
  note: string;
}

/** A 10,000-licence CSSM licence summary (CSSM API JSON) imported by the app's own code into fake-indexeddb. */
export async function summaryImportMs(): Promise<number> {
  const licences = Array.from({ length: 10_000 }, (_, i) => ({
    tag: `regid.2026-01.com.cisco.L${i},1.0_${i}`,
    display_name: `L${i}`,
    enforced: false,
    export_restricted: false,
    compliance_status: 'In Compliance',
    prepaid_entitled: (i % 50) + 1,
    prepaid_inuse: 1,
    prepaid_reserved: 0,
  }));
  const bytes = new TextEncoder().encode(JSON.stringify({ virtual_account: { name: 'Big' }, summary: licences }));
  const db = openWorkbenchDb('bench-summary', { indexedDB: new IDBFactory(), IDBKeyRange });
  const t0 = performance.now();
  const outcome = await storeAnalysis(db, await analyseFile('summary.json', bytes), new Blob([bytes]), Date.now());
  const ms = performance.now() - t0;
  if (outcome.status !== 'imported' || outcome.summary.licences !== 10_000) throw new Error('benchmark summary import did not take 10,000 licences');
  db.close();
  return ms;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export function targetsMarkdown(rows: readonly TargetRow[]): string {
  const bytes = (n: number) => (n < 1024 ** 2 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 ** 2).toLocaleString('en', { maximumFractionDigits: 0 })} MiB`);
  const value = (r: TargetRow) => (r.measured === null ? '—' : r.unit === 'bytes' ? bytes(r.measured) : r.measured < 1000 ? `${r.measured.toFixed(0)} ms` : sec(r.measured));
  // A table cell cannot hold a bare "|".
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  // A figure with no target of its own (kept beside the others for scale) says so rather than "not measured".
  const met = (r: TargetRow) => (r.met !== null ? (r.met ? '**yes**' : 'no') : r.failed ? 'failed' : r.measured !== null ? '(no target)' : 'not measured');
  return [
    '| Figure | Size | Measured | Baseline | Ratio | Target | Met? | Note |',
    '|---|---|---:|---|---:|---|---|---|',
    ...rows.map((r) => `| ${cell(r.figure)} | ${r.size} | ${value(r)} | ${cell(r.baseline ?? '')} | ${r.ratio === null ? '' : `${r.ratio.toFixed(1)}×`} | ${cell(r.target)} | ${met(r)} | ${cell(r.note)} |`),
  ].join('\n');
}
