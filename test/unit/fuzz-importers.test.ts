import { createHash } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FileAnalysis, analyseFile } from '../../src/core/analyse.ts';
import { gzip, writeTar } from '../../src/core/archive/index.ts';
import { writeUploadBundle } from '../../src/core/bundle/upload.ts';
import { isImportError } from '../../src/core/errors.ts';
import { KIND_LABELS } from '../../src/core/formats/classify.ts';
import { storeAnalysis } from '../../src/db/import.ts';
import { type WorkbenchDb, openWorkbenchDb } from '../../src/db/schema.ts';
import { fixture, text } from './helpers.ts';

/**
 * Issue 8: property-based fuzzing of every importer reachable from analyseFile (gzip, tar, the classifier, the
 * XML reader and usage files, ACKs, SLAC requests, licence summaries, inventory CSV, CLI text and syslog). Whatever
 * the bytes: nothing but an ImportError naming the file escapes, no run takes long, and what is returned is sane
 * (and, when readable, can be stored). Seeds are fixed: a failure prints its seed and path, and replays the same.
 */
const NOW = 1_800_000_000_000;
/** One run of one input; the slowest real one takes a few milliseconds. A hang guard, not a benchmark. */
const MAX_RUN_MS = 2_000;
const ERROR_CODES = new Set(['empty', 'too-large', 'too-many-entries', 'too-deep', 'inflate-ratio', 'unsafe-path', 'truncated', 'corrupt', 'not-tar', 'encoding', 'xml', 'json', 'wrong-kind', 'unknown-kind', 'unsupported', 'invalid']);

let dbCounter = 0;
const freshDb = (): WorkbenchDb => openWorkbenchDb(`fuzz-${++dbCounter}`, { indexedDB: new IDBFactory(), IDBKeyRange });

/** The structure every analysis promises, checked field by field. */
function expectSane(a: FileAnalysis, name: string, bytes: Uint8Array): void {
  expect(a.name).toBe(name);
  expect(a.size).toBe(bytes.length);
  expect(a.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  expect(Object.keys(KIND_LABELS)).toContain(a.kind);
  expect(a.kind).not.toBe('unknown');
  expect(typeof a.readable).toBe('boolean');
  for (const w of a.warnings) expect(typeof w).toBe('string');
  for (const e of a.entries) {
    expect(e.path.every((p) => typeof p === 'string')).toBe(true);
    expect(Object.keys(KIND_LABELS)).toContain(e.kind);
    expect(['read', 'not-supported', 'ignored', 'error']).toContain(e.status);
  }
  for (const { path, usage } of a.usage) {
    for (const r of usage.reports) {
      expect(typeof r.udi.pid === 'string' && typeof r.udi.sn === 'string').toBe(true);
      expect(r.reportId).toMatch(/^\S+$/);
      expect(r.range.start).toBeGreaterThanOrEqual(0);
      expect(r.range.end).toBeGreaterThan(r.range.start);
      // A single file's reports point into its own bytes.
      if (path.length === 0 && bytes[0] !== 0x1f) expect(r.range.end).toBeLessThanOrEqual(bytes.length);
    }
  }
  // Plain data: what the worker posts to the page and what is stored must survive serialising.
  expect(() => JSON.stringify(a)).not.toThrow();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Imports the bytes; anything thrown must be an ImportError whose sentence starts with the file's name. */
async function importAny(name: string, bytes: Uint8Array, db?: WorkbenchDb): Promise<void> {
  const start = performance.now();
  let analysis: FileAnalysis | null = null;
  try {
    analysis = await analyseFile(name, bytes);
  } catch (e) {
    expectImportError(e, name);
  }
  if (analysis) {
    expectSane(analysis, name, bytes);
    if (db && analysis.readable) {
      try {
        await storeAnalysis(db, analysis, new Blob([bytes as Uint8Array<ArrayBuffer>]), NOW);
      } catch (e) {
        expectImportError(e, name);
      }
    }
  }
  expect(performance.now() - start, `${name}: one run`).toBeLessThan(MAX_RUN_MS);
}

function expectImportError(e: unknown, name: string): void {
  if (!isImportError(e)) throw new Error(`${name}: a ${e instanceof Error ? e.name : typeof e} escaped: ${e instanceof Error ? e.stack : String(e)}`);
  expect(ERROR_CODES.has(e.code), `code ${e.code}`).toBe(true);
  expect(e.where[0]).toBe(name);
  expect(e.message.startsWith(`${name}: `) || e.message.startsWith(`${name} › `), e.message).toBe(true);
  expect(e.detail.length).toBeGreaterThan(5);
}

/**
 * fast-check settings: a fixed seed, a run count that keeps the file under ~20 s on 2 cores, a time limit that
 * fails. `FUZZ_SCALE=20 FUZZ_SEED=7 npx vitest run test/unit/fuzz-importers.test.ts` explores further by hand.
 */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED_OFFSET = Number(process.env.FUZZ_SEED ?? 0);
const settings = (seed: number, numRuns: number) => ({
  seed: seed + SEED_OFFSET,
  numRuns: Math.round(numRuns * SCALE),
  interruptAfterTimeLimit: 8_000 * SCALE,
  markInterruptAsFailure: true,
  endOnFailure: true,
});

/** What a damaged copy looks like: cut short, bits flipped, bytes inserted, removed, repeated or overwritten. */
type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; flips: Array<{ at: number; bit: number }> }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'overwrite'; at: number; bytes: Uint8Array };

