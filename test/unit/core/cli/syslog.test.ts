import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseCliDate } from '../../../../src/core/formats/cli/dates.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { isLicensingMessage, parseSyslogLine, severityName, SYSLOG_MESSAGES } from '../../../../src/core/formats/cli/syslog.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliEvent, CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';

const FIXTURE = readFileSync(join(FIXTURES, 'cli-made', 'syslog_smart_lic.txt'), 'utf8');
const cli = (name: string) => readFileSync(join(FIXTURES, 'cli', name), 'utf8');

function parseLines(text: string, observed: string | null = null) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  ctx.facts.observedAt = parseCliDate(observed);
  const events = cliLines(text).map((l) => parseSyslogLine(l, ctx));
  return { events, warnings };
}

const AUTH_ACTIVE = { pid: 'C9800-CL-K9', sn: '93BBAH93MGS' };
const AUTH_STANDBY = { pid: 'C9800-CL-K9', sn: '9XECPSUU4XN' };

/** Line of the fixture → what it must give: facility, severity, mnemonic, time, days, UDI. Checked by reading it. */
const EXPECTED: Array<[number, string, number, string, string | null, number | null, object | null]> = [
  [1, 'SMART_LIC', 3, 'POLICY_INSTALL_FAILED', null, null, null],
  [2, 'SMART_LIC', 3, 'AUTHORIZATION_INSTALL_FAILED', '2021-11-10T11:32:05Z', null, AUTH_ACTIVE],
  [3, 'SMART_LIC', 3, 'COMM_FAILED', null, null, null],
  [4, 'SMART_LIC', 3, 'COMM_RESTORED', null, null, null],
  [5, 'SMART_LIC', 3, 'POLICY_REMOVED', null, null, null],
  [6, 'SMART_LIC', 3, 'TRUST_CODE_INSTALL_FAILED', null, null, AUTH_STANDBY],
  [7, 'SMART_LIC', 4, 'REPORTING_NOT_SUPPORTED', '2021-11-11T09:00:00Z', null, null],
  [8, 'SMART_LIC', 6, 'POLICY_INSTALL_SUCCESS', null, null, null],
  [9, 'SMART_LIC', 6, 'AUTHORIZATION_INSTALL_SUCCESS', '2021-11-12T03:05:00.100+05:30', null, AUTH_ACTIVE],
  [10, 'SMART_LIC', 6, 'AUTHORIZATION_REMOVED', null, null, AUTH_STANDBY],
  [11, 'SMART_LIC', 6, 'REPORTING_REQUIRED', null, 30, null],
  [12, 'SMART_LIC', 6, 'TRUST_CODE_INSTALL_SUCCESS', null, null, { pid: 'C9800-CL-K9', sn: '93SZ7RXN93Y' }],
  [13, 'IOSXE_RP_EWLC_NOT', 2, 'MSGDEVICENOTREG', null, 90, null],
  [14, 'CAPWAPAC_TRACE_MSG', 3, 'MAX_LICENSE_AP_LIMIT_REACHED', null, null, null],
];

describe('syslog message table (seed 003 §5)', () => {
  it('holds the fourteen messages of the seed, each with a meaning and an action', () => {
    expect(Object.keys(SYSLOG_MESSAGES).sort()).toEqual(EXPECTED.map((e) => e[3]).sort());
    for (const [, facility, severity, mnemonic] of EXPECTED) {
      const m = SYSLOG_MESSAGES[mnemonic]!;
      expect([m.facility, m.severity]).toEqual([facility, severity]);
      expect(m.meaning.length).toBeGreaterThan(20);
      expect(m.action.length).toBeGreaterThan(3);
    }
    expect(severityName(2)).toBe('critical');
    expect(severityName(null)).toBeNull();
  });
});

