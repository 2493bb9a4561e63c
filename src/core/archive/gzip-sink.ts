import { BLOCK, TAR_END, plainTarName, tarHeader } from './ustar.ts';

const MiB = 1024 * 1024;
const PADDING = new Uint8Array(BLOCK);

/**
 * A gzip stream written a piece at a time by the platform's native CompressionStream (browsers, workers, Node ≥ 18),
 * its output collected as it comes and folded into a Blob now and then, so a browser can keep it off the heap.
 * Used where a whole archive never needs to exist uncompressed: the backup, and tar.gz files the workbench writes.
 */
export class GzipSink {
  private parts: BlobPart[] = [];
  private held = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly drained: Promise<void>;
  written = 0;

  constructor() {
    const stream = new CompressionStream('gzip');
    this.writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    this.drained = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.parts.push(value as Uint8Array<ArrayBuffer>);
        this.held += value.length;
        if (this.held > 64 * MiB) {
          this.parts = [new Blob(this.parts)];
          this.held = 0;
        }
      }
    })();
  }

  /** Writes one ustar entry of a plain name: its header, its bytes, zero padding to a whole block. */
  async writeTarEntry(name: string, bytes: Uint8Array, mtime: number): Promise<void> {
    await this.write(tarHeader(name, bytes.length, mtime));
    await this.write(bytes);
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    if (pad) await this.write(PADDING.subarray(0, pad));
  }

  /** Queues bytes; they go to the compressor in pieces of about 1 MiB (fewer, larger writes are faster). */
  async write(bytes: Uint8Array): Promise<void> {
    this.written += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= MiB) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const joined = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const p of this.pending) {
      joined.set(p, at);
      at += p.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    await this.writer.ready;
    await this.writer.write(joined);
  }

  async close(): Promise<Blob> {
    await this.flush();
    await this.writer.close();
    await this.drained;
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
  const sink = new GzipSink();
  for (const f of files) await sink.writeTarEntry(f.name, f.bytes, f.mtime);
  await sink.write(TAR_END);
  return new Uint8Array(await (await sink.close()).arrayBuffer());
}
