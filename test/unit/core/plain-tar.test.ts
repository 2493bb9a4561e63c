import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packTar, unpackTar } from 'modern-tar';
import { describe, expect, it } from 'vitest';
import { writeTar } from '../../../src/core/archive/index.ts';
import { plainEntries } from '../../../src/core/archive/tar.ts';
import { FIXTURES } from '../helpers.ts';

/** What the strict reader makes of an archive, in the fast path's shape (directories and files only). */
async function strict(bytes: Uint8Array) {
  return (await unpackTar(bytes, { strict: true })).map((e) => ({ name: e.header.name, type: e.header.type, mtime: e.header.mtime?.getTime(), data: [...(e.data ?? [])] }));
}
const fast = (bytes: Uint8Array) => plainEntries(bytes)?.map((e) => ({ name: e.header.name, type: e.header.type, mtime: e.header.mtime.getTime(), data: [...e.data] })) ?? null;

/** Archives as GNU tar writes them (its default format), from a folder of files and a sub-folder. */
function gnuTar(format: string, files: Record<string, string>): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'plain-tar-'));
  try {
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(join(dir, 'src', name, '..'), { recursive: true });
      writeFileSync(join(dir, 'src', name), body);
    }
    return new Uint8Array(execFileSync('tar', ['-c', `--format=${format}`, '--mtime=2026-01-02 03:04:05', '-C', join(dir, 'src'), '.']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('plain tar archives are read in place, exactly as the strict reader reads them', () => {
  it('reads what the workbench writes, and what GNU tar writes in its gnu, ustar and v7-free formats, as modern-tar does', async () => {
    const archives = [
      await writeTar([{ name: 'a.txt', bytes: new TextEncoder().encode('hello'), mtime: 1_762_592_000_000 }, { name: 'dir/b.xml', bytes: new Uint8Array(1024).fill(65), mtime: 0 }, { name: 'empty', bytes: new Uint8Array(0), mtime: 5000 }]),
      gnuTar('gnu', { 'dev_1.txt': '<smartLicense/>', 'site/dev_2.txt': 'x'.repeat(700), 'café.txt': 'accent' }),
      gnuTar('ustar', { 'dev_1.txt': '<smartLicense/>', 'site/dev_2.txt': 'y'.repeat(513) }),
    ];
    for (const tar of archives) {
      const got = fast(tar);
      expect(got).not.toBeNull();
      expect(got).toEqual(await strict(tar));
    }
  });

  it('leaves to the strict reader what is not plain: long names, PAX, links, bad checksums, truncation', async () => {
    const long = 'd/'.repeat(60) + 'file.txt';
    const notPlain = [
      gnuTar('gnu', { [long]: 'long name' }),
      gnuTar('pax', { 'a.txt': 'pax' }),
      await packTar([{ header: { name: 'x'.repeat(120), size: 1, type: 'file' }, body: new Uint8Array([1]) }]),
    ];
    for (const tar of notPlain) expect(fast(tar)).toBeNull();
    const good = await writeTar([{ name: 'a.txt', bytes: new Uint8Array(600), mtime: 0 }]);
    const badSum = good.slice();
    badSum[0] = 0x62; // the name changes, the checksum does not
    expect(fast(badSum)).toBeNull();
    expect(fast(good.subarray(0, 700))).toBeNull(); // cut inside the entry
    expect(fast(good.subarray(0, 1536))).toBeNull(); // cut before the end-of-archive block
    // Every hostile tar of the corpus goes to the strict reader, or reads the same.
    const dir = join(FIXTURES, 'hostile');
    for (const name of readdirSync(dir).filter((n) => /\.tar(\.gz)?$/.test(n))) {
      let bytes = new Uint8Array(readFileSync(join(dir, name)));
      if (name.endsWith('.gz')) {
        try {
          bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: 64 << 20 }));
        } catch {
          continue; // a bomb or a cut gzip: never reaches the tar reader
        }
      }
      const got = fast(bytes);
      if (got !== null) expect(got, name).toEqual(await strict(bytes));
    }
  });
});
