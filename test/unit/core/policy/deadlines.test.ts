import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { mergeCli } from '../../../../src/core/model/device-facts.ts';
import type { ProductInstance, StoredReport } from '../../../../src/core/model/fleet.ts';
import { CISCO_DEFAULT_POLICY } from '../../../../src/core/policy/cisco-default.ts';
import { DAY, deviceDeadlines } from '../../../../src/core/policy/deadlines.ts';
import { usageHistory } from '../../../../src/core/policy/usage.ts';
import { FIXTURES } from '../../helpers.ts';

const NOW = Date.UTC(2026, 10, 22, 12);
// Tags whose class the built-in catalogue knows (src/core/data/entitlements.json).
const NW_ADV = 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53'; // perpetual
const DNA_ADV = 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18'; // subscription
const HSEC = 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844'; // export-controlled
const UNKNOWN = 'regid.2099-01.com.cisco.MADE_UP,1.0_00000000-0000-0000-0000-000000000000';

function report(tag: string, start: number, count: number, over: Partial<StoredReport> = {}): StoredReport {
  return {
    reportId: String(start),
    udi: { pid: 'C9300-24UX', sn: 'X' },
    softwareTag: null,
    entitlementTag: tag,
    count,
    start,
    end: start + DAY,
    utility: false,
    softwareVersion: null,
    payloadFormat: '2.0',
    measurementCount: 1,
    fingerprint: 0,
    source: { file: 'f', entry: [], start: 0, end: 0 },
    alsoIn: [],
    ...over,
  };
}

function device(reports: StoredReport[], over: Partial<ProductInstance> = {}): ProductInstance {
  return {
    key: 'PID:C9300-24UX,SN:X',
    udi: { pid: 'C9300-24UX', sn: 'X' },
    hostname: null,
    softwareVersion: null,
    softwareTag: null,
    ha: null,
    licenses: [],
    reportCount: reports.length,
    lastReportEnd: null,
    files: [],
    firstSeen: 0,
    updatedAt: 0,
    usage: usageHistory(reports),
    ...over,
  };
}

const t = (iso: string) => Date.parse(iso);
const ctx = { now: NOW };

