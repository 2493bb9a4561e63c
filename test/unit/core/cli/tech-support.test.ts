import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { parseTechSupport } from '../../../../src/core/formats/cli/tech-support.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliFacts, CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { CISCO_DEFAULT, classes, cliText, d, only, parserWarnings, reindent, seedText } from './_status.ts';

function direct(text: string) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  parseTechSupport(cliLines(text), ctx);
  return { facts: ctx.facts, warnings: warnings.map((w) => w.message) };
}

const tech = (text: string) => {
  const p = parseCliText(text);
  return { p, f: only(p, 'tech-support').facts };
};

const licences = (f: CliFacts) => f.licenses.map((l) => [l.name, l.tag, l.count, l.status, l.licenseType]);
const summary = (f: CliFacts) => {
  const s = f.usageReportSummary;
  return s && [s.total, s.purged, s.acknowledged, s.waitingForAck, s.availableToReport, s.collectingData, s.maximumDisplay, s.inStorage, s.mia];
};

const NW_A = 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53';
const DNA_A_24 = 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18';
const AIR_NW_A = 'regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896';
const AIR_DNA_A = 'regid.2017-08.com.cisco.AIR-DNA-A,1.0_b6308627-3ab0-4a11-a3d9-586911a0d790';
const NW_A_48 = 'regid.2017-05.com.cisco.C9300_48P_NW_Advantagek9,1.0_6a224fe3-c92e-4440-a9c1-5d0e53a54015';
const DNA_A_48 = 'regid.2017-05.com.cisco.C9300_48P_Dna_Advantage,1.0_60783b06-53ee-484c-b21e-615d3cf6837a';
const NW_A_9400 = 'regid.2017-05.com.cisco.advantagek9-C9400,1.0_61a546cd-1037-47cb-bbe6-7cad3217a7b3';
const DNA_A_9400 = 'regid.2017-05.com.cisco.dna_advantage-C9400,1.0_6e77dbc1-0da3-466c-8414-97c8ee4d48ce';
const STACK = [
  { role: 'active', udi: { pid: 'C9300-24UX', sn: 'FCW2134L00C' } },
  { role: 'standby', udi: { pid: 'C9300-24U', sn: 'FOC2129Z02H' } },
  { role: 'member', udi: { pid: 'C9300-24T', sn: 'FCW2125L07Y' } },
];

