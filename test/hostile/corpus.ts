/**
 * The hostile and broken input corpus (issue 8): every case is generated here, deterministically, so the files
 * committed under `test/fixtures/hostile/` (written by `scripts/hostile-corpus.ts`) and what the tests generate
 * cannot drift apart. Cases above 1 MiB are not committed; the tests generate them.
 *
 * Archives are written byte by byte where a library would refuse to write the hostile entry (`../` names, links,
 * devices, a header announcing 2 GiB): 512-byte ustar headers with correct checksums. Bombs are built from
 * deflate blocks of zeros that end in a full flush, which are byte-aligned and independent, so one block repeated
 * N times is a valid stream of N times the data (the CRC-32 of the zeros is computed by matrix powers, not by
 * running over gigabytes).
 */
import { Deflate, Z_FINISH, Z_FULL_FLUSH, gzip as pakoGzip } from 'pako';
import type { FileAnalysis } from '../../src/core/analyse.ts';
import type { ImportErrorCode } from '../../src/core/errors.ts';
import { writeUsageFile, type SimUsageDevice } from '../../src/core/sim/usage-file.ts';

export type HostileExpectation =
  | { status: 'refused'; code?: ImportErrorCode; message: RegExp }
  | { status: 'safe'; check?(analysis: FileAnalysis): void };

export interface HostileCase {
  /** File name: the name it is imported under and, when at most 1 MiB, its name in test/fixtures/hostile/. */
  name: string;
  /** What the file is (README). */
  description: string;
  /** What the workbench must do with it, in words (README). */
  must: string;
  make(): Uint8Array;
  expect: HostileExpectation;
}

export const MiB = 1024 * 1024;
/** Cases larger than this are generated at test time, never committed. */
export const COMMIT_LIMIT = MiB;

const enc = new TextEncoder();
const bytesOf = (s: string) => enc.encode(s);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A seeded generator (mulberry32): the same "random" bytes every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, seed: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Tar, by hand
// ---------------------------------------------------------------------------------------------------------------

export interface TarHeaderSpec {
  name: string;
  size?: number;
  /** ustar typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' dir, '6' fifo, 'x' pax. */
  type?: string;
  linkname?: string;
  mode?: number;
  devmajor?: number;
  devminor?: number;
  /** Corrupt the checksum on purpose. */
  badChecksum?: boolean;
}

function writeField(block: Uint8Array, offset: number, length: number, value: string): void {
  const b = bytesOf(value);
  if (b.length > length) throw new Error(`tar field too long: ${value}`);
  block.set(b, offset);
}

function octal(n: number, length: number): string {
  // length - 1 digits and a NUL, as GNU tar writes them.
  return `${n.toString(8).padStart(length - 1, '0')}\0`;
}

