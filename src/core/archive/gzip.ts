import { Inflate, gzip as pakoGzip } from 'pako';
import { ImportError, formatBytes } from '../errors.ts';
import type { Budget } from './limits.ts';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Throws the refusal when `produced` inflated bytes break the budget's total or ratio cap. `compressed` is the
 * compressed input consumed so far, not the whole file's size: judged against the whole file, a 16 MB bomb of
 * zeros passed the 200:1 ratio until 2 GiB were inflated and held in memory (hostile corpus, issue 8); judged
 * against what has been read, it is refused once the floor is passed.
 */
function checkInflated(produced: number, compressed: number, where: readonly string[], budget: Budget): void {
  const { limits } = budget;
  if (budget.bytes + produced > limits.maxTotalBytes) {
    throw new ImportError(
      'too-large',
      where,
      `inflates to more than the ${formatBytes(limits.maxTotalBytes)} limit on unpacked data — refused (a gzip bomb, or a file too big for one import)`,
    );
  }
  if (produced > limits.ratioFloorBytes && produced > compressed * limits.maxInflateRatio) {
    throw new ImportError(
      'inflate-ratio',
      where,
      `expands more than ${limits.maxInflateRatio}:1 (${formatBytes(compressed)} → over ${formatBytes(produced)}) — refused as a gzip bomb`,
    );
  }
}

function isLimitRefusal(e: unknown): boolean {
  return e instanceof ImportError && (e.code === 'too-large' || e.code === 'inflate-ratio');
}

/**
 * Inflates a gzip stream (multi-member streams too) with pako, refusing it as soon as its output passes the
 * budget's total or the inflate-ratio cap, so a gzip bomb is stopped after a few chunks instead of filling memory.
 * Runs the same, synchronously, in workers, Node and every browser, and names what is wrong with a bad stream.
 */
