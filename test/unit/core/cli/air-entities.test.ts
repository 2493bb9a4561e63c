import { describe, expect, it } from 'vitest';
import { parseAirEntities } from '../../../../src/core/formats/cli/air-entities.ts';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { crlf, onlyDevice, parse, parserWarnings, seed } from './_reshape.ts';

const F16a = seed('F16a_show_license_air_entities_summary_9800CL_ack_pending.clean.txt');
const F16b = seed('F16b_show_license_air_entities_summary_9800L.clean.txt');
const F16c = seed('F16c_show_license_air_entities_summary_9800CL_after_ack.clean.txt');

describe('show license air entities summary', () => {
  it('F16a: 9800-CL waiting for its first ACK (179 days)', () => {
    const p = parse(F16a);
    expect(p.outputs.map((o) => o.command)).toEqual(['air-entities']);
    const f = onlyDevice(p);
    expect(f.airEntities).toEqual({
      lastReportTime: null,
      upcomingReportTime: { raw: '21:05:16.092 UTC Mon Oct 25 2021', iso: '2021-10-25T21:05:16.092Z', epochMs: Date.UTC(2021, 9, 25, 21, 5, 16, 92), zone: 'UTC' },
      apsActive: 57,
      apsAdded: 57,
      apsDeleted: 0,
    });
    expect(f.ackCountdown).toEqual({ raw: '179 days', days: 179, observedAt: null });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F16b: 9800-L, IST, no countdown', () => {
    const f = onlyDevice(parse(F16b));
    expect(f.airEntities).toMatchObject({ apsActive: 1, apsAdded: 1, apsDeleted: 0 });
    expect(f.airEntities!.upcomingReportTime?.iso).toBe('2021-10-26T15:13:27.403+05:30');
    expect(f.ackCountdown).toBeNull();
  });

  it('F16c: 9800-CL after the ACK: the countdown line is gone', () => {
    const f = onlyDevice(parse(F16c));
    expect(f.airEntities).toMatchObject({ apsActive: 57, apsAdded: 57, apsDeleted: 0 });
    expect(f.airEntities!.upcomingReportTime?.iso).toBe('2021-10-25T21:05:16.092Z');
    expect(f.ackCountdown).toBeNull();
  });

  it('gives the countdown the time the output was taken (Time source preamble)', () => {
    const text = F16a.replace('Device# show license air entities summary\n', 'Device# show license air entities summary\nLoad for five secs: 1%/0%; one minute: 0%; five minutes: 0%\nTime source is NTP, 15:09:55.102 UTC Wed Nov 10 2021\n');
    const f = onlyDevice(parse(text));
    expect(f.observedAt?.iso).toBe('2021-11-10T15:09:55.102Z');
    expect(f.ackCountdown?.observedAt?.iso).toBe('2021-11-10T15:09:55.102Z');
    expect(f.ackCountdown?.days).toBe(179);
  });

  it.each([0, 2, 4])('reads F16a indented by %i spaces, with CRLF, with plain `Label: value`', (n) => {
    const text = crlf(F16a.replace(/^(?!Device#)/gm, ' '.repeat(n))).replace(/\.{5}:/g, ':');
    const f = onlyDevice(parse(text));
    expect(f.airEntities).toMatchObject({ apsActive: 57, apsAdded: 57, apsDeleted: 0 });
    expect(f.ackCountdown?.days).toBe(179);
  });

  it('reads the last report time and a countdown in days and hours; warns on unknown labels', () => {
    const warnings: CliWarning[] = [];
    const ctx = newContext(warnings);
    parseAirEntities(
      cliLines('Last license report time.....: 21:05:16.092 UTC Sun Oct 24 2021\nLicense Ack expected within.....: 2 days, 5 hours\nNew thing.....: 4\njunk line\nLicense Ack expected within.....: &lt;none&gt;'),
      ctx,
    );
    expect(ctx.facts.airEntities?.lastReportTime?.iso).toBe('2021-10-24T21:05:16.092Z');
    expect(ctx.facts.ackCountdown).toEqual({ raw: '2 days, 5 hours', days: 2, observedAt: null });
    expect(warnings.map((w) => w.line)).toEqual([3, 4]);
  });
});