describe('show license tech support (seed 003 fixtures)', () => {
  it('F17: 9800-CL 17.7.1, licences in the Handle form, Current time, trust data, communication statistics passed over', () => {
    const { p, f } = tech(seedText('F17_show_license_tech_support_9800CL_17.7.1.clean.txt'));
    expect(f.smartLicensingEnabled).toBe(true);
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.account).toEqual({ smartAccount: null, virtualAccount: null, asOf: null });
    expect(f.dataPrivacy).toEqual({ sendingHostname: true, callhomeHostnamePrivacy: false, smartLicensingHostnamePrivacy: false, versionPrivacy: false });
    // `Address: <empty>` / `Port: <empty>` under Proxy, `VRF: <empty>`; Other Info's `Transport: Smart` is not the block.
    expect(f.transport).toEqual({ type: 'Smart', url: 'https://smartreceiver.cisco.com/licservice/license', csluAddress: null, proxy: null, vrf: null });
    expect(classes(f.policy)).toEqual(CISCO_DEFAULT);
    // `0 (no reporting) State(1) InPolicy(0)`; the `Usage Reporting:` of Communication Statistics changes nothing.
    expect(f.usageReporting).toEqual({
      lastAckReceived: null,
      nextAckDeadline: null,
      reportingPushIntervalDays: 0,
      nextAckPushCheck: null,
      nextReportPush: null,
      lastReportPush: null,
      lastReportFileWrite: null,
    });
    // The first tag is on the line after `Entitlement Tag:` (F17 L76-77) and spells `DNA_NWstack` as printed.
    expect(licences(f)).toEqual([
      ['air-network-advantage', 'regid.2018-06.com.cisco.DNA_NWstack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896', 0, 'NOT IN USE', 'Perpetual'],
      ['air-dna-advantage', AIR_DNA_A, 0, 'NOT IN USE', 'Subscription'],
    ]);
    expect(f.licenses[0]).toMatchObject({
      description: 'air-network-advantage',
      version: '1.0', // after a blank line, unindented (F17 L81)
      exportStatus: 'NOT RESTRICTED',
      featureName: 'air-network-advantage',
      featureDescription: 'air-network-advantage',
      enforcement: 'NOT ENFORCED',
      truncated: false,
    });
    expect(f.udi).toEqual({ pid: 'C9800-CL-K9', sn: '9KGIXIDOXFE' });
    expect(f.ha.map((h) => [h.role, h.udi.sn])).toEqual([
      ['active', '9KGIXIDOXFE'],
      ['standby', '9UBKZU955E4'],
    ]);
    expect(f.agentVersion).toBe('5.3.14_rel/47');
    expect(d(f.observedAt)).toBe('Oct 06 00:38:46 2021 UTC → 2021-10-06T00:38:46Z'); // Current time: no Time source pasted
    // Reservation Info → authorizations; Other Info `P:…,S:…: No Trust Data` → trust codes, roles from the HA list.
    expect(f.authorizations.map((a) => [a.role, a.udi?.sn, a.status, a.lastReturnCode, a.lastConfirmationCode])).toEqual([
      ['active', '9KGIXIDOXFE', 'NOT INSTALLED', null, null],
      ['standby', '9UBKZU955E4', 'NOT INSTALLED', null, null],
    ]);
    expect(f.trustCodes.map((t) => [t.role, t.udi?.sn, t.status, t.installedAt])).toEqual([
      ['active', '9KGIXIDOXFE', 'NOT INSTALLED', null],
      ['standby', '9UBKZU955E4', 'NOT INSTALLED', null],
    ]);
    expect(summary(f)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F17: a `Time source is` line, when pasted, is the output time rather than Current time', () => {
    const text = seedText('F17_show_license_tech_support_9800CL_17.7.1.clean.txt').replace(
      'Smart Licensing Tech Support info',
      'Time source is NTP, 00:38:50.100 UTC Wed Oct 6 2021\nSmart Licensing Tech Support info',
    );
    expect(tech(text).f.observedAt?.iso).toBe('2021-10-06T00:38:50.100Z');
  });

  it('F17 reads the same with indentation removed, 4-space indentation and CRLF', () => {
    const text = seedText('F17_show_license_tech_support_9800CL_17.7.1.clean.txt');
    const base = tech(text).f;
    expect(tech(reindent(text, 0)).f).toEqual(base);
    expect(tech(reindent(text, 4)).f).toEqual(base);
    expect(tech(text.replace(/\n/g, '\r\n')).f).toEqual(base);
    expect(tech(text.replace(/<none>/g, '&lt;none&gt;').replace(/<empty>/g, '&lt;empty&gt;')).f).toEqual(base);
  });

  it('F18a: a License Usage snippet of measurements only: no licence to give them to, a warning', () => {
    const text = seedText('F18a_show_license_tech_support_license_usage_snippet.clean.txt');
    // Without `Smart Licensing Tech Support info` the paste names no command the workbench knows.
    const p = parseCliText(text);
    expect(p.outputs).toEqual([]);
    expect(p.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/not the output of a command/)]);
    // Measurements, ENTITLEMENT, Interval, Current Value, Current Report: five lines with no Handle above them.
    const { facts: f, warnings } = direct(text);
    expect(f.licenses).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/License Usage: 5 line\(s\) before any "Handle:" line skipped/)]);
  });

  it('F18b: a Usage Report Summary snippet with `Purged: 0 (0)` and `Waiting for Ack: 0(4)`', () => {
    const { facts: f, warnings } = direct(seedText('F18b_show_license_tech_support_usage_report_summary_snippet.clean.txt'));
    expect(f.usageReportSummary).toEqual({
      total: 4,
      purged: 0,
      acknowledged: 0,
      waitingForAck: 0,
      availableToReport: 4,
      collectingData: 2,
      maximumDisplay: 4,
      inStorage: 4,
      mia: 0,
    });
    expect(warnings).toEqual([]);
  });

  it('F19: pre-SLP tech support (SLR, 16.12) is labelled and only its identity is read', () => {
    const p = parseCliText(seedText('F19_show_license_tech_support_slr_legacy.clean.txt'));
    expect(p.preSlp).toBe(true);
    const f = only(p, 'tech-support').facts;
    expect(f.preSlp).toEqual({
      evidence: 'Registration: REGISTERED - SPECIFIC LICENSE RESERVATION',
      registration: 'REGISTERED - SPECIFIC LICENSE RESERVATION',
    });
    expect(f.policy).toBeNull();
    expect(f.usageReporting).toBeNull();
    expect(f.licenses).toEqual([]);
    expect(f.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93BBAH93MGS' });
    expect(f.ha.map((h) => [h.role, h.udi.sn])).toEqual([
      ['active', '93BBAH93MGS'],
      ['standby', '9XECPSUU4XN'],
    ]);
    expect(p.warnings.some((w) => /before Smart Licensing Using Policy \(Registration: REGISTERED - SPECIFIC LICENSE RESERVATION\)/.test(w.message))).toBe(true);
  });
});