export function gunzip(bytes: Uint8Array, where: readonly string[], budget: Budget): Uint8Array {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let refusal: unknown = null;
  const inflate = new Inflate({ chunkSize: 256 * 1024 });
  // pako's stream position: how much of the input was read to produce this output (kept across gzip members).
  const stream = (inflate as unknown as { strm: { next_in: number } }).strm;
  inflate.onData = (chunk: Uint8Array) => {
    produced += chunk.length;
    try {
      checkInflated(produced, Math.max(1, stream.next_in), where, budget);
    } catch (e) {
      refusal = e;
      throw e;
    }
    chunks.push(chunk);
  };
  try {
    inflate.push(bytes, true);
  } catch (e) {
    if (e === refusal) throw e;
    throw new ImportError('corrupt', where, `the gzip data is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
  // Z_BUF_ERROR (-5) with all input consumed: the stream needed more bytes than the file has.
  if (inflate.err === -5 || (!inflate.err && !inflate.ended)) {
    throw new ImportError('truncated', where, 'the gzip data ends early — the file was cut short (incomplete copy or download)');
  }
  if (inflate.err) {
    throw new ImportError('corrupt', where, `the gzip data is damaged (${inflate.msg || `zlib error ${inflate.err}`})`);
  }
  budget.bytes += produced;
  return concat(chunks, produced);
}

/** Input handed to the native inflater at a time (see gunzipFast). */
const INPUT_SLICE = 64 * 1024;

/**
 * The inflated size a gzip stream's trailer announces (ISIZE, the last four bytes), when it is one the limits allow:
 * a buffer of that size is then filled as the output comes. The trailer is only a hint: a stream of several members,
 * or one that lies, gives more or less, and gunzipFast copes with either.
 */
function announcedSize(bytes: Uint8Array, budget: Budget): number | null {
  if (bytes.length < 18) return null;
  const size = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  const { limits } = budget;
  if (size === 0 || budget.bytes + size > limits.maxTotalBytes) return null;
  if (size > limits.ratioFloorBytes && size > bytes.length * limits.maxInflateRatio) return null;
  return size;
}

/** Where gunzipFast drops young garbage (see there). */
const scratch: { young: unknown } = { young: null };

/**
 * The same, with the platform's native DecompressionStream where there is one (about three times faster than
 * pako, which matters for a 116 MB fleet archive), under the same caps. Any other failure of the native path is
 * re-run through pako, which tells truncation from damage and reads multi-member streams; bad files are rare,
 * so the second pass costs nothing in practice.
 *
 * The output goes straight into one buffer of the size the trailer announces, each piece copied once and dropped.
 * Keeping the inflater's pieces and joining them at the end held a 100,000-device archive's 450 MB twice over at
 * the import's peak, and V8, which counts buffers against a budget for memory outside its heap, ran full garbage
 * collections of everything the worker held while they piled up (measured on the upload build, which opens the
 * same archives: 6-15 s to open them, of which inflating is 1.5 s).
 *
 * Dropped pieces are only freed by a minor collection, and V8 starts those by how much JavaScript was allocated,
 * not by buffers: each piece comes with little of that, so once the young generation had grown, hundreds of
 * megabytes of dead pieces piled up between two minor collections and set off full ones anyway. Half as many bytes
 * of plain garbage as each piece carries keeps minor collections coming often enough; it costs about 0.1 s at 450 MB.
 */
export async function gunzipFast(bytes: Uint8Array, where: readonly string[], budget: Budget): Promise<Uint8Array> {
  if (typeof DecompressionStream !== 'function') return gunzip(bytes, where, budget);
  const announced = announcedSize(bytes, budget);
  let out: Uint8Array | null = null;
  if (announced !== null) {
    try {
      out = new Uint8Array(announced);
    } catch {
      out = null; // too large to allocate at once: the pieces are kept instead
    }
  }
  // Pieces kept when there is no buffer, or once the output outgrows it.
  const chunks: Uint8Array[] = [];
  let produced = 0;
  // The input is written in slices, one at a time, each write awaited (pipeThrough would queue the whole file at
  // once), so `consumed` says how much was read for the output so far, within a slice or two: the ratio cap then
  // stops a bomb early whatever the file's size.
  let consumed = 0;
  let stopped = false;
  const inflater = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  const writer = inflater.writable.getWriter();
  const reader = inflater.readable.getReader();
  const feeding = (async () => {
    while (consumed < bytes.length && !stopped) {
      const at = consumed;
      consumed = Math.min(bytes.length, at + INPUT_SLICE);
      await writer.write(bytes.subarray(at, consumed));
    }
    if (!stopped) await writer.close();
  })();
  // A failed write errors the readable side too: the reader's loop below is where failures are handled.
  feeding.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      checkInflated(produced + value.length, consumed, where, budget);
      if (out && produced + value.length <= out.length) {
        out.set(value, produced);
        scratch.young = new Array(value.length >> 4);
      } else {
        if (out) chunks.push(out.subarray(0, produced));
        out = null;
        chunks.push(value);
      }
      produced += value.length;
    }
  } catch (e) {
    stopped = true;
    void reader.cancel().catch(() => undefined);
    void writer.abort().catch(() => undefined);
    if (isLimitRefusal(e)) throw e;
    return gunzip(bytes, where, budget);
  } finally {
    scratch.young = null;
  }
  budget.bytes += produced;
  if (out) return produced === out.length ? out : out.slice(0, produced);
  return concat(chunks, produced);
}

/**
 * gzip with mtime 0 in the header, so the same input gives the same bytes (simulator determinism, reproducible
 * uploads). Level 0 ("stored") is for layers holding already compressed files: deflating them again saves nothing
 * and costs ~25× the time (measured: 372 ms vs 14 ms on a 3.35 MB .tar.gz).
 */
export function gzip(bytes: Uint8Array, level: 0 | 6 = 6): Uint8Array {
  return pakoGzip(bytes, { level });
}

/**
 * gzip (level 6) with the platform's native CompressionStream where there is one (browsers, workers, Node ≥ 18),
 * pako otherwise. Native zlib deflates several times faster than pako's ~15 MB/s, which is most of building a
 * 100,000-device upload (BENCHMARKS.md). The output is a valid gzip stream either way, deterministic for a given
 * platform; only its compressed bytes may differ between platforms, never what they inflate to.
 */
export async function gzipFast(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof CompressionStream !== 'function') return gzip(bytes);
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream as unknown as ReadableStream<Uint8Array<ArrayBuffer>>).arrayBuffer());
}

export function concat(chunks: readonly Uint8Array[], total = chunks.reduce((n, c) => n + c.length, 0)): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