/** One 512-byte POSIX ustar header with a correct checksum (unless asked otherwise). */
export function tarHeader(spec: TarHeaderSpec): Uint8Array {
  const h = new Uint8Array(512);
  writeField(h, 0, 100, spec.name);
  writeField(h, 100, 8, octal(spec.mode ?? 0o644, 8));
  writeField(h, 108, 8, octal(0, 8));
  writeField(h, 116, 8, octal(0, 8));
  writeField(h, 124, 12, octal(spec.size ?? 0, 12));
  writeField(h, 136, 12, octal(1_700_000_000, 12));
  writeField(h, 148, 8, '        ');
  writeField(h, 156, 1, spec.type ?? '0');
  writeField(h, 157, 100, spec.linkname ?? '');
  writeField(h, 257, 6, 'ustar\0');
  writeField(h, 263, 2, '00');
  writeField(h, 265, 32, 'root');
  writeField(h, 297, 32, 'root');
  writeField(h, 329, 8, octal(spec.devmajor ?? 0, 8));
  writeField(h, 337, 8, octal(spec.devminor ?? 0, 8));
  let sum = 0;
  for (const b of h) sum += b;
  if (spec.badChecksum) sum += 1;
  writeField(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

export interface TarEntrySpec extends TarHeaderSpec {
  body?: Uint8Array;
}

function padTo512(n: number): Uint8Array {
  return new Uint8Array((512 - (n % 512)) % 512);
}

/** A tar archive of hand-made entries; `size` defaults to the body's length; ends with two zero blocks. */
export function tarOf(entries: readonly TarEntrySpec[], { end = true } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const body = e.body ?? new Uint8Array(0);
    parts.push(tarHeader({ ...e, size: e.size ?? body.length }), body, padTo512(body.length));
  }
  if (end) parts.push(new Uint8Array(1024));
  return concatBytes(parts);
}

/** A tar of `count` empty files `f/<n>.txt`, written straight into one buffer (tarOf would take seconds). */
function manyEmptyEntries(count: number): Uint8Array {
  const template = tarHeader({ name: '' });
  let base = 0;
  for (const b of template) base += b;
  // The checksum field of the template holds digits; count it as eight spaces, as the format says.
  for (let i = 148; i < 156; i++) base += 0x20 - template[i]!;
  const out = new Uint8Array(count * 512 + 1024);
  for (let n = 0; n < count; n++) {
    const at = n * 512;
    out.set(template, at);
    const name = bytesOf(`f/${n.toString(36)}.txt`);
    out.set(name, at);
    let sum = base;
    for (const b of name) sum += b;
    out.set(bytesOf(`${sum.toString(8).padStart(6, '0')}\0 `), at + 148);
  }
  return out;
}

/** A PAX extended header entry setting `records` for the entry that follows. */
function paxEntry(records: Record<string, string>): TarEntrySpec {
  const lines = Object.entries(records).map(([k, v]) => {
    const rest = ` ${k}=${v}\n`;
    let len = rest.length;
    while (`${len}${rest}`.length !== len) len = `${len}${rest}`.length;
    return `${len}${rest}`;
  });
  return { name: 'PaxHeader/entry', type: 'x', body: bytesOf(lines.join('')) };
}

// ---------------------------------------------------------------------------------------------------------------
// Gzip, by hand for bombs
// ---------------------------------------------------------------------------------------------------------------

/** Deterministic gzip (pako, mtime 0). */
export function gzipOf(bytes: Uint8Array): Uint8Array {
  return pakoGzip(bytes, { level: 6 });
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Updates a raw CRC-32 register (no pre/post inversion) over bytes. */
function crcRaw(reg: number, bytes: Uint8Array): number {
  let c = reg;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/** A linear map over GF(2)^32 as its 32 columns: what one bit of input does to the register. */
type Gf2 = Uint32Array;
const apply = (m: Gf2, v: number): number => {
  let out = 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) if (v & 1) out ^= m[i]!;
  return out >>> 0;
};
const compose = (a: Gf2, b: Gf2): Gf2 => b.map((col) => apply(a, col));

/** The CRC-32 register after `n` zero bytes, from `reg`: zeros are linear, so M^n by squaring. */
function crcZeros(reg: number, n: number): number {
  // One zero byte: eight shifts with the polynomial fed back.
  let op: Gf2 = new Uint32Array(32).map((_, i) => {
    let c = 2 ** i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let out = reg >>> 0;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) out = apply(op, out);
    op = compose(op, op);
  }
  return out;
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

const GZIP_HEADER = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03]);

/** Raw deflate of `chunk` ending with a full flush: byte-aligned, no back-references past it. */
function flushedBlock(chunk: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  const d = new Deflate({ raw: true, level: 9 });
  d.onData = (c: Uint8Array) => void out.push(c);
  d.push(chunk, Z_FULL_FLUSH);
  return concatBytes(out);
}

function finalEmptyBlock(): Uint8Array {
  const out: Uint8Array[] = [];
  const d = new Deflate({ raw: true, level: 9 });
  d.onData = (c: Uint8Array) => void out.push(c);
  d.push(new Uint8Array(0), Z_FINISH);
  return concatBytes(out);
}

/**
 * A valid gzip member of `prefix` followed by `zeros` zero bytes (and `suffix`), built without deflating all of it:
 * the 1 MiB zero block is compressed once and repeated.
 */
export function zerosGzip(zeros: number, prefix: Uint8Array = new Uint8Array(0), suffix: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (zeros % MiB !== 0) throw new Error('zeros must be a whole number of MiB');
  const block = flushedBlock(new Uint8Array(MiB));
  const count = zeros / MiB;
  const parts: Uint8Array[] = [GZIP_HEADER];
  if (prefix.length) parts.push(flushedBlock(prefix));
  const body = new Uint8Array(block.length * count);
  for (let i = 0; i < count; i++) body.set(block, i * block.length);
  parts.push(body);
  if (suffix.length) parts.push(flushedBlock(suffix));
  parts.push(finalEmptyBlock());
  let reg = crcRaw(0xffffffff, prefix);
  reg = crcZeros(reg, zeros);
  reg = crcRaw(reg, suffix);
  parts.push(u32le(~reg), u32le((prefix.length + zeros + suffix.length) % 2 ** 32));
  return concatBytes(parts);
}

// ---------------------------------------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------------------------------------

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
export const MARKUP = {
  hostname: `${SCRIPT}${IMG}`,
  pid: `C9300-${IMG}`,
  sn: `FCW${SCRIPT}`,
  softwareVersion: `17.12.04${IMG}`,
  softwareTag: `regid.2017-05.com.cisco.C9300,v1_${SCRIPT}`,
  entitlementTag: `regid.2017-03.com.cisco.advantagek9,1.0_${IMG}${SCRIPT}`,
};

export const FORMULAS = {
  hostname: '=HYPERLINK("http://x","y")',
  pid: '+cmd',
  sn: '-1+1',
  softwareVersion: '@SUM(1)',
};

function device(overrides: Partial<SimUsageDevice> = {}): SimUsageDevice {
  return {
    udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' },
    hostname: 'access-sw-01',
    softwareVersion: '17.12.04',
    softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72',
    savedAt: 1762592000000,
    reports: [{ reportId: '1760003601', entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 1, start: 1760000000, end: 1762592000 }],
    ...overrides,
  };
}

/** A plain, valid device usage file (one line, as devices write it). */
export function usageText(overrides: Partial<SimUsageDevice> = {}): string {
  return writeUsageFile(device(overrides));
}

export const markupDevice = (): SimUsageDevice =>
  device({
    udi: { pid: MARKUP.pid, sn: MARKUP.sn },
    hostname: MARKUP.hostname,
    softwareVersion: MARKUP.softwareVersion,
    softwareTag: MARKUP.softwareTag,
    reports: [{ reportId: '1760009901', entitlementTag: MARKUP.entitlementTag, count: 1, start: 1760000000, end: 1762592000 }],
  });

export const formulaDevice = (): SimUsageDevice =>
  device({ udi: { pid: FORMULAS.pid, sn: FORMULAS.sn }, hostname: FORMULAS.hostname, softwareVersion: FORMULAS.softwareVersion });

const CLI_SUMMARY = [
  'access-sw-01#show license summary',
  'License Usage:',
  '  License                 Entitlement Tag               Count Status',
  '  -----------------------------------------------------------------------------',
  '  network-advantage       (C9300-24 Network Advan...)       1 IN USE',
  '  dna-advantage           (C9300-24 DNA Advantage)          1 IN USE',
  '',
].join('\n');

const CLI_UDI = ['access-sw-01#show license udi', 'UDI: PID:C9300-24UX,SN:FCW2303D16Y', ''].join('\n');

const DTD_INTERNAL = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE smartLicense [
  <!ENTITY host "injected-host">
]>
<smartLicense><RUMReport>&host;</RUMReport></smartLicense>
`;

const DTD_EXTERNAL = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE smartLicense [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<smartLicense><smartLicenseSystemInfo><data>&xxe;</data></smartLicenseSystemInfo></smartLicense>
`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ELEMENT lolz (#PCDATA)>
${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}
]>
<smartLicense><RUMReport>&lol9;</RUMReport></smartLicense>
`;

/** A usage file with `<!ENTITY` placed inside the document element, where the classifier does not look. */
const ENTITY_INSIDE = usageText().replace('<smartLicense>', '<smartLicense><!ENTITY lol "lol">');
const UNDECLARED_ENTITY = usageText().replace('"hostname":"access-sw-01"', '"hostname":"&xxe;"');

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, !bigEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), !bigEndian);
  return out;
}

/** Replaces the first occurrence of `marker` in `text` with raw (possibly invalid UTF-8) bytes. */
function withRawBytes(text: string, marker: string, raw: number[]): Uint8Array {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker ${marker} not found`);
  return concatBytes([bytesOf(text.slice(0, at)), new Uint8Array(raw), bytesOf(text.slice(at + marker.length))]);
}

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

