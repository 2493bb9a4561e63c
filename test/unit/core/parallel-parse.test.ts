import { describe, expect, it } from 'vitest';
import { PARALLEL_MIN, PARALLEL_SHARE, type AnalyseOptions, type FileAnalysis, type LeafToParse, type ReadLeaf, analyseFile, readLeaves } from '../../../src/core/analyse.ts';
import { gzip, writeTar } from '../../../src/core/archive/index.ts';
import { decodeReadLeaves, encodeReadLeaves, jsonSafe, packLeaves, unpackLeaves } from '../../../src/core/parallel.ts';
import { switchUsage } from '../../switch-usage.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Entry = { name: string; bytes: Uint8Array; mtime: number };
const entry = (name: string, content: string | Uint8Array): Entry => ({ name, bytes: typeof content === 'string' ? encoder.encode(content) : content, mtime: 0 });

/** A usage file edited as text (`from` must occur in it). */
function edited(i: number, from: string | RegExp, to: string): Uint8Array {
  const text = decoder.decode(switchUsage(i));
  const out = text.replace(from, to);
  if (out === text) throw new Error(`${String(from)} not in the usage file`);
  return encoder.encode(out);
}

/**
 * Usage files whose reading JSON would not give back exactly (so the other worker must leave them to the import
 * worker): a count of 1e999 (Infinity), a count of -0, a system-information timestamp of -0 (and the observation
 * time taken from it); and an HA role named "constructor" (once a function from the parser's role table, now no
 * role: JSON carries it).
 */
const awkward = (i: number) => [
  entry(`odd_infinity_${i}.txt`, edited(i, '\\"value\\":\\"1\\"', '\\"value\\":1e999')),
  entry(`odd_minus_zero_${i}.txt`, edited(i + 1, '\\"value\\":\\"1\\"', '\\"value\\":-0')),
  entry(`odd_timestamp_${i}.txt`, edited(i + 2, /"timestamp":\d+/, '"timestamp":-0')),
  entry(`odd_role_${i}.txt`, edited(i + 3, '\\"role\\":\\"Active\\"', '\\"role\\":\\"constructor\\"')),
];

/**
 * An archive of `n` usage files with, in both the part read here and the part read elsewhere: a broken (cut) usage
 * file, `show license` output, binary junk and a not-yet-supported kind (inventory CSV, a workbench backup JSON);
 * and awkward usage files near the end. `first` and `last` go before and after everything.
 */
async function archive(n: number, extra: { first?: Entry[]; last?: Entry[] } = {}): Promise<Uint8Array> {
  const files = Array.from({ length: n }, (_, i) => entry(`dev_${i}.txt`, switchUsage(i)));
  files[10]!.bytes = files[10]!.bytes.subarray(0, 300);
  files[n - 5]!.bytes = files[n - 5]!.bytes.subarray(0, 400);
  const cli = (i: number) => entry(`notes_${i}.txt`, `Device#show license summary\nLicense Usage:\n  sw-${i}\n`);
  const junk = (i: number) => entry(`junk_${i}.bin`, new Uint8Array([0, 1, 2, 3, i & 0xff]));
  const csv = (i: number) => entry(`inventory_${i}.csv`, `hostname,pid,serial\nsw-${i},C9300-24UX,FCW${String(i).padStart(8, '0')}\n`);
  const backup = (i: number) => entry(`backup_${i}.json`, `{"format": "slp-backup/1", "n": ${i}}`);
  files.splice(5, 0, cli(5), junk(5), csv(5), backup(5));
  files.splice(files.length - 20, 0, cli(n), junk(n), csv(n), backup(n), ...awkward(n));
  return gzip(await writeTar([...(extra.first ?? []), ...files, ...(extra.last ?? [])]));
}

/** What crosses to the parse worker and back: packed bytes one way, one JSON string the other (parse.worker.ts). */
async function viaWorker(leaves: LeafToParse[]): Promise<ReadLeaf[]> {
  const packed = packLeaves(leaves);
  const received = structuredClone(packed, { transfer: [packed.buffer] });
  return decodeReadLeaves(structuredClone(encodeReadLeaves(readLeaves(unpackLeaves(received)))));
}

