import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyLeaf } from '../../../src/core/formats/classify.ts';
import { cliDevices, parseCliText } from '../../../src/core/formats/cli/index.ts';

const devicesFromCliText = (text: string) => cliDevices(parseCliText(text));
import { type SimShowContext, showLicenseAll, showLicenseStatus, showLicenseSummary } from '../../../src/core/sim/cli-text.ts';
import type { SimPolicy, SimProductInstance, SimReportingUnit, SimRumReport, SimUsage } from '../../../src/core/sim/types.ts';
import { CISCO_DEFAULT_POLICY } from '../../../src/core/policy/cisco-default.ts';
import { DNA_ADV, FIXTURES, NW_ADV } from '../helpers.ts';

const DAY = 86_400_000;

// The default's values are checked against real captures below (the Policy block of ntc_show_license_status2).
const ciscoDefault: SimPolicy = CISCO_DEFAULT_POLICY;

/** F07's `SLE Policy`, installed Nov 02 05:09:31 2020 IST (= Nov 01 23:39:31 UTC). */
const slePolicy: SimPolicy = {
  name: 'SLE Policy',
  custom: true,
  ackRequired: true,
  installedAt: Date.UTC(2020, 10, 1, 23, 39, 31),
  classes: {
    unenforcedPerpetual: { firstReportDays: 60, reportingFrequencyDays: 60, reportOnChangeDays: 60 },
    unenforcedSubscription: { firstReportDays: 30, reportingFrequencyDays: 30, reportOnChangeDays: 30 },
    enforced: { firstReportDays: 0, reportingFrequencyDays: 90, reportOnChangeDays: 90 },
    export: { firstReportDays: 0, reportingFrequencyDays: 90, reportOnChangeDays: 90 },
  },
};

function member(pid: string, sn: string, role: SimProductInstance['role'], version: string, trustCodeInstalledAt: number | null): SimProductInstance {
  return { udi: { pid, sn }, hostname: 'h', family: 'C9300', softwareVersion: version, softwareTag: 't', virtualAccount: 'VA', site: 'S', role, unitId: 'u', trustCodeInstalledAt };
}

function usage(tag: string, license: string, description: string, count: number, duration: SimUsage['duration']): SimUsage {
  return { tag, license, description, count, enforcement: 'NOT ENFORCED', duration, billing: 'PREPAID', subscriptionId: null };
}

function report(reportId: string, state: SimRumReport['state']): SimRumReport {
  return { reportId, tag: NW_ADV, count: 1, start: 1_760_000_000, end: 1_762_000_000, state, utility: false };
}

function unit(fields: Partial<SimReportingUnit> & Pick<SimReportingUnit, 'members' | 'usage'>): SimReportingUnit {
  return {
    id: 'u',
    hostname: 'h',
    family: 'C9300',
    virtualAccount: 'VA',
    site: 'S',
    utility: false,
    transport: 'off',
    reports: [],
    lastAckAt: null,
    nextAckDeadline: null,
    lastReportPush: null,
    nextReportPush: null,
    savedAt: 0,
    clockSkewMs: 0,
    neverConsumed: false,
    overdue: false,
    slacNeeded: null,
    throughputMbps: null,
    accessPoints: null,
    ...fields,
  };
}

const UTC = { abbreviation: 'UTC', offsetMinutes: 0 };
const IST = { abbreviation: 'IST', offsetMinutes: 330 };
const PST = { abbreviation: 'PST', offsetMinutes: -480 };

/** A standalone C9300 on 17.9 with two licences, Cisco default policy, ACKed and trusted. */
const c9300Ack = Date.UTC(2025, 9, 14, 12, 10, 32);
const standalone: SimShowContext = {
  unit: unit({
    members: [member('C9300-24UX', 'FOC2418X0AB', 'standalone', '17.09.04', c9300Ack)],
    usage: [usage(NW_ADV, 'network-advantage', 'C9300-24 Network Advantage', 1, 'Perpetual'), usage(DNA_ADV, 'dna-advantage', 'C9300-24 DNA Advantage', 1, 'Subscription')],
    reports: [report('1', 'ACK'), report('2', 'ACK'), report('3', 'CLOSED'), report('4', 'CLOSED'), report('5', 'OPEN')],
    lastAckAt: c9300Ack,
    nextAckDeadline: c9300Ack + 90 * DAY,
    nextReportPush: Date.UTC(2025, 10, 13, 12, 0, 0),
    savedAt: Date.UTC(2025, 10, 3, 8, 30, 0),
  }),
  policy: ciscoDefault,
  smartAccount: 'Acme Corp',
  virtualAccount: 'Campus',
  now: Date.UTC(2025, 10, 3, 9, 0, 0),
  timeZone: UTC,
};