const LONG_LINE = 50 * 1000 * 1000;

function nestedTarGz(levels: number): Uint8Array {
  let inner: Uint8Array = bytesOf(usageText());
  let name = 'dev_1.txt';
  for (let i = 0; i < levels; i++) {
    inner = gzipOf(tarOf([{ name, body: inner }]));
    name = `level_${levels - i}.tar.gz`;
  }
  return inner;
}

/** A licence summary JSON (CSSM API shape) that tries to pollute prototypes. */
const SUMMARY_PROTO = `{
  "__proto__": { "polluted": true },
  "constructor": { "prototype": { "polluted": true } },
  "virtual_account": { "name": "Campus", "__proto__": { "polluted": true } },
  "summary": [
    {
      "__proto__": { "polluted": true, "tag": "from-the-prototype" },
      "constructor": { "prototype": { "polluted": true } },
      "tag": "regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53",
      "display_name": "Network Advantage",
      "prepaid_entitled": 10,
      "prepaid_inuse": 2,
      "license_details": [{ "__proto__": { "polluted": true }, "quantity": 10, "license_type": "TERM", "end_date": "2027-01-01" }]
    }
  ]
}
`;

const SUMMARY_MARKUP = JSON.stringify(
  {
    format: 'slp-summary/1',
    generated: '2026-01-01T00:00:00Z',
    smart_account: { name: `Corp ${SCRIPT}` },
    virtual_account: { name: `VA ${IMG}` },
    summary: [{ tag: MARKUP.entitlementTag, display_name: `DNA ${SCRIPT}`, prepaid_entitled: 5, prepaid_inuse: 1 }],
  },
  null,
  2,
);

