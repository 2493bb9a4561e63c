import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { parseStatus } from '../../../../src/core/formats/cli/status.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { CISCO_DEFAULT, classes, cliText, d, only, parserWarnings, reindent, seedText } from './_status.ts';

const NO_USAGE_REPORTING = {
  lastAckReceived: null,
  nextAckDeadline: null,
  reportingPushIntervalDays: 0,
  nextAckPushCheck: null,
  nextReportPush: null,
  lastReportPush: null,
  lastReportFileWrite: null,
};
const PRIVACY_OFF = { sendingHostname: true, callhomeHostnamePrivacy: false, smartLicensingHostnamePrivacy: false, versionPrivacy: false };
const SMART_URL = 'https://smartreceiver.cisco.com/licservice/license';

/** Runs the parser on lines directly (for tolerance tests that need no prompt). */
function direct(text: string) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  parseStatus(cliLines(text), ctx);
  return { facts: ctx.facts, warnings: warnings.map((w) => w.message) };
}

describe('show license status (seed 003 fixtures)', () => {
  it('F05: 17.7.1 account information, Cisco default policy, indentation switching from 2 to 4 spaces', () => {
    const p = parseCliText(seedText('F05_show_license_status_account_info_17.7.1.clean.txt'));
    const f = only(p, 'status').facts;
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.smartLicensingEnabled).toBeNull(); // `show license status` does not print it
    expect(f.account).toEqual({ smartAccount: 'Eg-SA', virtualAccount: 'Eg-VA', asOf: null });
    expect(f.dataPrivacy).toEqual(PRIVACY_OFF);
    expect(f.transport).toEqual({ type: 'Smart', url: SMART_URL, csluAddress: null, proxy: null, vrf: null });
    expect(f.policy).toMatchObject({ inUse: 'Merged from multiple sources.', installedAt: null, name: null });
    expect(f.policy!.ackRequired).toEqual({ value: true, source: 'cisco-default' });
    // `Export (Perpetual/Subscription) License Attributes:` lost its indentation (F05 L41): still the export class.
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    expect(f.customId).toBeNull(); // `Custom Id: <empty>`
    expect(f.usageReporting).toEqual(NO_USAGE_REPORTING);
    expect(f.trustCodes).toEqual([]); // `Trust Code Installed: <none>`
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F06: Cisco default policy with random indentation and a blank line inside the export class', () => {
    const p = parseCliText(seedText('F06_show_license_status_cisco_default_policy.clean.txt'));
    const f = only(p, 'status').facts;
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.account).toBeNull(); // before 17.7.1: no Account Information
    expect(f.dataPrivacy).toEqual(PRIVACY_OFF);
    expect(f.transport).toEqual({ type: 'Smart', url: SMART_URL, csluAddress: null, proxy: null, vrf: null });
    expect(f.policy).toMatchObject({ inUse: 'Merged from multiple sources.', ackRequired: { value: true, source: 'cisco-default' } });
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    expect(f.usageReporting).toEqual(NO_USAGE_REPORTING);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F07: custom policy installed on a date, HA trust codes with their roles', () => {
    const p = parseCliText(seedText('F07_show_license_status_custom_policy_ha_trust.clean.txt'));
    const f = only(p, 'status').facts;
    expect(f.policy!.inUse).toBe('Installed On Nov 02 05:09:31 2020 IST');
    expect(d(f.policy!.installedAt)).toBe('Nov 02 05:09:31 2020 IST → 2020-11-02T05:09:31+05:30');
    expect(f.policy!.name).toBe('SLE Policy');
    expect(f.policy!.ackRequired).toEqual({ value: true, source: 'customer' });
    expect(classes(f.policy)).toEqual({
      unenforcedPerpetual: '60 customer / 60 customer / 60 customer',
      unenforcedSubscription: '30 customer / 30 customer / 30 customer',
      enforced: '0 cisco-default / 90 customer / 90 customer',
      export: '0 cisco-default / 90 customer / 90 customer',
    });
    expect(f.trustCodes.map((t) => [t.role, t.udi?.sn, t.status, d(t.installedAt)])).toEqual([
      ['active', '93BBAH93MGS', 'INSTALLED', 'Nov 02 05:09:31 2020 IST → 2020-11-02T05:09:31+05:30'],
      ['standby', '9XECPSUU4XN', 'INSTALLED', 'Nov 02 05:09:31 2020 IST → 2020-11-02T05:09:31+05:30'],
    ]);
    expect(f.trustCodes[0]!.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93BBAH93MGS' });
    // The trust codes name the device when nothing else does.
    expect(p.devices[0]!.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93BBAH93MGS' });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F08: usage reporting before and after `license smart usage interval 20`, unindented, PST', () => {
    const p = parseCliText(seedText('F08_show_license_status_usage_interval_30_to_20.clean.txt'));
    const [before, after] = p.outputs.filter((o) => o.command === 'status');
    const u1 = before!.facts.usageReporting!;
    expect(d(u1.lastAckReceived)).toBe('Sep 22 13:49:38 2020 PST → 2020-09-22T13:49:38-08:00');
    expect(d(u1.nextAckDeadline)).toBe('Dec 21 12:02:21 2020 PST → 2020-12-21T12:02:21-08:00');
    expect(u1.reportingPushIntervalDays).toBe(30);
    expect(d(u1.nextAckPushCheck)).toBe('Sep 22 12:20:34 2020 PST → 2020-09-22T12:20:34-08:00');
    expect(d(u1.nextReportPush)).toBe('Oct 22 12:05:43 2020 PST → 2020-10-22T12:05:43-08:00');
    expect(d(u1.lastReportPush)).toBe('Sep 22 12:05:43 2020 PST → 2020-09-22T12:05:43-08:00');
    expect(u1.lastReportFileWrite).toBeNull();
    const u2 = after!.facts.usageReporting!;
    expect(u2.reportingPushIntervalDays).toBe(20);
    expect(d(u2.nextAckDeadline)).toBe('Nov 22 12:02:21 2020 PST → 2020-11-22T12:02:21-08:00');
    expect(d(u2.nextReportPush)).toBe('Oct 12 12:05:43 2020 PST → 2020-10-12T12:05:43-08:00');
    // One device (one prompt): the later output wins.
    expect(p.devices[0]!.facts.usageReporting!.reportingPushIntervalDays).toBe(20);
    expect(before!.facts.policy).toBeNull(); // cut by `<output truncated>`
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F16d: usage reporting all <none>, interval 0 (no reporting)', () => {
    const p = parseCliText(seedText('F16d_show_license_status_usage_reporting_none_truncated.clean.txt'));
    expect(only(p, 'status').facts.usageReporting).toEqual(NO_USAGE_REPORTING);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F22: trust codes installed by `license smart trust idtoken … local force`', () => {
    const p = parseCliText(seedText('F22_license_smart_trust_idtoken_and_status.clean.txt'));
    const f = only(p, 'status').facts;
    expect(f.trustCodes).toHaveLength(2);
    expect(f.trustCodes[0]).toMatchObject({ role: 'active', udi: { pid: 'C9800-CL-K9', sn: '93BBAH93MGS' }, status: 'INSTALLED' });
    expect(f.trustCodes[1]).toMatchObject({ role: 'standby', udi: { pid: 'C9800-CL-K9', sn: '9XECPSUU4XN' }, status: 'INSTALLED' });
    expect(f.trustCodes.map((t) => t.installedAt?.iso)).toEqual(['2020-11-02T05:19:05+05:30', '2020-11-02T05:19:05+05:30']);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F26a: `license smart privacy all`', () => {
    const p = parseCliText(seedText('F26a_privacy_all_show_license_status.clean.txt'));
    const f = only(p, 'status').facts;
    expect(f.dataPrivacy).toEqual({ sendingHostname: false, callhomeHostnamePrivacy: true, smartLicensingHostnamePrivacy: true, versionPrivacy: true });
    expect(f.transport).toEqual({ type: 'Callhome', url: null, csluAddress: null, proxy: null, vrf: null });
  });
});

describe('show license all (seed 003 fixtures)', () => {
  it('F10: 9800-CL 17.7.1, no licences in use, HA pair, usage report summary', () => {
    const p = parseCliText(seedText('F10_show_license_all_9800CL_17.7.1.clean.txt'));
    const f = only(p, 'all').facts;
    expect(f.smartLicensingEnabled).toBe(true);
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.account).toEqual({ smartAccount: 'Eg-SA', virtualAccount: 'Eg-VA', asOf: null });
    expect(f.dataPrivacy).toEqual(PRIVACY_OFF);
    expect(f.transport).toEqual({ type: 'Smart', url: SMART_URL, csluAddress: null, proxy: null, vrf: null });
    expect(f.customId).toBeNull();
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    expect(f.usageReporting).toEqual(NO_USAGE_REPORTING);
    expect(f.trustCodes).toEqual([]);
    expect(f.licenses).toEqual([]); // `No licenses in use`
    expect(f.udi).toEqual({ pid: 'C9800-CL-K9', sn: '9KGIXIDOXFE' });
    expect(f.ha).toEqual([
      { role: 'active', udi: { pid: 'C9800-CL-K9', sn: '9KGIXIDOXFE' } },
      { role: 'standby', udi: { pid: 'C9800-CL-K9', sn: '9UBKZU955E4' } },
    ]);
    expect(f.agentVersion).toBe('5.3.14_rel/47');
    expect(f.authorizations.map((a) => [a.role, a.udi?.sn, a.status])).toEqual([
      ['active', '9KGIXIDOXFE', 'NOT INSTALLED'],
      ['standby', '9UBKZU955E4', 'NOT INSTALLED'],
    ]);
    expect(f.usageReportSummary).toEqual({
      total: 0,
      purged: 0,
      acknowledged: 0,
      waitingForAck: 0,
      availableToReport: 0,
      collectingData: 0,
      maximumDisplay: null,
      inStorage: null,
      mia: null,
    });
    expect(p.devices[0]!.udi).toEqual({ pid: 'C9800-CL-K9', sn: '9KGIXIDOXFE' });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F11: migrated SLR, Transport Off, reserved licences, Markdown-mangled tail', () => {
    const p = parseCliText(seedText('F11_show_license_all_slr_transport_off.clean.txt'));
    const f = only(p, 'all').facts;
    expect(f.smartLicensingEnabled).toBe(true);
    expect(f.transport).toEqual({ type: 'Transport Off', url: null, csluAddress: null, proxy: null, vrf: null });
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    expect(d(f.usageReporting!.nextAckPushCheck)).toBe('Nov 01 20:31:46 2020 IST → 2020-11-01T20:31:46+05:30');
    expect(f.usageReporting!.reportingPushIntervalDays).toBe(0);
    // Each reserved licence once: the usage block (count in use) with the reservation's terms (F11 L112-168).
    expect(f.licenses.map((l) => [l.name, l.tag, l.count, l.status, l.enforcement, l.licenseType])).toEqual([
      ['air-network-advantage', 'DNA_NWStack', 1, 'IN USE', 'NOT ENFORCED', 'Perpetual'],
      ['air-dna-advantage', 'AIR-DNA-A', 1, 'IN USE', 'NOT ENFORCED', 'Perpetual'],
    ]);
    const dna = f.licenses[1]!;
    expect(dna).toMatchObject({ description: 'air-dna-advantage', version: '1.0', exportStatus: 'NOT RESTRICTED', featureName: 'air-dna-advantage' });
    expect(dna.reservation).toMatchObject({ status: 'SPECIFIC INSTALLED', reservedCount: 20 });
    expect(dna.reservation!.terms.map((t) => [t.role, t.udi?.sn, t.start?.iso, t.end?.iso, t.count])).toEqual([
      ['active', '93BBAH93MGS', '2020-10-14T00:00:00Z', '2021-04-12T00:00:00Z', 5],
      ['active', '93BBAH93MGS', '2020-06-18T00:00:00Z', '2020-12-15T00:00:00Z', 5],
      ['standby', '9XECPSUU4XN', '2020-10-14T00:00:00Z', '2021-04-12T00:00:00Z', 10],
    ]);
    expect(f.licenses[0]!.reservation!.terms).toHaveLength(3);
    expect(f.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93BBAH93MGS' });
    expect(f.ha.map((h) => [h.role, h.udi.sn])).toEqual([
      ['active', '93BBAH93MGS'],
      ['standby', '9XECPSUU4XN'],
    ]);
    expect(f.agentVersion).toBe('5.0.6_rel/47'); // printed `5.0.6\_rel/47`
    expect(f.authorizations.map((a) => [a.role, a.udi?.sn, a.status, d(a.installedAt), a.lastConfirmationCode])).toEqual([
      ['active', '93BBAH93MGS', 'SPECIFIC INSTALLED', 'Nov 02 03:16:01 2020 IST → 2020-11-02T03:16:01+05:30', '102fc949'],
      ['standby', '9XECPSUU4XN', 'SPECIFIC INSTALLED', 'Nov 02 03:15:45 2020 IST → 2020-11-02T03:15:45+05:30', 'ad4382fe'],
    ]);
    expect(f.usageReportSummary).toBeNull(); // not printed before 17.7.1
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F21: authorization codes before and after `license smart authorization return local offline`', () => {
    const p = parseCliText(seedText('F21_license_smart_authorization_return_and_show_license_all.clean.txt'));
    const [before, after] = p.outputs.filter((o) => o.command === 'all');
    expect(before!.facts.authorizations.map((a) => [a.role, a.udi?.sn, a.status, a.installedAt?.iso, a.lastConfirmationCode, a.lastReturnCode])).toEqual([
      ['active', '93BBAH93MGS', 'SPECIFIC INSTALLED', '2020-11-02T03:16:01+05:30', '102fc949', null],
      ['standby', '9XECPSUU4XN', 'SPECIFIC INSTALLED', '2020-11-02T03:15:45+05:30', 'ad4382fe', null],
    ]);
    expect(after!.facts.authorizations.map((a) => [a.role, a.udi?.sn, a.status, a.installedAt, a.lastReturnCode])).toEqual([
      ['active', '93BBAH93MGS', 'NOT INSTALLED', null, 'CqaUPW-WSPYiq-ZNU2ci-SnWydS-hBCXHP-MuyPqy-PJ1GiG-tPTGQj-S2h'],
      ['standby', '9XECPSUU4XN', 'NOT INSTALLED', null, 'CNLwxR-eWiAEJ-XaTEQg-j4rrYW-dSRz9j-37VpcP-imjuLD-mNeA4k-TXA'],
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F26b: hostname privacy on, version privacy off; Proxy and VRF unindented after a page break', () => {
    const p = parseCliText(seedText('F26b_privacy_hostname_version_show_license_all.clean.txt'));
    const f = only(p, 'all').facts;
    expect(f.dataPrivacy).toEqual({ sendingHostname: false, callhomeHostnamePrivacy: false, smartLicensingHostnamePrivacy: true, versionPrivacy: false });
    expect(f.transport).toEqual({ type: 'Smart', url: SMART_URL, csluAddress: null, proxy: null, vrf: null });
  });

  it('F26c: transport cslu with its address', () => {
    const f = only(parseCliText(seedText('F26c_transport_cslu_show_license_all.clean.txt')), 'all').facts;
    expect(f.transport).toEqual({ type: 'cslu', url: null, csluAddress: 'http://192.168.0.1:8182/cslu/v1/pi', proxy: null, vrf: null });
  });

  it('F26d: transport smart, the URL as printed (the document configures another one, seed 003 §9.3)', () => {
    const f = only(parseCliText(seedText('F26d_transport_smart_show_license_all.clean.txt')), 'all').facts;
    expect(f.transport).toEqual({
      type: 'Smart',
      url: 'https://smartreceiver-stage.cisco.com/licservice/license',
      csluAddress: null,
      proxy: null,
      vrf: null,
    });
  });
});

describe('genie and ntc samples (facts genie ShowLicenseAll / ShowLicenseStatus extracts, checked against the text)', () => {
  it('genie ShowLicenseAll golden_output: C9300 stack, four licences, Callhome', () => {
    const p = parseCliText(cliText('genie_ShowLicenseAll__golden_output.txt'));
    const f = only(p, 'all').facts;
    expect(d(f.observedAt)).toBe('15:09:55.102 UTC Wed Nov 10 2021 → 2021-11-10T15:09:55.102Z');
    expect(f.smartLicensingEnabled).toBe(true);
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.account).toEqual({ smartAccount: null, virtualAccount: null, asOf: null });
    expect(f.dataPrivacy).toEqual(PRIVACY_OFF);
    expect(f.transport).toEqual({ type: 'Callhome', url: null, csluAddress: null, proxy: null, vrf: null });
    expect(f.customId).toBeNull();
    expect(f.policy).toMatchObject({ inUse: 'Merged from multiple sources.', name: null, ackRequired: { value: true, source: 'cisco-default' } });
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    const u = f.usageReporting!;
    expect(u.lastAckReceived).toBeNull();
    expect(d(u.nextAckDeadline)).toBe('Feb 07 10:32:11 2022 UTC → 2022-02-07T10:32:11Z');
    expect(u.reportingPushIntervalDays).toBe(30); // `30  days`
    expect(u.nextAckPushCheck).toBeNull();
    expect(d(u.nextReportPush)).toBe('Nov 10 11:32:02 2021 UTC → 2021-11-10T11:32:02Z');
    expect(u.lastReportPush).toBeNull();
    expect(u.lastReportFileWrite).toBeNull();
    expect(f.trustCodes).toEqual([]);
    expect(f.licenses.map((l) => [l.name, l.tag, l.description, l.count, l.version, l.status, l.exportStatus, l.featureName, l.enforcement, l.licenseType])).toEqual([
      ['network-advantage (C9300-24 Network Advantage)', null, 'C9300-24 Network Advantage', 2, '1.0', 'IN USE', 'NOT RESTRICTED', 'network-advantage', 'NOT ENFORCED', 'Perpetual'],
      ['dna-advantage (C9300-24 DNA Advantage)', null, 'C9300-24 DNA Advantage', 2, '1.0', 'IN USE', 'NOT RESTRICTED', 'dna-advantage', 'NOT ENFORCED', 'Subscription'],
      ['network-advantage (C9300-48 Network Advantage)', null, 'C9300-48 Network Advantage', 1, '1.0', 'IN USE', 'NOT RESTRICTED', 'network-advantage', 'NOT ENFORCED', 'Perpetual'],
      ['dna-advantage (C9300-48 DNA Advantage)', null, 'C9300-48 DNA Advantage', 1, '1.0', 'IN USE', 'NOT RESTRICTED', 'dna-advantage', 'NOT ENFORCED', 'Subscription'],
    ]);
    expect(f.licenses[0]!.featureDescription).toBe('C9300-24 Network Advantage');
    expect(f.udi).toEqual({ pid: 'C9300-24UX', sn: 'FCW2303D16Y' });
    expect(f.ha).toEqual([
      { role: 'active', udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' } },
      { role: 'standby', udi: { pid: 'C9300-24U', sn: 'FHH2043P09E' } },
      { role: 'member', udi: { pid: 'C9300-48T', sn: 'FCW2139L056' } },
    ]);
    expect(f.agentVersion).toBe('5.3.10_rel/25');
    expect(f.authorizations.map((a) => [a.role, a.udi?.pid, a.udi?.sn, a.status])).toEqual([
      ['active', 'C9300-24UX', 'FCW2303D16Y', 'NOT INSTALLED'],
      ['standby', 'C9300-24U', 'FHH2043P09E', 'NOT INSTALLED'],
      ['member', 'C9300-48T', 'FCW2139L056', 'NOT INSTALLED'],
    ]);
    expect(f.usageReportSummary).toMatchObject({ total: 12, purged: 0, acknowledged: 0, waitingForAck: 0, availableToReport: 12, collectingData: 4 });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('genie ShowLicenseAll golden_output_2: C9400 dual supervisor, proxy, custom policy, `As of` account', () => {
    const p = parseCliText(cliText('genie_ShowLicenseAll__golden_output_2.txt'));
    const f = only(p, 'all').facts;
    expect(f.account!.smartAccount).toBe('BU Production Test');
    expect(d(f.account!.asOf)).toBe('Dec 18 11:02:51 2023 PDT → 2023-12-18T11:02:51-07:00');
    expect(f.account!.virtualAccount).toBe('Cat9K-FranklinDT');
    expect(f.dataPrivacy).toEqual(PRIVACY_OFF);
    // `Address: 173.36.224.109` / `Port: 80` under `Proxy:`; `VRF: <empty>`.
    expect(f.transport).toEqual({ type: 'Smart', url: SMART_URL, csluAddress: null, proxy: '173.36.224.109:80', vrf: null });
    expect(f.policy!.inUse).toBe('Installed On Oct 24 15:07:43 2023 PDT');
    expect(f.policy!.installedAt?.iso).toBe('2023-10-24T15:07:43-07:00');
    expect(f.policy!.name).toBe('SLE Policy');
    expect(f.policy!.ackRequired).toEqual({ value: true, source: 'customer' });
    expect(classes(f.policy)).toEqual({
      unenforcedPerpetual: '30 customer / 60 customer / 60 customer',
      unenforcedSubscription: '120 customer / 111 customer / 111 customer',
      enforced: '30 customer / 90 customer / 60 customer',
      export: '30 customer / 30 customer / 30 customer',
    });
    const u = f.usageReporting!;
    expect([u.lastAckReceived?.raw, u.nextAckDeadline?.raw, u.reportingPushIntervalDays, u.nextAckPushCheck, u.nextReportPush?.raw, u.lastReportPush?.raw, u.lastReportFileWrite]).toEqual([
      'Dec 18 11:05:11 2023 PDT',
      'Feb 16 11:05:11 2024 PDT',
      30,
      null,
      'Jan 17 11:00:18 2024 PDT',
      'Dec 18 11:00:18 2023 PDT',
      null,
    ]);
    // The chassis's two supervisors print one UDI twice: one trust code, one HA entry, one authorization.
    expect(f.trustCodes.map((t) => [t.role, t.udi?.pid, t.udi?.sn, t.status, t.installedAt?.raw])).toEqual([
      ['active', 'C9407R', 'FXS2119Q2U7', 'INSTALLED', 'Nov 22 11:34:47 2023 PDT'],
    ]);
    expect(f.udi).toEqual({ pid: 'C9407R', sn: 'FXS2119Q2U7' });
    expect(f.ha).toEqual([{ role: 'active', udi: { pid: 'C9407R', sn: 'FXS2119Q2U7' } }]);
    expect(f.agentVersion).toBe('5.11.2_rel/6');
    expect(f.authorizations.map((a) => [a.role, a.udi?.sn, a.status])).toEqual([['active', 'FXS2119Q2U7', 'NOT INSTALLED']]);
    expect(f.usageReportSummary).toMatchObject({ total: 70, purged: 0, acknowledged: 64, waitingForAck: 0, availableToReport: 6, collectingData: 2 });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('genie ShowLicenseStatus golden_output1: output opening with `Utility:`, cslu, custom policy, three trust codes', () => {
    const p = parseCliText(cliText('genie_ShowLicenseStatus__golden_output1.txt'));
    const f = only(p, 'status').facts;
    expect(d(f.observedAt)).toBe('.05:30:30.132 UTC Fri Oct 22 2021 → 2021-10-22T05:30:30.132Z');
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.account).toEqual({
      smartAccount: 'SA-Switching-Polaris',
      virtualAccount: 'SLE_Test',
      asOf: expect.objectContaining({ raw: 'Oct 14 12:10:01 2021 UTC', iso: '2021-10-14T12:10:01Z' }),
    });
    expect(f.dataPrivacy).toEqual(PRIVACY_OFF);
    expect(f.transport).toEqual({ type: 'cslu', url: null, csluAddress: null, proxy: null, vrf: null }); // `<empty>`, `Not Configured`
    expect(f.policy).toMatchObject({ inUse: 'Installed On Oct 14 11:37:52 2021 UTC', name: 'Custom Policy', ackRequired: { value: true, source: 'customer' } });
    expect(classes(f.policy)).toEqual({
      unenforcedPerpetual: '365 customer / 0 customer / 90 customer',
      unenforcedSubscription: '90 customer / 90 customer / 90 customer',
      enforced: '365 customer / 90 customer / 90 customer',
      export: '365 customer / 90 customer / 90 customer',
    });
    const u = f.usageReporting!;
    expect([u.lastAckReceived?.iso, u.nextAckDeadline?.iso, u.reportingPushIntervalDays, u.nextAckPushCheck, u.nextReportPush?.iso, u.lastReportPush?.iso, u.lastReportFileWrite]).toEqual([
      '2021-10-14T12:10:32Z',
      '2022-01-12T12:10:32Z',
      30,
      null,
      '2021-10-22T04:33:08Z',
      '2021-10-14T12:09:30Z',
      null,
    ]);
    expect(f.trustCodes.map((t) => [t.role, t.udi?.pid, t.udi?.sn, t.status, t.installedAt?.raw])).toEqual([
      ['active', 'C9300-24UX', 'FCW2303D16Y', 'INSTALLED', 'Oct 14 11:37:52 2021 UTC'],
      ['standby', 'C9300-24U', 'FHH2043P09E', 'INSTALLED', 'Oct 14 11:37:52 2021 UTC'],
      ['member', 'C9300-48T', 'FCW2139L056', 'INSTALLED', 'Oct 14 11:37:53 2021 UTC'],
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('ntc show_license_status1 is pre-SLP: labelled, and none of its Registration fields read as SLP facts', () => {
    const p = parseCliText(cliText('ntc_show_license_status1.txt'));
    expect(p.preSlp).toBe(true);
    const f = only(p, 'status').facts;
    expect(f.preSlp).toEqual({ evidence: 'Registration: REGISTERED', registration: 'REGISTERED' });
    expect(f.policy).toBeNull();
    expect(f.account).toBeNull(); // `Smart Account: ACME Corporation` is under Registration
    expect(f.usageReporting).toBeNull();
    expect(f.transport).toBeNull();
    expect(p.warnings.some((w) => /before Smart Licensing Using Policy/.test(w.message))).toBe(true);
  });

  it('ntc show_license_status2: SLP, Transport Off, EDT dates', () => {
    const p = parseCliText(cliText('ntc_show_license_status2.txt'));
    expect(p.preSlp).toBe(false);
    const f = only(p, 'status').facts;
    expect(f.account).toEqual({ smartAccount: null, virtualAccount: null, asOf: null });
    expect(f.transport!.type).toBe('Transport Off');
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    expect(f.policy!.inUse).toBe('Merged from multiple sources.');
    const u = f.usageReporting!;
    expect([u.lastAckReceived?.iso, u.nextAckDeadline?.iso, u.reportingPushIntervalDays, u.nextAckPushCheck, u.nextReportPush?.iso, u.lastReportPush?.iso]).toEqual([
      '2023-11-08T10:31:23-04:00',
      '2024-02-06T10:31:23-04:00',
      30,
      null,
      '2024-06-12T11:09:56-04:00',
      '2023-11-09T11:18:00-04:00',
    ]);
    expect(f.trustCodes).toEqual([]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('ntc show_license_status3: SLP, `As of` account, a single-device trust code (a date after the label)', () => {
    const p = parseCliText(cliText('ntc_show_license_status3.txt'));
    expect(p.preSlp).toBe(false);
    const f = only(p, 'status').facts;
    expect(f.account!.smartAccount).toBe('Eg-SA');
    expect(f.account!.asOf?.iso).toBe('2021-12-03T15:26:02Z');
    expect(f.account!.virtualAccount).toBe('Eg-VA');
    expect(f.transport).toEqual({ type: 'Smart', url: SMART_URL, csluAddress: null, proxy: null, vrf: null });
    expect(f.policy).toMatchObject({ inUse: 'Installed On Dec 03 08:23:45 2021 UTC', name: 'SLE Policy' });
    expect(f.policy!.installedAt?.iso).toBe('2021-12-03T08:23:45Z');
    expect(classes(f.policy)).toEqual({
      unenforcedPerpetual: '30 customer / 60 customer / 60 customer',
      unenforcedSubscription: '120 customer / 111 customer / 111 customer',
      enforced: '30 customer / 90 customer / 60 customer',
      export: '30 customer / 30 customer / 30 customer',
    });
    expect(f.usageReporting!.nextAckPushCheck?.raw).toBe('Dec 07 08:31:32 2021 UTC');
    expect(f.usageReporting!.lastReportPush?.raw).toBe('Dec 03 08:30:57 2021 UTC');
    expect(f.trustCodes).toEqual([
      { udi: null, role: null, status: 'INSTALLED', installedAt: expect.objectContaining({ raw: 'Dec 03 08:23:45 2021 UTC', iso: '2021-12-03T08:23:45Z' }) },
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });
});

describe('tolerance', () => {
  const F07 = seedText('F07_show_license_status_custom_policy_ha_trust.clean.txt');
  const F10 = seedText('F10_show_license_all_9800CL_17.7.1.clean.txt');
  const facts = (t: string, command: 'status' | 'all') => only(parseCliText(t), command).facts;

  it.each([
    ['indentation removed', 0],
    ['4-space indentation', 4],
    ['8-space indentation', 8],
  ])('F07 and F10 read the same with %s', (_, n) => {
    expect(facts(reindent(F07, n), 'status')).toEqual(facts(F07, 'status'));
    expect(facts(reindent(F10, n), 'all')).toEqual(facts(F10, 'all'));
  });

  it('CRLF line ends', () => {
    expect(facts(F10.replace(/\n/g, '\r\n'), 'all')).toEqual(facts(F10, 'all'));
  });

  it('`&lt;none&gt;` and `&lt;empty&gt;` of a page pasted as HTML read as null', () => {
    const html = F10.replace(/<none>/g, '&lt;none&gt;').replace(/<empty>/g, '&lt;empty&gt;');
    const f = facts(html, 'all');
    expect(f.usageReporting).toEqual(NO_USAGE_REPORTING);
    expect(f.trustCodes).toEqual([]);
    expect(f.customId).toBeNull();
  });

  it('`Label.....: value` leaders', () => {
    const { facts: f, warnings } = direct(
      [
        'Usage Reporting:',
        '  Last ACK received.....: Sep 22 13:49:38 2020 PST',
        '  Reporting push interval.....: 30 days',
        'Policy:',
        '  Policy in use.....: Merged from multiple sources.',
        '  Unenforced/Non-Export Perpetual Attributes:',
        '    First report requirement (days).....: 365 (CISCO default)',
      ].join('\n'),
    );
    expect(f.usageReporting!.lastAckReceived?.iso).toBe('2020-09-22T13:49:38-08:00');
    expect(f.usageReporting!.reportingPushIntervalDays).toBe(30);
    expect(f.policy!.inUse).toBe('Merged from multiple sources.');
    expect(f.policy!.classes.unenforcedPerpetual!.firstReportDays).toEqual({ days: 365, source: 'cisco-default' });
    expect(warnings).toEqual([]);
  });

  it('a paste cut above its block header still gives the labels only one block has', () => {
    const { facts: f } = direct(['    Reporting frequency (days): 90 (Customer Policy)', '  Policy name: SLE Policy', '  Next ACK deadline: <none>'].join('\n'));
    expect(f.policy!.name).toBe('SLE Policy');
    expect(f.usageReporting!.nextAckDeadline).toBeNull();
  });

  it('a policy value without its class heading is skipped with a warning', () => {
    const { facts: f, warnings } = direct(['Policy:', '  Reporting frequency (days): 90 (Customer Policy)'].join('\n'));
    expect(f.policy!.classes).toEqual({});
    expect(warnings).toEqual([expect.stringMatching(/not under a licence-class heading/)]);
  });

  it('9800-CL 17.7.1 `License Ack expected within.....: 179 days` becomes a countdown from the output time', () => {
    const text = ['Time source is NTP, 21:05:16.092 UTC Mon Oct 25 2021', 'Utility:', '  Status: DISABLED', 'License Ack expected within.....: 179 days'].join('\n');
    const { facts: f } = direct(text);
    expect(f.ackCountdown).toEqual({ raw: '179 days', days: 179, observedAt: expect.objectContaining({ iso: '2021-10-25T21:05:16.092Z' }) });
  });

  it('a proxy address and port, a VRF on the next line, and the trust status on the UDI line', () => {
    const { facts: f, warnings } = direct(
      [
        'Transport:',
        '  Type: Smart',
        '  Proxy:',
        '    Address: 10.1.1.1',
        '    Port: 3128',
        '  VRF:',
        '    Mgmt-vrf',
        'Trust Code Installed:',
        '  Active: PID:C9300-24UX,SN:FCW2303D16Y INSTALLED on Oct 14 11:37:52 2021 UTC',
        '  Standby: PID:C9300-24U,SN:FHH2043P09E',
        '    NOT INSTALLED',
      ].join('\n'),
    );
    expect(f.transport).toEqual({ type: 'Smart', url: null, csluAddress: null, proxy: '10.1.1.1:3128', vrf: 'Mgmt-vrf' });
    expect(f.trustCodes.map((t) => [t.role, t.udi?.sn, t.status, t.installedAt?.iso ?? null])).toEqual([
      ['active', 'FCW2303D16Y', 'INSTALLED', '2021-10-14T11:37:52Z'],
      ['standby', 'FHH2043P09E', 'NOT INSTALLED', null],
    ]);
    expect(warnings).toEqual([]);
  });

  it('text after `Trust Code Installed: <none>` or after the list is not taken for a trust code', () => {
    expect(direct('Trust Code Installed: <none>\n  INSTALLED on Oct 14 11:37:52 2021 UTC').facts.trustCodes).toEqual([]);
    const { facts: f } = direct('Trust Code Installed:\n  Active: PID:C9300-24UX,SN:FCW2303D16Y\n    INSTALLED on Oct 14 11:37:52 2021 UTC\nsome trailing text');
    expect(f.trustCodes.map((t) => [t.udi?.sn, t.status])).toEqual([['FCW2303D16Y', 'INSTALLED']]);
  });

  it('garbage, a lone heading and an empty input read as nothing, without throwing', () => {
    for (const t of ['', 'Policy:', '=====', 'Trust Code Installed:\n  Active: PID', ':::\n: :\nUsage Report Summary:\nTotal: x, Purged: y']) {
      expect(() => direct(t)).not.toThrow();
    }
    expect(direct('Usage Report Summary:\nTotal: x, Purged: y').warnings.length).toBeGreaterThan(0);
  });
});
