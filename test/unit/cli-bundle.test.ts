import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../src/core/analyse.ts';
import { expand, leaves } from '../../src/core/archive/index.ts';
import { FIXTURES, slp } from './helpers.ts';

const INPUTS = [join(FIXTURES, 'formats/rum-save-usage_c9300_standalone.txt'), join(FIXTURES, 'formats/rum-save-usage_c8000v_utility.txt')];
const NOW = '2026-11-01T00:00:00Z';
const TS = Date.UTC(2026, 10, 1) / 1000;

const bytesOf = (path: string) => new Uint8Array(readFileSync(path));
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Whether `needle` occurs in `haystack`, byte for byte. */
const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(Buffer.from(needle)) >= 0;

interface BundleOut {
  file: string;
  name: string;
  devices: Array<{ udi: { pid: string; sn: string }; input: string; entry: string }>;
}

async function build(out: string, ...extra: string[]): Promise<BundleOut> {
  const run = await slp('bundle', '--va', 'WAN', '--sa', 'Acme Corp', '--sa-id', '42', '--va-id', '7', '--now', NOW, '--out', out, ...extra, ...INPUTS);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as BundleOut;
}

describe('slp bundle', () => {
  it('builds an upload bundle holding each device file byte for byte, and the same bundle for the same --now', async () => {
    const dir = tmp('slp-bundle-');
    const out = join(dir, 'upload', `UD_SA_${TS}.tar.gz`);
    const result = await build(out);
    expect(result).toEqual({
      file: out,
      name: `UD_SA_${TS}.tar.gz`,
      devices: [
        { udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, input: 'rum-save-usage_c9300_standalone.txt', entry: `UD_VA_${TS}.tar.gz/dev_1_${TS}.txt` },
        { udi: { pid: 'C8000V', sn: '9ABCDEF1234' }, input: 'rum-save-usage_c8000v_utility.txt', entry: `UD_VA_${TS}.tar.gz/dev_2_${TS}.txt` },
      ],
    });
    const bundle = bytesOf(out);
    const files = new Map(leaves(await expand(result.name, bundle)).map((l) => [l.path.join('/'), l.bytes]));
    expect([...files.keys()]).toEqual(['manifest.mf', ...result.devices.map((d) => d.entry)]);
    expect(new TextDecoder().decode(files.get('manifest.mf'))).toContain(`Smart-Account: Acme Corp\nSmart-Account-ID: 42\n`);
    expect(new TextDecoder().decode(files.get('manifest.mf'))).toContain(`Name: /UD_VA_${TS}.tar.gz\nSpecification-VA: WAN\nSpecification-VA-ID: 7\n`);

    // Byte-exactness: every signed <RUMReport>…</RUMReport> of each input is in its device file verbatim, and the
    // device file is the input itself.
    let slices = 0;
    for (const [i, input] of INPUTS.entries()) {
      const original = bytesOf(input);
      const device = files.get(result.devices[i]!.entry)!;
      const analysis = await analyseFile(basename(input), original);
      expect(analysis.usage).toHaveLength(1);
      expect(analysis.usage[0]!.path).toEqual([]);
      for (const report of analysis.usage[0]!.usage.reports) {
        const slice = original.subarray(report.range.start, report.range.end);
        expect(new TextDecoder().decode(slice)).toMatch(/^<RUMReport>[\s\S]*<\/RUMReport>$/);
        expect(contains(device, slice), `${basename(input)} report ${report.reportId}`).toBe(true);
        slices++;
      }
      expect(device).toEqual(original);
    }
    expect(slices).toBe(4);

    // Same input, same --now: the same bytes.
    const again = await build(join(dir, 'again.tar.gz'));
    expect(again.name).toBe(result.name);
    expect(bytesOf(join(dir, 'again.tar.gz'))).toEqual(bundle);

    // Never written over an existing file.
    const over = await slp('bundle', '--va', 'WAN', '--now', NOW, '--out', out, ...INPUTS);
    expect(over).toMatchObject({ code: 1, stdout: '', stderr: `slp: bundle: ${out} exists — a bundle is never written over a file\n` });
    expect(bytesOf(out)).toEqual(bundle);
  });

  it('refuses a file that is not a device usage file, and a second file of one device, writing nothing', async () => {
    const dir = tmp('slp-bundle-bad-');
    const out = join(dir, 'bundle.tar.gz');
    const show = join(FIXTURES, 'cli/genie_ShowLicenseSummary__golden_output1.txt');
    const wrong = await slp('bundle', '--va', 'WAN', '--out', out, INPUTS[0]!, show, INPUTS[1]!);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe(
      'slp bundle: genie_ShowLicenseSummary__golden_output1.txt: is not a device usage file, which is all a bundle carries: its kind is "show license" output (Cisco CLI output: a "License Usage/Authorization" section)\n',
    );
    expect(existsSync(out)).toBe(false);

    const copy = join(dir, 'same-switch-again.txt');
    copyFileSync(INPUTS[0]!, copy);
    const twice = await slp('bundle', '--va', 'WAN', '--out', out, ...INPUTS, copy);
    expect(twice).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'slp bundle: same-switch-again.txt: is for the same device (PID:C9300-24UX,SN:FCW2303D16Y) as rum-save-usage_c9300_standalone.txt — give one usage file per device\n',
    });
    expect(existsSync(out)).toBe(false);

    const missing = await slp('bundle', '--va', 'WAN', '--out', out, join(dir, 'nope.txt'));
    expect(missing).toMatchObject({ code: 2, stderr: `slp bundle: ${join(dir, 'nope.txt')}: no such file\n` });
    expect(readdirSync(dir)).toEqual(['same-switch-again.txt']);
  });

  it('explains itself and refuses bad usage', async () => {
    expect((await slp('bundle', '--help')).stdout).toContain('Usage: npm run -s slp -- bundle --va NAME');
    expect((await slp('--help')).stdout).toContain('split-ack --out DIR ACK_FILE');
    expect(await slp('bundle', '--out', '/tmp/x.tar.gz', INPUTS[0]!)).toMatchObject({ code: 1, stderr: 'slp: bundle: --va NAME and --out FILE are required (see --help)\n' });
    expect(await slp('bundle', '--va', 'WAN', '--out', '/tmp/x.tar.gz')).toMatchObject({ code: 1, stderr: 'slp: bundle: give at least one USAGE_FILE\n' });
    expect((await slp('bundle', '--va', 'WAN', '--out', '/tmp/x.tar.gz', '--now', 'soon', INPUTS[0]!)).stderr).toMatch(/^slp: --now: "soon" is not an ISO 8601 date/);
    expect((await slp('split-ack', '--help')).stdout).toContain('Usage: npm run -s slp -- split-ack --out DIR ACK_FILE');
    expect(await slp('split-ack', INPUTS[0]!)).toMatchObject({ code: 1, stderr: 'slp: split-ack: --out DIR is required (see --help)\n' });
  });
});

