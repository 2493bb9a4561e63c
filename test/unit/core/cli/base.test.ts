import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationSeconds, parseCliDate, unknownZone } from '../../../../src/core/formats/cli/dates.ts';
import { commandOf, parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { hostOf } from '../../../../src/core/formats/cli/syslog.ts';
import { splitSections } from '../../../../src/core/formats/cli/sections.ts';
import { cleanValue, cliLines, keyValue, keyValues } from '../../../../src/core/formats/cli/text.ts';
import { FIXTURES } from '../../helpers.ts';

describe('CLI dates', () => {
  it('reads every form the fixtures print, with the zone offset', () => {
    expect(parseCliDate('Nov 02 05:09:31 2020 IST')).toEqual({ raw: 'Nov 02 05:09:31 2020 IST', iso: '2020-11-02T05:09:31+05:30', epochMs: Date.UTC(2020, 10, 1, 23, 39, 31), zone: 'IST' });
    expect(parseCliDate('Sep 22 13:49:38 2020 PST')?.iso).toBe('2020-09-22T13:49:38-08:00');
    expect(parseCliDate('Oct 12 09:01:02 2021 PDT')?.epochMs).toBe(Date.UTC(2021, 9, 12, 16, 1, 2));
    // Time source line and air entities: time first, with milliseconds; a leading `.` or `*` is NTP state.
    expect(parseCliDate('.13:28:08.565 UTC Tue Jan 11 2022')?.iso).toBe('2022-01-11T13:28:08.565Z');
    expect(parseCliDate('15:13:27.403 IST Tue Oct 26 2021')?.epochMs).toBe(Date.UTC(2021, 9, 26, 9, 43, 27, 403));
    // Event log, term dates, dir listing, CSSM's own form (no zone: local time, no instant).
    expect(parseCliDate('2021-11-17 03:31:32.920 UTC SAEVT_PLATFORM')?.epochMs).toBe(Date.UTC(2021, 10, 17, 3, 31, 32, 920));
    expect(parseCliDate('2020-OCT-14 UTC')?.iso).toBe('2020-10-14T00:00:00Z');
    expect(parseCliDate('Nov 2 2020 03:58:04 +05:00')?.iso).toBe('2020-11-02T03:58:04+05:00');
    expect(parseCliDate('2020-Nov-02 10:44:08')).toEqual({ raw: '2020-Nov-02 10:44:08', iso: '2020-11-02T10:44:08', epochMs: null, zone: null });
  });

  it('takes lower-case zones, stops at the value, and keeps local time for an unknown zone', () => {
    expect(parseCliDate('Sep 22 13:49:38 2020 est')?.iso).toBe('2020-09-22T13:49:38-05:00');
    expect(parseCliDate('Nov 28 12:02:09 2021 UTC,      End Time: Nov 30')?.raw).toBe('Nov 28 12:02:09 2021 UTC');
    const odd = parseCliDate('Oct 01 10:00:00 2021 XYZ');
    expect(odd).toEqual({ raw: 'Oct 01 10:00:00 2021 XYZ', iso: '2021-10-01T10:00:00', epochMs: null, zone: 'XYZ' });
    expect(unknownZone(odd)).toBe(true);
  });

  it('refuses what is not a date', () => {
    expect(parseCliDate('<none>')).toBeNull();
    expect(parseCliDate('Feb 30 10:00:00 2021 UTC')).toBeNull();
    expect(parseCliDate('Nov 02 25:09:31 2020 UTC')).toBeNull();
    expect(parseCliDate('')).toBeNull();
  });

  it('reads durations', () => {
    expect(durationSeconds('179 days')).toBe(179 * 86400);
    expect(durationSeconds('89 days, 23 hours, 42 minutes, 47 seconds')).toBe(89 * 86400 + 23 * 3600 + 42 * 60 + 47);
    expect(durationSeconds('00:15:00')).toBe(900);
    expect(durationSeconds('soon')).toBeNull();
  });
});

describe('CLI text helpers', () => {
  it('splits label and value at the colon that ends a label, never inside a UDI or a time', () => {
    expect(keyValue('UDI: PID:C9300-24UX,SN:FCW2303D16Y')).toMatchObject({ key: 'udi', value: 'PID:C9300-24UX,SN:FCW2303D16Y' });
    expect(keyValue('License Ack expected within.....: 179 days')).toMatchObject({ key: 'license ack expected within', value: '179 days' });
    expect(keyValue('    Custom Id: <empty>')).toMatchObject({ key: 'custom id', value: null, raw: '<empty>' });
    expect(keyValue('Trust Code Installed:')).toMatchObject({ key: 'trust code installed', value: null, raw: '' });
    expect(keyValue('Active:PID:C9800-CL-K9,SN:9KG')).toBeNull();
    expect(keyValue('2021-11-17 03:31:32.920 UTC SAEVT_PLATFORM eventSource="INFRA_SL"')).toBeNull();
  });

  it('reads several pairs on one line, with or without commas', () => {
    const pairs = (s: string) => keyValues(s).map((k) => [k.key, k.value]);
    expect(pairs('Total: 12,  Purged: 0(0)')).toEqual([['total', '12'], ['purged', '0(0)']]);
    expect(pairs('Available to Report: 0 Collecting Data: 0')).toEqual([['available to report', '0'], ['collecting data', '0']]);
    expect(pairs('Previous Report Id: 0,    Next Report Id: 1638055646')).toEqual([['previous report id', '0'], ['next report id', '1638055646']]);
    expect(pairs('Start Time: Nov 28 12:02:09 2021 UTC,      End Time: Nov 30 22:02:13 2021 UTC')).toEqual([
      ['start time', 'Nov 28 12:02:09 2021 UTC'],
      ['end time', 'Nov 30 22:02:13 2021 UTC'],
    ]);
    expect(pairs('Policy in use: Installed On Nov 02 05:09:31 2020 IST')).toEqual([['policy in use', 'Installed On Nov 02 05:09:31 2020 IST']]);
  });

  it('decodes entities, expands tabs, numbers lines through CRLF and drops document debris', () => {
    const lines = cliLines('Trust Code Installed: &lt;none&gt;\r\n<output truncated>\r\n\tStatus: DISABLED\r\n```\r\nEnd');
    expect(lines.map((l) => [l.n, l.text, l.indent])).toEqual([
      [1, 'Trust Code Installed: <none>', 0],
      [3, '    Status: DISABLED', 4],
      [5, 'End', 0],
    ]);
    expect(cleanValue('<none>')).toBeNull();
    expect(cleanValue(' Not Configured ')).toBeNull();
    expect(cleanValue('Eg-SA')).toBe('Eg-SA');
  });

  it('cuts output at underlined headings, short underlines included, and at known titles that lost theirs', () => {
    const s = splitSections(cliLines('Smart Licensing Status\n=====\n\nSmart Licensing is ENABLED\nLicense Usage\n==============\nNo licenses in use\nProduct Information\nUDI: PID:A,SN:B'));
    expect(s.map((x) => [x.title, x.lines.filter((l) => l.text).map((l) => l.text)])).toEqual([
      ['', []],
      ['Smart Licensing Status', ['Smart Licensing is ENABLED']],
      ['License Usage', ['No licenses in use']],
      ['Product Information', ['UDI: PID:A,SN:B']],
    ]);
  });
});

describe('splitting a paste into command outputs', () => {
  it('knows commands typed in full or abbreviated, with pipes', () => {
    expect(commandOf('sh lic sum')).toBe('summary');
    expect(commandOf('show license all | begin Policy')).toBe('all');
    expect(commandOf('show license tech rum feature all detail')).toBe('rum');
    expect(commandOf('show lic tech support')).toBe('tech-support');
    expect(commandOf('show license rum id all')).toBe('rum');
    expect(commandOf('sh ver')).toBe('version');
    expect(commandOf('show running-config')).toBe('other');
    expect(commandOf('s license all')).toBe('other'); // one letter is too little to be sure
  });

  it('splits at prompts and keeps each host apart', () => {
    const text = ['wlc-1#show license udi', 'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', 'sw-2#sh lic udi', 'UDI: PID:C9300-24UX,SN:FCW2303D16Y', 'sw-2#'].join('\n');
    const parse = parseCliText(text);
    expect(parse.outputs.map((o) => [o.command, o.host, o.firstLine])).toEqual([
      ['udi', 'wlc-1', 1],
      ['udi', 'sw-2', 3],
    ]);
  });

  it('splits output pasted without prompts at the commands own headings', () => {
    const text = [
      'Smart Licensing Usage Report:',
      '==========',
      'Report Id,   State,  Flag, Feature Name',
      'Message History (oldest to newest):',
      '====',
      'Trust Establishment:',
      '  No past history',
      'Smart Licensing Status',
      '======================',
      'Smart Licensing is ENABLED',
      'License Usage',
      '=============',
      'No licenses in use',
      'Smart Licensing Status',
      '======================',
      'Smart Licensing is ENABLED',
    ].join('\n');
    expect(parseCliText(text).outputs.map((o) => [o.command, o.firstLine])).toEqual([
      ['rum', 1],
      ['history', 4],
      ['all', 8],
      ['status', 14],
    ]);
  });

  it('keeps the sections of tech support inside one output', () => {
    const text = ['Smart Licensing Tech Support info', '', 'Smart Licensing Status', '=====', 'Smart Licensing is ENABLED', 'Usage Report Summary:', '====', 'Total: 1,  Purged: 0'].join('\n');
    expect(parseCliText(text).outputs.map((o) => o.command)).toEqual(['tech-support']);
  });

  it('reads the time the device printed as the time of the output', () => {
    const parse = parseCliText('Load for five secs: 1%/0%; one minute: 0%\nTime source is NTP, 15:09:55.102 UTC Wed Nov 10 2021\n\nSmart Licensing Status\n====\nSmart Licensing is ENABLED\n');
    expect(parse.outputs[0]?.facts.observedAt?.iso).toBe('2021-11-10T15:09:55.102Z');
  });

  it('labels pre-SLP output and reads only who the device is', () => {
    const text = ['Smart Licensing is ENABLED', 'Registration:', '  Status: REGISTERED', '  Smart Account: ACME', 'License Authorization:', '  Status: AUTHORIZED', 'UDI: PID:ISR4331/K9,SN:FDO21520TGH'].join('\n');
    const parse = parseCliText(text);
    expect(parse.preSlp).toBe(true);
    expect(parse.outputs[0]?.facts.preSlp).toEqual({ evidence: 'Registration: REGISTERED', registration: 'REGISTERED' });
    expect(parse.outputs[0]?.facts.account).toBeNull();
    expect(parse.warnings.some((w) => /before Smart Licensing Using Policy/.test(w.message))).toBe(true);
  });

  it('says which typed commands it does not read, and never throws on noise', () => {
    const parse = parseCliText('Device#dir\nDirectory of bootflash:/\nDevice#copy flash:a tftp://b\n');
    expect(parse.outputs).toEqual([]);
    expect(parse.warnings.map((w) => w.message)).toEqual(['output not read (commands the workbench does not parse): dir; copy flash:a tftp://b']);
    for (const junk of ['', '\u0000\u0001', '#'.repeat(1000), 'Device#'.repeat(50), ':::: : :', '=====\n=====\n']) expect(() => parseCliText(junk)).not.toThrow();
  });
});

describe('syslog senders', () => {
  it('reads the host name a syslog server writes, and none from a line the device printed', () => {
    expect(hostOf('<189>Nov 10 11:40:00 wlc-1 124: *Nov 10 11:39:59.870: ')).toBe('wlc-1');
    expect(hostOf('2021-11-11T09:00:00.000Z wlc-1.example.net 125: ')).toBe('wlc-1.example.net');
    expect(hostOf('Nov 10 11:32:11 UTC: ')).toBeNull();
    expect(hostOf('*Nov 10 11:32:02.123: ')).toBeNull();
    expect(hostOf('Nov 10 2021 11:32:05 UTC: ')).toBeNull();
  });

  it('gives each logged message of a paste to the device with that prompt host name', () => {
    const text = ['wlc-1#show license udi', 'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', 'sw-2#show license udi', 'UDI: PID:C9300-24UX,SN:FCW2303D16Y', '<189>Nov 10 11:40:00 wlc-1 124: *Nov 10 11:39:59.870: %SMART_LIC-3-POLICY_REMOVED: The licensing policy has been removed.'].join('\n');
    const parse = parseCliText(text);
    expect(parse.devices.map((d) => [d.host, d.facts.events.map((e) => e.name)])).toEqual([
      ['wlc-1', ['POLICY_REMOVED']],
      ['sw-2', []],
    ]);
  });

  it('reads a tech-support snippet of the usage report summary pasted on its own', () => {
    const parse = parseCliText(readFileSync(join(FIXTURES, 'cli-seed', 'F18b_show_license_tech_support_usage_report_summary_snippet.clean.txt'), 'utf8'));
    expect(parse.outputs[0]?.facts.usageReportSummary).toEqual({ total: 4, purged: 0, acknowledged: 0, waitingForAck: 0, availableToReport: 4, collectingData: 2, maximumDisplay: 4, inStorage: 4, mia: 0 });
  });
});

describe('a paste with nothing to read', () => {
  it('says so rather than saying nothing', () => {
    for (const text of ['Device#', 'Device# configure terminal\nDevice(config)# exit', '<output truncated>']) {
      expect(parseCliText(text).warnings.map((w) => w.message)).toEqual(['nothing here is the output of a command the workbench reads (no `show license …` output, no licensing syslog line)']);
    }
  });
});

describe('commands echoed without a prompt', () => {
  it('takes a bare `show license …` line as the command of what follows (genieparser tech support 8)', () => {
    const text = readFileSync(join(FIXTURES, 'cli', 'genie_ShowLicenseTechSupport__golden_output_8_proxy.txt'), 'utf8');
    expect(text.split('\n')[0]).toBe('show license tech support');
    const parse = parseCliText(text);
    expect(parse.outputs.map((o) => [o.command, o.typed, o.firstLine])).toEqual([['tech-support', 'show license tech support', 1]]);
    expect(parse.warnings).toEqual([]);
  });

  it('reads one output when a prompt line is pasted twice', () => {
    const parse = parseCliText('wlc-1#show license udi\nwlc-1#show license udi\nUDI: PID:C9800-CL-K9,SN:93BBAH93MGS\n');
    expect(parse.outputs.map((o) => [o.command, o.firstLine])).toEqual([['udi', 2]]);
  });
});

describe('a typo in a prompt', () => {
  it('takes `Devide#` for `Device#` when one letter apart and only one of them names the device', () => {
    const text = ['Device#show license udi', 'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', readFileSync(join(FIXTURES, 'cli-seed', 'F01_show_license_summary_in_use_17.7.1.clean.txt'), 'utf8')].join('\n');
    expect(text).toContain('Devide# show license summary');
    const parse = parseCliText(text);
    expect(parse.devices.map((d) => [d.host, d.udi?.sn, d.facts.licenses.map((l) => l.tag)])).toEqual([['Device', '93BBAH93MGS', ['DNA_NWSTACK_E', 'AIR-DNA-E']]]);
    expect(parse.warnings.map((w) => w.message)).toContain('prompt "Devide#" taken for "Device#" (one letter apart)');
  });

  it('keeps two real hosts apart even when their names are close', () => {
    const text = ['sw-1#show license udi', 'UDI: PID:C9300-24UX,SN:AAA', 'sw-2#show license udi', 'UDI: PID:C9300-24UX,SN:BBB'].join('\n');
    expect(parseCliText(text).devices.map((d) => [d.host, d.udi?.sn])).toEqual([
      ['sw-1', 'AAA'],
      ['sw-2', 'BBB'],
    ]);
  });
});

describe('page-break debris from documents', () => {
  it('drops running footers, page numbers and pager prompts between the halves of one output', () => {
    const text = ['Device# show license udi', 'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', '  --More--  ', 'Page 112', 'Smart Licensing Using Policy for Cisco Catalyst 9800 Configuration Guide', '117', 'HA UDI List:', '  Active:PID:C9800-CL-K9,SN:93BBAH93MGS', '  Standby:PID:C9800-CL-K9,SN:9XECPSUU4XN'].join('\n');
    const parse = parseCliText(text);
    expect(parse.warnings).toEqual([]);
    expect(parse.devices[0]?.facts.ha.map((h) => [h.role, h.udi.sn])).toEqual([
      ['active', '93BBAH93MGS'],
      ['standby', '9XECPSUU4XN'],
    ]);
  });
});

describe('a second output pasted after the first without its prompt', () => {
  it('starts at its preamble and belongs to the same host', () => {
    const text = ['wlc-1#show license udi', 'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', 'Load for five secs: 1%/0%', 'Time source is NTP, 15:09:55.102 UTC Wed Nov 10 2021', 'Smart Licensing Status', '======', 'Smart Licensing is ENABLED', 'Transport:', '  Type: Smart'].join('\n');
    const parse = parseCliText(text);
    expect(parse.outputs.map((o) => [o.command, o.host, o.firstLine])).toEqual([
      ['udi', 'wlc-1', 1],
      ['status', 'wlc-1', 3],
    ]);
    expect(parse.devices).toHaveLength(1);
    expect(parse.devices[0]?.facts.transport?.type).toBe('Smart');
  });
});

describe('labels named like Object.prototype members', () => {
  it('are ordinary unknown labels, never lookups into the prototype', () => {
    const text = ['Device#show license authorization', 'Overall status:', '  Active: PID:C9800-CL-K9,SN:93BBAH93MGS', '    Status: NOT INSTALLED', 'Specified license reservations:', '  X (Y):', '    Term information:', '      Active: PID:C9800-CL-K9,SN:93BBAH93MGS', '        constructor: 2', '        __proto__: 1', '        hasOwnProperty: 3'].join('\n');
    const parse = parseCliText(text);
    const lic = parse.devices[0]!.facts.licenses[0];
    expect(lic?.reservation?.terms ?? []).toEqual([]);
    expect(Object.getPrototypeOf(parse.devices[0]!.facts)).toBe(Object.prototype);
    expect(parse.warnings.length).toBeGreaterThan(0);
  });
});
