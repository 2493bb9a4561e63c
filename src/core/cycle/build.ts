import { expand, leaves } from '../archive/expand.ts';
import { concat } from '../archive/gzip.ts';
import { writeTarGz } from '../archive/tar.ts';
import { writeUploadBundle } from '../bundle/upload.ts';
import type { StoredReport } from '../model/fleet.ts';
import { sha256Hex } from '../hash.ts';
import { safeName } from '../words.ts';
import { handBackFolder, handBackReadme, handBackScript } from './handback.ts';
import { type Cycle, CycleError, type CycleDevice } from './model.ts';

/**
 * Step 2 of a cycle, "Build": the upload for CSSM from the stored originals. Every `<RUMReport>` is the device's
 * own bytes (they are signed): a device whose reports to send are exactly one stored usage file goes in as that
 * file, byte for byte; otherwise its reports' exact slices are put in a fresh `<smartLicense>` document — what
 * FORMATS.md says a bundle's `dev_<n>_….txt` holds — so that reports already received by CSSM are never sent
 * again (CSSM would reject the whole upload).
 */

/** Reads the bytes of one entry of a stored file (after its gzip and tar layers): what report ranges point into. */
export interface EntryReader {
  read(file: string, entry: readonly string[]): Promise<Uint8Array>;
  /** Opens these files, all at once, ahead of the reads that need them (a failure waits for the read that needs the file). */
  prefetch?(files: readonly string[]): Promise<void>;
}

/**
 * An EntryReader over stored originals: each file is opened once (all its entries kept while the build runs),
 * so a 100,000-device archive is inflated once, not once per device.
 */
export class StoredEntries implements EntryReader {
  private readonly files = new Map<string, Promise<Map<string, Uint8Array>>>();
  constructor(private readonly load: (file: string) => Promise<{ name: string; bytes: Uint8Array }>) {}

  private open(file: string): Promise<Map<string, Uint8Array>> {
    let opened = this.files.get(file);
    if (!opened) {
      // expand reads a plain tar.gz in place: one buffer of the announced size (gunzipFast), each entry a view of it.
      opened = this.load(file).then(async ({ name, bytes }) => new Map(leaves(await expand(name, bytes)).map((l) => [l.path.join('\u0000'), l.bytes])));
      this.files.set(file, opened);
    }
    return opened;
  }

  /**
   * All at once, so that their buffers are allocated together: V8 answers a large allocation outside its heap with a
   * full garbage collection, and one then covers them all (one after another, a 100,000-device build paid for five).
   */
  async prefetch(files: readonly string[]): Promise<void> {
    await Promise.all(files.map((f) => this.open(f).catch(() => undefined)));
  }

  read(file: string, entry: readonly string[]): Promise<Uint8Array> {
    return this.open(file).then((m) => {
      const bytes = m.get(entry.join('\u0000'));
      if (!bytes) throw new CycleError(`The stored file ${file.slice(0, 12)}… has no entry ${entry.join(' › ') || '(the file itself)'} any more`);
      return bytes;
    });
  }
}

const encoder = new TextEncoder();
const OPEN = encoder.encode('<?xml version="1.0" encoding="UTF-8"?><smartLicense>');
const CLOSE = encoder.encode('</smartLicense>');
const RUM = encoder.encode('<RUMReport');

/** How many `<RUMReport` start tags the bytes hold (the element's name never occurs inside a report's JSON). */
function rumCount(bytes: Uint8Array): number {
  let n = 0;
  const first = RUM[0]!;
  outer: for (let i = bytes.indexOf(first); i !== -1 && i <= bytes.length - RUM.length; i = bytes.indexOf(first, i + 1)) {
    for (let k = 1; k < RUM.length; k++) if (bytes[i + k] !== RUM[k]) continue outer;
    const next = bytes[i + RUM.length];
    if (next === 0x3e || next === 0x20 || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) n++;
  }
  return n;
}

export interface DeviceFile {
  bytes: Uint8Array;
  /** True when the bytes are a stored usage file as the device wrote it. */
  verbatim: boolean;
}

/** One device's usage document for the upload: its stored file as is when that holds exactly these reports. */
export async function deviceFile(device: Pick<CycleDevice, 'key' | 'reportIds'>, stored: readonly StoredReport[], reader: EntryReader): Promise<DeviceFile> {
  const byId = new Map(stored.map((r) => [r.reportId, r]));
  const reports = device.reportIds.map((id) => {
    const r = byId.get(id);
    if (!r) throw new CycleError(`Report ${id} of ${device.key} is not stored any more: rebuild the cycle from the devices' current reports`);
    return r;
  });
  const place = (r: StoredReport) => `${r.source.file}\u0000${r.source.entry.join('\u0000')}`;
  const first = reports[0]!;
  if (reports.every((r) => place(r) === place(first))) {
    const whole = await reader.read(first.source.file, first.source.entry);
    if (rumCount(whole) === reports.length) return { bytes: whole, verbatim: true };
  }
  // Oldest first, as a device lists them.
  const ordered = [...reports].sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || (a.reportId.length - b.reportId.length || (a.reportId < b.reportId ? -1 : 1)));
  const parts: Uint8Array[] = [OPEN];
  for (const r of ordered) parts.push((await reader.read(r.source.file, r.source.entry)).subarray(r.source.start, r.source.end));
  parts.push(CLOSE);
  return { bytes: concat(parts), verbatim: false };
}

