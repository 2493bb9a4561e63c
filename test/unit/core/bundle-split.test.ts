import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { expand, gzip, leaves, writeTar } from '../../../src/core/archive/index.ts';
import { bundleFromSources, clashingFiles, duplicateDevices, readUsageSource, splitAck } from '../../../src/core/bundle/cli-bundle.ts';
import { readBundleManifest } from '../../../src/core/bundle/upload.ts';
import { ImportError } from '../../../src/core/errors.ts';
import { simulateCssm } from '../../../src/core/sim/cssm.ts';
import { emptyLedger } from '../../../src/core/sim/ledger.ts';
import { fixture, text } from '../helpers.ts';

const C9300_FILE = 'rum-save-usage_c9300_standalone.txt';
const C8000V_FILE = 'rum-save-usage_c8000v_utility.txt';
const c9300 = fixture('formats', C9300_FILE);
const c8000v = fixture('formats', C8000V_FILE);
const NOW = Date.UTC(2026, 10, 1);
const OPTIONS = { smartAccount: { name: 'Acme', id: '7' }, virtualAccount: { name: 'WAN', id: '3' }, now: NOW };

async function rejection(p: Promise<unknown>): Promise<ImportError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

async function sources() {
  return [await readUsageSource(C9300_FILE, c9300), await readUsageSource(C8000V_FILE, c8000v)];
}

/** The simulated CSSM's ACK bundle for a bundle of the two fixtures. */
async function ackBundle() {
  const bundle = await bundleFromSources(await sources(), OPTIONS);
  const outcome = await simulateCssm(bundle.name, bundle.bytes, emptyLedger(OPTIONS.smartAccount, ['WAN']), { now: NOW + 86_400_000 });
  if (!outcome.accepted) throw new Error(outcome.reason);
  expect(outcome.kind).toBe('ack-bundle');
  return { bundle, ack: outcome };
}

describe('readUsageSource: the inputs of slp bundle', () => {
  it('keys a device usage file by the UDI that saved it and keeps its bytes as they are', async () => {
    const [a, b] = await sources();
    expect(a).toMatchObject({ name: C9300_FILE, udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, reportIds: ['1760003601', '1760003602'] });
    expect(b).toMatchObject({ name: C8000V_FILE, udi: { pid: 'C8000V', sn: '9ABCDEF1234' }, reportIds: ['1760100001', '1760100002'] });
    expect(a!.bytes).toEqual(c9300);
    expect(b!.bytes).toEqual(c8000v);
  });

  it('takes a gzipped usage file as the document inside it, byte for byte', async () => {
    const s = await readUsageSource(`${C9300_FILE}.gz`, gzip(c9300));
    expect(s.bytes).toEqual(c9300);
    expect(s.udi).toEqual({ pid: 'C9300-24UX', sn: 'FCW2303D16Y' });
  });

  it('refuses anything but a single device usage file, naming it', async () => {
    const cli = await rejection(readUsageSource('show.txt', text('Smart Licensing Status\n======================\n\nSmart Licensing is ENABLED\nlicense smart save usage all file bootflash:x.txt\n')));
    expect(cli.message).toMatch(/^show\.txt: is not a device usage file, which is all a bundle carries: its kind is/);
    expect(cli.code).toBe('wrong-kind');
    const bundle = await bundleFromSources(await sources(), OPTIONS);
    const nested = await rejection(readUsageSource(bundle.name, bundle.bytes));
    expect(nested.message).toBe(`${bundle.name}: is not a device usage file, which is all a bundle carries: its kind is CSSM upload bundle (archive with a JAR-style manifest.mf (CSLU / SSM On-Prem export))`);
    const archive = await rejection(readUsageSource('usage.tar', await writeTar([{ name: C9300_FILE, bytes: c9300, mtime: NOW }])));
    expect(archive.code).toBe('wrong-kind');
    expect((await rejection(readUsageSource('cut.txt', c9300.subarray(0, 300)))).message).toMatch(/^cut\.txt: /);
    expect((await rejection(readUsageSource('empty.txt', new Uint8Array(0)))).code).toBe('empty');
  });

  it('names every file that repeats a device of an earlier one', async () => {
    const [a, b] = await sources();
    expect(duplicateDevices([a!, b!])).toEqual([]);
    expect(duplicateDevices([a!, b!, { ...a!, name: 'again.txt' }, { ...a!, name: 'thrice.txt' }])).toEqual([
      `again.txt: is for the same device (PID:C9300-24UX,SN:FCW2303D16Y) as ${C9300_FILE} — give one usage file per device`,
      `thrice.txt: is for the same device (PID:C9300-24UX,SN:FCW2303D16Y) as ${C9300_FILE} — give one usage file per device`,
    ]);
  });
});

