/**
 * The import worker: receives files, runs the core (inflate, classify, parse, merge) and writes through
 * src/db/, so the page never does the heavy lifting. Cancel = the page terminates this worker; an import cut
 * off mid-transaction is rolled back by IndexedDB, so nothing half-written remains.
 */
import * as Comlink from 'comlink';
import { type LeafToParse, type ReadLeaf, analyseFile } from '../src/core/analyse.ts';
import { decodeReadLeaves, packLeaves } from '../src/core/parallel.ts';
import type { ParseWorkerApi } from './parse.worker.ts';
import { describeError, isImportError } from '../src/core/errors.ts';
import { KIND_LABELS, classifyLeaf } from '../src/core/formats/classify.ts';
import { sha256Hex } from '../src/core/hash.ts';
import type { ImportEvent, ImportInput, ImportPhase, ImportResult, ImportWorkerApi } from '../src/app/import-api.ts';
import { findFile, storeAnalysis } from '../src/db/import.ts';
import { isQuotaError, quotaMessage } from '../src/db/quota.ts';
import { cyclesAwaiting } from '../src/db/cycles.ts';
import { ackKeys } from '../src/core/model/acks.ts';
import { database, type WorkbenchDb } from '../src/db/schema.ts';
import { plural } from '../src/core/words.ts';


/** Files this large may hold thousands of usage files: a parse worker is started while they are hashed. */
const PARALLEL_FROM_BYTES = 1 << 20;

/**
 * A parse worker for one file, started before the file is analysed: nearly half of a large archive's entries are
 * classified and read there (analyseFile's `parallel`), so the import uses both cores (measured at 100,000 devices:
 * parsing was 15.6 s of a 35 s import, on one core of two). It must be running before the analysis starts: a nested
 * worker's script is loaded through this worker, which then reads its own part without yielding. Its answer comes
 * back as one JSON string, decoded here when analyseFile asks for it.
 */
function parseHelper(): { ready: Promise<boolean>; parallel: (leaves: LeafToParse[]) => Promise<ReadLeaf[]>; stop: () => void } {
  const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'parse' });
  const api = Comlink.wrap<ParseWorkerApi>(worker);
  return {
    ready: api.ping().then(
      () => true,
      () => false,
    ),
    // Not async: the work is posted before this returns.
    parallel: (leaves) => {
      const packed = packLeaves(leaves);
      return api.read(Comlink.transfer(packed, [packed.buffer])).then(decodeReadLeaves);
    },
    stop: () => worker.terminate(),
  };
}

/** Joins a reason and a conclusion as two sentences, whatever punctuation the reason ends with. */
function sentence(reason: string, then: string): string {
  return `${reason}${/[.!?]$/.test(reason) ? '' : '.'} ${then}`;
}

