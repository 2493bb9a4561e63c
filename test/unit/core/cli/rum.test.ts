import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { parseRum } from '../../../../src/core/formats/cli/rum.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliRumReport, CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';

const seed = (name: string) => readFileSync(join(FIXTURES, 'cli-seed', name), 'utf8');
const cli = (name: string) => readFileSync(join(FIXTURES, 'cli', name), 'utf8');

function rum(text: string) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  parseRum(cliLines(text), ctx);
  return { reports: ctx.facts.rumReports, warnings, facts: ctx.facts };
}

const byId = (reports: CliRumReport[], id: string) => reports.find((r) => r.reportId === id)!;

const AIR_DNA_A = 'regid.2017-08.com.cisco.AIR-DNA-A,1.0_b6308627-3ab0-4a11-a3d9-586911a0d790';
const WLC = { pid: 'C9800-CL-K9', sn: '93SZ7RXN93Y' };

describe('show license rum — seed fixtures', () => {
  it('F14: the list and the detail of one feature merge into two complete reports of the 9800-CL', () => {
    const r = parseCliText(seed('F14_show_license_rum_feature_simple_and_detail.clean.txt'));
    expect(r.outputs.map((o) => o.command)).toEqual(['rum', 'rum']);
    expect(r.outputs[0]!.typed).toBe('show license rum feature air-dna-advantage');
    // The list form alone: ID, state, flag, feature.
    expect(r.outputs[0]!.facts.rumReports.map((x) => [x.reportId, x.state, x.flag, x.featureName])).toEqual([
      ['1638055644', 'CLOSED', 'N', 'air-dna-advantage'],
      ['1638055646', 'OPEN', 'N', 'air-dna-advantage'],
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.devices).toHaveLength(1);
    const d = r.devices[0]!;
    // No other output names the device: the reports' UDI does (index.ts identify).
    expect(d.udi).toEqual(WLC);
    expect(d.role).toBe('standalone');
    expect(d.facts.udi).toBeNull();
    expect(d.facts.rumReports).toHaveLength(2);
    const a = byId(d.facts.rumReports, '1638055644');
    expect(a).toMatchObject({
      state: 'CLOSED',
      flag: 'N', // from the list
      featureName: 'air-dna-advantage',
      metricName: 'ENTITLEMENT',
      entitlementTag: AIR_DNA_A,
      udi: WLC,
      previousReportId: '0',
      nextReportId: '1638055646',
      stateChangeReason: 'RELOAD',
      storageState: 'EXIST',
      transactionId: '0',
      transactionMessage: null, // <none>
    });
    expect(a.startTime).toMatchObject({ raw: 'Nov 28 12:02:09 2021 UTC', iso: '2021-11-28T12:02:09Z' });
    expect(a.endTime).toMatchObject({ raw: 'Nov 30 22:02:13 2021 UTC', iso: '2021-11-30T22:02:13Z' });
    const b = byId(d.facts.rumReports, '1638055646');
    expect(b).toMatchObject({
      state: 'OPEN',
      flag: 'N',
      entitlementTag: AIR_DNA_A,
      previousReportId: '1638055644',
      nextReportId: '0',
      stateChangeReason: null, // `None`
      storageState: 'EXIST',
    });
    expect(b.startTime?.iso).toBe('2021-11-30T23:12:56Z');
    expect(b.endTime?.iso).toBe('2021-12-01T02:12:56Z');
  });

  it('F15: `show license rum … save` prints nothing; the copy command is listed as not read', () => {
    const r = parseCliText(seed('F15_show_license_rum_save.clean.txt'));
    // `save` writes a file and prints nothing: no output, no device, and no report invented.
    expect(r.outputs).toEqual([]);
    expect(r.devices).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'output not read (commands the workbench does not parse): copy tftp://10.8.0.6/bootflash:all-rum-stats.txt',
    ]);
  });

  it('F18c: the tech-support detail snippet, `Metric Value:` wrapped onto the next line', () => {
    const r = parseCliText(seed('F18c_show_license_tech_rum_detail_snippet.clean.txt'));
    expect(r.outputs.map((o) => [o.command, o.typed])).toEqual([['rum', null]]);
    expect(r.warnings).toEqual([]);
    const reports = r.outputs[0]!.facts.rumReports;
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      reportId: '1638055644',
      metricName: 'ENTITLEMENT',
      featureName: 'air-dna-advantage',
      entitlementTag: AIR_DNA_A,
      udi: WLC,
      previousReportId: '0',
      nextReportId: '1638055646',
      state: 'CLOSED',
      stateChangeReason: 'RELOAD',
      storageState: 'EXIST', // `Storage State Change Reason: None` beside it is not kept
      transactionId: '0',
      transactionMessage: null,
      flag: null,
    });
    expect(reports[0]!.startTime?.iso).toBe('2021-11-28T12:02:09Z');
    expect(reports[0]!.endTime?.epochMs).toBe(Date.UTC(2021, 10, 30, 22, 2, 13));
    expect(r.devices[0]!.udi).toEqual(WLC);
  });

  it('F23 and F27: `license smart save usage` transcripts hold no show output and import nothing, quietly', () => {
    const f23 = parseCliText(seed('F23_license_smart_save_usage_unreported_dir_copy.clean.txt'));
    expect(f23.outputs).toEqual([]);
    expect(f23.devices).toEqual([]);
    expect(f23.warnings.map((w) => w.message)).toEqual([
      'output not read (commands the workbench does not parse): license smart save usage; dir; copy flash:RUM-unrep.txt tftp://192.168.0.1//auto/tftp-user/user01/',
    ]);
    const f27 = parseCliText(seed('F27_save_usage_all_air_gapped.clean.txt'));
    expect(f27.outputs).toEqual([]);
    expect(f27.devices).toEqual([]);
    expect(f27.warnings).toHaveLength(1);
    expect(f27.warnings[0]!.message).toContain('license smart save usage; copy bootflash:all_rum.txt tftp://10.8.0.6/all_rum.txt');
  });
});

