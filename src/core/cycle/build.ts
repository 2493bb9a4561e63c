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
}

/**
 * An EntryReader over stored originals: each file is opened once (all its entries kept while the build runs),
 * so a 100,000-device archive is inflated once, not once per device.
 */
export class StoredEntries implements EntryReader {
  private readonly files = new Map<string, Promise<Map<string, Uint8Array>>>();
  constructor(private readonly load: (file: string) => Promise<{ name: string; bytes: Uint8Array }>) {}

  read(file: string, entry: readonly string[]): Promise<Uint8Array> {
    let opened = this.files.get(file);
    if (!opened) {
      opened = this.load(file).then(async ({ name, bytes }) => new Map(leaves(await expand(name, bytes)).map((l) => [l.path.join('\u0000'), l.bytes])));
      this.files.set(file, opened);
    }
    return opened.then((m) => {
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
  const files: DeviceFile[] = [];
  for (const [i, d] of cycle.devices.entries()) {
    // A SLAC request or return goes as the file the device saved; usage as the device's reports.
    if (d.request) files.push({ bytes: await input.reader.read(d.request.file, d.request.entry), verbatim: true });
    else files.push(await deviceFile(d, await input.reportsOf(d.key), input.reader));
    input.onProgress?.(i + 1, cycle.devices.length);
  }
  const verbatim = files.filter((f) => f.verbatim).length;
  const counts = { verbatim, composed: files.length - verbatim };
  if (cycle.mode === 'bundle') {
    const bundle = await writeUploadBundle({
      smartAccount: { name: cycle.smartAccount ?? '', id: '' },
      virtualAccounts: [{ name: cycle.virtualAccount, id: '', devices: cycle.devices.map((d, i) => ({ key: d.key, bytes: files[i]!.bytes })) }],
      timestamp: input.now,
      createdBy: input.createdBy ?? 'SLP Offline Workbench',
    });
    const devices = cycle.devices.map((d, i) => {
      const e = bundle.entries[i]!;
      return { ...d, uploadFile: e.devFile, n: e.n, verbatim: files[i]!.verbatim };
    });
    return { name: bundle.name, bytes: bundle.bytes, devices, ...counts };
  }
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
    return { name: names[0]!, bytes: files[0]!.bytes, devices, ...counts };
  }
  const tarGz = await writeTarGz(files.map((f, i) => ({ name: names[i]!, bytes: f.bytes, mtime: input.now })));
  return { name: `${cycle.kind === 'authorization' ? 'slac_files' : 'usage_files'}_${safeName(cycle.virtualAccount)}_${stamp(input.now)}.tar.gz`, bytes: tarGz, devices, ...counts };
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
