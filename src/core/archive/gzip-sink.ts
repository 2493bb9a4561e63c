import { concat } from './gzip.ts';
import { BLOCK, TAR_END, plainTarName, tarHeader } from './ustar.ts';

const MiB = 1024 * 1024;
const PADDING = new Uint8Array(BLOCK);
/** Bytes gathered before they go to the compressor: fewer, larger writes are faster. */
const STAGE = MiB;
/** Bytes the compressor may hold before a writer waits (though a write larger than that always goes, alone). */
const IN_FLIGHT = 3 * MiB;
/** Longest the writer runs on without letting the compressor's callbacks in (ms). */
const SLICE_MS = 0.5;

/**
 * Resolves after pending I/O callbacks have run (a macrotask, not a microtask): Node's setImmediate, else a
 * MessageChannel message, else a timeout.
 */
export const nextTask: () => Promise<void> = (() => {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') return () => new Promise<void>((resolve) => void immediate(resolve));
  if (typeof MessageChannel === 'function') {
    const waiting: Array<() => void> = [];
    let channel: MessageChannel | null = null;
    return () =>
      new Promise<void>((resolve) => {
        if (!channel) {
          channel = new MessageChannel();
          channel.port1.onmessage = () => waiting.shift()?.();
        }
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

export interface GzipSinkOptions {
  /**
   * Takes each piece of compressed output as it comes, in order, instead of the sink keeping it (`close` then
   * returns an empty Blob): for a caller that works on the output while the rest is still being compressed.
   */
  onOutput?: (chunk: Uint8Array) => void;
}

/**
 * A gzip stream written a piece at a time by the platform's native CompressionStream (browsers, workers, Node ≥ 18),
 * its output collected as it comes and folded into a Blob now and then, so a browser can keep it off the heap.
 * Used where a whole archive never needs to exist uncompressed: the backup, and tar.gz files the workbench writes.
 *
 * The compressor deflates on a thread of its own: a write returns once its bytes are handed over, not once they are
 * deflated, so the caller reads or builds what comes next meanwhile (when each write waited for its bytes to be
 * deflated, a 100,000-device upload did its JavaScript and its deflating one after the other). Small writes are copied
 * into a few reused staging buffers, so the 470 MB of a large upload's tar do not each become a new buffer for the
 * garbage collector; large ones go as they are. The compressed bytes do not depend on how the input was cut into
 * writes (zlib's output is the same for the same stream of bytes).
 */
export class GzipSink {
  private parts: BlobPart[] = [];
  private held = 0;
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly drained: Promise<void>;
  /** The buffer being filled, and how far. */
  private stage: Uint8Array | null = null;
  private staged = 0;
  /** Staging buffers free to fill again. */
  private readonly free: Uint8Array[] = [];
  /** Writes the compressor has not finished, oldest first, each with its staging buffer (if it was one). */
  private readonly inFlight: Array<{ done: Promise<void>; buffer: Uint8Array | null; size: number }> = [];
  private inFlightBytes = 0;
  private failure: { error: unknown } | null = null;
  /** When the writer last let other tasks run. */
  private ran = performance.now();
  written = 0;

  constructor(options: GzipSinkOptions = {}) {
    const stream = new CompressionStream('gzip');
    this.writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    const onOutput = options.onOutput;
    this.drained = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        if (onOutput) {
          onOutput(value);
          continue;
        }
        this.parts.push(value as Uint8Array<ArrayBuffer>);
        this.held += value.length;
        if (this.held > 64 * MiB) {
          this.parts = [new Blob(this.parts)];
          this.held = 0;
        }
      }
    })();
    // Seen by close(); never an unhandled rejection in between.
    this.drained.catch(() => undefined);
  }

  /** Writes one ustar entry of a plain name: its header, its bytes, zero padding to a whole block. */
  async writeTarEntry(name: string, bytes: Uint8Array, mtime: number): Promise<void> {
    this.put(tarHeader(name, bytes.length, mtime));
    this.put(bytes);
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    if (pad) this.put(PADDING.subarray(0, pad));
    await this.settle();
  }

  /** Queues bytes; they go to the compressor in pieces of about 1 MiB. The bytes must not change afterwards. */
  async write(bytes: Uint8Array): Promise<void> {
    this.put(bytes);
    await this.settle();
  }

  /** Stages bytes (or sends large ones as they are) without waiting. */
  private put(bytes: Uint8Array): void {
    if (this.failure) return;
    this.written += bytes.length;
    if (bytes.length >= STAGE / 2) {
      this.sendStage();
      this.send(bytes, null);
      return;
    }
    let from = 0;
    while (from < bytes.length) {
      if (!this.stage) {
        this.stage = this.free.pop() ?? new Uint8Array(STAGE);
        this.staged = 0;
      }
      const n = Math.min(bytes.length - from, STAGE - this.staged);
      this.stage.set(from === 0 && n === bytes.length ? bytes : bytes.subarray(from, from + n), this.staged);
      this.staged += n;
      from += n;
      if (this.staged === STAGE) this.sendStage();
    }
  }

  /**
   * Sends the stage. Only a full one is reused once its write resolves: a resolved write proves the compressor has
   * read the bytes only when they were more than its queue holds. The standard compresses a chunk within its write,
   * so in browsers any resolved write would do; Node's CompressionStream is a zlib stream behind an adapter that
   * resolves a write leaving zlib's queue under its 16 KiB high-water mark at once, while zlib may not have read it
   * yet, and one over the mark once the queue has drained. A part-filled stage (a tar header before a large entry,
   * the last piece) is left to the garbage collector: when it was refilled, zlib now and then read the next entry's
   * header in its place, and a 10,000-device backup failed its own check.
   */
  private sendStage(): void {
    if (!this.stage || this.staged === 0) return;
    const buffer = this.stage;
    this.stage = null;
    this.send(buffer.subarray(0, this.staged), this.staged === STAGE ? buffer : null);
  }

  private send(bytes: Uint8Array, buffer: Uint8Array | null): void {
    const entry = { done: Promise.resolve(), buffer, size: bytes.length };
    this.inFlightBytes += bytes.length;
    entry.done = this.writer.write(bytes as Uint8Array<ArrayBuffer>).then(
      () => {
        if (entry.buffer) this.free.push(entry.buffer);
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.inFlight.push(entry);
  }

  /**
   * Waits while the compressor holds more than it can be deflating, so the caller never runs far ahead of it; and
   * lets the compressor's callbacks in every half millisecond. Node's compressor stops after each 16 KiB of output
   * until the main thread takes it: a writer that ran on through awaits that never yield (a device file read, its
   * tar entry written, the next…) kept it waiting for milliseconds at a time.
   */
  private async settle(): Promise<void> {
    while (this.inFlight.length > 1 && this.inFlightBytes > IN_FLIGHT) {
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.inFlightBytes -= oldest.size;
    }
    if (this.failure) throw this.failure.error;
    if (performance.now() - this.ran > SLICE_MS) {
      await nextTask();
      this.ran = performance.now();
    }
  }

  /** Ends the stream once everything written is compressed. */
  private async end(): Promise<void> {
    this.sendStage();
    await this.settle();
    for (const w of this.inFlight.splice(0)) await w.done;
    this.inFlightBytes = 0;
    if (this.failure) throw this.failure.error;
    await this.writer.close();
    await this.drained;
  }

  /** Gives up: the compressor is stopped and what was written is dropped. */
  abort(reason?: unknown): void {
    this.failure ??= { error: reason };
    this.stage = null;
    void this.writer.abort(reason).catch(() => undefined);
  }

  /** Ends the stream: the compressed bytes (none when they went to `onOutput`). */
  async close(): Promise<Blob> {
    await this.end();
    return new Blob(this.parts, { type: 'application/gzip' });
  }
}

/** True where `GzipSink` can run. */
export function canStreamGzip(): boolean {
  return typeof CompressionStream === 'function';
}

/**
 * A tar.gz of files with plain names, written straight into the compressor: the tar itself is never held
 * (for a 100,000-device upload it is 512 MB, and holding it, then copying it for the compressor, was much of
 * the build's time in garbage collection). Same bytes as `gzipFast(await writeTar(files))`.
 */
export async function writeTarGzStream(files: ReadonlyArray<{ name: string; bytes: Uint8Array; mtime: number }>): Promise<Uint8Array> {
  if (!files.every((f) => plainTarName(f.name))) throw new Error('writeTarGzStream takes plain names only');
  // Its output kept as it comes and joined once: not folded into a Blob and read back, two more copies.
  const parts: Uint8Array[] = [];
  let size = 0;
  const sink = new GzipSink({
    onOutput: (chunk) => {
      parts.push(chunk);
      size += chunk.length;
    },
  });
  for (const f of files) await sink.writeTarEntry(f.name, f.bytes, f.mtime);
  await sink.write(TAR_END);
  await sink.close();
  return concat(parts, size);
}

/** CRC-32 (gzip's) tables for eight bytes at a time: table k maps a byte to its CRC k bytes further on. */
const CRC_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  return t;
})();

/** The CRC-32 of `crc`'s bytes followed by these (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = CRC_TABLES;
  let c = ~crc;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  for (; i < end8; i += 8) {
    const a = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** a(x)·b(x) modulo the CRC polynomial (bit-reflected, as zlib's crc32_combine). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ 0xedb88320 : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0…31. */
const X2N = (() => {
  const t: number[] = [];
  let p = 0x40000000; // x^1
  t.push(p);
  for (let k = 1; k < 32; k++) t.push((p = multModP(p, p)));
  return t;
})();

/** The CRC-32 of A followed by B, from A's CRC, B's CRC and B's length (zlib's crc32_combine). */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // x^(8·lengthB) mod p: the shift A's CRC takes across B.
  let p = 0x80000000; // x^0
  for (let n = lengthB, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multModP(X2N[k % 32]!, p);
  return (multModP(p, crcA) ^ crcB) >>> 0;
}

/** A run of bytes held in pieces, its CRC-32 and length already known (worked out as the pieces arrived). */
export interface CheckedRun {
  pieces: readonly Uint8Array[];
  length: number;
  crc: number;
}

/** Stored blocks as pako (and zlib) cut them at level 0 with 16 KiB output chunks: 65,531, 32,773, then 32,768 bytes. */
const STORED_FIRST = [65531, 32773];
const STORED_BLOCK = 32768;

/**
 * gzip at level 0 ("stored": no deflating) of bytes given in pieces, without joining them first: the same bytes as
 * pako's `gzip(joined, { level: 0 })` (what `gzip(bytes, 0)` in gzip.ts gives), checked in the tests. Long runs may come
 * with their CRC already known, so only the short pieces around them are read here: for an upload bundle, whose outer
 * layer is 100 MB of UD_VA tar.gz, that CRC is worked out while the compressor is still writing it.
 */
export function gzipStored(parts: ReadonlyArray<Uint8Array | CheckedRun>): Uint8Array {
  const runs: CheckedRun[] = parts.map((p) => (p instanceof Uint8Array ? { pieces: [p], length: p.length, crc: crc32(p) } : p));
  const total = runs.reduce((n, r) => n + r.length, 0);
  let blocks = 0;
  for (let left = total, i = 0; ; i++) {
    blocks++;
    const size = STORED_FIRST[i] ?? STORED_BLOCK;
    if (left <= size) break;
    left -= size;
  }
  const out = new Uint8Array(10 + total + 5 * blocks + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3]);
  let at = 10;
  let left = total;
  let block = 0;
  let room = 0; // bytes the current block still takes
  const openBlock = () => {
    const size = Math.min(left, STORED_FIRST[block] ?? STORED_BLOCK);
    const last = size === left ? 1 : 0;
    out[at] = last;
    out[at + 1] = size & 0xff;
    out[at + 2] = size >>> 8;
    out[at + 3] = ~size & 0xff;
    out[at + 4] = (~size >>> 8) & 0xff;
    at += 5;
    block++;
    room = size;
  };
  let crc = 0;
  openBlock();
  for (const run of runs) {
    crc = crc32Combine(crc, run.crc, run.length);
    for (const piece of run.pieces) {
      for (let from = 0; from < piece.length; ) {
        if (room === 0) openBlock();
        const n = Math.min(room, piece.length - from);
        out.set(n === piece.length ? piece : piece.subarray(from, from + n), at);
        at += n;
        from += n;
        room -= n;
        left -= n;
      }
    }
  }
  const view = new DataView(out.buffer);
  view.setUint32(at, crc, true);
  view.setUint32(at + 4, total % 2 ** 32, true);
  return out;
}