describe('bundleFromSources', () => {
  it('puts each device file into the bundle verbatim, says which entry it became, and gives the same bytes for the same input', async () => {
    const bundle = await bundleFromSources(await sources(), OPTIONS);
    const ts = NOW / 1000;
    expect(bundle.name).toBe(`UD_SA_${ts}.tar.gz`);
    expect(bundle.devices).toEqual([
      { udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, input: C9300_FILE, entry: `UD_VA_${ts}.tar.gz/dev_1_${ts}.txt` },
      { udi: { pid: 'C8000V', sn: '9ABCDEF1234' }, input: C8000V_FILE, entry: `UD_VA_${ts}.tar.gz/dev_2_${ts}.txt` },
    ]);
    const files = new Map(leaves(await expand(bundle.name, bundle.bytes)).map((l) => [l.path.join('/'), l.bytes]));
    expect([...files.keys()]).toEqual(['manifest.mf', ...bundle.devices.map((d) => d.entry)]);
    expect(files.get(bundle.devices[0]!.entry)).toEqual(c9300);
    expect(files.get(bundle.devices[1]!.entry)).toEqual(c8000v);
    const manifest = readBundleManifest(new TextDecoder().decode(files.get('manifest.mf')));
    expect(manifest).toEqual({ smartAccount: 'Acme', smartAccountId: '7', virtualAccounts: new Map([[`UD_VA_${ts}.tar.gz`, 'WAN']]) });
    expect((await analyseFile(bundle.name, bundle.bytes)).kind).toBe('upload-bundle');

    expect((await bundleFromSources(await sources(), OPTIONS)).bytes).toEqual(bundle.bytes);
    expect((await bundleFromSources(await sources(), { ...OPTIONS, now: NOW + 1000 })).bytes).not.toEqual(bundle.bytes);
  });

  it('refuses no input and a repeated device', async () => {
    const [a] = await sources();
    await expect(bundleFromSources([], OPTIONS)).rejects.toThrow('a bundle needs at least one device usage file');
    await expect(bundleFromSources([a!, { ...a!, name: 'b.txt' }], OPTIONS)).rejects.toThrow(/^b\.txt: is for the same device/);
  });
});

