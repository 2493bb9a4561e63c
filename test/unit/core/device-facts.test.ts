import { describe, expect, it } from 'vitest';
import type { CliDeviceFacts, CliParse } from '../../../src/core/formats/cli/index.ts';
import { parseCliDate } from '../../../src/core/formats/cli/dates.ts';
import { emptyFacts, type CliFacts } from '../../../src/core/formats/cli/types.ts';
import { devicePicture, factRows, mergeCli, type DeviceCliRecord } from '../../../src/core/model/device-facts.ts';
import type { ProductInstance } from '../../../src/core/model/fleet.ts';

const WLC = { pid: 'C9800-CL-K9', sn: '93BBAH93MGS' };
const WLC_KEY = 'PID:C9800-CL-K9,SN:93BBAH93MGS';
const STANDBY = { pid: 'C9800-CL-K9', sn: '9XECPSUU4XN' };

function facts(over: Partial<CliFacts>): CliFacts {
  return { ...emptyFacts(), ...over };
}

function parseOf(devices: Array<Partial<CliDeviceFacts> & { facts: CliFacts }>, events: CliParse['events'] = []): CliParse {
  return {
    outputs: [],
    devices: devices.map((d) => ({ udi: null, role: 'standalone', host: null, commands: [{ command: 'status', line: 1 }], ...d })),
    events,
    warnings: [],
    lineCount: 10,
    preSlp: false,
  };
}

const account = (va: string) => ({ smartAccount: 'Eg-SA', virtualAccount: va, asOf: null });

describe('mergeCli', () => {
  it('creates the device a paste names, with its columns and the observation', () => {
    const f = facts({ udi: WLC, account: account('Eg-VA'), transport: { type: 'Off', url: null, csluAddress: null, proxy: null, vrf: null }, observedAt: parseCliDate('15:09:55.102 UTC Wed Nov 10 2021') });
    const r = mergeCli({ file: 'sha-a', fileName: 'pasted.txt', importedAt: 5e12, parses: [{ path: [], parse: parseOf([{ udi: WLC, facts: f }]) }] }, new Map(), new Map(), () => null);
    expect(r.newDevices).toBe(1);
    expect(r.observations).toBe(1);
    const d = r.devices[0]!;
    expect(d.key).toBe(WLC_KEY);
    expect(d.virtualAccount).toEqual({ value: 'Eg-VA', file: 'sha-a', at: Date.UTC(2021, 10, 10, 15, 9, 55, 102) });
    expect(d.transport?.value).toBe('Off');
    expect(d.files).toEqual(['sha-a']);
    expect(r.records[0]!.observations[0]!.source).toEqual({ file: 'sha-a', fileName: 'pasted.txt', command: 'status', line: 1, at: Date.UTC(2021, 10, 10, 15, 9, 55, 102), atFromDevice: true });
  });

  it('gives HA members their role and keeps an older output from overwriting a newer fact', () => {
    const ha = [{ role: 'active' as const, udi: WLC }, { role: 'standby' as const, udi: STANDBY }];
    const newer = facts({ udi: WLC, ha, account: account('New-VA'), observedAt: parseCliDate('Nov 10 10:00:00 2022 UTC') });
    const first = mergeCli({ file: 'a', fileName: 'a.txt', importedAt: 1, parses: [{ path: [], parse: parseOf([{ udi: WLC, facts: newer }]) }] }, new Map(), new Map(), () => null);
    expect(first.devices.map((d) => [d.key, d.ha?.value.role])).toEqual([
      [WLC_KEY, 'active'],
      ['PID:C9800-CL-K9,SN:9XECPSUU4XN', 'standby'],
    ]);
    const devices = new Map(first.devices.map((d) => [d.key, d]));
    const records = new Map(first.records.map((r) => [r.key, r]));
    const older = facts({ udi: WLC, account: account('Old-VA'), observedAt: parseCliDate('Nov 10 10:00:00 2021 UTC') });
    const second = mergeCli({ file: 'b', fileName: 'b.txt', importedAt: 2, parses: [{ path: [], parse: parseOf([{ udi: WLC, facts: older }]) }] }, devices, records, () => null);
    const d = second.devices.find((x) => x.key === WLC_KEY)!;
    expect(d.virtualAccount?.value).toBe('New-VA');
    // Both observations are kept, oldest first.
    expect(second.records[0]!.observations.map((o) => o.source.file)).toEqual(['b', 'a']);
  });

  it('ties a paste without a UDI to the one device with its host name, and refuses to guess otherwise', () => {
    const f = facts({ account: account('Eg-VA') });
    const known = new Map<string, ProductInstance>([[WLC_KEY, { key: WLC_KEY, udi: WLC, hostname: { value: 'wlc-1', file: 'x', at: 1 }, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: ['x'], firstSeen: 1, updatedAt: 1 }]]);
    const tied = mergeCli({ file: 'c', fileName: 'c.txt', importedAt: 3, parses: [{ path: [], parse: parseOf([{ host: 'wlc-1', facts: f }]) }] }, known, new Map(), (h) => (h === 'wlc-1' ? WLC_KEY : null));
    expect(tied.devices[0]?.virtualAccount?.value).toBe('Eg-VA');
    expect(tied.warnings).toEqual(['output under "wlc-1#" names no UDI: tied to PID:C9800-CL-K9,SN:93BBAH93MGS, the one known device with host name "wlc-1"']);
    const lost = mergeCli({ file: 'c', fileName: 'c.txt', importedAt: 3, parses: [{ path: [], parse: parseOf([{ host: 'wlc-9', facts: f }]) }] }, known, new Map(), () => null);
    expect(lost.observations).toBe(0);
    expect(lost.devices).toEqual([]);
    expect(lost.warnings[0]).toMatch(/under "wlc-9#" \(line 1\) names no device and no known device has that host name: not stored/);
  });
});

