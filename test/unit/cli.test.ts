import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

async function slp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

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
    expect(out[2].warnings[0]).toContain('not yet supported');
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
