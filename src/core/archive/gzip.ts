import { Inflate, gzip as pakoGzip } from 'pako';
import { ImportError, formatBytes } from '../errors.ts';
import type { Budget } from './limits.ts';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Throws the refusal when `produced` inflated bytes break the budget's total or ratio cap. */
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
  inflate.onData = (chunk: Uint8Array) => {
    produced += chunk.length;
    try {
      checkInflated(produced, bytes.length, where, budget);
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

/**
 * The same, with the platform's native DecompressionStream where there is one (about three times faster than
 * pako, which matters for a 116 MB fleet archive), under the same caps. Any other failure of the native path is
 * re-run through pako, which tells truncation from damage and reads multi-member streams; bad files are rare,
 * so the second pass costs nothing in practice.
 */
export async function gunzipFast(bytes: Uint8Array, where: readonly string[], budget: Budget): Promise<Uint8Array> {
  if (typeof DecompressionStream !== 'function') return gunzip(bytes, where, budget);
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const reader = source.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      produced += value.length;
      checkInflated(produced, bytes.length, where, budget);
      chunks.push(value);
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    if (isLimitRefusal(e)) throw e;
    return gunzip(bytes, where, budget);
  }
  budget.bytes += produced;
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
