import { packTar } from 'modern-tar';
import { describe, expect, it } from 'vitest';
import { concat, expand, extractEntry, gunzip, gunzipFast, gzip, leaves, readTar, withLimits, writeTar } from '../../../src/core/archive/index.ts';
import { Budget, DEFAULT_LIMITS } from '../../../src/core/archive/limits.ts';
import { ImportError } from '../../../src/core/errors.ts';
import { decode, text } from '../helpers.ts';

const T = 1_700_000_000_000;

async function tarOf(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  return writeTar(Object.entries(files).map(([name, body]) => ({ name, bytes: typeof body === 'string' ? text(body) : body, mtime: T })));
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<ImportError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError, but nothing was thrown');
}

describe('gzip and tar', () => {
  it('round-trips gzip and tar, with deterministic output', async () => {
    const tar = await tarOf({ 'a.txt': 'hello', 'dir/b.txt': 'world' });
    expect(await tarOf({ 'a.txt': 'hello', 'dir/b.txt': 'world' })).toEqual(tar);
    const gz = gzip(tar);
    expect(gzip(tar)).toEqual(gz);
    const budget = new Budget(DEFAULT_LIMITS);
    const listing = await readTar(gunzip(gz, ['x.tar.gz'], budget), ['x.tar.gz'], budget);
    expect(listing.files.map((f) => [f.name, decode(f.bytes)])).toEqual([
      ['a.txt', 'hello'],
      ['dir/b.txt', 'world'],
    ]);
    expect(listing.files[0]!.mtime).toBe(T);
  });

  it('opens archives nested two deep, as CSSM bundles are, and finds an entry again by its path', async () => {
    const inner = gzip(await tarOf({ 'dev_1_1.txt': '<one/>', 'dev_2_1.txt': '<two/>' }));
    const outer = gzip(await tarOf({ 'manifest.mf': 'Manifest-Version: 1.0\n', 'UD_VA_1.tar.gz': inner }));
    const tree = await expand('UD_SA_1.tar.gz', outer);
    expect(leaves(tree).map((l) => [l.path, decode(l.bytes)])).toEqual([
      [['manifest.mf'], 'Manifest-Version: 1.0\n'],
      [['UD_VA_1.tar.gz', 'dev_1_1.txt'], '<one/>'],
      [['UD_VA_1.tar.gz', 'dev_2_1.txt'], '<two/>'],
    ]);
    expect(decode(await extractEntry('UD_SA_1.tar.gz', outer, ['UD_VA_1.tar.gz', 'dev_2_1.txt']))).toBe('<two/>');
    expect(decode(await extractEntry('plain.txt', text('plain'), []))).toBe('plain');
    const missing = await refusal(extractEntry('UD_SA_1.tar.gz', outer, ['UD_VA_1.tar.gz', 'dev_9_1.txt']));
    expect(missing.message).toContain('dev_9_1.txt');
  });

  it('writes plain names itself and other names through modern-tar, and tar and any reader agree on both', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const long = `${'x'.repeat(140)}.txt`;
    const body = new Uint8Array(1500).map((_, i) => i % 251);
    const plain = await tarOf({ 'a.txt': 'hello', 'dir/b.bin': body, 'empty.txt': '' });
    const pax = await tarOf({ 'a.txt': 'hello', [long]: 'long name', 'with space.txt': 'spaced' });
    // The plain archive is exactly header + data + padding per entry, then two zero blocks; modern-tar writes the same listing.
    expect(plain.length).toBe(512 + 512 + 512 + 1536 + 512 + 1024);
    const fromLibrary = await packTar([
      { header: { name: 'a.txt', size: 5, type: 'file', mtime: new Date(T), mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' }, body: text('hello') },
    ]);
    const budget = () => new Budget(DEFAULT_LIMITS);
    expect((await readTar(fromLibrary, ['lib.tar'], budget())).files).toEqual((await readTar(await tarOf({ 'a.txt': 'hello' }), ['own.tar'], budget())).files);
    const dir = mkdtempSync(join(tmpdir(), 'tar-'));
    for (const [name, tar] of [['plain.tar', plain], ['pax.tar', pax]] as const) {
      writeFileSync(join(dir, name), tar);
      const listing = (await readTar(tar, [name], budget())).files;
      expect(execFileSync('tar', ['-tf', join(dir, name)], { encoding: 'utf8' }).trim().split('\n')).toEqual(listing.map((f) => f.name));
    }
    expect((await readTar(plain, ['plain.tar'], budget())).files.map((f) => [f.name, f.bytes.length, f.mtime])).toEqual([
      ['a.txt', 5, T],
      ['dir/b.bin', 1500, T],
      ['empty.txt', 0, T],
    ]);
    expect((await readTar(plain, ['plain.tar'], budget())).files[1]!.bytes).toEqual(body);
    expect((await readTar(pax, ['pax.tar'], budget())).files.map((f) => f.name)).toEqual(['a.txt', long, 'with space.txt']);
  });

  it('gzipFast (the platform\'s native deflate) inflates to the same bytes as pako\'s gzip, the same every time', async () => {
    const { gzipFast } = await import('../../../src/core/archive/index.ts');
    const tar = await tarOf({ 'a.txt': 'hello '.repeat(5000), 'b.txt': 'world' });
    const fast = await gzipFast(tar);
    expect(fast[0]).toBe(0x1f);
    expect(await gzipFast(tar)).toEqual(fast);
    const budget = () => new Budget(DEFAULT_LIMITS);
    expect(gunzip(fast, ['fast.gz'], budget())).toEqual(tar);
    expect(gunzip(gzip(tar), ['pako.gz'], budget())).toEqual(tar);
    expect(fast.length).toBeLessThan(tar.length / 10);
  });

  it('writeTarGz streams plain names into the compressor: the same bytes as compressing the whole tar; other names still work', async () => {
    const { gzipFast, writeTarGz } = await import('../../../src/core/archive/index.ts');
    const files = Array.from({ length: 300 }, (_, i) => ({ name: `dev_${i}_1.txt`, bytes: text(`<smartLicense>${'x'.repeat(i * 37)}</smartLicense>`), mtime: T }));
    const streamed = await writeTarGz(files);
    expect(streamed).toEqual(await gzipFast(await writeTar(files)));
    const budget = () => new Budget(DEFAULT_LIMITS);
    expect(gunzip(streamed, ['s.tar.gz'], budget())).toEqual(await writeTar(files));
    const named = [...files.slice(0, 2), { name: 'a name with spaces.txt', bytes: text('spaced'), mtime: T }];
    const listing = await readTar(gunzip(await writeTarGz(named), ['n.tar.gz'], budget()), ['n.tar.gz'], budget());
    expect(listing.files.map((f) => f.name)).toEqual(['dev_0_1.txt', 'dev_1_1.txt', 'a name with spaces.txt']);
  });

  it('treats a gzip of plain text as a file, not an archive', async () => {
    const tree = await expand('usage.txt.gz', gzip(text('<smartLicense/>')));
    expect(tree).toMatchObject({ type: 'leaf', gzipped: true, path: [] });
  });
});

describe('gunzipFast (native inflate into the size the trailer announces)', () => {
  const body = (n: number, seed: number) => new Uint8Array(n).map((_, i) => ((i * 2654435761 + seed) >>> 13) % 7 === 0 ? 32 + (i % 90) : 97 + (i % 5));
  /** The gzip with its trailer's size field (the last four bytes) replaced. */
  const withTrailerSize = (gz: Uint8Array, size: number) => {
    const out = gz.slice();
    new DataView(out.buffer).setUint32(out.length - 4, size, true);
    return out;
  };

  it('gives what pako gives, and counts it against the budget', async () => {
    const data = body(3_000_000, 1);
    const budget = new Budget(DEFAULT_LIMITS);
    const out = await gunzipFast(gzip(data), ['a.gz'], budget);
    // Compared as Buffers: toEqual walks megabytes element by element (17 s).
    expect(Buffer.compare(out, data)).toBe(0);
    expect(budget.bytes).toBe(data.length);
  });

  it('reads a stream of several members, whose trailer announces only the last', async () => {
    const a = body(700_000, 2);
    const b = body(5_000, 3);
    expect(Buffer.compare(await gunzipFast(concat([gzip(a), gzip(b)]), ['two.gz'], new Budget(DEFAULT_LIMITS)), concat([a, b]))).toBe(0);
  });

  it.each([
    ['smaller', 1_000],
    ['larger', 2_000_000],
  ])('refuses a trailer announcing a %s size than the data as damage, naming the file', async (_, size) => {
    const e = await refusal(gunzipFast(withTrailerSize(gzip(body(900_000, 4)), size), ['lying.gz'], new Budget(DEFAULT_LIMITS)));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/^lying\.gz: the gzip data is damaged/);
  });

  it('refuses a bomb whose trailer announces a small size by its ratio, as it inflates', async () => {
    const bomb = withTrailerSize(gzip(new Uint8Array(16 * 1024 * 1024)), 1024);
    const e = await refusal(gunzipFast(bomb, ['bomb.gz'], new Budget(withLimits({ ratioFloorBytes: 1024 * 1024 }))));
    expect(e.code).toBe('inflate-ratio');
  });

  it('refuses a trailer announcing 4 GiB − 1 past the limits as damage, counting nothing against the budget', async () => {
    const budget = new Budget(withLimits({ maxTotalBytes: 8 * 1024 * 1024 }));
    const e = await refusal(gunzipFast(withTrailerSize(gzip(body(20_000, 5)), 0xffffffff), ['huge.gz'], budget));
    expect(e.code).toBe('corrupt');
    expect(budget.bytes).toBe(0);
  });
});