/** The seed's C9800-CL pair (L1613): SLE Policy, ACK Nov 02 09:09:47 2020 IST, trust codes a minute apart. */
const wlcAck = Date.UTC(2020, 10, 2, 3, 39, 47);
const haPair: SimShowContext = {
  unit: unit({
    family: 'C9800',
    members: [
      member('C9800-CL-K9', '93BBAH93MGS', 'active', '17.09.04', Date.UTC(2020, 10, 2, 3, 29, 26)),
      member('C9800-CL-K9', '9XECPSUU4XN', 'standby', '17.09.04', Date.UTC(2020, 10, 2, 3, 30, 45)),
    ],
    usage: [
      usage('regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896', 'air-network-advantage', 'DNA_NWStack', 57, 'Perpetual'),
      usage('regid.2017-08.com.cisco.AIR-DNA-A,1.0_b6308627-3ab0-4a11-a3d9-586911a0d790', 'air-dna-advantage', 'AIR-DNA-A', 57, 'Subscription'),
    ],
    lastAckAt: wlcAck,
    nextAckDeadline: wlcAck + 60 * DAY,
    nextReportPush: Date.UTC(2020, 11, 2, 3, 35, 45),
    savedAt: Date.UTC(2020, 10, 2, 3, 35, 0),
    accessPoints: 57,
  }),
  policy: slePolicy,
  smartAccount: 'Eg-SA',
  virtualAccount: 'Eg-VA',
  now: Date.UTC(2020, 10, 3, 0, 0, 0),
  timeZone: IST,
};

/** A C9300-48P that has never had an ACK: no account information, no trust code, a first-report deadline. */
const neverAcked: SimShowContext = {
  unit: unit({
    members: [member('C9300-48P', 'FOC2733Y1ZZ', 'standalone', '17.09.05', null)],
    usage: [usage('regid.2017-05.com.cisco.C9300_48P_NW_Advantagek9,1.0_6a224fe3-c92e-4440-a9c1-5d0e53a54015', 'network-advantage', 'C9300-48 Network Advantage', 1, 'Perpetual')],
    reports: [report('7', 'CLOSED')],
    nextAckDeadline: Date.UTC(2026, 1, 1, 8, 0, 0),
    savedAt: Date.UTC(2025, 10, 2, 17, 45, 5),
  }),
  policy: ciscoDefault,
  smartAccount: 'Acme Corp',
  virtualAccount: 'Campus',
  now: Date.UTC(2025, 10, 3, 0, 0, 0),
  timeZone: PST,
};

const CONTEXTS: Array<[string, SimShowContext]> = [
  ['standalone C9300', standalone],
  ['C9800-CL HA pair', haPair],
  ['never-ACKed C9300', neverAcked],
];
const WRITERS = [
  ['show license all', showLicenseAll],
  ['show license status', showLicenseStatus],
  ['show license summary', showLicenseSummary],
] as const;

const lines = (text: string) => text.split('\n');

/** The block of a real sample or an output that starts at `first` and runs to the next blank line. */
function block(text: string, first: string): string[] {
  const all = text.split(/\r?\n/);
  const start = all.indexOf(first);
  if (start === -1) throw new Error(`no line "${first}"`);
  const end = all.findIndex((l, i) => i > start && l.trim() === '');
  return all.slice(start, end === -1 ? undefined : end).map((l) => l.trimEnd());
}

const fixtureText = (...path: string[]) => readFileSync(join(FIXTURES, ...path), 'utf8');

