import { packTar, unpackTar } from 'modern-tar';
import { ImportError, formatBytes } from '../errors.ts';
import type { Budget } from './limits.ts';
import { BLOCK, plainTarName, tarHeader } from './ustar.ts';
import { canStreamGzip, writeTarGzStream } from './gzip-sink.ts';
import { gzipFast } from './gzip.ts';

/** POSIX ustar (and GNU) archives carry "ustar" at offset 257 of the first header block. */
export function isTar(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 512 &&
    bytes[257] === 0x75 && // u
    bytes[258] === 0x73 && // s
    bytes[259] === 0x74 && // t
    bytes[260] === 0x61 && // a
    bytes[261] === 0x72 // r
  );
}

export interface TarFile {
  name: string;
  bytes: Uint8Array;
  mtime: number | null;
}

export interface TarListing {
  files: TarFile[];
  /** Entries that are not regular files (links, devices…) and were left out, with why. */
  skipped: string[];
}

/**
 * Entry names are refused, not rewritten, when they are absolute or climb with `..`: a name like that is
 * never produced by Cisco tools and only appears in hostile archives (zip-slip), so the user should hear of it.
 */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed)) return 'is an absolute path';
  if (slashed.split('/').some((part) => part === '..')) return 'climbs out of the archive with ".."';
  return null;
}

/**
 * Reads every entry of a tar archive with modern-tar in strict mode (checksums verified, truncation detected).
 * Chosen over nanotar, which silently rewrites `../` names, ignores a Uint8Array's byteOffset and writes
 * archives without the end-of-archive blocks that strict readers expect (measured: same speed; see README).
 */
