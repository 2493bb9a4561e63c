import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { eventPairs, parseEventlog } from '../../../../src/core/formats/cli/eventlog.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';

const cli = (name: string) => readFileSync(join(FIXTURES, 'cli', name), 'utf8');

function eventlog(text: string) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  parseEventlog(cliLines(text), ctx);
  return { events: ctx.facts.events, warnings };
}

const NWSTACK = 'regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896';
const AIR_DNA_A = 'regid.2017-08.com.cisco.AIR-DNA-A,1.0_b6308627-3ab0-4a11-a3d9-586911a0d790';
const ERM = 'ERM-Reset: Client 0, AP-GROUP group, 2 features air-network-advantage,air-dna-advantage';

describe('show license eventlog', () => {
  it('genie ShowLicenseEventlog2 golden_output: twelve events (genie: 12 log messages) and the NTP time', () => {
    const r = parseCliText(cli('genie_ShowLicenseEventlog2__golden_output.txt'));
    expect(r.outputs.map((o) => [o.command, o.typed])).toEqual([['eventlog', null]]);
    const out = r.outputs[0]!.facts;
    // genie's ntp_time: `Time source is NTP, 10:45:23.029 UTC Thu Nov 18 2021`.
    expect(out.observedAt?.iso).toBe('2021-11-18T10:45:23.029Z');
    const events = out.events;
    expect(events).toHaveLength(12);
    // Three ERM resets eight hours apart, each followed by a zero usage of the two entitlements.
    const times = ['2021-11-17 03:31:32.92', '2021-11-17 11:31:32.92', '2021-11-17 19:31:32.92', '2021-11-18 03:31:32.92'];
    events.forEach((e, i) => {
      expect(e.facility).toBe('EVENTLOG');
      expect(e.severity).toBeNull();
      expect(e.line).toBe(6 + i);
      expect(e.at?.raw.startsWith(times[Math.floor(i / 3)]!)).toBe(true);
      expect(e.at?.zone).toBe('UTC');
    });
    expect(events[0]).toMatchObject({ name: 'INFRA_SL_EVLOG_ERM_RESET', message: ERM, udi: null });
    expect(events[0]!.at).toMatchObject({ raw: '2021-11-17 03:31:32.920 UTC', iso: '2021-11-17T03:31:32.920Z', epochMs: Date.UTC(2021, 10, 17, 3, 31, 32, 920) });
    expect(events[1]).toMatchObject({ name: 'SAEVT_ENDPOINT_USAGE', message: `count: 0, entitlementTag: ${NWSTACK}` });
    expect(events[2]).toMatchObject({ name: 'SAEVT_ENDPOINT_USAGE', message: `count: 0, entitlementTag: ${AIR_DNA_A}` });
    expect(events.map((e) => e.name)).toEqual(Array.from({ length: 4 }, () => ['INFRA_SL_EVLOG_ERM_RESET', 'SAEVT_ENDPOINT_USAGE', 'SAEVT_ENDPOINT_USAGE']).flat());
    expect(events[11]!.at?.iso).toBe('2021-11-18T03:31:32.923Z');
    // The only warning is index.ts saying the paste names no device.
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('names no device')]);
  });

  it('genie golden_output_2: `No EventLog Found.` gives no event and no warning', () => {
    const t = 'Load for five secs: 0%/0%; one minute: 1%; five minutes: 1%\nTime source is NTP, 14:37:25.569 UTC Tue Mar 22 2022\n\n No EventLog Found.    ';
    const { events, warnings } = eventlog(t);
    expect(events).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('reads the same indented, with LF instead of CRLF, and under a prompt', () => {
    const text = cli('genie_ShowLicenseEventlog2__golden_output.txt');
    for (const t of [text.replace(/^/gm, '    '), text.replace(/\r?\n/g, '\n'), `wlc-1# show license eventlog 2\n${text}`]) {
      const r = parseCliText(t);
      const events = r.outputs.flatMap((o) => o.facts.events);
      expect(events).toHaveLength(12);
      expect(events[3]!.message).toBe(ERM);
    }
  });

  it('an event without MSG shows its pairs; a UDI in the pairs is read; a wrapped MSG is joined', () => {
    const t = `**** Event Log ****
2021-11-17 03:31:32.920 UTC SAEVT_TRUST_INSTALL udi="PID:C9800-CL-K9,SN:93SZ7RXN93Y" result="success"
2022-01-11 20:21:12 IST SAEVT_PLATFORM eventSource="INFRA_SL" MSG="Policy installed from
ACK file bootflash:ack.txt"
2021-11-17 03:31:33 SAEVT_POLICY_INSTALL
what is this line`;
    const { events, warnings } = eventlog(t);
    expect(events.map((e) => [e.name, e.message, e.line])).toEqual([
      ['SAEVT_TRUST_INSTALL', 'udi: PID:C9800-CL-K9,SN:93SZ7RXN93Y, result: success', 2],
      ['SAEVT_PLATFORM', 'Policy installed from ACK file bootflash:ack.txt', 3],
      ['SAEVT_POLICY_INSTALL', 'SAEVT_POLICY_INSTALL', 5],
    ]);
    expect(events[0]!.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93SZ7RXN93Y' });
    expect(events[1]!.at?.iso).toBe('2022-01-11T20:21:12+05:30');
    // No zone on line 5: a local time, with the context's one warning; line 6 is not an event.
    expect(events[2]!.at).toMatchObject({ iso: '2021-11-17T03:31:33', epochMs: null, zone: null });
    expect(warnings.map((w) => w.line)).toEqual([5, 6]);
    expect(warnings[1]!.message).toContain('not an event line');
  });

  it('eventPairs: quoted, bare and unterminated values', () => {
    expect(eventPairs('a="1 2" b=3 MSG="x')).toEqual({ pairs: [['a', '1 2'], ['b', '3'], ['MSG', 'x']], open: true });
    expect(eventPairs('')).toEqual({ pairs: [], open: false });
  });
});