describe('deadline rules', () => {
  it('never consumed a licence: no requirement, whatever the policy (seed 004 L273)', () => {
    const r = deviceDeadlines(device([report(DNA_ADV, t('2026-01-01'), 0), report(DNA_ADV, t('2026-02-01'), 0)]), ctx);
    expect([r.status, r.next, r.note]).toEqual(['none', null, 'has never consumed a licence: no reporting is required (seed 004 L273)']);
  });

  it('show output listing licences none of which is in use: cannot tell "never", says so', () => {
    const listed = { cliLicences: { value: [{ name: 'network-advantage', tag: null, count: 0, enforcement: 'NOT ENFORCED', licenseType: 'Perpetual', inUse: false }], file: 'f', at: 0 } };
    const r = deviceDeadlines(device([], listed), ctx);
    expect([r.status, r.note]).toEqual(['unknown', 'no licence in use now, but whether one ever was is not known: import its usage file']);
  });

  it('no usage facts at all: says so instead of guessing', () => {
    const r = deviceDeadlines(device([]), ctx);
    expect([r.status, r.note]).toEqual(['unknown', 'no licence usage known: import its usage file or paste "show license usage"']);
  });

  it('first report of a subscription licence: first use + 90 days under the Cisco default', () => {
    const r = deviceDeadlines(device([report(DNA_ADV, t('2026-09-01T00:00:00Z'), 2)]), ctx);
    expect(r.next).toMatchObject({ rule: 'first-report', kind: 'ack', source: 'computed', dueAt: t('2026-11-30T00:00:00Z'), cls: 'unenforcedSubscription' });
    expect(r.next!.reason).toBe('Unenforced subscription licence dna-advantage in use since 1 Sep 2026, never acknowledged; first report due within 90 days (Cisco default policy) — estimate');
    expect(r.status).toBe('due30');
  });

  it('the 365-day perpetual first report applies only to distributor purchases (a per-VA setting)', () => {
    const reports = [report(NW_ADV, t('2026-01-10T00:00:00Z'), 1)];
    expect(deviceDeadlines(device(reports), ctx).next).toMatchObject({ rule: 'first-report', dueAt: t('2027-01-10T00:00:00Z'), cls: 'unenforcedPerpetual' });
    const direct = deviceDeadlines(device(reports, { virtualAccount: { value: 'Campus', file: 'f', at: 0 } }), { now: NOW, distributorPurchase: (va) => va !== 'Campus' });
    expect([direct.status, direct.next]).toEqual(['none', null]);
    expect(direct.note).toBe('no reporting requirement under the Cisco default policy for the licences in use');
  });

  it('a 365-day count crosses 29 February as 365 days of 24 hours', () => {
    const r = deviceDeadlines(device([report(NW_ADV, t('2024-02-29T10:00:00Z'), 1)]), { now: t('2024-06-01') });
    expect(r.next!.dueAt).toBe(t('2025-02-28T10:00:00Z'));
  });

  it('exactly on the day is due, not overdue; a millisecond later is overdue', () => {
    const d = device([report(DNA_ADV, t('2026-08-24T12:00:00Z'), 1)]);
    const due = t('2026-11-22T12:00:00Z');
    expect(deviceDeadlines(d, { now: due }).next!.dueAt).toBe(due);
    expect(deviceDeadlines(d, { now: due }).status).toBe('due7');
    expect(deviceDeadlines(d, { now: due + 1 }).status).toBe('overdue');
  });

  it('value 0 means not required: an export-controlled licence alone has no deadline under the Cisco default', () => {
    const r = deviceDeadlines(device([report(HSEC, t('2026-01-01'), 1)]), ctx);
    expect([r.status, r.deadlines]).toEqual(['none', []]);
  });

  it('several classes at once: the earliest deadline wins', () => {
    const r = deviceDeadlines(device([report(NW_ADV, t('2026-03-01T00:00:00Z'), 1), report(DNA_ADV, t('2026-06-01T00:00:00Z'), 1)]), ctx);
    // DNA Advantage added on 1 Jun is its own first use: its class's first report (90 days) covers it.
    expect(r.deadlines.map((x) => [x.rule, x.cls, new Date(x.dueAt).toISOString().slice(0, 10)])).toEqual([
      ['first-report', 'unenforcedSubscription', '2026-08-30'],
      ['first-report', 'unenforcedPerpetual', '2027-03-01'],
    ]);
    expect(r.next?.cls).toBe('unenforcedSubscription');
    expect(r.status).toBe('overdue');
  });

  it('after an ACK: reporting frequency from the last ACK, and an unreported change since', () => {
    const reports = [report(DNA_ADV, t('2026-01-01T00:00:00Z'), 2), report(DNA_ADV, t('2026-10-01T00:00:00Z'), 5)];
    const acked = { lastAckReceived: { value: t('2026-09-01T00:00:00Z'), file: 'f', at: t('2026-09-01T00:00:00Z') } };
    const r = deviceDeadlines(device(reports, acked), ctx);
    expect(r.deadlines.map((x) => [x.rule, new Date(x.dueAt).toISOString().slice(0, 10)])).toEqual([
      ['reporting-frequency', '2026-11-30'],
      ['report-on-change', '2026-12-30'],
    ]);
  });

  it('a custom policy the device printed overrides the default', () => {
    const custom = { ...CISCO_DEFAULT_POLICY, name: 'SLE Policy', custom: true, classes: { ...CISCO_DEFAULT_POLICY.classes, unenforcedSubscription: { firstReportDays: 30, reportingFrequencyDays: 30, reportOnChangeDays: 30 } } };
    const r = deviceDeadlines(device([report(DNA_ADV, t('2026-11-01T00:00:00Z'), 1)], { policy: { value: custom, file: 'f', at: 0 } }), ctx);
    expect(r.next).toMatchObject({ rule: 'first-report', dueAt: t('2026-12-01T00:00:00Z') });
    expect(r.next!.reason).toContain('(policy "SLE Policy")');
    expect(r.policy.source).toBe('device');
  });

  it('a Virtual Account policy applies when the device printed none', () => {
    const va = { ...CISCO_DEFAULT_POLICY, name: 'Lab policy', custom: true, ackRequired: false };
    const r = deviceDeadlines(device([report(DNA_ADV, t('2026-11-01T00:00:00Z'), 1)], { virtualAccount: { value: 'Lab', file: 'f', at: 0 } }), {
      now: NOW,
      vaPolicy: (name) => (name === 'Lab' ? { policy: va, source: 'virtual-account', learned: 'test' } : null),
    });
    expect(r.next).toMatchObject({ kind: 'report', rule: 'first-report' }); // ACK not required: a report is due, not an ACK
  });

  it("the device's own date wins over an estimate from older facts", () => {
    const reports = [report(DNA_ADV, t('2026-09-01T00:00:00Z'), 1)];
    const own = { nextAckDeadline: { value: t('2027-01-15T00:00:00Z'), file: 'f', at: t('2026-11-20T00:00:00Z') } };
    const r = deviceDeadlines(device(reports, own), ctx);
    expect(r.next).toMatchObject({ rule: 'device-next-ack-deadline', source: 'device', dueAt: t('2027-01-15T00:00:00Z') });
    expect(r.deadlines.find((x) => x.rule === 'first-report')?.superseded).toBe(true);
    expect(r.next!.reason).toContain('the policy alone would give 30 Nov 2026 (first report)');
    // Printed before the usage it would have to cover: the estimate stays in force.
    const stale = deviceDeadlines(device(reports, { nextAckDeadline: { value: t('2027-01-15T00:00:00Z'), file: 'f', at: t('2026-08-01T00:00:00Z') } }), ctx);
    expect(stale.next?.rule).toBe('first-report');
  });

  it("a device date printed in its local zone is the right instant (IST = +05:30)", () => {
    const paste = ['wlc#show license udi', 'UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', 'wlc#show license status', 'Usage Reporting:', '  Last ACK received: Nov 02 09:09:47 2020 IST', '  Next ACK deadline: Jan 01 09:09:47 2021 IST'].join('\n');
    const merged = mergeCli({ file: 'sha', fileName: 'p.txt', importedAt: NOW, parses: [{ path: [], parse: parseCliText(paste) }] }, new Map(), new Map(), () => null);
    const r = deviceDeadlines(merged.devices[0]!, { now: Date.UTC(2020, 11, 31, 22) });
    expect(r.next).toMatchObject({ rule: 'device-next-ack-deadline', dueAt: Date.UTC(2021, 0, 1, 3, 39, 47) });
    expect(r.status).toBe('due7'); // 5 h 40 min before the deadline in UTC terms
  });

  it('utility mode: an ACK every 30 days', () => {
    const r = deviceDeadlines(device([report(DNA_ADV, t('2026-11-01T00:00:00Z'), 1, { utility: true })]), ctx);
    expect(r.next).toMatchObject({ rule: 'utility-30-days', kind: 'ack', dueAt: t('2026-12-01T00:00:00Z') });
  });

  it('Catalyst 9800-CL on 17.7.1+: the countdown it printed, or a note asking for it', () => {
    const cl = { udi: { pid: 'C9800-CL-K9', sn: 'Y' }, key: 'PID:C9800-CL-K9,SN:Y', softwareVersion: { value: '17.09.04', file: 'f', at: 0 } };
    const noCountdown = deviceDeadlines(device([], cl), ctx);
    expect(noCountdown.note).toMatch(/at least one ACK is mandatory .* paste "show license air entities summary"/);
    const r = deviceDeadlines(device([], { ...cl, ackCountdownBy: { value: t('2027-04-01T00:00:00Z'), file: 'f', at: 0 } }), ctx);
    expect(r.next).toMatchObject({ rule: 'device-ack-countdown', source: 'device' });
    expect(r.next!.reason).toContain('AP joins are capped at 50');
    expect(deviceDeadlines(device([], { ...cl, softwareVersion: { value: '17.06.05', file: 'f', at: 0 } }), ctx).status).toBe('unknown');
  });

  it('standby and members report through their active', () => {
    const r = deviceDeadlines(device([report(DNA_ADV, t('2026-01-01'), 1)], { ha: { value: { role: 'standby', activeKey: 'PID:A,SN:B' }, file: 'f', at: 0 } }), ctx);
    expect([r.status, r.note]).toEqual(['none', 'reported by the active of its HA set (PID:A,SN:B)']);
  });

  it('an unknown licence is taken as unenforced subscription and flagged', () => {
    const r = deviceDeadlines(device([report(UNKNOWN, t('2026-11-01T00:00:00Z'), 1)]), ctx);
    expect(r.next).toMatchObject({ cls: 'unenforcedSubscription', dueAt: t('2027-01-30T00:00:00Z') });
    expect(r.flags).toEqual(['MADE_UP: class unknown, taken as unenforced subscription (the strictest common class)']);
  });
});