export async function readTar(bytes: Uint8Array, where: readonly string[], budget: Budget): Promise<TarListing> {
  const { limits } = budget;
  if (!isTar(bytes)) throw new ImportError('not-tar', where, 'is not a tar archive (no "ustar" header at byte 257)');
  const tooMany = () => new ImportError('too-many-entries', where, `holds more than ${limits.maxEntries.toLocaleString('en')} archive entries — refused`);
  // Parsing costs ~10 µs an entry, all parsed before the count below: a tar of 500,000 empty entries took 5-8 s
  // and ~300 MB to refuse (hostile corpus, issue 8). Its headers alone say so, in milliseconds.
  if (budget.entries + countHeaders(bytes, limits.maxEntries - budget.entries) > limits.maxEntries) throw tooMany();
  let entries: Array<{ header: { name: string; type?: string; mtime?: Date }; data?: Uint8Array }> | null = plainEntries(bytes);
  try {
    entries ??= await unpackTar(bytes, { strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/truncated/i.test(msg)) {
      throw new ImportError('truncated', where, 'the tar archive ends early — the file was cut short (incomplete copy or download)');
    }
    throw new ImportError('corrupt', where, `the tar archive is damaged (${msg})`);
  }
  const files: TarFile[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    const { header } = entry;
    budget.entries += 1;
    if (budget.entries > limits.maxEntries) throw tooMany();
    const unsafe = unsafeEntryName(header.name);
    if (unsafe) {
      throw new ImportError('unsafe-path', [...where, header.name], `entry name ${unsafe} — the archive is refused`);
    }
    const type = header.type ?? 'file';
    if (type === 'directory' || type === 'pax-global-header') continue;
    if (type !== 'file') {
      skipped.push(`${header.name}: ${type} entry ignored (only regular files are read)`);
      continue;
    }
    const data = entry.data ?? new Uint8Array(0);
    budget.bytes += data.length;
    if (budget.bytes > limits.maxTotalBytes) {
      throw new ImportError('too-large', where, `unpacks to more than the ${formatBytes(limits.maxTotalBytes)} limit — refused`);
    }
    files.push({ name: header.name, bytes: data, mtime: header.mtime ? header.mtime.getTime() : null });
  }
  return { files, skipped };
}

const nameDecoder = new TextDecoder();

/** True when the 512 bytes at `at` are all zero (the end of an archive). */
function zeroBlock(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 512; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The entries of a plain archive — regular files and directories, ustar or GNU headers with valid checksums and
 * octal numbers, names of at most 100 bytes, whole, properly ended — read in place: each entry's bytes are a view of
 * the archive, not a copy. Null for anything else (PAX or GNU long names, links, devices, base-256 numbers, a bad
 * checksum, truncation…), which modern-tar then reads, or refuses, strictly.
 *
 * Why: modern-tar copies every entry (a 100,000-device archive's 450 MB held twice at the import's peak) and costs
 * ~20 µs an entry (1.9 s of that import); the archives operators carry are nearly always plain.
 */
export function plainEntries(bytes: Uint8Array): Array<{ header: { name: string; type: 'file' | 'directory'; mtime: Date }; data: Uint8Array }> | null {
  const out: Array<{ header: { name: string; type: 'file' | 'directory'; mtime: Date }; data: Uint8Array }> = [];
  let at = 0;
  for (;;) {
    if (at + 512 > bytes.length) return null; // no end-of-archive block: let the strict reader say what is wrong
    if (bytes[at] === 0 && zeroBlock(bytes, at)) {
      // The end: a second zero block, or the bytes end (some writers stop after one).
      return at + 1024 <= bytes.length && !zeroBlock(bytes, at + 512) ? null : out;
    }
    const type = bytes[at + 156];
    const file = type === 0x30 || type === 0;
    if (!file && type !== 0x35) return null;
    // "ustar\0" (POSIX, which may carry a name prefix) or "ustar  \0" (GNU).
    if (!(bytes[at + 257] === 0x75 && bytes[at + 258] === 0x73 && bytes[at + 259] === 0x74 && bytes[at + 260] === 0x61 && bytes[at + 261] === 0x72)) return null;
    if (bytes[at + 262] === 0 && bytes[at + 345] !== 0) return null;
    const size = headerSize(bytes, at + 124);
    const mtime = headerSize(bytes, at + 136);
    const sum = headerSize(bytes, at + 148);
    if (size === null || mtime === null || sum === null) return null;
    let actual = 0;
    for (let i = at; i < at + 512; i++) actual += i >= at + 148 && i < at + 156 ? 0x20 : bytes[i]!;
    if (actual !== sum) return null;
    const start = at + 512;
    if (start + size > bytes.length) return null;
    let nameEnd = bytes.indexOf(0, at);
    if (nameEnd === -1 || nameEnd > at + 100) nameEnd = at + 100;
    const name = nameDecoder.decode(bytes.subarray(at, nameEnd));
    out.push({ header: { name, type: file ? 'file' : 'directory', mtime: new Date(mtime * 1000) }, data: bytes.subarray(start, start + size) });
    at = start + Math.ceil(size / 512) * 512;
  }
}

/** The size field of a header (octal, as ustar writes it), or null when it is anything else. */
function headerSize(bytes: Uint8Array, at: number): number | null {
  let size = 0;
  let digits = 0;
  for (let i = at; i < at + 12; i++) {
    const c = bytes[i]!;
    if (c === 0x20 && digits === 0) continue;
    if (c === 0 || c === 0x20) break;
    if (c < 0x30 || c > 0x37) return null;
    size = size * 8 + (c - 0x30);
    digits++;
  }
  return size;
}

/**
 * Entries a tar announces, counted from its headers without parsing them, up to just past `cap`. It only ever
 * counts too few (it stops at the first header it does not follow: base-256 sizes, damage, the end), never too
 * many: the reader counts exactly afterwards. PAX and GNU long-name headers describe the next entry, not one.
 */
function countHeaders(bytes: Uint8Array, cap: number): number {
  let count = 0;
  for (let at = 0; at + 512 <= bytes.length && count <= cap; ) {
    if (bytes[at] === 0) break;
    const size = headerSize(bytes, at + 124);
    if (size === null) break;
    const type = bytes[at + 156];
    if (type !== 0x78 && type !== 0x67 && type !== 0x4c && type !== 0x4b) count++;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return count;
}

export interface TarInput {
  name: string;
  bytes: Uint8Array;
  /** Modification time in ms; fixed by callers that need byte-identical output. */
  mtime: number;
}

/**
 * Writes a POSIX ustar archive. Same inputs → same bytes. Plain short names (all the workbench writes) are written
 * directly, into one buffer; any other name sends the whole archive through modern-tar, which writes PAX headers.
 */
export async function writeTar(files: readonly TarInput[]): Promise<Uint8Array> {
  if (files.every((f) => plainTarName(f.name))) {
    const out = new Uint8Array(files.reduce((n, f) => n + BLOCK + Math.ceil(f.bytes.length / BLOCK) * BLOCK, 2 * BLOCK));
    let at = 0;
    for (const f of files) {
      out.set(tarHeader(f.name, f.bytes.length, f.mtime), at);
      out.set(f.bytes, at + BLOCK);
      at += BLOCK + Math.ceil(f.bytes.length / BLOCK) * BLOCK;
    }
    return out;
  }
  return packTar(
    files.map((f) => ({
      header: { name: f.name, size: f.bytes.length, type: 'file' as const, mtime: new Date(f.mtime), mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' },
      body: f.bytes,
    })),
  );
}

/**
 * A tar.gz of these files: streamed into the native compressor when the names are plain and the platform has one
 * (gzip-sink.ts), else written whole and compressed (modern-tar for PAX names, pako without CompressionStream).
 */
export async function writeTarGz(files: readonly TarInput[]): Promise<Uint8Array> {
  if (canStreamGzip() && files.every((f) => plainTarName(f.name))) return writeTarGzStream(files);
  return gzipFast(await writeTar(files));
}