describe('show license rum — genie fixtures', () => {
  it('ShowLicenseRumIdAll golden_1: two reports of the list form (genie: state, flag, feature_name per id)', () => {
    const r = parseCliText(cli('genie_ShowLicenseRumIdAll__golden_1.txt'));
    expect(r.outputs.map((o) => o.command)).toEqual(['rum']);
    expect(r.warnings).toEqual([]);
    expect(r.outputs[0]!.facts.rumReports.map((x) => [x.reportId, x.state, x.flag, x.featureName])).toEqual([
      ['1629870048', 'CLOSED', 'N', 'network-premier_2.5G'],
      ['1629870049', 'ACK', 'N', 'dna-premier_2.5G'],
    ]);
  });

  it('ShowLicenseRumIdDetail golden_output: every field genie reads, CRLF line ends', () => {
    const r = parseCliText(cli('genie_ShowLicenseRumIdDetail__golden_output.txt'));
    expect(r.warnings).toEqual([]);
    const reports = r.outputs[0]!.facts.rumReports;
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      reportId: '1634211151',
      metricName: 'ENTITLEMENT',
      featureName: 'dna-advantage',
      entitlementTag: 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18',
      udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' },
      previousReportId: '0',
      nextReportId: '1634211155',
      state: 'ACK',
      stateChangeReason: 'ACKED',
      storageState: 'DELETED',
      transactionId: '0',
      transactionMessage: null,
    });
    expect(reports[0]!.startTime).toMatchObject({ raw: 'Oct 14 11:32:40 2021 UTC', iso: '2021-10-14T11:32:40Z' });
    expect(reports[0]!.endTime).toMatchObject({ raw: 'Oct 14 11:32:48 2021 UTC', iso: '2021-10-14T11:32:48Z' });
    expect(r.devices[0]).toMatchObject({ udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, role: 'standalone' });
  });
});

const DETAIL = `Smart Licensing Usage Report Detail:
====================================
Report Id: 18446744073709551615
  Metric Name: ENTITLEMENT
  Feature Name: dna-advantage
  Metric Value: regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18
  UDI: PID:C9300-24UX,SN:FCW2303D16Y
  Previous Report Id: 18446744073709551614,    Next Report Id: 0
  State: UNACK,      State Change Reason: None
  Start Time: Oct 14 11:32:40 2021 UTC,      End Time: Oct 14 11:32:48 2021 UTC
  Storage State: EXIST
  Transaction ID: 12345
  Transaction Message: &lt;none&gt;`;