describe('devicePicture', () => {
  it('shows the newest value with its source and the sources that disagree', () => {
    const device: ProductInstance = { key: WLC_KEY, udi: WLC, hostname: { value: 'wlc-1', file: 'usage-sha', at: Date.UTC(2021, 0, 1) }, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: [], firstSeen: 0, updatedAt: 0 };
    const src = (file: string, at: number) => ({ file, fileName: `${file}.txt`, command: 'all' as const, line: 3, at, atFromDevice: true });
    const rec: DeviceCliRecord = {
      key: WLC_KEY,
      observations: [
        { source: src('old', Date.UTC(2021, 5, 1)), facts: facts({ account: account('Old-VA'), hostname: 'wlc-1' }) },
        { source: src('new', Date.UTC(2022, 5, 1)), facts: facts({ account: account('New-VA') }) },
      ],
    };
    const rows = devicePicture(device, rec, new Map([['usage-sha', 'all_rum.txt']]));
    const va = rows.find((r) => r.label === 'Virtual Account')!;
    expect(va.current.value).toBe('New-VA');
    expect(va.current.source.file).toBe('new');
    expect(va.conflicts.map((c) => [c.value, c.source.file])).toEqual([['Old-VA', 'old']]);
    const sa = rows.find((r) => r.label === 'Smart Account')!;
    expect([sa.current.value, sa.conflicts.length, sa.agreeing]).toEqual(['Eg-SA', 0, 1]);
    // The usage file and the older paste agree on the host name: no conflict.
    const host = rows.find((r) => r.label === 'Host name')!;
    expect([host.current.value, host.current.source.file, host.agreeing, host.conflicts]).toEqual(['wlc-1', 'old', 1, []]);
    expect(rows.find((r) => r.label === 'Host name')!.current.source.command).toBe('all');
  });
});

describe('deadlines the device announced', () => {
  it('turns REPORTING_REQUIRED and the 9800-CL countdown into dates', () => {
    const at = parseCliDate('Nov 10 10:00:00 2026 UTC');
    const f = facts({
      ackCountdown: { raw: '179 days', days: 179, observedAt: at },
      events: [{ at, facility: 'SMART_LIC', severity: 6, name: 'REPORTING_REQUIRED', message: 'A Usage report acknowledgement will be required in 30 days.', meaning: null, action: null, daysLeft: 30, udi: null, line: 1 }],
    });
    const rows = factRows(f).filter(([, label]) => /needed by/.test(label));
    expect(rows).toEqual([
      ['Reporting', 'ACK needed by (9800-CL countdown)', '2027-05-08T10:00:00Z'],
      ['Reporting', 'ACK needed by (syslog REPORTING_REQUIRED)', '2026-12-10T10:00:00Z'],
    ]);
  });
});
