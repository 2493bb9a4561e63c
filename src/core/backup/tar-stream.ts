import { Inflate } from 'pako';
import { BLOCK } from '../archive/ustar.ts';

/**
 * The backup's own tar, written and read a piece at a time so that a 100,000-device workspace never has to sit in
 * memory as one archive. Only what a backup needs: regular files with short ASCII names (checked), ustar headers.
 * The general import path (core/archive) stays on modern-tar, which needs the whole archive at once.
 */
export { TAR_END, tarHeader, tarPadding } from '../archive/ustar.ts';

export class BackupReadError extends Error {
  override readonly name = 'BackupReadError';
}

export interface TarStreamEntry {
  name: string;
  data: Uint8Array;
}

function field(h: Uint8Array, at: number, len: number): string {
  let end = at;
  while (end < at + len && h[end] !== 0) end++;
  return new TextDecoder('latin1').decode(h.subarray(at, end));
}

/**
 * Reads the entries of a gzip-compressed tar held in memory, one at a time (a generator: the caller may await
 * between entries, or not at all, which keeps an IndexedDB transaction alive). Inflates with pako in 1 MiB input
 * steps, so memory holds the compressed file, one entry and the inflater's state. Anything that is not a
 * regular file with a plain name, a bad checksum, an entry over `maxEntryBytes`, or data that ends early is an
 * error: a backup is written by this code only, so any surprise means damage or tampering.
 */
export function* gzipTarEntries(gz: Uint8Array, maxEntryBytes: number): Generator<TarStreamEntry> {
  const inflate = new Inflate({ chunkSize: 1 << 20 });
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  inflate.onData = (chunk: Uint8Array) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
  };
  let offset = 0;
  let ended = false;
  // Bytes inflated but not yet consumed, gathered into one buffer when a piece is needed.
  let buffer: Uint8Array = new Uint8Array(0);
  let at = 0;
  const available = () => buffer.length - at + pendingBytes;
  const feed = (): boolean => {
    if (offset >= gz.length) return false;
    const next = gz.subarray(offset, offset + (1 << 20));
    offset += next.length;
    inflate.push(next, offset >= gz.length);
    // Z_BUF_ERROR (-5) with all input given: the stream needed more bytes than the file has.
    if (inflate.err === -5) throw new BackupReadError('the file ends early — it was cut short (incomplete copy or download)');
    if (inflate.err) throw new BackupReadError(`the compressed data is damaged (${inflate.msg || `zlib error ${inflate.err}`})`);
    return true;
  };
  const take = (n: number): Uint8Array => {
    while (available() < n) {
      if (!feed()) throw new BackupReadError('the file ends early — it was cut short (incomplete copy or download)');
    }
    if (buffer.length - at < n) {
      const merged = new Uint8Array(buffer.length - at + pendingBytes);
      merged.set(buffer.subarray(at), 0);
      let p = buffer.length - at;
      for (const c of pending) {
        merged.set(c, p);
        p += c.length;
      }
      pending.length = 0;
      pendingBytes = 0;
      buffer = merged;
      at = 0;
    }
    const out = buffer.subarray(at, at + n);
    at += n;
    return out;
  };
  if (gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) throw new BackupReadError('is not gzip-compressed, so it is not a workbench backup');
  while (!ended) {
    const header = take(BLOCK);
    if (header.every((b) => b === 0)) {
      ended = true;
      break;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    const stated = parseInt(field(header, 148, 8).trim(), 8);
    if (stated !== sum) throw new BackupReadError('an archive header is damaged (checksum mismatch)');
    const name = field(header, 0, 100);
    const type = String.fromCharCode(header[156]!);
    if (type !== '0' && type !== '\0') throw new BackupReadError(`entry "${name}" is not a regular file — a backup holds none such`);
    if (!/^[A-Za-z0-9._/-]{1,99}$/.test(name) || name.split('/').includes('..')) throw new BackupReadError(`entry name "${name}" is not one a backup writes`);
    const size = parseInt(field(header, 124, 12).trim(), 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new BackupReadError(`entry "${name}" has an unreadable size`);
    if (size > maxEntryBytes) throw new BackupReadError(`entry "${name}" claims ${size.toLocaleString('en')} bytes, more than any entry a backup writes`);
    // Copied out: the buffer it sits in is reused for what follows.
    const data = take(size).slice();
    take((BLOCK - (size % BLOCK)) % BLOCK);
    yield { name, data };
  }
  // After the end blocks only zero padding may follow, and the gzip stream must end properly.
  while (feed()) {
    /* drain */
  }
  if (!inflate.ended) throw new BackupReadError('the file ends early — it was cut short (incomplete copy or download)');
}