describe.each(CONTEXTS)('%s', (_name, ctx) => {
  it.each(WRITERS)('%s is classified as CLI output', (_cmd, write) => {
    const c = classifyLeaf(new TextEncoder().encode(write(ctx)));
    expect(c.kind, c.reason).toBe('cli');
  });

  it.each(WRITERS)('%s is deterministic, with \\n line ends', (_cmd, write) => {
    const a = write(ctx);
    expect(write(structuredClone(ctx))).toBe(a);
    expect(a).not.toContain('\r');
    expect(a.endsWith('\n')).toBe(true);
  });

  it('show license all names exactly the unit’s members with their roles', () => {
    expect(devicesFromCliText(showLicenseAll(ctx))).toEqual(ctx.unit.members.map((m) => ({ udi: m.udi, role: m.role })));
  });

  it('prints transport off as the real samples do', () => {
    for (const text of [showLicenseAll(ctx), showLicenseStatus(ctx)]) expect(text).toContain('\nTransport:\n  Type: Transport Off\n\n');
  });

  it('lists every licence with its name, tag or description, count and IN USE', () => {
    const all = showLicenseAll(ctx);
    const summary = showLicenseSummary(ctx);
    for (const u of ctx.unit.usage) {
      expect(all).toContain(`\n${u.license} (${u.description}):\n`);
      expect(block(all, `${u.license} (${u.description}):`)).toContain(`  Count: ${u.count}`);
      expect(block(all, `${u.license} (${u.description}):`)).toContain('  Status: IN USE');
      expect(block(all, `${u.license} (${u.description}):`)).toContain(`  License type: ${u.duration}`);
      expect(summary).toMatch(new RegExp(`\\n${u.license} +\\(${u.description.slice(0, 22)}[^\\n]*\\) +${u.count} IN USE\\n`));
    }
  });
});

describe('standalone C9300, Cisco default policy, UTC', () => {
  const all = showLicenseAll(standalone);
  const status = showLicenseStatus(standalone);

  it('prints the Cisco default policy exactly as a real device does (ntc_show_license_status2)', () => {
    const real = block(fixtureText('cli', 'ntc_show_license_status2.txt'), 'Policy:');
    expect(block(status, 'Policy:')).toEqual(real);
    expect(block(all, 'Policy:')).toEqual(real);
    expect(status).not.toContain('Policy name:');
  });

  it('prints the usage reporting times in the device zone', () => {
    expect(block(status, 'Usage Reporting:')).toEqual([
      'Usage Reporting:',
      '  Last ACK received: Oct 14 12:10:32 2025 UTC',
      '  Next ACK deadline: Jan 12 12:10:32 2026 UTC',
      '  Reporting push interval: 30  days',
      '  Next ACK push check: <none>',
      '  Next report push: Nov 13 12:00:00 2025 UTC',
      '  Last report push: <none>',
      '  Last report file write: Nov 03 08:30:00 2025 UTC',
    ]);
  });

  it('shows the accounts the ACK brought, and a standalone trust code on one line (ntc_show_license_status3)', () => {
    expect(block(status, 'Account Information:')).toEqual(['Account Information:', '  Smart Account: Acme Corp As of Oct 14 12:10:32 2025 UTC', '  Virtual Account: Campus']);
    expect(lines(status)).toContain('Trust Code Installed: Oct 14 12:10:32 2025 UTC');
    expect(devicesFromCliText(status)).toEqual([]);
  });

  it('starts show license all like the real 3-switch capture (genie ShowLicenseAll)', () => {
    const real = fixtureText('cli', 'genie_ShowLicenseAll__golden_output.txt').split('\n');
    const from = real.indexOf('Smart Licensing Status');
    const to = real.indexOf('Account Information:');
    expect(lines(all).slice(0, to - from)).toEqual(real.slice(from, to));
    expect(block(all, 'Data Privacy:')).toEqual(block(real.join('\n'), 'Data Privacy:'));
  });

  it('prints a product without an HA UDI List, Overall status, agent and report counts', () => {
    expect(block(all, 'Product Information')).toEqual(['Product Information', '===================', 'UDI: PID:C9300-24UX,SN:FOC2418X0AB']);
    expect(all).not.toContain('HA UDI List:');
    expect(block(all, 'Overall status:')).toEqual(['Overall status:', '  Active: PID:C9300-24UX,SN:FOC2418X0AB', '      Status: NOT INSTALLED']);
    expect(lines(all)).toContain('Smart Agent for Licensing: 5.7.15_rel/44');
    expect(block(all, 'Usage Report Summary:')).toEqual([
      'Usage Report Summary:',
      '=====================',
      'Total: 5,  Purged: 0',
      'Total Acknowledged Received: 2,  Waiting for Ack: 0',
      'Available to Report: 3  Collecting Data: 1',
    ]);
  });

  it('prints the licence blocks field by field like the real capture', () => {
    expect(block(all, 'dna-advantage (C9300-24 DNA Advantage):')).toEqual([
      'dna-advantage (C9300-24 DNA Advantage):',
      '  Description: C9300-24 DNA Advantage',
      '  Count: 1',
      '  Version: 1.0',
      '  Status: IN USE',
      '  Export status: NOT RESTRICTED',
      '  Feature Name: dna-advantage',
      '  Feature Description: C9300-24 DNA Advantage',
      '  Enforcement type: NOT ENFORCED',
      '  License type: Subscription',
    ]);
  });

  it('prints the summary table in the real columns, long descriptions cut like the real one', () => {
    const summary = lines(showLicenseSummary(standalone));
    expect(summary).toContain('network-advantage       (C9300-24 Network Advan...)       1 IN USE');
    expect(summary).toContain('dna-advantage           (C9300-24 DNA Advantage)          1 IN USE');
  });
});

