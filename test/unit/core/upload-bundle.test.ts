import { gzip as pakoGzip } from 'pako';
import { describe, expect, it, vi } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { concat, gunzip, gzip, writeTar, writeTarGz } from '../../../src/core/archive/index.ts';
import { GzipSink, crc32, crc32Combine, gzipStored } from '../../../src/core/archive/gzip-sink.ts';
import { TAR_END } from '../../../src/core/archive/ustar.ts';
import { Budget, DEFAULT_LIMITS } from '../../../src/core/archive/limits.ts';
import { writeUploadBundle } from '../../../src/core/bundle/upload.ts';
import { StoredEntries, buildUpload } from '../../../src/core/cycle/build.ts';
import { CycleError, newCycle } from '../../../src/core/cycle/model.ts';
import { ImportError } from '../../../src/core/errors.ts';
import { mergeUsage, type DeviceReports, type ProductInstance } from '../../../src/core/model/fleet.ts';
import { writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { C9300, c9300, text } from '../helpers.ts';

const T = 1_700_000_000_000;

/** Deterministic bytes that compress a little, as device files do. */
function bytesOf(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 7 === 0 ? 60 + (x >>> 28) : 97 + ((x >>> 24) % 6);
  }
  return out;
}

/** Where two byte arrays first differ (-1: they are the same), so that a failure does not print megabytes. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** The trailer's CRC-32 of a gzip stream. */
function gzipCrc(gz: Uint8Array): number {
  return new DataView(gz.buffer, gz.byteOffset + gz.length - 8, 4).getUint32(0, true);
}

describe('stored gzip (the upload bundle\'s outer layer)', () => {
  it('crc32 and crc32Combine agree with the CRC pako writes', () => {
    for (const n of [0, 1, 7, 8, 9, 1000, 65536]) {
      const b = bytesOf(n, n);
      expect(crc32(b)).toBe(gzipCrc(pakoGzip(b, { level: 0 })));
      for (const cut of [0, 1, Math.floor(n / 3), n]) {
        if (cut > n) continue;
        expect(crc32(b.subarray(cut), crc32(b.subarray(0, cut)))).toBe(crc32(b));
        expect(crc32Combine(crc32(b.subarray(0, cut)), crc32(b.subarray(cut)), n - cut)).toBe(crc32(b));
      }
    }
  });

  it('writes the same bytes as pako at level 0, whatever pieces and known CRCs the input comes in', () => {
    const sizes = [0, 1, 100, 65530, 65531, 65532, 98303, 98304, 98305, 131072, 131073, 300_001, 1_000_000];
    for (const [k, n] of sizes.entries()) {
      const data = bytesOf(n, k);
      const expected = pakoGzip(data, { level: 0 });
      expect(firstDifference(gzipStored([data]), expected)).toBe(-1);
      // Cut into runs, every other one with its CRC given and itself in pieces.
      const parts: Parameters<typeof gzipStored>[0][number][] = [];
      for (let at = 0, i = 0; at < n; i++) {
        const end = Math.min(n, at + 1 + ((i * 40_009) % 90_000));
        const run = data.subarray(at, end);
        if (i % 2) parts.push(run);
        else {
          const pieces = [];
          for (let p = 0; p < run.length; p += 16_384) pieces.push(run.subarray(p, p + 16_384));
          parts.push({ pieces, length: run.length, crc: crc32(run) });
        }
        at = end;
      }
      expect(firstDifference(gzipStored(parts), expected)).toBe(-1);
    }
  });
});

