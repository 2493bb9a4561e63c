import { describe, expect, it } from 'vitest';
import { PARALLEL_MIN, type LeafToParse, analyseFile, readUsageLeaves } from '../../../src/core/analyse.ts';
import { gzip, writeTar } from '../../../src/core/archive/index.ts';
import { packLeaves, unpackLeaves } from '../../../src/core/parallel.ts';
import { switchUsage } from '../../switch-usage.ts';

const encoder = new TextEncoder();

/** An archive of N usage files, two of them broken (one in each half), and a text file of another kind. */
async function archive(n: number): Promise<Uint8Array> {
  const files = Array.from({ length: n }, (_, i) => ({ name: `dev_${i}.txt`, bytes: switchUsage(i), mtime: 0 }));
  files[10]!.bytes = files[10]!.bytes.subarray(0, 300);
  files[n - 5]!.bytes = files[n - 5]!.bytes.subarray(0, 400);
  files.push({ name: 'notes.txt', bytes: encoder.encode('Device#show license summary\nLicense Usage:\n'), mtime: 0 });
  return gzip(await writeTar(files));
}

describe('parsing half of an archive in another worker', () => {
  it('gives the same analysis as reading every file here, broken entries included', async () => {
    const bytes = await archive(PARALLEL_MIN + 100);
    const alone = await analyseFile('fleet.tar.gz', bytes);
    let sent: LeafToParse[] = [];
    const together = await analyseFile('fleet.tar.gz', bytes, {
      // What crosses to the parse worker and back: packed bytes one way, structured clones the other.
      parallel: async (leaves) => {
        sent = leaves;
        return structuredClone(readUsageLeaves(unpackLeaves(structuredClone(packLeaves(leaves)))));
      },
    });
    expect(sent.length).toBe(Math.ceil((PARALLEL_MIN + 100) / 2));
    expect(sent[0]!.where[0]).toBe('fleet.tar.gz');
    expect(together).toEqual(alone);
    expect(alone.entries.filter((e) => e.status === 'error')).toHaveLength(2);
    expect(alone.usage).toHaveLength(PARALLEL_MIN + 98);
  });

  it('reads everything here when the other worker fails, and never for small archives', async () => {
    const bytes = await archive(PARALLEL_MIN + 10);
    const alone = await analyseFile('fleet.tar.gz', bytes);
    const failing = await analyseFile('fleet.tar.gz', bytes, { parallel: () => Promise.reject(new Error('worker crashed')) });
    expect(failing).toEqual(alone);
    let called = false;
    await analyseFile('small.tar.gz', await archive(50), { parallel: async () => ((called = true), []) });
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