/** A device as the store would hold it after importing one pasted output. */
function fromCli(file: string): ProductInstance {
  const parse = parseCliText(readFileSync(join(FIXTURES, 'cli', file), 'utf8'));
  const merged = mergeCli({ file: 'sha', fileName: file, importedAt: NOW, parses: [{ path: [], parse }] }, new Map(), new Map(), () => null);
  const d = merged.devices.find((x) => x.ha?.value.role !== 'standby' && x.ha?.value.role !== 'member')!;
  expect(d, file).toBeDefined();
  return d;
}

describe('ground truth: real outputs that print both "Last ACK received" and "Next ACK deadline"', () => {
  it('defers to the device when its output lists no licence in use (genie ShowLicenseAll 2 is cut before License Usage)', () => {
    const d = fromCli('genie_ShowLicenseAll__golden_output_2.txt');
    const r = deviceDeadlines(d, { now: d.nextAckDeadline!.value - 10 * DAY });
    expect(r.next).toMatchObject({ rule: 'device-next-ack-deadline', source: 'device', dueAt: Date.parse('2024-02-16T11:05:11-07:00') });
    expect(r.deadlines).toHaveLength(1);
  });

  // Next ACK deadline = last ACK + the shortest reporting frequency over the classes in use, to the minute.
  it.each([
    ['genie_ShowLicenseTechSupport__golden_output.txt', 'Custom Policy: perpetual 0, subscription 90 → 90 days'],
    ['genie_ShowLicenseTechSupport__golden_output_2.txt', 'SLE Policy: perpetual 60, subscription 111 → 60 days'],
    ['genie_ShowLicenseTechSupport__golden_output_5.txt', 'SLE Policy → 60 days (the device adds one second)'],
    ['genie_ShowLicenseTechSupport__golden_output_8_proxy.txt', 'SLE Policy → 60 days'],
  ])('%s: %s', (file) => {
    const d = fromCli(file);
    const printed = d.nextAckDeadline!.value;
    const r = deviceDeadlines(d, { now: printed - 10 * DAY });
    expect(r.next?.rule).toBe('device-next-ack-deadline');
    expect(r.next?.reason).toMatch(/the policy gives the same date \(reporting frequency\)$/);
    // Without the device's date, the policy alone lands on it.
    const computed = deviceDeadlines({ ...d, nextAckDeadline: null }, { now: printed - 10 * DAY }).next!;
    expect(computed.rule).toBe('reporting-frequency');
    expect(Math.abs(computed.dueAt - printed)).toBeLessThanOrEqual(60_000);
  });
});