export interface BuildInput {
  cycle: Cycle;
  reportsOf: (key: string) => readonly StoredReport[] | Promise<readonly StoredReport[]>;
  reader: EntryReader;
  now: number;
  createdBy?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface BuiltUpload {
  name: string;
  bytes: Uint8Array;
  /** The cycle's devices with the file each went into. */
  devices: CycleDevice[];
  verbatim: number;
  composed: number;
  /** A controller cycle's report facts. */
  controller?: { reportId: string; virtualAccounts: string[]; assignments: number };
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_');
}

/** The upload for the cycle, in its mode: a CSSM upload bundle, one usage file, or a tar.gz of one file per device. */
export async function buildUpload(input: BuildInput): Promise<BuiltUpload> {
  const { cycle } = input;
  // Each device's reports, and the stored files they come from: all opened, at once, before the first device file is
  // written. (Opening them while compressing was no faster on two cores: both are zlib's work on the same threads.)
  const reportsOf = new Map<string, readonly StoredReport[]>();
  const needed = new Set<string>();
  for (const d of cycle.devices) {
    if (d.request) {
      needed.add(d.request.file);
      continue;
    }
    const reports = await input.reportsOf(d.key);
    reportsOf.set(d.key, reports);
    for (const r of reports) needed.add(r.source.file);
  }
  await input.reader.prefetch?.([...needed]);
  const files: DeviceFile[] = [];
  // A SLAC request or return goes as the file the device saved; usage as the device's reports.
  const read = async (d: CycleDevice): Promise<DeviceFile> => {
    const file = d.request ? { bytes: await input.reader.read(d.request.file, d.request.entry), verbatim: true } : await deviceFile(d, reportsOf.get(d.key)!, input.reader);
    files.push(file);
    input.onProgress?.(files.length, cycle.devices.length);
    return file;
  };
  const counts = () => {
    const verbatim = files.filter((f) => f.verbatim).length;
    return { verbatim, composed: files.length - verbatim };
  };
  if (cycle.mode === 'bundle') {
    // Each device file goes to the compressor as soon as it is read: reading overlaps deflating.
    const bundle = await writeUploadBundle({
      smartAccount: { name: cycle.smartAccount ?? '', id: '' },
      virtualAccounts: [
        {
          name: cycle.virtualAccount,
          id: '',
          devices: (async function* () {
            for (const d of cycle.devices) yield { key: d.key, bytes: (await read(d)).bytes };
          })(),
        },
      ],
      timestamp: input.now,
      createdBy: input.createdBy ?? 'SLP Offline Workbench',
    });
    const devices = cycle.devices.map((d, i) => {
      const e = bundle.entries[i]!;
      return { ...d, uploadFile: e.devFile, n: e.n, verbatim: files[i]!.verbatim };
    });
    return { name: bundle.name, bytes: bundle.bytes, devices, ...counts() };
  }
  for (const d of cycle.devices) await read(d);
  const used = new Set<string>();
  const names = cycle.devices.map((d) => {
    const base = `${safeName(d.hostname ?? d.udi.pid)}_${safeName(d.udi.sn)}_${d.request ? `slac_${d.request.kind}` : 'usage'}_${stamp(input.now)}`;
    let name = `${base}.txt`;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}.txt`;
    used.add(name);
    return name;
  });
  const devices = cycle.devices.map((d, i) => ({ ...d, uploadFile: names[i]!, n: null, verbatim: files[i]!.verbatim }));
  if (cycle.mode === 'single') {
    if (files.length !== 1) throw new CycleError('A single usage file carries one device');
    return { name: names[0]!, bytes: files[0]!.bytes, devices, ...counts() };
  }
  const tarGz = await writeTarGz(files.map((f, i) => ({ name: names[i]!, bytes: f.bytes, mtime: input.now })));
  return { name: `${cycle.kind === 'authorization' ? 'slac_files' : 'usage_files'}_${safeName(cycle.virtualAccount)}_${stamp(input.now)}.tar.gz`, bytes: tarGz, devices, ...counts() };
}

/**
 * The hand-back tar.gz: README.txt, then per device with an ACK a folder holding its ACK file (the bytes CSSM
 * wrote, read back from the stored import) and commands.txt. Same cycle and time → same bytes.
 */
export async function writeHandBack(cycle: Cycle, reader: EntryReader, now: number): Promise<{ name: string; bytes: Uint8Array; devices: number }> {
  const files: Array<{ name: string; bytes: Uint8Array; mtime: number }> = [{ name: 'README.txt', bytes: new TextEncoder().encode(handBackReadme(cycle)), mtime: now }];
  const withAck = cycle.devices.filter((d) => d.ack);
  const acks = await Promise.all(withAck.map((d) => reader.read(d.ack!.file, d.ack!.entry)));
  // All hashes at once: one WebCrypto round trip per small file, one after the other, was most of the time.
  const hashes = await Promise.all(acks.map((a) => sha256Hex(a)));
  withAck.forEach((d, i) => {
    const folder = handBackFolder(d);
    files.push({ name: `${folder}/${d.ack!.name}`, bytes: acks[i]!, mtime: now });
    files.push({ name: `${folder}/commands.txt`, bytes: new TextEncoder().encode(handBackScript(cycle, d, hashes[i]!)), mtime: now });
  });
  const devices = withAck.length;
  const stampText = new Date(now).toISOString().slice(0, 10);
  return { name: `handback_cycle${cycle.number}_${safeName(cycle.virtualAccount)}_${stampText}.tar.gz`, bytes: await writeTarGz(files), devices };
}