function expectDetail(reports: CliRumReport[]) {
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({
    reportId: '18446744073709551615',
    featureName: 'dna-advantage',
    entitlementTag: 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18',
    udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' },
    previousReportId: '18446744073709551614',
    nextReportId: '0',
    state: 'UNACK',
    stateChangeReason: null,
    storageState: 'EXIST',
    transactionId: '12345',
    transactionMessage: null,
  });
  expect(reports[0]!.endTime?.iso).toBe('2021-10-14T11:32:48Z');
}

describe('show license rum — tolerance', () => {
  it('keeps 2^64-1 report IDs exact, as strings', () => {
    const { reports, warnings } = rum(DETAIL);
    expect(warnings).toEqual([]);
    expectDetail(reports);
  });

  it('reads the same with indentation removed, with 4-space indentation, and with CRLF', () => {
    const flat = DETAIL.replace(/^ +/gm, '');
    const four = DETAIL.replace(/^ {2}/gm, '    ');
    const crlf = DETAIL.replace(/\n/g, '\r\n');
    for (const t of [flat, four, crlf]) {
      const { reports, warnings } = rum(t);
      expect(warnings).toEqual([]);
      expectDetail(reports);
    }
  });

  it('reads `Label.....: value` and lower-case states', () => {
    const t = `Report Id.....: 42
Metric Name.....: ENTITLEMENT
Metric Value.....: DNA_NWStack
Previous Report Id.....: 41,  Next Report Id.....: 43
State.....: closed,  State Change Reason.....: acked
Storage State (1): purged`;
    const { reports, warnings } = rum(t);
    expect(warnings).toEqual([]);
    expect(reports[0]).toMatchObject({
      reportId: '42',
      entitlementTag: 'DNA_NWStack',
      previousReportId: '41',
      nextReportId: '43',
      state: 'CLOSED',
      stateChangeReason: 'ACKED',
      storageState: 'PURGED',
    });
  });

  it('reads the newer TELEMETRY form (genie "second": `Close Reason`, no metric value) without an entitlement tag', () => {
    const t = `Smart Licensing Usage Report Detail:
====================================
Report Id: 1685089009
  Metric Name: TELEMETRY
  UDI: PID:C9800-L-F-K9,SN:FCW2310M0XB
  Previous Report Id: 1685089006,    Next Report Id: 1685089012
  State: DELETED,      Close Reason: SMART
  Start Time: Jun 04 00:00:01 2023 CET,      End Time: Jun 05 00:00:00 2023 CET
  Storage State: DELETED
  Transaction ID: 0
  Transaction Message: <none>`;
    const { reports, warnings } = rum(t);
    expect(warnings).toEqual([]);
    expect(reports[0]).toMatchObject({
      reportId: '1685089009',
      metricName: 'TELEMETRY',
      entitlementTag: null,
      udi: { pid: 'C9800-L-F-K9', sn: 'FCW2310M0XB' },
      state: 'DELETED',
      stateChangeReason: 'SMART',
    });
    expect(reports[0]!.startTime?.iso).toBe('2023-06-04T00:00:01+01:00');
  });

  it('a list row after a truncated header still counts; a bad report ID is a warning, its fields skipped', () => {
    const t = `1638055644          CLOSED   N      air-dna-advantage
Report Id: 12ab
  State: OPEN
Report Id: 7
  Colour: blue
  Next Report Id: soon`;
    const { reports, warnings } = rum(t);
    expect(reports.map((x) => [x.reportId, x.state])).toEqual([
      ['1638055644', 'CLOSED'],
      ['7', null],
    ]);
    expect(warnings.map((w) => w.line)).toEqual([2, 5, 6]);
    expect(warnings[0]!.message).toContain('"12ab" is not a report ID');
    expect(warnings[1]!.message).toContain('unknown field "Colour"');
    expect(warnings[2]!.message).toContain('"soon" is not a report ID');
  });

  it('a report with a UDI names no device in the facts themselves', () => {
    const { facts } = rum(DETAIL);
    expect(facts.udi).toBeNull();
    expect(facts.ha).toEqual([]);
  });
});