describe('archive limits', () => {
  it('refuses a gzip bomb by its inflate ratio, under the default limits, before inflating it all', async () => {
    const bomb = gzip(new Uint8Array(100 * 1024 * 1024)); // 100 MiB of zeros → about 100 KiB
    expect(bomb.length).toBeLessThan(200 * 1024);
    const e = await refusal(expand('backup.tar.gz', bomb));
    expect(e.code).toBe('inflate-ratio');
    expect(e.message).toMatch(/^backup\.tar\.gz: expands more than 200:1/);
  });

  it('refuses data that inflates past the total cap', async () => {
    const e = await refusal(expand('big.gz', gzip(new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7919) & 0xff)), withLimits({ maxTotalBytes: 1024 * 1024 })));
    expect(e.code).toBe('too-large');
    expect(e.message).toContain('big.gz');
    expect(e.message).toContain('1.0 MiB');
  });

  it('refuses a tar bomb of many entries, counting across nesting levels', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 30; i++) many[`f${i}.txt`] = 'x';
    const inner = gzip(await tarOf(many));
    const outer = gzip(await tarOf({ 'a.tar.gz': inner, 'b.tar.gz': inner }));
    await expect(expand('ok.tar.gz', outer, withLimits({ maxEntries: 62 }))).resolves.toBeTruthy();
    const e = await refusal(expand('bomb.tar.gz', outer, withLimits({ maxEntries: 61 })));
    expect(e.code).toBe('too-many-entries');
    expect(e.message).toMatch(/^bomb\.tar\.gz › b\.tar\.gz: holds more than 61 archive entries/);
  });

  it('refuses archives nested deeper than the cap', async () => {
    let tar = await tarOf({ 'deep.txt': 'x' });
    for (let i = 0; i < 3; i++) tar = await tarOf({ [`level${i}.tar.gz`]: gzip(tar) });
    const e = await refusal(expand('nest.tar.gz', gzip(tar)));
    expect(e.code).toBe('too-deep');
    expect(e.message).toContain('more than 4 levels deep');
    expect(e.where).toEqual(['nest.tar.gz', 'level2.tar.gz', 'level1.tar.gz']);
  });

  it('refuses an input file above the size cap without reading it', async () => {
    const e = await refusal(expand('huge.txt', new Uint8Array(2048), withLimits({ maxInputBytes: 1024 })));
    expect(e.code).toBe('too-large');
  });

  it.each([
    ['../evil', 'climbs out of the archive'],
    ['ok/../../evil', 'climbs out of the archive'],
    ['..\\evil', 'climbs out of the archive'],
    ['/etc/passwd', 'is an absolute path'],
    ['C:/Windows/evil.txt', 'is an absolute path'],
  ])('refuses the entry name %s', async (name, why) => {
    const tar = await packTar([{ header: { name: 'fine.txt', size: 1 }, body: 'a' }, { header: { name, size: 1 }, body: 'b' }]);
    const e = await refusal(expand('evil.tar', tar));
    expect(e.code).toBe('unsafe-path');
    expect(e.message).toBe(`evil.tar › ${name}: entry name ${why}${why.startsWith('climbs') ? ' with ".."' : ''} — the archive is refused`);
  });

  it('skips symbolic links with a note instead of following them', async () => {
    const tar = await packTar([
      { header: { name: 'link', type: 'symlink', linkname: '/etc/passwd', size: 0 } },
      { header: { name: 'real.txt', size: 1 }, body: 'r' },
    ]);
    const tree = await expand('links.tar', tar);
    expect(tree.type === 'tar' && tree.skipped).toEqual(['link: symlink entry ignored (only regular files are read)']);
    expect(leaves(tree).map((l) => l.name)).toEqual(['real.txt']);
  });
});