describe('syslog lines — the made fixture', () => {
  const r = parseCliText(FIXTURE);
  const byLine = new Map<number, CliEvent>(r.events.map((e) => [e.line, e]));

  it('gives one event per licensing line, none for the unrelated ones', () => {
    expect(r.outputs).toEqual([]);
    expect(r.devices).toEqual([]);
    // 14 known messages + the unknown %SMART_LIC-5-SYSTEM_CLOCK_CHANGED; not %LINK-3-UPDOWN nor %SYS-5-CONFIG_I.
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17]);
  });

  it.each(EXPECTED)('line %i: %s-%i-%s', (line, facility, severity, name, iso, days, udi) => {
    const e = byLine.get(line)!;
    expect(e).toMatchObject({ facility, severity, name, daysLeft: days, udi, line });
    expect(e.meaning).toBe(SYSLOG_MESSAGES[name]!.meaning);
    expect(e.action).toBe(SYSLOG_MESSAGES[name]!.action);
    if (iso) expect(e.at?.iso).toBe(iso);
  });

  it('keeps the message text after the mnemonic and the time as printed', () => {
    expect(byLine.get(1)!.message).toBe('The installation of a new licensing policy has failed: Policy signature verification failed.');
    expect(byLine.get(3)!.message).toBe('Communications failure with the Cisco Smart License Utility (CSLU) : Unable to resolve server hostname/domain name');
    expect(byLine.get(14)!.message).toMatch(/^Chassis 1 R0\/0: wncmgrd: Ap MAC: 0000\.feed\.00c0 is not allowed to join\./);
    // The sequence number is not part of the time; the `*` (clock not authoritative) is dropped.
    expect(byLine.get(3)!.at?.raw).toBe('Nov 10 11:33:00.001');
    // A server's `<PRI>`, receipt time and host come before the device's own time, which wins.
    expect(byLine.get(5)!.at?.raw).toBe('Nov 10 11:39:59.870');
    expect(byLine.get(13)!.at?.raw).toBe('Dec  2 09:00:00.500 UTC');
    expect(byLine.get(10)!.at).toBeNull(); // no time printed
    expect(byLine.get(12)!.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93SZ7RXN93Y' }); // `P:…,S:…` and the full stop dropped
  });

  it('no year and no output time: the date stays unset, with one warning for the whole paste', () => {
    expect(byLine.get(1)!.at).toEqual({ raw: 'Nov 10 11:32:02.123', iso: null, epochMs: null, zone: null });
    expect(byLine.get(4)!.at).toEqual({ raw: 'Mar  2 01:20:08.123 UTC', iso: null, epochMs: null, zone: 'UTC' });
    expect(r.warnings.filter((w) => w.message.includes('no year'))).toHaveLength(1);
    expect(r.warnings[0]!.line).toBe(1);
  });

  it('an unknown SMART_LIC mnemonic is still an event, without meaning', () => {
    expect(byLine.get(17)).toMatchObject({
      facility: 'SMART_LIC',
      severity: 5,
      name: 'SYSTEM_CLOCK_CHANGED',
      message: 'Smart Agent for Licensing System clock has been changed',
      meaning: null,
      action: null,
      daysLeft: null,
    });
  });

  it('unrelated syslog lines give null from parseSyslogLine', () => {
    const { events } = parseLines(FIXTURE);
    expect(events[14]).toBeNull(); // %LINK-3-UPDOWN
    expect(events[15]).toBeNull(); // %SYS-5-CONFIG_I
    expect(events.filter(Boolean)).toHaveLength(15);
  });
});

