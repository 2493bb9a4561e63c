import { Inflate, gzip as pakoGzip } from 'pako';
import { ImportError, formatBytes } from '../errors.ts';
import type { Budget } from './limits.ts';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates a gzip stream (multi-member streams too) with pako, refusing it as soon as its output passes the
 * budget's total or the inflate-ratio cap, so a gzip bomb is stopped after a few chunks instead of filling memory.
 * pako rather than DecompressionStream: it runs the same, synchronously, in workers, Node and every browser.
 */
export function gunzip(bytes: Uint8Array, where: readonly string[], budget: Budget): Uint8Array {
  const { limits } = budget;
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let refusal: ImportError | null = null;
  const inflate = new Inflate({ chunkSize: 256 * 1024 });
  inflate.onData = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (budget.bytes + produced > limits.maxTotalBytes) {
      refusal = new ImportError(
        'too-large',
        where,
        `inflates to more than the ${formatBytes(limits.maxTotalBytes)} limit on unpacked data — refused (a gzip bomb, or a file too big for one import)`,
      );
    } else if (produced > limits.ratioFloorBytes && produced > bytes.length * limits.maxInflateRatio) {
      refusal = new ImportError(
        'inflate-ratio',
        where,
        `expands more than ${limits.maxInflateRatio}:1 (${formatBytes(bytes.length)} → over ${formatBytes(produced)}) — refused as a gzip bomb`,
      );
    }
    if (refusal) throw refusal;
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

export function gzip(bytes: Uint8Array): Uint8Array {
  // mtime 0 in the header keeps output byte-identical for the same input (simulator determinism).
  return pakoGzip(bytes, { level: 6 });
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