describe('the offline reporting cycle: slp bundle → slp cssm-ack → slp split-ack', () => {
  it('gives back one ACK per device, byte-identical to the ACK bundle entry, with its UDI and report IDs', async () => {
    const dir = tmp('slp-cycle-');
    const upload = join(dir, `UD_SA_${TS}.tar.gz`);
    const bundle = await build(upload);

    const acked = await slp('cssm-ack', upload, '--out', join(dir, 'cssm'), '--virtual-accounts', 'WAN', '--smart-account', 'Acme Corp', '--now', '2026-11-02T00:00:00Z');
    expect(acked.stderr).toBe('');
    expect(acked.code).toBe(0);
    const answer = JSON.parse(acked.stdout);
    expect(answer).toMatchObject({ accepted: true, kind: 'ack-bundle', devices: 2, acknowledged: 4 });

    const split = await slp('split-ack', '--out', join(dir, 'acks', 'new'), answer.ack);
    expect(split.stderr).toBe('');
    expect(split.code).toBe(0);
    const rows = JSON.parse(split.stdout) as Array<{ udi: { pid: string; sn: string } | null; file: string; reportIds: string[] }>;

    const ackBytes = bytesOf(answer.ack);
    const inner = leaves(await expand(basename(answer.ack), ackBytes));
    expect(inner.map((l) => l.path.join('/'))).toEqual(bundle.devices.map((d) => `ACK_${d.entry.replace('/', '/ACK_')}`));
    expect(rows.map((r) => r.file)).toEqual(inner.map((l) => l.name));
    expect(readdirSync(join(dir, 'acks', 'new')).sort()).toEqual(inner.map((l) => l.name).sort());
    for (const [i, row] of rows.entries()) {
      expect(bytesOf(join(dir, 'acks', 'new', row.file)), row.file).toEqual(inner[i]!.bytes);
      // The ACK of dev_<n> is for the device of dev_<n>, and acknowledges exactly that device's reports.
      const device = bundle.devices[i]!;
      expect(row.file).toBe(`ACK_${device.entry.split('/')[1]}`);
      expect(row.udi).toEqual(device.udi);
      const input = INPUTS.find((p) => basename(p) === device.input)!;
      const reports = (await analyseFile(device.input, bytesOf(input))).usage[0]!.usage.reports;
      expect(row.reportIds).toEqual(reports.map((r) => r.reportId));
    }
    expect(rows.flatMap((r) => r.reportIds)).toHaveLength(4);

    // Nothing is overwritten: a second split into the same folder refuses before writing anything.
    const newer = join(dir, 'acks', 'new', rows[0]!.file);
    const before = bytesOf(newer);
    const again = await slp('split-ack', '--out', join(dir, 'acks', 'new'), answer.ack);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`slp: split-ack: ${newer} exists (and 1 more) — nothing written, no file is overwritten\n`);
    expect(bytesOf(newer)).toEqual(before);
    // One of the two files in the way: the other is not written either.
    const partial = join(dir, 'partial');
    mkdirSync(partial);
    writeFileSync(join(partial, rows[1]!.file), 'mine');
    expect((await slp('split-ack', '--out', partial, answer.ack)).code).toBe(1);
    expect(readdirSync(partial)).toEqual([rows[1]!.file]);
    expect(readFileSync(join(partial, rows[1]!.file), 'utf8')).toBe('mine');
  });

  it('says which input is not an ACK or is cut short, and still splits the others', async () => {
    const dir = tmp('slp-split-bad-');
    const upload = join(dir, 'upload.tar.gz');
    await build(upload);
    const acked = await slp('cssm-ack', upload, '--out', join(dir, 'cssm'), '--virtual-accounts', 'WAN', '--smart-account', 'Acme Corp', '--now', '2026-11-02T00:00:00Z');
    expect(acked.code).toBe(0);
    const ack = JSON.parse(acked.stdout).ack as string;
    const good = bytesOf(ack);
    const cut = join(dir, 'ACK_cut.tar.gz');
    writeFileSync(cut, good.subarray(0, good.length - 30));

    const out = join(dir, 'out');
    const run = await slp('split-ack', '--out', out, INPUTS[0]!, cut, ack);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'slp split-ack: rum-save-usage_c9300_standalone.txt: is not an ACK or ACK bundle from CSSM: its kind is Device usage file (<smartLicense> holding <RUMReport> elements)',
      expect.stringMatching(/^slp split-ack: ACK_cut\.tar\.gz: the gzip data ends early/),
    ]);
    const rows = JSON.parse(run.stdout) as Array<{ file: string }>;
    expect(rows.map((r) => r.file)).toEqual([`ACK_dev_1_${TS}.txt`, `ACK_dev_2_${TS}.txt`]);
    expect(readdirSync(out).sort()).toEqual(rows.map((r) => r.file).sort());

    // A single ACK: copied through under its own name.
    const single = await slp('cssm-ack', INPUTS[1]!, '--out', join(dir, 'single'), '--virtual-account', 'WAN', '--now', '2026-11-02T00:00:00Z');
    expect(single.code).toBe(0);
    const singleAck = JSON.parse(single.stdout).ack as string;
    const one = await slp('split-ack', '--out', join(dir, 'one'), singleAck);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual([{ udi: { pid: 'C8000V', sn: '9ABCDEF1234' }, file: 'ACK_rum-save-usage_c8000v_utility.txt', reportIds: ['1760100001', '1760100002'] }]);
    expect(bytesOf(join(dir, 'one', 'ACK_rum-save-usage_c8000v_utility.txt'))).toEqual(bytesOf(singleAck));

    // Only bad inputs: exit 2, nothing written, DIR not even made.
    const none = await slp('split-ack', '--out', join(dir, 'never'), cut);
    expect(none).toMatchObject({ code: 2, stdout: '[]\n' });
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