/** A JSON document nested 100,000 arrays deep under a key the classifier knows. */
const deepJson = () => `{"accounts": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

// ---------------------------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------------------------

const names = (a: FileAnalysis) => a.usage.map((u) => u.usage.systemInfo?.hostname);
function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`safe-result check failed: ${what}`);
}

/** A usage file read normally: one device, its report, the host name given. */
function readsOneDevice(hostname: string) {
  return (a: FileAnalysis) => {
    assert(a.kind === 'usage-report' && a.readable, `kind ${a.kind}, readable ${a.readable}`);
    assert(a.usage.length === 1 && a.usage[0]!.usage.reports.length === 1, 'one usage file with one report');
    assert(names(a)[0] === hostname, `host name ${names(a)[0]}`);
  };
}

export const CASES: HostileCase[] = [
  // --- archives: bombs ---------------------------------------------------------------------------------------
  {
    name: 'gzip-bomb-512MiB.gz',
    description: 'gzip of 512 MiB of zeros (~0.5 MB, ratio ~1000:1)',
    must: 'refuse as a gzip bomb once 64 MiB are inflated, without inflating the rest',
    make: () => zerosGzip(512 * MiB),
    expect: { status: 'refused', code: 'inflate-ratio', message: /expands more than 200:1 .* refused as a gzip bomb/ },
  },
  {
    name: 'gzip-bomb-16GiB.gz',
    description: 'gzip of 16 GiB of zeros (~16 MB): under the ratio cap as a whole file only when judged by its total size',
    must: 'refuse as a gzip bomb after at most ~64 MiB inflated (memory stays bounded), not after 2 GiB',
    make: () => zerosGzip(16 * 1024 * MiB),
    expect: { status: 'refused', code: 'inflate-ratio', message: /expands more than 200:1 .* refused as a gzip bomb/ },
  },
  {
    name: 'tar-bomb-768MiB-entry.tar.gz',
    description: 'tar.gz holding one entry of 768 MiB of zeros (~0.8 MB compressed)',
    must: 'refuse as a gzip bomb before the tar is read',
    make: () => zerosGzip(768 * MiB, tarHeader({ name: 'dev_1.txt', size: 768 * MiB }), new Uint8Array(1024)),
    expect: { status: 'refused', code: 'inflate-ratio', message: /expands more than 200:1/ },
  },
  {
    name: 'tar-500k-entries.tar',
    description: 'a plain tar of 500,000 empty entries (256 MB)',
    must: 'refuse: more entries than the 400,000-entry cap',
    make: () => manyEmptyEntries(500_000),
    expect: { status: 'refused', code: 'too-many-entries', message: /holds more than 400,000 archive entries — refused/ },
  },
  {
    name: 'tar-2GiB-announced.tar',
    description: 'a tar header announcing a 2 GiB entry, followed by 1 KiB',
    must: 'refuse as cut short, without allocating 2 GiB',
    make: () => concatBytes([tarHeader({ name: 'dev_1.txt', size: 2 * 1024 * MiB }), bytesOf(usageText()).subarray(0, 1024)]),
    expect: { status: 'refused', code: 'truncated', message: /the tar archive ends early/ },
  },
  {
    name: 'nested-10-deep.tar.gz',
    description: 'a usage file inside tar.gz inside tar.gz … ten levels deep',
    must: 'refuse: archives nested deeper than the cap',
    make: () => nestedTarGz(10),
    expect: { status: 'refused', code: 'too-deep', message: /nests archives more than 4 levels deep/ },
  },
  // --- archives: hostile entries ---------------------------------------------------------------------------------
  {
    name: 'tar-dotdot.tar',
    description: 'a tar whose entry is named ../../evil/dev_1.txt (zip-slip)',
    must: 'refuse the whole archive, naming the entry',
    make: () => tarOf([{ name: 'ok/dev_0.txt', body: bytesOf(usageText()) }, { name: '../../evil/dev_1.txt', body: bytesOf(usageText()) }]),
    expect: { status: 'refused', code: 'unsafe-path', message: /tar-dotdot\.tar › \.\.\/\.\.\/evil\/dev_1\.txt: entry name climbs out of the archive/ },
  },
  {
    name: 'tar-absolute.tar',
    description: 'a tar whose entry is named /etc/cron.d/dev_1.txt',
    must: 'refuse the whole archive, naming the entry',
    make: () => tarOf([{ name: '/etc/cron.d/dev_1.txt', body: bytesOf(usageText()) }]),
    expect: { status: 'refused', code: 'unsafe-path', message: /tar-absolute\.tar › \/etc\/cron\.d\/dev_1\.txt: entry name is an absolute path/ },
  },
  {
    name: 'tar-backslash-dotdot.tar',
    description: 'a tar whose entry is named ..\\..\\dev_1.txt (Windows separators)',
    must: 'refuse the whole archive, naming the entry',
    make: () => tarOf([{ name: '..\\..\\dev_1.txt', body: bytesOf(usageText()) }]),
    expect: { status: 'refused', code: 'unsafe-path', message: /entry name climbs out of the archive/ },
  },
  {
    name: 'tar-pax-dotdot.tar',
    description: 'a harmless ustar name overridden by a PAX header path=../../etc/dev_1.txt',
    must: 'refuse the whole archive: the name that counts is the PAX one',
    make: () => tarOf([paxEntry({ path: '../../etc/dev_1.txt' }), { name: 'dev_1.txt', body: bytesOf(usageText()) }]),
    expect: { status: 'refused', code: 'unsafe-path', message: /\.\.\/\.\.\/etc\/dev_1\.txt: entry name climbs out/ },
  },
  {
    name: 'tar-symlink-hardlink.tar',
    description: 'a tar with a symlink to /etc/passwd, a hard link to ../../etc/shadow and one real usage file',
    must: 'read the usage file only; name each link as ignored; never follow a link',
    make: () =>
      tarOf([
        { name: 'passwd.txt', type: '2', linkname: '/etc/passwd' },
        { name: 'shadow.txt', type: '1', linkname: '../../etc/shadow' },
        { name: 'dev_1.txt', body: bytesOf(usageText()) },
      ]),
    expect: {
      status: 'safe',
      check: (a) => {
        assert(a.usage.length === 1 && a.entries.length === 1 && a.entries[0]!.path[0] === 'dev_1.txt', 'only dev_1.txt read');
        assert(a.warnings.some((w) => /passwd\.txt: symlink entry ignored/.test(w)), 'symlink named as ignored');
        assert(a.warnings.some((w) => /shadow\.txt: link entry ignored/.test(w)), 'hard link named as ignored');
      },
    },
  },
  {
    name: 'tar-devices.tar',
    description: 'a tar with a character device (1,5 = /dev/zero), a block device (8,0 = /dev/sda), a FIFO and one usage file',
    must: 'read the usage file only; name each device entry as ignored',
    make: () =>
      tarOf([
        { name: 'zero', type: '3', devmajor: 1, devminor: 5 },
        { name: 'sda', type: '4', devmajor: 8, devminor: 0 },
        { name: 'pipe', type: '6' },
        { name: 'dev_1.txt', body: bytesOf(usageText()) },
      ]),
    expect: {
      status: 'safe',
      check: (a) => {
        assert(a.usage.length === 1 && a.entries.length === 1, 'only the usage file read');
        for (const re of [/zero: character-device entry ignored/, /sda: block-device entry ignored/, /pipe: fifo entry ignored/]) assert(a.warnings.some((w) => re.test(w)), `warning ${re}`);
      },
    },
  },
  {
    name: 'tar-bad-checksum.tar',
    description: 'a tar whose header checksum does not match its bytes',
    must: 'refuse as damaged, saying so',
    make: () => tarOf([{ name: 'dev_1.txt', body: bytesOf(usageText()), badChecksum: true }]),
    expect: { status: 'refused', code: 'corrupt', message: /the tar archive is damaged \(.*checksum.*\)/i },
  },
  // --- gzip: damaged ------------------------------------------------------------------------------------------
  {
    name: 'truncated.tar.gz',
    description: 'a tar.gz of a usage file cut in the middle of its deflate stream',
    must: 'refuse as cut short',
    make: () => {
      const full = gzipOf(tarOf([{ name: 'dev_1.txt', body: bytesOf(usageText()) }]));
      return full.subarray(0, Math.floor(full.length / 2));
    },
    expect: { status: 'refused', code: 'truncated', message: /the gzip data ends early — the file was cut short/ },
  },
  {
    name: 'random-after-gzip-magic.gz',
    description: 'a gzip header followed by 4 KiB of random bytes',
    must: 'refuse as damaged gzip data',
    make: () => concatBytes([GZIP_HEADER, randomBytes(4096, 8)]),
    expect: { status: 'refused', code: 'corrupt', message: /the gzip data is damaged/ },
  },
  {
    name: 'gzip-of-random-bytes.gz',
    description: 'a valid gzip stream whose content is 64 KiB of random bytes',
    must: 'refuse: binary data, not a licensing file',
    make: () => gzipOf(randomBytes(64 * 1024, 9)),
    expect: { status: 'refused', code: 'unknown-kind', message: /gzip-of-random-bytes\.gz: is not a file the workbench can read: binary data, not a licensing file/ },
  },
  {
    name: 'gzip-of-gzip-bomb.gz',
    description: 'gzip-bomb-512MiB.gz gzipped again: a small outer layer hiding the bomb',
    must: 'refuse as a gzip bomb at the inner layer, the budget shared across layers',
    make: () => gzipOf(zerosGzip(512 * MiB)),
    expect: { status: 'refused', code: 'inflate-ratio', message: /gzip-of-gzip-bomb\.gz: expands more than 200:1 .* refused as a gzip bomb/ },
  },
  {
    name: 'empty.gz',
    description: 'a zero-byte file named .gz',
    must: 'refuse: empty',
    make: () => new Uint8Array(0),
    expect: { status: 'refused', code: 'empty', message: /empty\.gz: is empty \(0 bytes\)/ },
  },
  {
    name: 'gzip-of-nothing.gz',
    description: 'a valid gzip stream whose content is zero bytes',
    must: 'refuse: nothing to read inside',
    make: () => gzipOf(new Uint8Array(0)),
    expect: { status: 'refused', code: 'unknown-kind', message: /gzip-of-nothing\.gz: is not a file the workbench can read: the file is empty/ },
  },
  {
    name: 'empty.txt',
    description: 'a zero-byte file',
    must: 'refuse: empty',
    make: () => new Uint8Array(0),
    expect: { status: 'refused', code: 'empty', message: /empty\.txt: is empty \(0 bytes\)/ },
  },
  // --- XML ------------------------------------------------------------------------------------------------------
  {
    name: 'xml-dtd-internal-entity.xml',
    description: 'XML with <!DOCTYPE> defining an internal entity used in a report',
    must: 'refuse: DTDs are never read, entities never expanded',
    make: () => bytesOf(DTD_INTERNAL),
    expect: { status: 'refused', code: 'unknown-kind', message: /xml-dtd-internal-entity\.xml: .*document type declaration \(DTD\) — refused/ },
  },
  {
    name: 'xml-dtd-external-entity.xml',
    description: 'XML with <!ENTITY xxe SYSTEM "file:///etc/passwd"> used in the system information (XXE)',
    must: 'refuse: DTDs are never read, external entities never fetched',
    make: () => bytesOf(DTD_EXTERNAL),
    expect: { status: 'refused', code: 'unknown-kind', message: /xml-dtd-external-entity\.xml: .*document type declaration \(DTD\) — refused/ },
  },
  {
    name: 'xml-billion-laughs.xml',
    description: 'the billion laughs document (10 levels of entities, 10^9 "lol")',
    must: 'refuse at once: DTDs are never read',
    make: () => bytesOf(BILLION_LAUGHS),
    expect: { status: 'refused', code: 'unknown-kind', message: /xml-billion-laughs\.xml: .*document type declaration \(DTD\) — refused/ },
  },
  {
    name: 'xml-entity-inside-root.xml',
    description: 'a usage file with <!ENTITY> placed inside <smartLicense>',
    must: 'refuse: malformed XML naming the DTD',
    make: () => bytesOf(ENTITY_INSIDE),
    expect: { status: 'refused', code: 'xml', message: /xml-entity-inside-root\.xml: malformed XML at line 1: a document type declaration \(DTD\) is refused/ },
  },
  {
    name: 'xml-undeclared-entity.xml',
    description: 'a usage file whose host name is the entity reference &xxe;',
    must: 'refuse: unknown entity reference, never expanded',
    make: () => bytesOf(UNDECLARED_ENTITY),
    expect: { status: 'refused', code: 'xml', message: /unknown entity reference "&xxe;"/ },
  },
  {
    name: 'xml-deep-nesting.xml',
    description: '<smartLicense> holding 100,000 nested elements',
    must: 'refuse: nesting deeper than the cap',
    make: () => bytesOf(`<?xml version="1.0"?><smartLicense><RUMReport>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</RUMReport></smartLicense>`),
    expect: { status: 'refused', code: 'xml', message: /elements nested more than 32 deep/ },
  },
  {
    name: 'xml-50MB-line.xml',
    description: 'a valid one-line usage file carrying a 50 MB comment on its single line',
    must: 'read the usage file in bounded time',
    make: () => bytesOf(usageText().replace('<smartLicense>', `<smartLicense><!--${'A'.repeat(LONG_LINE)}-->`)),
    expect: { status: 'safe', check: readsOneDevice('access-sw-01') },
  },
  {
    name: 'xml-50MB-unterminated.xml',
    description: 'a usage file cut short inside a 50 MB CDATA section with no line break',
    must: 'refuse as cut short, in bounded time',
    make: () => bytesOf(`<?xml version="1.0"?><smartLicense><RUMReport><![CDATA[${'{"payload":"'.padEnd(LONG_LINE, 'x')}`),
    expect: { status: 'refused', code: 'truncated', message: /the XML ends early \(line 1: unterminated CDATA section\)/ },
  },
  {
    name: 'xml-invalid-utf8.xml',
    description: 'a usage file whose host name holds the bytes C3 28 FF (not UTF-8)',
    must: 'refuse: not UTF-8 text',
    make: () => withRawBytes(usageText(), 'access-sw-01', [0x61, 0xc3, 0x28, 0xff]),
    expect: { status: 'refused', code: 'unknown-kind', message: /xml-invalid-utf8\.xml: is not a file the workbench can read: text with bytes that are not valid UTF-8/ },
  },
  {
    name: 'xml-invalid-utf8-late.xml',
    description: 'a usage file whose host name holds the bytes C3 28 FF, after 5 KB of comment (past the classifier\'s look)',
    must: 'refuse: not UTF-8 text, from the XML reader',
    make: () => withRawBytes(usageText().replace('<smartLicense>', `<smartLicense><!--${'A'.repeat(5000)}-->`), 'access-sw-01', [0x61, 0xc3, 0x28, 0xff]),
    expect: { status: 'refused', code: 'encoding', message: /xml-invalid-utf8-late\.xml: contains bytes that are not valid UTF-8 text/ },
  },
  {
    name: 'xml-bom.xml',
    description: 'a usage file starting with a UTF-8 byte-order mark',
    must: 'read it as usual',
    make: () => concatBytes([BOM, bytesOf(usageText())]),
    expect: { status: 'safe', check: readsOneDevice('access-sw-01') },
  },
  {
    name: 'xml-utf16le.xml',
    description: 'a usage file saved as UTF-16LE with a byte-order mark',
    must: 'refuse: UTF-16, with what to do',
    make: () => utf16(usageText(), false),
    expect: { status: 'refused', code: 'unknown-kind', message: /xml-utf16le\.xml: .*UTF-16 text; Cisco tools write UTF-8 — re-copy the original file/ },
  },
  // --- markup, formulas, prototypes -----------------------------------------------------------------------------
  {
    name: 'usage-markup.xml',
    description: `a usage file whose host name, PID, serial, software version, software tag and entitlement tag carry ${SCRIPT} and ${IMG}`,
    must: 'import it; every field kept verbatim as text, never interpreted',
    make: () => bytesOf(writeUsageFile(markupDevice())),
    expect: {
      status: 'safe',
      check: (a) => {
        const u = a.usage[0]?.usage;
        assert(u && a.usage.length === 1, 'one usage file');
        assert(u.systemInfo?.hostname === MARKUP.hostname, 'host name verbatim');
        const r = u.reports[0]!;
        assert(r.udi.pid === MARKUP.pid && r.udi.sn === MARKUP.sn, 'UDI verbatim');
        assert(r.entitlementTag === MARKUP.entitlementTag, 'entitlement tag verbatim');
        assert(r.softwareVersion === MARKUP.softwareVersion, 'software version verbatim');
      },
    },
  },
  {
    name: 'usage-csv-formulas.xml',
    description: 'a usage file whose host name is =HYPERLINK("http://x","y"), PID +cmd, serial -1+1, software version @SUM(1)',
    must: 'import it verbatim; the Fleet CSV export neutralises every formula-looking cell',
    make: () => bytesOf(writeUsageFile(formulaDevice())),
    expect: { status: 'safe', check: readsOneDevice(FORMULAS.hostname) },
  },
  {
    name: 'summary-proto.json',
    description: 'a CSSM licence summary JSON with "__proto__" and "constructor.prototype" keys at every level',
    must: 'import the licence; no prototype is polluted, no value comes from a prototype',
    make: () => bytesOf(SUMMARY_PROTO),
    expect: {
      status: 'safe',
      check: (a) => {
        const s = a.other.summary;
        assert(s && s.licenses.length === 1, 'one licence');
        assert(s.licenses[0]!.tag?.startsWith('regid.2017-03.com.cisco.advantagek9') && s.licenses[0]!.quantity === 10, 'the licence as written');
        assert(s.virtualAccounts.join() === 'Campus', 'virtual account');
        assert(({} as Record<string, unknown>).polluted === undefined, 'Object.prototype not polluted');
      },
    },
  },
  {
    name: 'summary-markup.json',
    description: 'a licence summary whose account, Virtual Account, licence tag and name carry markup',
    must: 'import it; every name kept verbatim as text',
    make: () => bytesOf(SUMMARY_MARKUP),
    expect: {
      status: 'safe',
      check: (a) => {
        const s = a.other.summary;
        assert(s?.smartAccount === `Corp ${SCRIPT}` && s.virtualAccounts[0] === `VA ${IMG}`, 'account names verbatim');
        assert(s.licenses[0]?.displayName === `DNA ${SCRIPT}` && s.licenses[0].tag === MARKUP.entitlementTag, 'licence verbatim');
      },
    },
  },
  {
    name: 'usage-proto.xml',
    description: 'a usage file whose payload and system information JSON carry "__proto__" and "constructor" keys',
    must: 'import it; no prototype polluted',
    make: () =>
      bytesOf(
        usageText()
          .replace('{"sudi":', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"sudi":')
          .replace('{"payload":', '{"__proto__":{"polluted":true},"payload":'),
      ),
    expect: {
      status: 'safe',
      check: (a) => {
        readsOneDevice('access-sw-01')(a);
        assert(({} as Record<string, unknown>).polluted === undefined, 'Object.prototype not polluted');
      },
    },
  },
  {
    name: 'json-deep-nesting.json',
    description: 'a licence-summary-looking JSON nested 100,000 arrays deep',
    must: 'refuse without a stack overflow: nothing it holds is a licence',
    make: () => bytesOf(deepJson()),
    expect: { status: 'refused', code: 'invalid', message: /json-deep-nesting\.json: holds no licence and no device/ },
  },
  // --- CLI text -------------------------------------------------------------------------------------------------
  {
    name: 'cli-invalid-utf8.txt',
    description: '"show license summary" output with the bytes C3 28 FF in a licence name',
    must: 'refuse: not UTF-8 text',
    make: () => withRawBytes(CLI_UDI + CLI_SUMMARY, 'dna-advantage', [0x64, 0xc3, 0x28, 0xff]),
    expect: { status: 'refused', code: 'unknown-kind', message: /cli-invalid-utf8\.txt: is not a file the workbench can read: text with bytes that are not valid UTF-8/ },
  },
  {
    name: 'cli-invalid-utf8-late.txt',
    description: '"show license udi" output, 70 KB of blank lines, then the bytes C3 28 FF (past the classifier\'s look)',
    must: 'refuse: not UTF-8 text',
    make: () => withRawBytes(`${CLI_UDI}${'\n'.repeat(70_000)}${CLI_SUMMARY}`, 'dna-advantage', [0x64, 0xc3, 0x28, 0xff]),
    expect: { status: 'refused', code: 'encoding', message: /cli-invalid-utf8-late\.txt: contains bytes that are not valid UTF-8 text/ },
  },
  {
    name: 'cli-50MB-line.txt',
    description: '"show license udi" output followed by one 50 MB line without a line break',
    must: 'read the device in bounded time (no regular expression runs away on the long line)',
    make: () => bytesOf(`${CLI_UDI}${'PID:C9300-24UX '.repeat(LONG_LINE / 15)}`),
    expect: {
      status: 'safe',
      check: (a) => {
        assert(a.kind === 'cli' && a.cli.length === 1, `kind ${a.kind}`);
        assert(a.cli[0]!.parse.devices.some((d) => d.udi?.sn === 'FCW2303D16Y'), 'the device of the udi output');
      },
    },
  },
  {
    name: 'cli-bom.txt',
    description: '"show license udi" output starting with a UTF-8 byte-order mark',
    must: 'read it as usual',
    make: () => concatBytes([BOM, bytesOf(CLI_UDI)]),
    expect: {
      status: 'safe',
      check: (a) => assert(a.kind === 'cli' && a.cli[0]!.parse.devices.some((d) => d.udi?.sn === 'FCW2303D16Y'), 'the device read'),
    },
  },
  {
    name: 'cli-utf16be.txt',
    description: '"show license udi" output saved as UTF-16BE with a byte-order mark',
    must: 'refuse: UTF-16, with what to do',
    make: () => utf16(CLI_UDI, true),
    expect: { status: 'refused', code: 'unknown-kind', message: /cli-utf16be\.txt: .*UTF-16 text; Cisco tools write UTF-8/ },
  },
];

export function caseNamed(name: string): HostileCase {
  const c = CASES.find((k) => k.name === name);
  if (!c) throw new Error(`no hostile case ${name}`);
  return c;
}