describe('syslog lines — times and tolerance', () => {
  it('takes the year from the output time, the year before for a date later than it', () => {
    const { events, warnings } = parseLines(
      ['*Nov 10 11:32:02.123: %SMART_LIC-6-POLICY_INSTALL_SUCCESS: A new licensing policy was successfully installed.',
        'Dec 31 23:00:00.000 UTC: %SMART_LIC-6-REPORTING_REQUIRED: A Usage report acknowledgement will be required in 7 days.',
        'Jan  2 09:00:00 UTC: %SMART_LIC-3-COMM_RESTORED: Communications with the CSSM restored.'].join('\n'),
      'Jan 11 20:21:12 2022 UTC',
    );
    expect(events[0]!.at).toMatchObject({ raw: 'Nov 10 11:32:02.123', iso: '2021-11-10T11:32:02.123', epochMs: null });
    expect(events[1]!.at).toMatchObject({ iso: '2021-12-31T23:00:00Z', epochMs: Date.UTC(2021, 11, 31, 23) });
    expect(events[1]!.daysLeft).toBe(7);
    expect(events[2]!.at?.iso).toBe('2022-01-02T09:00:00Z');
    // The zone-less time is a local time: dates.ts warns once; no "no year" warning.
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('no time zone')]);
  });

  it('parseCliText gives syslog lines the year of an output pasted with them and ties them to its device', () => {
    const t = `${cli('genie_ShowLicenseRumIdDetail__golden_output.txt')}\n*Nov 17 10:00:00.000 UTC: %SMART_LIC-6-REPORTING_REQUIRED: A Usage report acknowledgement will be required in 12 days.\n`;
    const withTime = `Time source is NTP, 10:45:23.029 UTC Thu Nov 18 2021\n${t}`;
    const r = parseCliText(withTime);
    expect(r.events).toEqual([]);
    expect(r.devices).toHaveLength(1);
    const ev = r.devices[0]!.facts.events;
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ name: 'REPORTING_REQUIRED', daysLeft: 12 });
    expect(ev[0]!.at?.iso).toBe('2021-11-17T10:00:00Z');
  });

  it('a syslog line names its device by the host in a server prefix', () => {
    const t = `wlc-1# show license rum id 1634211151 detail
${cli('genie_ShowLicenseRumIdDetail__golden_output.txt')}
wlc-2# show license rum feature air-dna-advantage detail
Report Id: 1638055644
  UDI: PID:C9800-CL-K9,SN:93SZ7RXN93Y
<189>Nov 10 11:40:00 wlc-2 124: *Nov 10 11:39:59.870: %SMART_LIC-3-POLICY_REMOVED: The licensing policy has been removed.`;
    const r = parseCliText(t);
    const wlc2 = r.devices.find((d) => d.host === 'wlc-2')!;
    expect(wlc2.facts.events.map((e) => e.name)).toEqual(['POLICY_REMOVED']);
    expect(r.devices.find((d) => d.host === 'wlc-1')!.facts.events).toEqual([]);
  });

  it('reads underscores escaped by the Cisco document, and `udi PID:… SN:…` spelled with a space', () => {
    const { events } = parseLines(
      [
        '%SMART\\_LIC-6-REPORTING\\_REQUIRED: A Usage report acknowledgement will be required in 30 days.',
        '%SMART_LIC-3-TRUST_CODE_INSTALL_FAILED: The install of a new licensing trust code has failed on udi PID:C9800-CL-K9 SN:93BBAH93MGS: Signature mismatch',
      ].join('\n'),
    );
    expect(events[0]).toMatchObject({ facility: 'SMART_LIC', name: 'REPORTING_REQUIRED', daysLeft: 30 });
    expect(events[1]!.udi).toEqual(AUTH_ACTIVE);
  });

  it('tolerates indentation, CRLF, HTML entities and the `[clock]` form', () => {
    const { events } = parseLines(
      '    01:20:08 UTC Tue Mar 2 1993: %SMART_LIC-3-COMM_FAILED: Communications failure with the CSSM : &lt;none&gt;\r\n' +
        '  Nov 10 2021 11:32:05 UTC: %SMART_LIC-6-POLICY_INSTALL_SUCCESS: A new licensing policy was successfully installed.\r\n',
    );
    expect(events[0]).toMatchObject({ name: 'COMM_FAILED', message: 'Communications failure with the CSSM : <none>' });
    expect(events[0]!.at?.iso).toBe('1993-03-02T01:20:08Z');
    expect(events[1]!.at?.iso).toBe('2021-11-10T11:32:05Z');
  });

  it('licensing facilities other than SMART_LIC count; a facility merely containing "LIC" does not', () => {
    expect(isLicensingMessage('LICENSE', 'EXPIRED')).toBe(true);
    expect(isLicensingMessage('PLATFORM_LICENSE', 'X')).toBe(true);
    expect(isLicensingMessage('REPLICATION', 'X')).toBe(false);
    expect(isLicensingMessage('IOSXE_RP_EWLC_NOT', 'MSGDEVICENOTREG')).toBe(true);
    expect(isLicensingMessage('IOSXE_RP_EWLC_NOT', 'OTHER')).toBe(false);
  });

  it('lines that are not syslog give null and never throw', () => {
    const { events, warnings } = parseLines(
      ['Device# show logging', 'Report Id: 1638055644', '%', '%SMART_LIC-9-X: bad severity', 'percent % sign: 50%', '', '%smart_lic-6-x: lower case'].join('\n'),
    );
    expect(events.every((e) => e === null)).toBe(true);
    expect(warnings).toEqual([]);
  });
});