describe('the summary table matches a real device’s byte for byte (genie ShowLicenseSummary)', () => {
  it('for the same two C9300-48 licences', () => {
    const real = fixtureText('cli', 'genie_ShowLicenseSummary__golden_output1.txt').split('\n');
    const ctx: SimShowContext = {
      ...standalone,
      unit: unit({
        members: standalone.unit.members,
        usage: [usage(NW_ADV, 'network-advantage', 'C9300-48 Network Advantage', 1, 'Perpetual'), usage(DNA_ADV, 'dna-advantage', 'C9300-48 DNA Advantage', 1, 'Subscription')],
      }),
    };
    expect(block(showLicenseSummary(ctx), 'License Usage:')).toEqual(real);
  });
});

describe('C9800-CL HA pair, custom policy, IST', () => {
  const all = showLicenseAll(haPair);
  const status = showLicenseStatus(haPair);

  it('prints the custom policy exactly as F07 does, CISCO default first-report values included', () => {
    const real = block(fixtureText('cli-seed', 'F07_show_license_status_custom_policy_ha_trust.clean.txt'), 'Policy:');
    expect(block(status, 'Policy:')).toEqual(real);
    expect(lines(status)).toContain('  Policy name: SLE Policy');
    expect(lines(status)).toContain('  Reporting ACK required: yes (Customer Policy)');
  });

  it('prints the seed’s ACK times in IST (L1613)', () => {
    expect(lines(status)).toContain('  Last ACK received: Nov 02 09:09:47 2020 IST');
    expect(lines(status)).toContain('  Next ACK deadline: Jan 01 09:09:47 2021 IST');
    expect(lines(status)).toContain('  Next report push: Dec 02 09:05:45 2020 IST');
  });

  it('lists a trust code per UDI, and the HA UDI List with every member', () => {
    expect(block(status, 'Trust Code Installed:')).toEqual([
      'Trust Code Installed:',
      '  Active: PID:C9800-CL-K9,SN:93BBAH93MGS',
      '    INSTALLED on Nov 02 08:59:26 2020 IST',
      '  Standby: PID:C9800-CL-K9,SN:9XECPSUU4XN',
      '    INSTALLED on Nov 02 09:00:45 2020 IST',
    ]);
    expect(block(all, 'HA UDI List:')).toEqual(['HA UDI List:', '    Active:PID:C9800-CL-K9,SN:93BBAH93MGS', '    Standby:PID:C9800-CL-K9,SN:9XECPSUU4XN']);
    expect(devicesFromCliText(status)).toEqual([
      { udi: { pid: 'C9800-CL-K9', sn: '93BBAH93MGS' }, role: 'active' },
      { udi: { pid: 'C9800-CL-K9', sn: '9XECPSUU4XN' }, role: 'standby' },
    ]);
  });

  it('prints AIR licences with the short tag in parentheses and the name as description (F11)', () => {
    expect(block(all, 'air-network-advantage (DNA_NWStack):').slice(0, 3)).toEqual(['air-network-advantage (DNA_NWStack):', '  Description: air-network-advantage', '  Count: 57']);
  });

  it('still names both members after CRLF conversion and lost indentation', () => {
    const damaged = all.replace(/^[ \t]+/gm, '').replace(/\n/g, '\r\n');
    expect(devicesFromCliText(damaged)).toEqual(haPair.unit.members.map((m) => ({ udi: m.udi, role: m.role })));
  });
});