const NASTY = ['<', '>', '&', '&lol;', '"', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '../', '\0', '\r\n', '\\', '{', '}', '[', '"__proto__":', '<![CDATA[', '-->', '\u00ff', '\ud83d\ude00'].map((s) => text(s));
const SPECIAL_BYTES = [0x00, 0x80, 0xc3, 0xfe, 0xff].map((b) => Uint8Array.of(b));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constantFrom(...NASTY, ...SPECIAL_BYTES)) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ op: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.constantFrom(...NASTY, ...SPECIAL_BYTES) }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : ('at' in m ? m.at : 0) % (n + 1);
  switch (m.op) {
    case 'truncate':
      return bytes.slice(0, at);
    case 'flip': {
      const out = bytes.slice();
      for (const f of m.flips) if (n) out[f.at % n]! ^= 1 << f.bit;
      return out;
    }
    case 'insert':
      return Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    case 'delete':
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    case 'duplicate':
      return Uint8Array.from([...bytes.subarray(0, at + m.length), ...bytes.subarray(at, at + m.length), ...bytes.subarray(at + m.length)]);
    case 'overwrite': {
      const out = bytes.slice();
      out.set(m.bytes.subarray(0, Math.max(0, n - at)), at);
      return out;
    }
  }
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}

/** Real files of every kind the workbench reads, from test/fixtures/ and the workbench's own writers. */
const seeds: Seed[] = [];
/** The same archives before gzip, to damage the tar layer itself (then gzipped again). */
const tarSeeds: Seed[] = [];

beforeAll(async () => {
  const c9300 = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
  const c8000v = fixture('formats', 'rum-save-usage_c8000v_utility.txt');
  const ack = fixture('made', 'ack_single.xml');
  const licences = fixture('made', 'cssm_licenses.json');
  const devices = fixture('made', 'cssm_devices.json');
  const accounts = fixture('made', 'cssm_accounts.json');
  const bundle = await writeUploadBundle({
    smartAccount: { name: 'ACME', id: '1' },
    virtualAccounts: [{ name: 'Campus', id: '2', devices: [{ bytes: c9300, key: 'a' }, { bytes: c8000v, key: 'b' }] }],
    timestamp: 1_762_592_000_000,
    createdBy: 'fuzz',
  });
  const ackTar = await writeTar([{ name: 'ACK_dev_1.txt', bytes: ack, mtime: 0 }, { name: 'ACK_dev_2.txt', bytes: ack, mtime: 0 }]);
  const usageTar = await writeTar([{ name: 'dev_1.txt', bytes: c9300, mtime: 0 }, { name: 'dev_2.txt', bytes: c8000v, mtime: 0 }]);
  const summaryTar = await writeTar([
    { name: 'manifest.json', bytes: text('{"format":"slp-summary/1","generated":"2026-01-01T00:00:00Z","smart_account":{"name":"ACME"}}'), mtime: 0 },
    { name: 'Campus/licenses.json', bytes: licences, mtime: 0 },
    { name: 'Campus/devices.json', bytes: devices, mtime: 0 },
  ]);
  seeds.push(
    { name: 'usage.txt', bytes: c9300 },
    { name: 'usage-utility.txt', bytes: c8000v },
    { name: bundle.name, bytes: bundle.bytes },
    { name: 'ack.xml', bytes: ack },
    { name: 'acks.tar.gz', bytes: gzip(ackTar) },
    { name: 'licenses.json', bytes: licences },
    { name: 'devices.json', bytes: devices },
    { name: 'accounts.json', bytes: accounts },
    { name: 'summary.tar.gz', bytes: gzip(summaryTar) },
    { name: 'slac.xml', bytes: fixture('made', 'slac_request.xml') },
    { name: 'policy.xml', bytes: fixture('made', 'policy.xml') },
    { name: 'inventory.csv', bytes: fixture('made', 'inventory.csv') },
    { name: 'syslog.txt', bytes: fixture('made', 'syslog.txt') },
    { name: 'show-license-all.txt', bytes: fixture('cli', 'genie_ShowLicenseAll__golden_output.txt') },
    { name: 'show-license-status.txt', bytes: fixture('cli-seed', 'F07_show_license_status_custom_policy_ha_trust.clean.txt') },
    { name: 'tech-support.txt', bytes: fixture('cli', 'genie_ShowLicenseTechSupport__golden_output.txt') },
  );
  tarSeeds.push({ name: 'fleet.tar', bytes: usageTar }, { name: 'acks.tar', bytes: ackTar }, { name: 'summary.tar', bytes: summaryTar });
  // Every seed is read as it is: the properties below start from files the importers accept.
  for (const s of seeds) await analyseFile(s.name, s.bytes);
});

