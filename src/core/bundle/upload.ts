import { type CheckedRun, GzipSink, canStreamGzip, crc32, gzipStored } from '../archive/gzip-sink.ts';
import { writeTarGz } from '../archive/tar.ts';
import { TAR_END, tarHeader, tarPadding } from '../archive/ustar.ts';

/**
 * A CSSM upload bundle the way CSLU and SSM On-Prem export them (INFERRED, FORMATS.md): `UD_SA_<ts>.tar.gz`
 * holding a JAR-style `manifest.mf` and one `UD_VA_<ts>.tar.gz` per Virtual Account, each holding one
 * `dev_<n>_<ts>.txt` per device file, passed through byte for byte. The `<n>` is how ACKs map back to devices
 * (Cisco's own sample tool matches by it alone), so the caller gets the mapping back.
 */
export interface BundleDevice {
  /** The device file's bytes, verbatim (a `<smartLicense>` document). */
  bytes: Uint8Array;
  /** Caller's key for this device (a UDI key), returned in the mapping. */
  key: string;
}

export interface BundleVirtualAccount {
  name: string;
  id: string;
  /**
   * In order. May come one at a time (an async iterable): each device file then goes to the compressor as it is read,
   * and the reading of the next overlaps the deflating of the last.
   */
  devices: Iterable<BundleDevice> | AsyncIterable<BundleDevice>;
}

export interface UploadBundleInput {
  smartAccount: { name: string; id: string };
  virtualAccounts: BundleVirtualAccount[];
  /** ms; names the files and dates the archive entries, so the same input gives the same bytes. */
  timestamp: number;
  createdBy: string;
}

export interface UploadBundle {
  name: string;
  bytes: Uint8Array;
  /** Per device: the Virtual Account file and the `dev_<n>_…` entry it went into. */
  entries: Array<{ key: string; virtualAccount: string; vaFile: string; devFile: string; n: number }>;
}

export async function writeUploadBundle(input: UploadBundleInput): Promise<UploadBundle> {
  const ts = Math.floor(input.timestamp / 1000);
  const lines = ['Manifest-Version: 1.0', `Created-By: ${input.createdBy}`, `Smart-Account: ${input.smartAccount.name}`, `Smart-Account-ID: ${input.smartAccount.id}`, ''];
  const files: Array<{ name: string; run: CheckedRun }> = [];
  const entries: UploadBundle['entries'] = [];
  let n = 0;
  for (const [i, va] of input.virtualAccounts.entries()) {
    // One second apart per Virtual Account keeps the inner names distinct, as CSLU's timestamps are.
    const vaFile = `UD_VA_${ts + i}.tar.gz`;
    const devFiles = (async function* () {
      for await (const d of va.devices) {
        n += 1;
        const devFile = `dev_${n}_${ts + i}.txt`;
        entries.push({ key: d.key, virtualAccount: va.name, vaFile, devFile, n });
        yield { name: devFile, bytes: d.bytes, mtime: input.timestamp };
      }
    })();
    files.push({ name: vaFile, run: await tarGzRun(devFiles) });
    lines.push(`Name: /${vaFile}`, `Specification-VA: ${va.name}`, `Specification-VA-ID: ${va.id}`, '');
  }
  // The outer layer holds already compressed UD_VA files: stored, not deflated again. Written around the UD_VA files'
  // pieces as the compressor gave them, with their CRC worked out meanwhile: the same bytes as
  // `gzip(await writeTar([manifest, ...files]), 0)` without building the tar nor reading it all again.
  const manifest = new TextEncoder().encode(lines.join('\n'));
  const parts: Array<Uint8Array | CheckedRun> = [];
  const entry = (name: string, body: Uint8Array | CheckedRun) => {
    parts.push(tarHeader(name, body.length, input.timestamp), body, tarPadding(body.length));
  };
  entry('manifest.mf', manifest);
  for (const f of files) entry(f.name, f.run);
  parts.push(TAR_END);
  return { name: `UD_SA_${ts}.tar.gz`, bytes: gzipStored(parts), entries };
}

/**
 * A tar.gz of device files (plain names) as they come, streamed into the native compressor, its output kept in the
 * pieces it came in with their CRC-32; without a native compressor, gathered and written by `writeTarGz`.
 */
async function tarGzRun(files: AsyncIterable<{ name: string; bytes: Uint8Array; mtime: number }>): Promise<CheckedRun> {
  if (!canStreamGzip()) {
    const all = [];
    for await (const f of files) all.push(f);
    const bytes = await writeTarGz(all);
    return { pieces: [bytes], length: bytes.length, crc: crc32(bytes) };
  }
  const run = { pieces: [] as Uint8Array[], length: 0, crc: 0 };
  const sink = new GzipSink({
    onOutput: (chunk) => {
      run.pieces.push(chunk);
      run.length += chunk.length;
      run.crc = crc32(chunk, run.crc);
    },
  });
  try {
    for await (const f of files) await sink.writeTarEntry(f.name, f.bytes, f.mtime);
    await sink.write(TAR_END);
  } catch (e) {
    sink.abort(e);
    throw e;
  }
  await sink.close();
  return run;
}

/** The Virtual Account each `UD_VA_…` file of a bundle belongs to, from its manifest.mf. */
export function readBundleManifest(text: string): { smartAccount: string | null; smartAccountId: string | null; virtualAccounts: Map<string, string> } {
  const vas = new Map<string, string>();
  let smartAccount: string | null = null;
  let smartAccountId: string | null = null;
  let section: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw.trim());
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'Smart-Account') smartAccount = value;
    else if (key === 'Smart-Account-ID') smartAccountId = value;
    else if (key === 'Name') section = value.replace(/^\//, '');
    else if (key === 'Specification-VA' && section) vas.set(section, value);
  }
  return { smartAccount, smartAccountId, virtualAccounts: vas };
}