describe('never-ACKed device', () => {
  const status = showLicenseStatus(neverAcked);

  it('shows no account, no ACK, no trust code, and the first-report deadline in PST', () => {
    expect(block(status, 'Account Information:')).toEqual(['Account Information:', '  Smart Account: <none>', '  Virtual Account: <none>']);
    expect(lines(status)).toContain('  Last ACK received: <none>');
    expect(lines(status)).toContain('  Next ACK deadline: Feb 01 00:00:00 2026 PST');
    expect(lines(status)).toContain('  Reporting push interval: 0 (no reporting)');
    expect(lines(status)).toContain('  Next report push: <none>');
    expect(lines(status)).toContain('  Last report file write: Nov 02 09:45:05 2025 PST');
    expect(lines(status)).toContain('Trust Code Installed: <none>');
    expect(lines(showLicenseSummary(neverAcked)).slice(0, 3)).toEqual(['Account Information:', '  Smart Account: <none>', '  Virtual Account: <none>']);
  });
});

describe('what the release decides', () => {
  const on = (version: string): SimShowContext => ({
    ...standalone,
    unit: { ...standalone.unit, members: standalone.unit.members.map((m) => ({ ...m, softwareVersion: version })) },
  });

  it('17.3 prints no Account Information nor Usage Report Summary, and the 4.8 agent (F19)', () => {
    const all = showLicenseAll(on('17.03.08'));
    expect(all).not.toContain('Account Information:');
    expect(all).not.toContain('Usage Report Summary:');
    expect(lines(all)).toContain('Smart Agent for Licensing: 4.8.7_rel/52');
    expect(showLicenseSummary(on('17.03.08')).startsWith('License Usage:\n')).toBe(true);
  });

  it('17.12 adds Reporting Mode, License Conversion and telemetry (genie ShowLicenseAll 2)', () => {
    const all = showLicenseAll(on('17.12.04'));
    expect(block(all, 'Smart Licensing Using Policy:')).toEqual(['Smart Licensing Using Policy:', '  Status: ENABLED', '  Reporting Mode: STANDARD']);
    expect(block(all, 'License Conversion:')).toEqual(['License Conversion:', '  Automatic Conversion Enabled: False', '  Last Data Push: <none>', '  Last File Export: <none>']);
    expect(lines(all)).toContain('Smart Agent for Licensing: 5.11.2_rel/6');
    expect(block(all, 'Device Telemetry Report Summary:')).toEqual(['Device Telemetry Report Summary:', '================================', 'Data Channel: NOT AVAILABLE', 'Reports on disk: 0']);
  });
});

describe('licences that are not simply in use', () => {
  it('prints No licenses in use for a unit that consumes nothing (F10)', () => {
    const ctx: SimShowContext = { ...neverAcked, unit: { ...neverAcked.unit, usage: [], neverConsumed: true } };
    expect(showLicenseAll(ctx)).toContain('\nLicense Usage\n=============\n\nNo licenses in use\n\nProduct Information\n');
  });

  it('prints an HSEC authorization still waiting for its SLAC as NOT AUTHORIZED', () => {
    const hsec = 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844';
    const ctx: SimShowContext = { ...standalone, unit: { ...standalone.unit, slacNeeded: hsec } };
    expect(lines(showLicenseSummary(ctx))).toContain('hseck9                  (DNA_HSEC)                        1 NOT AUTHORIZED');
    expect(block(showLicenseAll(ctx), 'hseck9 (DNA_HSEC):')).toContain('  Export status: RESTRICTED - NOT ALLOWED');
  });
});
