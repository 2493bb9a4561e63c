import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, slp } from './helpers.ts';


interface Row {
  udi: { pid: string; sn: string };
  hostname: string | null;
  status: string;
  deadlines: Array<{ kind: string; dueAt: string; rule: string; source: string; reason: string }>;
  nextDue: string | null;
  noRequirement: boolean;
  note: string | null;
}

const TECH_SUPPORT = join(FIXTURES, 'cli/genie_ShowLicenseTechSupport__golden_output_2.txt');
const USAGE_C9300 = join(FIXTURES, 'formats/rum-save-usage_c9300_standalone.txt');
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('slp deadlines', () => {
  it('takes the date a real C9300 stack printed, and says the SLE Policy gives the same one', async () => {
    const { code, stdout, stderr } = await slp('deadlines', '--now', '2022-05-01T00:00:00Z', TECH_SUPPORT);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows: Row[] = JSON.parse(stdout);
    expect(rows.map((r) => Object.keys(r))).toEqual(rows.map(() => ['udi', 'hostname', 'status', 'deadlines', 'nextDue', 'noRequirement', 'note']));
    // The active first (it has a date); the standby and the member, which report nothing themselves, by UDI.
    expect(rows.map((r) => [r.udi, r.status, r.noRequirement])).toEqual([
      [{ pid: 'C9300-24UX', sn: 'FCW2134L00C' }, 'due30', false],
      [{ pid: 'C9300-24T', sn: 'FCW2125L07Y' }, 'none', true],
      [{ pid: 'C9300-24U', sn: 'FOC2129Z02H' }, 'none', true],
    ]);
    const [active, ...others] = rows as [Row, ...Row[]];
    expect(active.deadlines[0]).toMatchObject({ kind: 'ack', rule: 'device-next-ack-deadline', source: 'device', dueAt: '2022-05-21T12:19:01Z' });
    expect(active.deadlines[0]!.reason).toContain('the policy gives the same date');
    // The printed date is as new as the facts the estimates use: they are superseded, not listed.
    expect(active.deadlines.every((d) => d.source === 'device')).toBe(true);
    expect(active.nextDue).toBe('2022-05-21T12:19:01Z');
    expect(active.note).toBeNull();
    for (const r of others) {
      expect(r.deadlines).toEqual([]);
      expect(r.nextDue).toBeNull();
      expect(r.note).toMatch(/^reported by the active/);
      expect(r.note).toContain('PID:C9300-24UX,SN:FCW2134L00C');
    }
  });

  it('estimates the first report of a never-acknowledged switch from its first use and its licence classes', async () => {
    // The file's reports start 2025-10-09T08:53:20Z (epoch 1760000000): network-advantage (unenforced perpetual,
    // 365 days under the Cisco default) and dna-advantage (unenforced subscription, 90 days).
    const { code, stdout, stderr } = await slp('deadlines', '--now', '2025-12-01T00:00:00Z', USAGE_C9300);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows: Row[] = JSON.parse(stdout);
    expect(rows).toHaveLength(1);
    const [row] = rows as [Row];
    expect(row).toMatchObject({ udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, hostname: 'access-sw-01', status: 'due90', nextDue: '2026-01-07T08:53:20Z', noRequirement: false, note: null });
    expect(row.deadlines.map((d) => [d.kind, d.rule, d.source, d.dueAt])).toEqual([
      ['ack', 'first-report', 'computed', '2026-01-07T08:53:20Z'],
      ['ack', 'first-report', 'computed', '2026-10-09T08:53:20Z'],
    ]);
    // The reasons name the licence, its first use, the number of days and that the date is an estimate.
    expect(row.deadlines[0]!.reason).toMatch(/dna-advantage.*9 Oct 2025.*90 days.*estimate/);
    expect(row.deadlines[1]!.reason).toMatch(/network-advantage.*9 Oct 2025.*365 days.*estimate/);

    // Past the 90-day date it is overdue; the status moves with --now, the dates do not.
    const late = JSON.parse((await slp('deadlines', '--now=2026-01-08', USAGE_C9300)).stdout) as Row[];
    expect(late[0]).toMatchObject({ status: 'overdue', nextDue: '2026-01-07T08:53:20Z' });
  });

  it('merges several files, soonest next date first, devices without one last and by UDI', async () => {
    const { code, stdout } = await slp('deadlines', '--now', '2022-05-01T00:00:00Z', USAGE_C9300, TECH_SUPPORT);
    expect(code).toBe(0);
    const rows: Row[] = JSON.parse(stdout);
    expect(rows.map((r) => [r.udi.sn, r.nextDue])).toEqual([
      ['FCW2134L00C', '2022-05-21T12:19:01Z'],
      ['FCW2303D16Y', '2026-01-07T08:53:20Z'],
      ['FCW2125L07Y', null],
      ['FOC2129Z02H', null],
    ]);
    for (const r of rows) for (const d of r.deadlines) expect(d.dueAt).toMatch(ISO_SECONDS);
  });

  it('defaults --now to the current time', async () => {
    const { code, stdout } = await slp('deadlines', TECH_SUPPORT);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Row[])[0]).toMatchObject({ status: 'overdue', nextDue: '2022-05-21T12:19:01Z' });
  });

  it('exits 2 with one line per unreadable file on stderr, and still prints the good devices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slp-deadlines-'));
    const whole = readFileSync(USAGE_C9300);
    writeFileSync(join(dir, 'truncated.txt'), whole.subarray(0, Math.floor(whole.length / 2)));
    const { code, stdout, stderr } = await slp('deadlines', '--now', '2022-05-01T00:00:00Z', join(dir, 'truncated.txt'), TECH_SUPPORT, join(dir, 'missing.txt'));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^slp deadlines: truncated\.txt: the XML ends early/), `slp deadlines: ${join(dir, 'missing.txt')}: no such file`]);
    const rows: Row[] = JSON.parse(stdout);
    expect(rows.map((r) => r.udi.sn)).toEqual(['FCW2134L00C', 'FCW2125L07Y', 'FOC2129Z02H']);
    expect(rows[0]).toMatchObject({ status: 'due30', nextDue: '2022-05-21T12:19:01Z' });
  });

  it('refuses bad usage with one line and exit 1, and explains itself', async () => {
    expect(await slp('deadlines', '--now', 'nonsense', TECH_SUPPORT)).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^slp: --now: "nonsense" is not an ISO 8601 date or time.*\n$/) });
    // Date.parse would take these (as 2001 and 2 March); an ISO 8601 reader does not.
    expect((await slp('deadlines', '--now', '1', TECH_SUPPORT)).code).toBe(1);
    expect((await slp('deadlines', '--now', '2022-02-30', TECH_SUPPORT)).code).toBe(1);
    expect(await slp('deadlines', '--now', '2022-05-01')).toMatchObject({ code: 1, stderr: 'slp: deadlines: give at least one FILE\n' });
    expect(await slp('deadlines', '--soon', TECH_SUPPORT)).toMatchObject({ code: 1, stderr: 'slp: unknown option --soon\n' });
    const help = await slp('deadlines', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run -s slp -- deadlines [--now ISO] FILE…');
    for (const s of ['overdue', 'due7', 'due30', 'due90', 'later', 'none', 'unknown', 'estimate']) expect(help.stdout).toContain(s);
    expect((await slp('--help')).stdout).toMatch(/\n {2}deadlines \[--now ISO\] FILE…/);
  });
});
