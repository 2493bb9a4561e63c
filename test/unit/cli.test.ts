import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, slp } from './helpers.ts';


describe('slp inspect', () => {
  it('prints one inspection object per file and exits 0 when all were read', async () => {
    const files = ['formats/rum-save-usage_c9300_standalone.txt', 'formats/rum-save-usage_c8000v_utility.txt', 'cli/genie_ShowLicenseSummary__golden_output1.txt'];
    const { code, stdout, stderr } = await slp('inspect', ...files.map((f) => join(FIXTURES, f)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.map((o: { file: string; kind: string }) => [o.file, o.kind])).toEqual([
      ['rum-save-usage_c9300_standalone.txt', 'usage-report'],
      ['rum-save-usage_c8000v_utility.txt', 'usage-report'],
      ['genie_ShowLicenseSummary__golden_output1.txt', 'cli'],
    ]);
    expect(out[1].devices[0].hostname).toBe('wan-edge-07');
    // The summary's licences are read; with no UDI in it, it says it cannot name the device.
    expect(out[2].licenses.map((l: { name: string; count: number; status: string }) => [l.name, l.count, l.status])).toEqual([
      ['network-advantage (C9300-48 Network Advan...)', 1, 'IN USE'],
      ['dna-advantage (C9300-48 DNA Advantage)', 1, 'IN USE'],
    ]);
    expect(out[2].devices).toEqual([]);
    expect(out[2].warnings).toEqual(['line 1: output names no device (no UDI): paste "show license udi" with it to tie these facts to a device']);
  });

  it('exits 2 with one line per failed file on stderr, and still reports the good ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slp-'));
    writeFileSync(join(dir, 'cut.txt'), '<smartLicense><RUMReport><![CDATA[{"payload"');
    writeFileSync(join(dir, 'picture.tar'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    const { code, stdout, stderr } = await slp('inspect', join(FIXTURES, 'formats/rum-save-usage_c9300_standalone.txt'), join(dir, 'cut.txt'), join(dir, 'picture.tar'), join(dir, 'missing.txt'));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^slp inspect: cut\.txt: the XML ends early/),
      'slp inspect: picture.tar: is not a file the workbench can read: a PNG image, not a licensing file',
      `slp inspect: ${join(dir, 'missing.txt')}: no such file`,
    ]);
    const out = JSON.parse(stdout);
    expect(out.map((o: { kind: string; error?: string }) => [o.kind, Boolean(o.error)])).toEqual([
      ['usage-report', false],
      ['usage-report', true],
      ['unknown', true],
      ['unknown', true],
    ]);
  });

  it('explains itself and refuses bad usage', async () => {
    expect((await slp('inspect', '--help')).stdout).toContain('Usage: npm run -s slp -- inspect FILE');
    expect(await slp('inspect')).toMatchObject({ code: 1, stderr: 'slp: inspect: give at least one FILE\n' });
    expect(await slp('frobnicate')).toMatchObject({ code: 1, stderr: 'slp: unknown command "frobnicate" (try --help)\n' });
  });
});

describe('slp demo and slp cssm-ack', () => {
  it('writes a fleet that inspect reads whole, byte-identical for the same seed, and plays CSSM on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slp-demo-'));
    const run1 = await slp('demo', '--devices', '120', '--seed', 'ci', '--out', join(dir, 'a'), '--now', '2026-11-01T00:00:00Z');
    expect(run1.stderr).toBe('');
    expect(run1.code).toBe(0);
    const summary = JSON.parse(run1.stdout);
    expect(summary).toMatchObject({ devices: 120, seed: 'ci', now: '2026-11-01T00:00:00.000Z', simulated: true });
    await slp('demo', '--devices', '120', '--seed', 'ci', '--out', join(dir, 'b'), '--now', '2026-11-01T00:00:00Z');
    const { readdirSync, readFileSync } = await import('node:fs');
    const walk = (root: string): string[] =>
      readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(root, e.name)) : [join(root, e.name)]));
    const filesA = walk(join(dir, 'a')).sort();
    expect(filesA.map((f) => f.slice(join(dir, 'a').length))).toEqual(walk(join(dir, 'b')).sort().map((f) => f.slice(join(dir, 'b').length)));
    for (const f of filesA) expect(readFileSync(f), f).toEqual(readFileSync(f.replace(join(dir, 'a'), join(dir, 'b'))));

    const inspected = await slp('inspect', ...filesA);
    expect(inspected.stderr).toBe('');
    expect(inspected.code).toBe(0);
    const kinds = new Set(JSON.parse(inspected.stdout).map((o: { kind: string }) => o.kind));
    expect(kinds).toEqual(new Set(['usage-report', 'cli', 'license-summary', 'inventory-csv', ...(summary.files.slac ? ['slac-request'] : [])]));

    // The largest usage file: one with reports (a device that never consumed a licence has none to acknowledge).
    const upload = filesA.filter((f) => f.includes('/usage/')).sort((x, y) => readFileSync(y).length - readFileSync(x).length)[0]!;
    const acked = await slp('cssm-ack', upload, '--out', join(dir, 'acks'), '--now', '2026-11-02T00:00:00Z');
    expect(acked.code).toBe(0);
    const result = JSON.parse(acked.stdout);
    expect(result).toMatchObject({ accepted: true, kind: 'ack', devices: 1 });
    const ack = await slp('inspect', result.ack);
    expect(JSON.parse(ack.stdout)[0]).toMatchObject({ kind: 'ack', acknowledged: expect.arrayContaining([expect.objectContaining({ reportId: expect.anything() })]) });
    const again = await slp('cssm-ack', upload, '--out', join(dir, 'acks'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^slp cssm-ack: rejected: report \d+ of PID:.* was uploaded to CSSM before/);
  });

  it('refuses bad arguments with one line and a non-zero exit', async () => {
    expect(await slp('demo', '--devices', 'lots', '--seed', 'x', '--out', '/tmp/x')).toMatchObject({ code: 1, stderr: 'slp: demo: --devices must be a whole number from 1 to 250000\n' });
    expect(await slp('demo', '--devices', '5')).toMatchObject({ code: 1, stderr: 'slp: demo: --devices, --seed and --out are required (see --help)\n' });
    expect(await slp('demo', '--colour', 'red')).toMatchObject({ code: 1, stderr: 'slp: unknown option --colour\n' });
    expect(await slp('cssm-ack', '/nonexistent/upload.tar.gz', '--out', '/tmp/x')).toMatchObject({ code: 1, stderr: 'slp: cssm-ack: /nonexistent/upload.tar.gz: no such file\n' });
    const dir = mkdtempSync(join(tmpdir(), 'slp-bad-'));
    writeFileSync(join(dir, 'broken.txt'), '<smartLicense><RUMReport>');
    const broken = await slp('cssm-ack', join(dir, 'broken.txt'), '--out', dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^slp cssm-ack: rejected: CSSM could not read broken\.txt: /);
    expect((await slp('demo', '--help')).stdout).toContain('--devices N --seed S --out DIR');
    expect((await slp('cssm-ack', '--help')).stdout).toContain('UPLOAD_FILE --out DIR');
  });
});