describe('splitAck', () => {
  it('splits an ACK bundle into its per-device ACKs: the bytes CSSM wrote, the UDI, the report IDs', async () => {
    const { bundle, ack } = await ackBundle();
    const split = await splitAck(ack.name, ack.bytes);
    expect(split.kind).toBe('ack-bundle');
    expect(split.skipped).toEqual([]);
    const inner = leaves(await expand(ack.name, ack.bytes));
    expect(split.acks.map((a) => a.path)).toEqual(inner.map((l) => [ack.name, ...l.path]));
    expect(split.acks.map((a) => a.file)).toEqual(bundle.devices.map((d) => `ACK_${d.entry.split('/')[1]}`));
    split.acks.forEach((a, i) => expect(a.bytes).toEqual(inner[i]!.bytes));
    expect(split.acks.map(({ udi, reportIds }) => ({ udi, reportIds }))).toEqual([
      { udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, reportIds: ['1760003601', '1760003602'] },
      { udi: { pid: 'C8000V', sn: '9ABCDEF1234' }, reportIds: ['1760100001', '1760100002'] },
    ]);
    expect(clashingFiles(split.acks)).toEqual([]);
  });

  it('passes a single ACK through under its own name, byte for byte', async () => {
    const outcome = await simulateCssm(C9300_FILE, c9300, emptyLedger(OPTIONS.smartAccount, ['WAN']), { now: NOW });
    if (!outcome.accepted) throw new Error(outcome.reason);
    const split = await splitAck(outcome.name, outcome.bytes);
    expect(split.kind).toBe('ack');
    expect(split.acks).toHaveLength(1);
    expect(split.acks[0]).toMatchObject({ file: `ACK_${C9300_FILE}`, path: [`ACK_${C9300_FILE}`], udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, reportIds: ['1760003601', '1760003602'] });
    expect(split.acks[0]!.bytes).toEqual(outcome.bytes);
    // Gzipped on the way: the ACK inside, under the name without .gz.
    const gz = await splitAck(`${outcome.name}.gz`, gzip(outcome.bytes));
    expect(gz.acks[0]).toMatchObject({ file: outcome.name, bytes: outcome.bytes });
  });

  it('refuses a truncated or damaged ACK bundle, naming it', async () => {
    const { ack } = await ackBundle();
    const cut = await rejection(splitAck('ACK_cut.tar.gz', ack.bytes.subarray(0, Math.floor(ack.bytes.length / 2))));
    expect(cut.code).toBe('truncated');
    expect(cut.message).toMatch(/^ACK_cut\.tar\.gz: the gzip data ends early/);
    const damaged = ack.bytes.slice();
    for (let i = 40; i < 80; i++) damaged[i] = damaged[i]! ^ 0x5a;
    const bad = await rejection(splitAck('ACK_bad.tar.gz', damaged));
    expect(['corrupt', 'truncated']).toContain(bad.code);
    expect(bad.message).toMatch(/^ACK_bad\.tar\.gz/);
    expect((await rejection(splitAck('empty.tar.gz', new Uint8Array(0)))).code).toBe('empty');
  });

  it('refuses a usage file, an upload bundle and an unknown file as the wrong kind', async () => {
    const usage = await rejection(splitAck(C9300_FILE, c9300));
    expect(usage.code).toBe('wrong-kind');
    expect(usage.message).toBe(`${C9300_FILE}: is not an ACK or ACK bundle from CSSM: its kind is Device usage file (<smartLicense> holding <RUMReport> elements)`);
    const bundle = await bundleFromSources(await sources(), OPTIONS);
    expect((await rejection(splitAck(bundle.name, bundle.bytes))).message).toMatch(/: its kind is CSSM upload bundle /);
    const png = await rejection(splitAck('picture.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])));
    expect(png.code).toBe('unknown-kind');
    expect(png.message).toMatch(/^picture\.png: is not an ACK or ACK bundle from CSSM: not a file the workbench can read/);
  });

  it('refuses the whole ACK bundle when one ACK in it cannot be read, naming the entry', async () => {
    const { ack } = await ackBundle();
    const [good, second] = leaves(await expand(ack.name, ack.bytes));
    const cutAck = second!.bytes.subarray(0, second!.bytes.length - 40);
    const inner = gzip(await writeTar([
      { name: good!.name, bytes: good!.bytes, mtime: NOW },
      { name: second!.name, bytes: cutAck, mtime: NOW },
    ]));
    const broken = gzip(await writeTar([{ name: 'ACK_UD_VA_1.tar.gz', bytes: inner, mtime: NOW }]));
    const e = await rejection(splitAck('ACK_UD_SA_1.tar.gz', broken));
    expect(e.where).toEqual(['ACK_UD_SA_1.tar.gz', 'ACK_UD_VA_1.tar.gz', second!.name]);
    expect(e.code).toBe('truncated');
  });

  it('keeps only the base name of an entry in a folder, refuses a climbing name, and leaves out what is not an ACK', async () => {
    const { ack } = await ackBundle();
    const [one] = leaves(await expand(ack.name, ack.bytes));
    const foldered = await writeTar([{ name: `acks/sub/${one!.name}`, bytes: one!.bytes, mtime: NOW }]);
    const split = await splitAck('acks.tar', foldered);
    expect(split.acks.map((a) => [a.file, a.path])).toEqual([[one!.name, ['acks.tar', `acks/sub/${one!.name}`]]]);
    expect(split.acks[0]!.bytes).toEqual(one!.bytes);

    const climbing = await writeTar([{ name: `../${one!.name}`, bytes: one!.bytes, mtime: NOW }]);
    expect((await rejection(splitAck('evil.tar', climbing))).code).toBe('unsafe-path');

    const mixed = await writeTar([
      { name: 'manifest.mf', bytes: text('Manifest-Version: 1.0\n'), mtime: NOW },
      { name: one!.name, bytes: one!.bytes, mtime: NOW },
      { name: 'stray.txt', bytes: c9300, mtime: NOW },
    ]);
    const m = await splitAck('mixed.tar', mixed);
    expect(m.kind).toBe('ack-bundle');
    expect(m.acks.map((a) => a.file)).toEqual([one!.name]);
    expect(m.skipped).toEqual(['mixed.tar › stray.txt: device usage file, not an ACK — left out']);
  });

  it('names ACKs that would be written under one name', async () => {
    const { ack } = await ackBundle();
    const a = (await splitAck('first.tar.gz', ack.bytes)).acks;
    const b = (await splitAck('second.tar.gz', ack.bytes)).acks;
    expect(clashingFiles([...a, ...b])).toEqual(
      b.map((x, i) => `${x.path.join(' › ')}: would be written as ${x.file}, like ${a[i]!.path.join(' › ')}`),
    );
  });
});