describe('damaged input', () => {
  it('says a gzip file was cut short', async () => {
    const gz = gzip(new Uint8Array(200_000).map((_, i) => (i * 13) & 0xff));
    const e = await refusal(expand('cut.tar.gz', gz.subarray(0, gz.length >> 1)));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/^cut\.tar\.gz: the gzip data ends early/);
  });

  it('says a gzip stream is damaged', async () => {
    const gz = gzip(text('a'.repeat(10_000) + 'b'.repeat(10_000)));
    const broken = new Uint8Array(gz);
    for (let i = 12; i < 30; i++) broken[i] = 0xff;
    const e = await refusal(expand('broken.gz', broken));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/^broken\.gz: the gzip data is damaged \(/);
  });

  it('says a tar archive was cut short', async () => {
    const tar = await tarOf({ 'a.txt': 'x'.repeat(5000), 'b.txt': 'y'.repeat(5000) });
    const e = await refusal(expand('cut.tar', tar.subarray(0, 3000)));
    expect(e.code).toBe('truncated');
    expect(e.message).toBe('cut.tar: the tar archive ends early — the file was cut short (incomplete copy or download)');
  });

  it('says a tar header is damaged when its checksum does not match', async () => {
    const tar = new Uint8Array(await tarOf({ 'a.txt': 'hello' }));
    tar[10] = 0x41; // change the name without fixing the checksum
    const e = await refusal(expand('bad.tar', tar));
    expect(e.code).toBe('corrupt');
    expect(e.message).toContain('checksum');
  });

  it('refuses to read something that is not a tar as one', async () => {
    const e = await refusal(readTar(text('not a tar archive at all'.repeat(40)), ['fake.tar'], new Budget(DEFAULT_LIMITS)));
    expect(e.code).toBe('not-tar');
    expect(e.message).toBe('fake.tar: is not a tar archive (no "ustar" header at byte 257)');
  });
});