/** analyseFile with and without the other worker, with what it was sent and the progress each reported. */
async function both(bytes: Uint8Array, parallel: AnalyseOptions['parallel'] = viaWorker) {
  const progress: Array<Array<[number, number]>> = [[], []];
  const alone = await analyseFile('fleet.tar.gz', bytes, { onProgress: (d, t) => progress[0]!.push([d, t]) });
  let sent: LeafToParse[] = [];
  const together = await analyseFile('fleet.tar.gz', bytes, {
    parallel: (leaves) => ((sent = leaves), parallel(leaves)),
    onProgress: (d, t) => progress[1]!.push([d, t]),
  });
  return { alone, together, sent, progress };
}

const errors = (a: FileAnalysis) => a.entries.filter((e) => e.status === 'error').map((e) => e.path[0]);

describe('reading part of an archive in another worker', () => {
  it('gives the same analysis as reading every entry here: broken, awkward and other kinds of entries in both parts', async () => {
    const n = PARALLEL_MIN + 100;
    const { alone, together, sent, progress } = await both(await archive(n));
    const entries = alone.entries.length;
    expect(entries).toBe(n + 12);
    // The other worker is sent the last entries, whatever their kind, each named from the file down.
    expect(sent.length).toBe(Math.floor(entries * PARALLEL_SHARE));
    expect(sent[0]!.where).toEqual(['fleet.tar.gz', ...alone.entries[entries - sent.length]!.path]);
    const sentNames = sent.map((l) => l.where[1]);
    expect(sentNames).toEqual(expect.arrayContaining([`notes_${n}.txt`, `junk_${n}.bin`, `inventory_${n}.csv`, `backup_${n}.json`, `dev_${n - 5}.txt`, `odd_role_${n}.txt`]));
    expect(sentNames).not.toContain('notes_5.txt');

    expect(together).toStrictEqual(alone);
    expect(progress[1]).toEqual(progress[0]);
    expect(alone.kind).toBe('archive');
    expect(errors(alone)).toEqual(['dev_10.txt', `dev_${n - 5}.txt`]);
    expect(alone.usage).toHaveLength(n - 2 + 4);
    expect(alone.cli).toHaveLength(2);
    expect(alone.other.inventories).toHaveLength(2);
    const counts = alone.usage.filter((u) => u.path[0]!.startsWith('odd_')).map((u) => u.usage.reports[0]!.count);
    expect(counts).toEqual([Infinity, -0, 1, 1]);
    expect(alone.warnings.some((w) => w.startsWith('Workbench backup — not yet supported, ignored — in 2 entries'))).toBe(true);
  });

  it('leaves to this worker what JSON would not carry back exactly, and carries the rest exactly', async () => {
    const leaves = [...awkward(7), entry('dev_1.txt', switchUsage(1)), entry('cut.txt', switchUsage(2).subarray(0, 300)), entry('notes.txt', 'Device#show license summary\n')].map((e) => ({
      where: ['f.tar', e.name],
      bytes: e.bytes,
    }));
    const read = readLeaves(leaves);
    const back = decodeReadLeaves(encodeReadLeaves(read));
    expect(back.map((r) => r.parsed === null)).toEqual([true, true, true, false, false, false, false]);
    expect(read.slice(0, 4).map((r) => r.parsed && 'usage' in r.parsed && jsonSafe(r.parsed.usage))).toEqual([false, false, false, true]);
    expect(back.slice(3)).toStrictEqual(read.slice(3));
    expect(back.map((r) => r.classification)).toStrictEqual(read.map((r) => r.classification));
    expect(back[5]!.parsed).toMatchObject({ error: { where: ['f.tar', 'cut.txt'] } });
    expect(back[6]).toStrictEqual({ classification: { kind: 'cli', reason: expect.any(String), simulated: false } });
    expect([{ a: [1, 'x', null, true, { b: 0 }] }, [undefined], [, 1], { a: undefined }, new Date(0), { n: NaN }, { n: -0 }, () => 1, 1n].map((v) => jsonSafe(v))).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    // For storage (db/bulk.ts): a property set to undefined, which JSON leaves out, is allowed; nothing else is.
    expect([{ a: undefined, b: [{ c: undefined }] }, [undefined], { n: -0, a: undefined }].map((v) => jsonSafe(v, true))).toEqual([true, false, false]);
  });

  it("settles the file's kind from the entries of both parts", async () => {
    // A workbench backup's manifest first: the backup JSON entries are then of the file's own kind, and not warned about.
    const manifest = [entry('manifest.json', '{"format": "slp-backup/1"}')];
    const backup = await both(await archive(PARALLEL_MIN, { first: manifest }));
    expect(backup.together).toStrictEqual(backup.alone);
    expect(backup.alone).toMatchObject({ kind: 'backup', readable: false });
    expect(backup.alone.warnings.some((w) => w.includes('Workbench backup — not yet supported'))).toBe(false);

    // A JAR manifest makes an upload bundle; an ACK in the other worker's part makes it an ACK bundle.
    const jar = [entry('manifest.mf', 'Manifest-Version: 1.0\n')];
    const bundle = await both(await archive(PARALLEL_MIN, { first: jar }));
    expect(bundle.together).toStrictEqual(bundle.alone);
    expect(bundle.alone).toMatchObject({ kind: 'upload-bundle', bundleManifest: 'Manifest-Version: 1.0\n' });
    const ack = [entry('ack.xml', '<smartLicense><smartLicenseRumAck>{}</smartLicenseRumAck></smartLicense>')];
    const acked = await both(await archive(PARALLEL_MIN, { first: jar, last: ack }));
    expect(acked.sent.at(-1)!.where).toEqual(['fleet.tar.gz', 'ack.xml']);
    expect(acked.together).toStrictEqual(acked.alone);
    expect(acked.alone.kind).toBe('ack-bundle');
  });

  it('refuses an archive of nothing readable the same way, whoever classified its entries', async () => {
    const files = Array.from({ length: PARALLEL_MIN + 10 }, (_, i) => entry(`junk_${i}.bin`, new Uint8Array([0, i & 0xff, 1])));
    const bytes = await gzip(await writeTar(files));
    let called = false;
    const alone = await analyseFile('junk.tar.gz', bytes).catch((e: unknown) => e);
    const together = await analyseFile('junk.tar.gz', bytes, { parallel: (l) => ((called = true), viaWorker(l)) }).catch((e: unknown) => e);
    expect(called).toBe(true);
    expect(alone).toMatchObject({ code: 'unknown-kind', message: expect.stringContaining('none of them a licensing file') });
    expect(together).toStrictEqual(alone);
  });

  it('reads here whatever the other worker does not answer, and never asks it for small archives or single files', async () => {
    const bytes = await archive(PARALLEL_MIN + 10);
    const alone = await analyseFile('fleet.tar.gz', bytes);
    const failures: Array<NonNullable<AnalyseOptions['parallel']>> = [
      () => Promise.reject(new Error('worker crashed')),
      () => {
        throw new Error('could not post');
      },
      async () => [],
      async (leaves) => (await viaWorker(leaves)).slice(0, 100),
      async (leaves) => (await viaWorker(leaves)).map((r, i) => (i % 2 ? r : ({} as ReadLeaf))),
    ];
    for (const parallel of failures) expect(await analyseFile('fleet.tar.gz', bytes, { parallel })).toStrictEqual(alone);

    let called = false;
    const ask = async (leaves: LeafToParse[]) => ((called = true), viaWorker(leaves));
    await analyseFile('small.tar.gz', await archive(50), { parallel: ask });
    await analyseFile('one.xml', switchUsage(1), { parallel: ask });
    expect(called).toBe(false);
  });

  it('packs leaves into one transferable buffer and back, whatever buffers they were views of', () => {
    const big = new Uint8Array([9, 9, 1, 2, 3, 9, 4, 5]);
    const leaves = [{ where: ['a', 'x'], bytes: big.subarray(2, 5) }, { where: ['a', 'y'], bytes: new Uint8Array(0) }, { where: ['a', 'z'], bytes: big.subarray(6) }];
    const packed = packLeaves(leaves);
    expect(packed.buffer.byteLength).toBe(5);
    expect(unpackLeaves(packed).map((l) => [l.where, [...l.bytes]])).toEqual([[['a', 'x'], [1, 2, 3]], [['a', 'y'], []], [['a', 'z'], [4, 5]]]);
  });
});