describe('GzipSink', () => {
  it('gives the same bytes however the input is cut into writes: small ones staged, large ones passed as they are', async () => {
    const files = Array.from({ length: 60 }, (_, i) => ({ name: `dev_${i}_1.txt`, bytes: bytesOf(i % 5 === 0 ? 700_000 + i : 3_000 + i * 997, i), mtime: T }));
    const expected = gzip(await writeTar(files));
    const budget = () => new Budget(DEFAULT_LIMITS);
    const streamed = await writeTarGz(files);
    expect(firstDifference(gunzip(streamed, ['s'], budget()), gunzip(expected, ['e'], budget()))).toBe(-1);
    // The same stream cut differently: one write, then byte runs of odd sizes.
    const tar = await writeTar(files);
    const whole = new GzipSink();
    await whole.write(tar);
    const cut = new GzipSink();
    for (let at = 0, i = 0; at < tar.length; i++) {
      const end = Math.min(tar.length, at + [1, 511, 4096, 300_000, 600_000][i % 5]!);
      await cut.write(tar.subarray(at, end));
      at = end;
    }
    const a = new Uint8Array(await (await whole.close()).arrayBuffer());
    const b = new Uint8Array(await (await cut.close()).arrayBuffer());
    expect(firstDifference(a, streamed)).toBe(-1);
    expect(firstDifference(b, streamed)).toBe(-1);
  });

  it('never refills a staging buffer before the compressor has read it (Node: a write under 16 KiB resolves at once)', async () => {
    // Node's CompressionStream is a zlib stream behind an adapter: a write that leaves zlib's queue under its
    // 16 KiB high-water mark resolves at once, before zlib has read it; a larger one resolves once the queue has
    // drained. A tar header staged alone before a large entry was such a write: its buffer went back to be
    // refilled with the next header while zlib still had it queued, and a 10,000-device backup failed its own check
    // ("checksum mismatch") — now and then, as zlib's thread was quick or not. This compressor reads late, always.
    class LateCompressionStream {
      readonly readable: ReadableStream<Uint8Array>;
      readonly writable: WritableStream<Uint8Array>;
      constructor() {
        const read: Uint8Array[] = [];
        let queued: Uint8Array[] = [];
        let queuedBytes = 0;
        let drained: (() => void) | null = null;
        const take = () => {
          for (const chunk of queued) read.push(chunk.slice());
          queued = [];
          queuedBytes = 0;
          drained?.();
          drained = null;
        };
        let out!: ReadableStreamDefaultController<Uint8Array>;
        this.readable = new ReadableStream({ start: (c) => void (out = c) });
        this.writable = new WritableStream({
          write(chunk) {
            queued.push(chunk);
            queuedBytes += chunk.length;
            setTimeout(take, 20);
            if (queuedBytes < 16 * 1024) return;
            return new Promise<void>((resolve) => (drained = resolve));
          },
          close() {
            take();
            out.enqueue(gzip(concat(read)));
            out.close();
          },
        });
      }
    }
    vi.stubGlobal('CompressionStream', LateCompressionStream);
    try {
      const files = [
        { name: 'manifest.json', bytes: bytesOf(1_600, 1), mtime: T },
        { name: 'blobs/0', bytes: bytesOf(3_000_000, 2), mtime: T },
        ...[440, 120, 220].map((size, i) => ({ name: `tables/t${i}/00001.jsonl`, bytes: bytesOf(size, 3 + i), mtime: T })),
        ...[2_500_000, 1_200_000, 700_000].map((size, i) => ({ name: `tables/big/0000${i}.jsonl`, bytes: bytesOf(size, 6 + i), mtime: T })),
        ...Array.from({ length: 700 }, (_, i) => ({ name: `dev_${i}.txt`, bytes: bytesOf(3_000 + i, 10 + i), mtime: T })),
      ];
      const sink = new GzipSink();
      for (const f of files) await sink.writeTarEntry(f.name, f.bytes, f.mtime);
      await sink.write(TAR_END);
      const written = new Uint8Array(await (await sink.close()).arrayBuffer());
      expect(firstDifference(gunzip(written, ['w'], new Budget(DEFAULT_LIMITS)), await writeTar(files))).toBe(-1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('stops when aborted: no more writes, and close says why', async () => {
    const sink = new GzipSink();
    await sink.write(bytesOf(10_000, 1));
    const why = new Error('a device file could not be read');
    sink.abort(why);
    await expect(sink.write(bytesOf(10, 2))).rejects.toBe(why);
    await expect(sink.close()).rejects.toBe(why);
  });
});

/** The bundle as it was written before the outer layer was streamed: the whole tar, then pako at level 0. */
async function bundleTheOldWay(vas: Array<{ name: string; devices: Uint8Array[] }>, ts: number): Promise<Uint8Array> {
  const lines = ['Manifest-Version: 1.0', 'Created-By: test', 'Smart-Account: ACME', 'Smart-Account-ID: 7', ''];
  const files = [];
  let n = 0;
  for (const [i, va] of vas.entries()) {
    const vaFile = `UD_VA_${ts + i}.tar.gz`;
    files.push({ name: vaFile, bytes: await writeTarGz(va.devices.map((bytes) => ({ name: `dev_${++n}_${ts + i}.txt`, bytes, mtime: ts * 1000 }))), mtime: ts * 1000 });
    lines.push(`Name: /${vaFile}`, `Specification-VA: ${va.name}`, `Specification-VA-ID: `, '');
  }
  return gzip(await writeTar([{ name: 'manifest.mf', bytes: text(lines.join('\n')), mtime: ts * 1000 }, ...files]), 0);
}

describe('upload bundle', () => {
  it('writes the same bytes from device files given at once or one at a time, and the same as the whole tar stored', async () => {
    const ts = T / 1000;
    const vas = [
      { name: 'Campus', devices: Array.from({ length: 40 }, (_, i) => bytesOf(2_000 + i * 1_500, i)) },
      { name: 'WAN', devices: Array.from({ length: 5 }, (_, i) => bytesOf(90_000 + i, 100 + i)) },
    ];
    const input = (lazy: boolean) => ({
      smartAccount: { name: 'ACME', id: '7' },
      virtualAccounts: vas.map((va) => ({
        name: va.name,
        id: '',
        devices: lazy
          ? (async function* () {
              for (const [i, bytes] of va.devices.entries()) {
                await new Promise((r) => setTimeout(r, 0));
                yield { key: `${va.name}-${i}`, bytes };
              }
            })()
          : va.devices.map((bytes, i) => ({ key: `${va.name}-${i}`, bytes })),
      })),
      timestamp: T,
      createdBy: 'test',
    });
    const atOnce = await writeUploadBundle(input(false));
    const oneByOne = await writeUploadBundle(input(true));
    expect(firstDifference(oneByOne.bytes, atOnce.bytes)).toBe(-1);
    expect(oneByOne.entries).toEqual(atOnce.entries);
    expect(atOnce.entries.map((e) => e.n)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(firstDifference(atOnce.bytes, await bundleTheOldWay(vas, ts))).toBe(-1);
  });
});

describe('opening stored originals for a build', () => {
  async function usageArchive() {
    const files = Array.from({ length: 30 }, (_, i) => ({ name: `sw-${i}_all_rum.txt`, bytes: text(writeUsageFile(c9300({ udi: { ...C9300, sn: `FCW2303D${String(i).padStart(3, '0')}` } }))), mtime: T }));
    return { files, bytes: gzip(await writeTar(files)) };
  }

  it('reads a gzip tar\'s entries in place, the same as expand gives them; other shapes go through expand', async () => {
    const { files, bytes } = await usageArchive();
    const reader = new StoredEntries(async (name) => ({ name, bytes }));
    for (const f of files) expect(await reader.read('usage.tar.gz', [f.name])).toEqual(f.bytes);
    await expect(reader.read('usage.tar.gz', ['nope.txt'])).rejects.toThrow(CycleError);

    // A CSSM bundle (nested tar.gz) and a plain usage file take the general path.
    const bundle = await writeUploadBundle({ smartAccount: { name: 'ACME', id: '' }, virtualAccounts: [{ name: 'Campus', id: '', devices: files.slice(0, 3).map((f) => ({ key: f.name, bytes: f.bytes })) }], timestamp: T, createdBy: 'test' });
    const nested = new StoredEntries(async (name) => ({ name, bytes: name === 'b' ? bundle.bytes : files[0]!.bytes }));
    const ts = T / 1000;
    expect(await nested.read('b', [`UD_VA_${ts}.tar.gz`, `dev_2_${ts}.txt`])).toEqual(files[1]!.bytes);
    expect(await nested.read('plain', [])).toEqual(files[0]!.bytes);

    // Damage is refused by expand, as at import.
    const damaged = bytes.slice();
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    await expect(new StoredEntries(async (name) => ({ name, bytes: damaged })).read('d', [files[0]!.name])).rejects.toThrow(ImportError);
  });

  it('builds a bundle whose device files go to the compressor as they are read; a report gone stops the build', async () => {
    const { bytes } = await usageArchive();
    const analysis = await analyseFile('usage.tar.gz', bytes);
    const devices = new Map<string, ProductInstance>();
    const reports = new Map<string, DeviceReports>();
    const merged = mergeUsage({ file: 'A', importedAt: 1, usage: analysis.usage }, devices, reports);
    for (const r of merged.reports) reports.set(r.key, r);
    const keys = [...reports.keys()].sort().reverse();
    const cycle = newCycle({
      id: 'c1', number: 1, smartAccount: 'ACME', virtualAccount: 'Campus', mode: 'bundle', at: 1, by: 'test',
      devices: keys.map((key) => ({ key, udi: reports.get(key)!.reports[0]!.udi, hostname: null, handBack: 'device' as const, reportIds: reports.get(key)!.reports.map((r) => r.reportId), request: null, uploadFile: null, n: null, verbatim: null, ack: null, verifiedAck: null })),
    });
    let loads = 0;
    const reader = () => new StoredEntries(async () => (loads++, { name: 'usage.tar.gz', bytes }));
    const progress: number[] = [];
    const built = await buildUpload({ cycle, reportsOf: (key) => reports.get(key)?.reports ?? [], reader: reader(), now: T, onProgress: (done) => progress.push(done) });
    expect(loads).toBe(1);
    expect(progress).toEqual(keys.map((_, i) => i + 1));
    expect(built.verbatim).toBe(keys.length);
    const expected = await writeUploadBundle({
      smartAccount: { name: 'ACME', id: '' },
      virtualAccounts: [{ name: 'Campus', id: '', devices: await Promise.all(keys.map(async (key) => ({ key, bytes: await reader().read('A', reports.get(key)!.reports[0]!.source.entry) }))) }],
      timestamp: T,
      createdBy: 'SLP Offline Workbench',
    });
    expect(firstDifference(built.bytes, expected.bytes)).toBe(-1);
    expect(built.devices.map((d) => d.uploadFile)).toEqual(expected.entries.map((e) => e.devFile));

    const gone = { ...cycle, devices: cycle.devices.map((d, i) => (i === 7 ? { ...d, reportIds: ['999'] } : d)) };
    await expect(buildUpload({ cycle: gone, reportsOf: (key) => reports.get(key)?.reports ?? [], reader: reader(), now: T })).rejects.toThrow(/Report 999 .* is not stored any more/);
  });
});