async function importOne(db: WorkbenchDb, index: number, input: ImportInput, emit: (e: ImportEvent) => void): Promise<ImportResult> {
  const timings: ImportResult['timings'] = {};
  const base = { index, name: input.name, warnings: [] as string[], sha256: null, kind: null, simulated: false, summary: null, timings };
  let current: ImportPhase | null = null;
  let since = performance.now();
  const phase = (p: ImportPhase, fraction: number) => {
    if (p !== current) {
      const t = performance.now();
      if (current) timings[current] = (timings[current] ?? 0) + (t - since);
      current = p;
      since = t;
    }
    emit({ type: 'phase', index, phase: p, fraction });
  };
  const endPhase = () => {
    if (current) timings[current] = (timings[current] ?? 0) + (performance.now() - since);
    current = null;
  };
  let bytes: Uint8Array;
  try {
    phase('reading', 0);
    bytes = new Uint8Array(await input.blob.arrayBuffer());
  } catch (e) {
    return { ...base, status: 'refused', message: `${input.name}: could not be read (${describeError(e)}) — was it moved or deleted?` };
  }
  const helper = bytes.length >= PARALLEL_FROM_BYTES && (globalThis.navigator?.hardwareConcurrency ?? 1) > 1 ? parseHelper() : null;
  phase('hashing', 0.05);
  const sha256 = await sha256Hex(bytes);
  const earlier = await findFile(db, sha256);
  if (earlier) {
    helper?.stop();
    return { ...base, sha256, kind: earlier.kind, simulated: earlier.simulated, status: 'duplicate', message: `Already imported as ${earlier.name} on ${new Date(earlier.importedAt).toLocaleString()}: nothing changed.` };
  }
  let analysis;
  try {
    phase('opening', 0.1);
    const parallel = helper && (await helper.ready) ? helper.parallel : undefined;
    analysis = await analyseFile(input.name, bytes, {
      sha256,
      parallel,
      onOpened: () => phase('parsing', 0.25),
      onProgress: (done, total) => phase('parsing', 0.25 + 0.55 * (total ? done / total : 1)),
    });
  } catch (e) {
    return { ...base, sha256, kind: classifyLeaf(bytes.subarray(0, 65536)).kind, status: 'refused', message: sentence(describeError(e, [input.name]), 'Nothing was imported.') };
  } finally {
    helper?.stop();
  }
  if (!analysis.readable) {
    return {
      ...base,
      sha256,
      kind: analysis.kind,
      simulated: analysis.simulated,
      status: 'not-supported',
      message:
        analysis.kind === 'controller-report'
          ? 'This is a controller usage report the workbench wrote for CSSM: it is uploaded to CSSM from its cycle (Reporting cycles), not imported.'
          : `Recognised as ${KIND_LABELS[analysis.kind]} (${analysis.kindReason}). This version cannot read it yet, so it was not imported.`,
    };
  }
  phase('merging', 0.85);
  // The File itself is stored: IndexedDB copies its bytes into the database when the transaction commits.
  const blob = input.blob;
  try {
    const outcome = await storeAnalysis(db, analysis, blob, Date.now(), () => phase('storing', 0.9));
    endPhase();
    if (outcome.status === 'duplicate') {
      return { ...base, sha256, kind: outcome.file.kind, status: 'duplicate', message: `Already imported as ${outcome.file.name}: nothing changed.` };
    }
    const s = outcome.summary;
    // An ACK imported here answers a cycle waiting for it: say so, so the cycle gets it too.
    const cycles = analysis.other.acks.length ? await cyclesAwaiting(db, ackKeys(analysis.other.acks)) : [];
    const hint = cycles.length ? ` It answers reporting cycle ${cycles.join(', ')}: import it there too to record it in the cycle and hand it back.` : '';
    return {
      ...base,
      sha256,
      kind: analysis.kind,
      simulated: analysis.simulated,
      summary: s,
      warnings: outcome.warnings,
      status: 'imported',
      message:
        analysis.other.acks.length > 0
          ? `${KIND_LABELS[analysis.kind]}: ${plural(s.acknowledged, 'report')} acknowledged, last ACK recorded for ${plural(s.devices, 'device')}.${hint}`
          : analysis.other.slacRequests.length > 0 && analysis.usage.length === 0
          ? `${KIND_LABELS[analysis.kind]}: ${plural(s.authRequests, 'request')} recorded for ${plural(s.devices, 'device')} — send ${s.authRequests === 1 ? 'it' : 'them'} to CSSM with an authorization cycle (Reporting cycles).`
          : analysis.usage.length === 0
          ? `${KIND_LABELS[analysis.kind]}: read what ${plural(s.observations, 'device')} said; ${plural(s.devices, 'product instance')} (${s.newDevices.toLocaleString('en')} new).`
          : `${KIND_LABELS[analysis.kind]}: ${plural(s.devices, 'device')} (${s.newDevices.toLocaleString('en')} new), ${plural(s.reports, 'report')} (${s.newReports.toLocaleString('en')} new).`,
    };
  } catch (e) {
    // A refusal of the content (an ACK for unknown devices, a paste naming none) already names the file. A full
    // disk rolls the whole import back: say how much it needed (the original, and about as much again for what
    // was learned from it) and what is free.
    const message = isQuotaError(e)
      ? await quotaMessage(input.name, 2 * input.blob.size)
      : isImportError(e)
      ? sentence(describeError(e), 'Nothing was imported.')
      : `${input.name}: could not be stored (${describeError(e)}). Nothing was imported.`;
    return { ...base, sha256, kind: analysis.kind, status: 'refused', message };
  }
}

const api: ImportWorkerApi = {
  async importFiles(dbName, inputs, onEvent) {
    const db = database(dbName);
    const results: ImportResult[] = [];
    for (const [index, input] of inputs.entries()) {
      const result = await importOne(db, index, input, onEvent);
      results.push(result);
      onEvent({ type: 'result', result });
    }
    return results;
  },
};

Comlink.expose(api);