describe('genie ShowLicenseTechSupport samples (facts genie extracts that our model holds, checked against the text)', () => {
  it('golden_output: C9300 stack, cslu, custom policy, four handles', () => {
    const { p, f } = tech(cliText('genie_ShowLicenseTechSupport__golden_output.txt'));
    expect(d(f.observedAt)).toBe('.13:28:08.565 UTC Tue Jan 11 2022 → 2022-01-11T13:28:08.565Z');
    expect(f.utilityEnabled).toBe(false);
    expect(f.slpEnabled).toBe(true);
    expect(f.account!.smartAccount).toBe('SA-Switching-Polaris');
    expect(d(f.account!.asOf)).toBe('Jan 10 20:31:32 2022 UTC → 2022-01-10T20:31:32Z');
    expect(f.account!.virtualAccount).toBe('SLE_Test');
    expect(f.dataPrivacy).toEqual({ sendingHostname: true, callhomeHostnamePrivacy: false, smartLicensingHostnamePrivacy: false, versionPrivacy: false });
    expect(f.transport).toEqual({ type: 'cslu', url: null, csluAddress: 'http://172.19.180.22:8182/cslu/v1/pi', proxy: null, vrf: null });
    expect(f.customId).toBeNull();
    expect(f.policy).toMatchObject({ inUse: 'Installed On Jan 10 17:18:01 2022 UTC', name: 'Custom Policy', ackRequired: { value: true, source: 'customer' } });
    expect(f.policy!.installedAt?.iso).toBe('2022-01-10T17:18:01Z');
    expect(classes(f.policy)).toEqual({
      unenforcedPerpetual: '365 customer / 0 customer / 90 customer',
      unenforcedSubscription: '90 customer / 90 customer / 90 customer',
      enforced: '365 customer / 90 customer / 90 customer',
      export: '365 customer / 90 customer / 90 customer',
    });
    const u = f.usageReporting!;
    expect([u.lastAckReceived?.raw, u.nextAckDeadline?.raw, u.reportingPushIntervalDays, u.nextAckPushCheck, u.nextReportPush?.raw, u.lastReportPush?.raw, u.lastReportFileWrite]).toEqual([
      'Jan 10 20:32:26 2022 UTC',
      'Apr 10 20:32:26 2022 UTC',
      30, // `30  days State(4) InPolicy(90)`
      null,
      'Jan 11 13:21:47 2022 UTC',
      'Jan 10 20:31:25 2022 UTC',
      null,
    ]);
    expect(licences(f)).toEqual([
      ['network-advantage', NW_A, 3, 'IN USE', 'Perpetual'],
      ['dna-advantage', DNA_A_24, 3, 'IN USE', 'Subscription'],
      ['air-network-advantage', AIR_NW_A, 0, 'NOT IN USE', 'Perpetual'],
      ['air-dna-advantage', AIR_DNA_A, 0, 'NOT IN USE', 'Subscription'],
    ]);
    expect(f.licenses[0]).toMatchObject({
      description: 'C9300-24 Network Advantage',
      version: '1.0',
      exportStatus: 'NOT RESTRICTED',
      featureName: 'network-advantage',
      featureDescription: 'C9300-24 Network Advantage',
      enforcement: 'NOT ENFORCED',
    });
    expect(f.udi).toEqual({ pid: 'C9300-24UX', sn: 'FCW2134L00C' });
    expect(f.ha).toEqual(STACK);
    expect(f.agentVersion).toBe('5.3.16_rel/55');
    expect(f.authorizations.map((a) => [a.role, a.udi?.sn, a.status, a.lastReturnCode, a.lastConfirmationCode])).toEqual([
      ['active', 'FCW2134L00C', 'NOT INSTALLED', null, null],
      ['standby', 'FOC2129Z02H', 'NOT INSTALLED', null, null],
      ['member', 'FCW2125L07Y', 'NOT INSTALLED', null, null],
    ]);
    // `Last Reporting Not Required:` / `Entitlement Tag:` after Purchased Licenses is no licence of the device.
    expect(f.licenses.some((l) => /essentialsk9/.test(l.tag ?? ''))).toBe(false);
    expect(summary(f)).toEqual([86, 0, 76, 0, 3, 2, 86, 22, 0]);
    expect(f.trustCodes.map((t) => [t.role, t.udi?.sn, t.status])).toEqual([
      ['active', 'FCW2134L00C', 'NOT INSTALLED'],
      ['standby', 'FOC2129Z02H', 'NOT INSTALLED'],
      ['member', 'FCW2125L07Y', 'NOT INSTALLED'],
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });

  interface Expected {
    file: string;
    observedAt: string;
    udi: string;
    ha: number;
    agent: string;
    transport: [string, string | null, string | null, string | null];
    account: [string | null, string | null] | null;
    policy: [string, string | null];
    ackDeadline: string;
    lastAck: string | null;
    licences: Array<[string, string, number, string]>;
    summary: Array<number | null> | null;
    trust: string[];
  }

  const CASES: Expected[] = [
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_2.txt',
      observedAt: '2022-03-22T14:48:32.688Z',
      udi: 'FCW2134L00C',
      ha: 3,
      agent: '5.1.26_rel/120',
      transport: ['Smart', 'https://smartreceiver.cisco.com/licservice/license', null, null],
      account: null,
      policy: ['Installed On Mar 22 11:19:35 2022 UTC', 'SLE Policy'],
      ackDeadline: 'May 21 12:19:01 2022 UTC',
      lastAck: 'Mar 22 12:19:01 2022 UTC',
      licences: [
        ['network-advantage', NW_A, 3, 'IN USE'],
        ['dna-advantage', DNA_A_24, 3, 'IN USE'],
        ['air-network-advantage', AIR_NW_A, 0, 'IN USE'],
        ['air-dna-advantage', AIR_DNA_A, 0, 'IN USE'],
      ],
      summary: null,
      trust: ['INSTALLED', 'INSTALLED', 'INSTALLED'],
    },
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_3.txt',
      observedAt: '2022-05-21T14:10:53.416Z',
      udi: 'FCW2134L00C',
      ha: 3,
      agent: '5.5.11_rel/31',
      transport: ['cslu', null, 'http://172.19.180.22:8182/cslu/v1/pi', null],
      account: [null, null],
      policy: ['Merged from multiple sources.', null],
      ackDeadline: 'Apr 06 13:28:03 2023 UTC',
      lastAck: null,
      licences: [
        ['network-essentials', 'regid.2017-03.com.cisco.essentialsk9,1.0_90406ae8-385e-43aa-ac98-91da0ea270e2', 3, 'IN USE'],
        ['air-network-advantage', AIR_NW_A, 0, 'NOT IN USE'],
        ['air-dna-advantage', AIR_DNA_A, 0, 'NOT IN USE'],
      ],
      summary: [3, 0, 0, 0, 3, 1, 3, 3, 0],
      trust: ['NOT INSTALLED', 'NOT INSTALLED', 'NOT INSTALLED'],
    },
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_4.txt',
      observedAt: '2022-08-29T09:59:10.353Z',
      udi: 'FCW2133G09T',
      ha: 3,
      agent: '5.1.29_rel/134',
      transport: ['Smart', 'https://smartreceiver.cisco.com/licservice/license', null, null],
      account: null,
      policy: ['Merged from multiple sources.', null],
      ackDeadline: 'Nov 27 09:47:56 2022 UTC',
      lastAck: null,
      licences: [
        ['network-advantage', NW_A_48, 2, 'IN USE'],
        ['dna-advantage', DNA_A_48, 2, 'IN USE'],
        ['network-advantage', NW_A, 1, 'IN USE'],
        ['dna-advantage', DNA_A_24, 1, 'IN USE'],
      ],
      summary: null,
      trust: [], // `Overall Trust: No ID` and no line per UDI
    },
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_5.txt',
      observedAt: '2022-10-14T14:05:17-07:00', // Current time (PDT): no Time source in this sample
      udi: 'FXS2228026X',
      ha: 1, // Active and Standby are one C9410R UDI
      agent: '5.7.6_rel/15',
      transport: ['cslu', null, 'http://1.4.135.115:8182/cslu/v1/pi', null],
      account: ['BU Production Test', 'SL-Adoption'],
      policy: ['Installed On Oct 11 15:39:41 2022 PDT', 'SLE Policy'],
      ackDeadline: 'Dec 10 15:39:42 2022 PDT',
      lastAck: 'Oct 11 15:39:41 2022 PDT',
      licences: [
        ['network-advantage', NW_A_9400, 2, 'IN USE'],
        ['dna-advantage', DNA_A_9400, 1, 'IN USE'],
      ],
      summary: [430, 344, 119, 0, 171, 2, 366, 8, 0],
      trust: ['INSTALLED'], // `… state[2], Trust Data INSTALLED  TrustId:827`, twice for the one UDI
    },
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_6.txt',
      observedAt: '2023-01-09T15:08:53Z',
      udi: 'FDO2446000P',
      ha: 2,
      agent: '5.7.15_rel/44',
      transport: ['Smart', 'https://smartreceiver-dev.cisco.com/licservice/license', null, null],
      account: [null, null],
      policy: ['Merged from multiple sources.', null],
      ackDeadline: 'Mar 19 19:51:37 2023 UTC',
      lastAck: null,
      licences: [
        ['network-advantage', 'regid.2021-03.com.cisco.C9500X_NW_A,1.0_9cff48db-3555-4bf0-ae49-edfbb0a8327d', 1, 'IN USE'],
        ['dna-advantage', 'regid.2021-03.com.cisco.C9500X_DNA_A,1.0_ed879e7f-f17e-4a9e-a7c1-aee91e5d6ec3', 1, 'IN USE'],
      ],
      summary: [10, 0, 0, 0, 12, 2, 12, 10, 0],
      trust: ['NOT INSTALLED', 'NOT INSTALLED'],
    },
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_7.txt',
      observedAt: '2023-07-13T13:18:05Z',
      udi: 'FOC2517L8KW',
      ha: 2,
      agent: '5.9.4_rel/9',
      transport: ['cslu', null, null, null], // `Cslu address: <empty>`, `Proxy:` with `Address:` unindented
      account: [null, null],
      policy: ['Merged from multiple sources.', null],
      ackDeadline: 'Sep 25 11:23:47 2022 UTC',
      lastAck: null,
      licences: [
        ['network-advantage', NW_A_48, 1, 'IN USE'],
        ['dna-advantage', DNA_A_48, 1, 'IN USE'],
        ['network-advantage', NW_A, 1, 'IN USE'],
        ['dna-advantage', DNA_A_24, 1, 'IN USE'],
      ],
      summary: [1188, 1204, 0, 0, 322, 4, 322, 0, 96],
      trust: ['NOT INSTALLED', 'NOT INSTALLED'],
    },
    {
      file: 'genie_ShowLicenseTechSupport__golden_output_8_proxy.txt',
      observedAt: '2023-09-01T11:04:51.711-07:00',
      udi: 'FXS2119Q2U7',
      ha: 1,
      agent: '5.1.31_rel/142',
      transport: ['Smart', 'https://smartreceiver.cisco.com/licservice/license', null, '173.36.224.108:80'],
      account: null,
      policy: ['Installed On Aug 30 18:45:53 2023 PDT', 'SLE Policy'],
      ackDeadline: 'Oct 29 19:03:00 2023 PDT',
      lastAck: 'Aug 30 19:03:00 2023 PDT',
      licences: [
        ['network-advantage', NW_A_9400, 2, 'IN USE'],
        ['dna-advantage', DNA_A_9400, 1, 'IN USE'],
      ],
      summary: null,
      trust: ['INSTALLED'],
    },
  ];

  it.each(CASES.map((c) => [c.file, c] as const))('%s', (_, c) => {
    const { p, f } = tech(cliText(c.file));
    expect(f.observedAt?.iso).toBe(c.observedAt);
    expect(f.smartLicensingEnabled).toBe(true);
    expect(f.slpEnabled).toBe(true);
    expect(f.utilityEnabled).toBe(false);
    expect(f.udi?.sn).toBe(c.udi);
    expect(f.ha).toHaveLength(c.ha);
    expect(f.ha[0]!.role).toBe('active');
    expect(f.agentVersion).toBe(c.agent);
    expect([f.transport?.type, f.transport?.url, f.transport?.csluAddress, f.transport?.proxy]).toEqual(c.transport);
    expect(f.account && [f.account.smartAccount, f.account.virtualAccount]).toEqual(c.account);
    expect([f.policy?.inUse, f.policy?.name]).toEqual(c.policy);
    expect(Object.keys(f.policy!.classes)).toEqual(['unenforcedPerpetual', 'unenforcedSubscription', 'enforced', 'export']);
    expect(f.usageReporting?.nextAckDeadline?.raw).toBe(c.ackDeadline);
    expect(f.usageReporting?.lastAckReceived?.raw ?? null).toBe(c.lastAck);
    expect(f.usageReporting?.reportingPushIntervalDays).toBe(30);
    expect(f.licenses.map((l) => [l.name, l.tag, l.count, l.status])).toEqual(c.licences);
    expect(summary(f)).toEqual(c.summary);
    expect(f.trustCodes.map((t) => t.status)).toEqual(c.trust);
    expect(f.trustCodes.every((t) => t.role !== null)).toBe(true);
    expect(f.authorizations.map((a) => a.status)).toEqual(Array(c.ha).fill('NOT INSTALLED'));
    expect(parserWarnings(p).filter((w) => !/lines 1–1: not the output/.test(w))).toEqual([]);
  });

  it('golden_output_2 and _8: custom policy values with Cisco defaults mixed in', () => {
    for (const file of ['genie_ShowLicenseTechSupport__golden_output_2.txt', 'genie_ShowLicenseTechSupport__golden_output_8_proxy.txt']) {
      expect(classes(tech(cliText(file)).f.policy)).toEqual({
        unenforcedPerpetual: '30 customer / 60 customer / 60 customer',
        unenforcedSubscription: '120 customer / 111 customer / 111 customer',
        enforced: '0 cisco-default / 90 customer / 60 customer',
        export: '0 cisco-default / 30 customer / 30 customer',
      });
    }
    expect(classes(tech(cliText('genie_ShowLicenseTechSupport__golden_output_5.txt')).f.policy)).toEqual({
      unenforcedPerpetual: '30 customer / 60 customer / 60 customer',
      unenforcedSubscription: '120 customer / 111 customer / 111 customer',
      enforced: '30 customer / 90 customer / 60 customer',
      export: '30 customer / 30 customer / 30 customer',
    });
  });
});