/** Starts of files that lead the classifier to each reader, so random tails reach past the sniffing. */
const PREFIXES = [
  '',
  '<?xml version="1.0" encoding="UTF-8"?><smartLicense><RUMReport><![CDATA[',
  '<smartLicense><smartLicenseSystemInfo><data>',
  '<RUMReport>{"payload":',
  '<smartLicense><smartLicenseRumAck>',
  '<smartLicense><smartLicenseAuthRequest>',
  '<smartLicenseRumAck>',
  '{"accounts": [',
  '{"summary": [{"tag": ',
  '{"devices": [{"sudi": ',
  '{"format": "slp-summary/1", ',
  'hostname,pid,serial\n',
  'wlc-1#show license all\n',
  'Smart Licensing Status\n',
  'UDI: PID:',
  'Nov 22 10:00:00 %SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED: ',
  'License Usage:\n',
];

describe('fuzzing every importer behind analyseFile: no throw but an ImportError naming the file, no hang, sane results', () => {
  it('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => importAny('random.bin', bytes)),
      settings(0x5eed0001, 400),
    );
  });

  it('arbitrary bytes after the magic of gzip, tar and the text kinds', async () => {
    const magic = fc.constantFrom(Uint8Array.of(0x1f, 0x8b), Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3), ...PREFIXES.map(text));
    await fc.assert(
      fc.asyncProperty(magic, fc.uint8Array({ maxLength: 1024 }), async (head, tail) => {
        const bytes = Uint8Array.from([...head, ...tail]);
        await importAny('magic.dat', bytes);
        // The same tail behind a ustar header: the tar reader's entry, checksums and sizes.
        const tar = new Uint8Array(512 + tail.length);
        tar.set(tail.subarray(0, 512));
        tar.set(text('ustar\u000000'), 257);
        tar.set(tail.subarray(512), 512);
        await importAny('magic.tar', tar);
      }),
      settings(0x5eed0002, 300),
    );
  });

  it('arbitrary strings behind the starts of every text kind', async () => {
    const tails = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ maxLength: 400, unit: 'binary' }),
      fc.array(fc.constantFrom('<', '>', '/', '&amp;', '&', ';', '"', '{', '}', '[', ']', ':', ',', '\n', ' ', 'PID:', ',SN:', '#', 'RUMReport', ']]>', '<![CDATA[', '\\"', '0', '9', 'Active', 'show license'), { maxLength: 200 }).map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PREFIXES), tails, async (prefix, tail) => importAny('pasted.txt', text(prefix + tail))),
      settings(0x5eed0003, 500),
    );
  });

  it('damaged copies of real files of every kind (usage files, an upload bundle, ACKs, summaries, SLAC, CLI), stored when readable', async () => {
    const db = freshDb();
    const seed = fc.integer({ min: 0, max: seeds.length - 1 });
    await fc.assert(
      fc.asyncProperty(seed, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (i, mutations) => {
        const { name, bytes } = seeds[i]!;
        await importAny(name, mutations.reduce(mutate, bytes), db);
      }),
      settings(0x5eed0004, 500),
    );
  });

  it('damaged tar layers inside intact gzip (the tar reader, not only inflate)', async () => {
    const seed = fc.integer({ min: 0, max: tarSeeds.length - 1 });
    await fc.assert(
      fc.asyncProperty(seed, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (i, mutations, zipped) => {
        const { name, bytes } = tarSeeds[i]!;
        const damaged = mutations.reduce(mutate, bytes);
        await importAny(zipped ? `${name}.gz` : name, zipped ? gzip(damaged) : damaged);
      }),
      settings(0x5eed0005, 300),
    );
  });
});
