import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../../../src/core/compliance/assignments.ts';
import { compliance, sdwanManaged, type ComplianceInput } from '../../../../src/core/compliance/compliance.ts';
import type { StoredSummary } from '../../../../src/core/entitlements/summary.ts';
import type { SummaryLicenseDetail } from '../../../../src/core/formats/license-summary.ts';
import type { ProductInstance } from '../../../../src/core/model/fleet.ts';
import { detail, device, licence } from './builders.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1);

const R1 = device('C8300-1N1S-6T', 'FGL2301A001', 'edge-1');
const R2 = device('ISR4331/K9', 'FDO2201A002', 'wan-1');
const R3 = device('C8000V', '9ABCDEFGHIJ', 'vedge-1');
const SW = device('C9300-24UX', 'FCW2303D16Y', 'access-sw-01');
const FLEET = [R1, R2, R3, SW];
const DNA_100M = 'regid.2018-12.com.cisco.DNA_P_100M_A,1.0_8b3e1d54-6a9c-4f27-b0e5-1d7c3a8f2e96';
const DNA_50M = 'regid.2018-12.com.cisco.DNA_P_50M_A,1.0_100fb8b2-5d8f-4a16-8f9a-2c5b1e3d7a41';
const HSEC = 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844';

const SUMMARY: StoredSummary = {
  smartAccount: 'ACME',
  file: 'sha',
  fileName: 'summary.tar.gz',
  importedAt: NOW - 10 * DAY,
  generated: null,
  virtualAccounts: ['East'],
  licenses: [
    licence('East', DNA_100M, 'DNA_P_100M_A', [detail('PREPAID', 2)]),
    licence('East', HSEC, 'DNA_HSEC', [detail('PREPAID', 5)]),
    licence('East', DNA_50M, 'DNA_P_50M_A', [detail('POSTPAID', 0, 'SUB-1', '2027-01-31'), detail('POSTPAID', 0, 'SUB-OLD', '2026-05-15')]),
  ],
  devices: [],
  simulated: true,
  history: [],
};

let seq = 0;
function a(deviceKey: string, tag: string, name: string, over: Partial<Assignment> = {}): Assignment {
  return {
    id: `a${++seq}`,
    deviceKey,
    virtualAccount: 'East',
    tag,
    name,
    billing: 'prepaid',
    msla: false,
    subscriptionId: null,
    count: 1,
    role: 'base',
    throughputMbps: null,
    assignedAt: NOW - 5 * DAY,
    by: 'alice',
    releasedAt: null,
    releasedBy: null,
    releaseReason: null,
    ...over,
  };
}

/** Every router licensed within what is entitled, synchronised, report acknowledged. */
const CLEAN: Assignment[] = [a(R1.key, DNA_100M, 'DNA_P_100M_A'), a(R2.key, DNA_100M, 'DNA_P_100M_A'), a(R3.key, DNA_50M, 'DNA_P_50M_A', { billing: 'postpaid', msla: true, subscriptionId: 'SUB-1' })];

function input(over: Partial<ComplianceInput> = {}): ComplianceInput {
  return { summary: SUMMARY, devices: FLEET, assignments: CLEAN, lastSync: SUMMARY.importedAt, lastUsageReport: { generatedAt: NOW - 3 * DAY, acknowledgedAt: NOW - 2 * DAY }, now: NOW, ...over };
}

const causes = (i: ComplianceInput) => compliance(i).causes.map((c) => c.cause);

describe('SD-WAN Manager compliance (seed 000 L180-190)', () => {
  it('compliant: every managed device licensed, nothing over, synchronised, report acknowledged', () => {
    const r = compliance(input());
    expect(r.causes).toEqual([]);
    expect(r.compliant).toBe(true);
    expect(r.perDevice.get(R1.key)).toEqual({ status: 'compliant', reason: 'Licensed: DNA_P_100M_A' });
    // A switch is not licensed by SD-WAN Manager: no status at all.
    expect(r.perDevice.has(SW.key)).toBe(false);
  });

  it('not-synced-90-days: appears after 90 days without a summary or an ACK, and when never synchronised; clears with a new summary', () => {
    const old = { summary: { ...SUMMARY, importedAt: NOW - 100 * DAY }, lastSync: NOW - 100 * DAY, lastUsageReport: null };
    const r = compliance(input(old));
    expect(r.causes.map((c) => c.cause)).toEqual(['not-synced-90-days']);
    expect(r.causes[0]!.message).toMatch(/ACME was last synchronised with CSSM on 21 Feb 2026, 100 days ago: .*every 90 days \(seed 000 L110, L186\)/);
    expect(r.compliant).toBe(false);
    const never = compliance(input({ summary: null, lastSync: null, lastUsageReport: null, assignments: [] }));
    expect(never.causes[0]).toMatchObject({ cause: 'not-synced-90-days', message: expect.stringMatching(/never been synchronised.*import a licence summary/) });
    // A new summary, or a usage report's ACK (the other half of the exchange), clears it.
    expect(causes(input({ ...old, lastSync: NOW - DAY }))).toEqual([]);
    expect(causes(input({ ...old, lastUsageReport: { generatedAt: NOW - 3 * DAY, acknowledgedAt: NOW - 2 * DAY } }))).toEqual([]);
    expect(causes(input({ ...old, lastSync: NOW - 90 * DAY, summary: { ...SUMMARY, importedAt: NOW - 90 * DAY } }))).toEqual([]); // day 90 itself is in time
  });

  it('devices-without-licence: managed routers without a DNA licence; HSEC alone does not license; clears when assigned', () => {
    const assignments = [CLEAN[0]!, a(R2.key, HSEC, 'DNA_HSEC', { role: 'hsec' })];
    const r = compliance(input({ assignments }));
    expect(r.causes).toEqual([{ cause: 'devices-without-licence', message: '2 of the 3 devices SD-WAN Manager licenses have no licence assigned (seed 000 L187, L251).', devices: [R2.key, R3.key] }]);
    expect(r.perDevice.get(R2.key)).toEqual({ status: 'unlicensed', reason: expect.stringMatching(/Only an HSEC licence.*L273/) });
    expect(r.perDevice.get(R3.key)).toEqual({ status: 'unlicensed', reason: 'No licence assigned (seed 000 L187, L251)' });
    // A released licence leaves the device unlicensed (L702).
    const released = CLEAN.map((x, i) => (i === 0 ? { ...x, releasedAt: NOW, releasedBy: 'bob', releaseReason: 'x' } : x));
    expect(compliance(input({ assignments: released })).perDevice.get(R1.key)!.status).toBe('unlicensed');
    // `managed` may leave a device out (L257: not currently intended for use).
    expect(causes(input({ assignments: [CLEAN[0]!, CLEAN[1]!], managed: (d) => sdwanManaged(d) && d.key !== R3.key }))).toEqual([]);
    expect(sdwanManaged(device('ASR1001-X', 'X', 'asr'))).toBe(true);
    expect(sdwanManaged(SW)).toBe(false);
  });

  it('expired-postpaid: an active postpaid assignment whose subscription ended; clears when moved to a live one', () => {
    const assignments = [CLEAN[0]!, CLEAN[1]!, a(R3.key, DNA_50M, 'DNA_P_50M_A', { billing: 'postpaid', msla: true, subscriptionId: 'SUB-OLD' })];
    const r = compliance(input({ assignments }));
    expect(r.causes).toEqual([{ cause: 'expired-postpaid', message: '1 device has a licence from an expired postpaid subscription (SUB-OLD) (seed 000 L188).', devices: [R3.key] }]);
    expect(r.perDevice.get(R3.key)).toEqual({ status: 'expired', reason: 'DNA_P_50M_A: postpaid subscription SUB-OLD ended on 15 May 2026 (seed 000 L188)' });
    // A line the summary marks EXPIRED counts, whatever its date.
    const marked: StoredSummary = { ...SUMMARY, licenses: SUMMARY.licenses.map((l) => (l.tag === DNA_50M ? { ...l, details: l.details.map((d) => ({ ...d, status: 'EXPIRED' })) } : l)) };
    expect(causes(input({ summary: marked }))).toEqual(['expired-postpaid']);
    expect(causes(input())).toEqual([]);
  });

  it('over-assigned: prepaid assignments above what the summary entitles, the latest ones marked; clears on release', () => {
    const third = a(R3.key, DNA_100M, 'DNA_P_100M_A', { assignedAt: NOW - DAY });
    const assignments = [CLEAN[0]!, CLEAN[1]!, third];
    const r = compliance(input({ assignments }));
    expect(r.causes).toEqual([{ cause: 'over-assigned', message: '1 licence is assigned beyond what the summary makes available — DNA_P_100M_A in East: 3 assigned, 2 entitled (seed 000 L593).', devices: [R3.key] }]);
    expect(r.perDevice.get(R3.key)!.status).toBe('over-assigned');
    expect(r.perDevice.get(R1.key)!.status).toBe('compliant');
    // Postpaid has no pool to exceed; tenant licences count by their number.
    const tenants = a(R1.key, DNA_100M, 'DNA_P_100M_A', { role: 'tenant', count: 2, assignedAt: NOW });
    expect(compliance(input({ assignments: [CLEAN[0]!, tenants, CLEAN[2]!] })).causes.map((c) => c.cause)).toEqual(['devices-without-licence', 'over-assigned']);
    // A default entitlement assigned before the summary, missing from it: over, reconciled (L100).
    const missing = compliance(input({ assignments: [...CLEAN, a(R1.key, 'DNA Advantage Tier 1', 'DNA Advantage Tier 1')] }));
    expect(missing.causes[0]!.message).toMatch(/DNA Advantage Tier 1 in East: 1 assigned, not in the summary/);
    expect(causes(input({ assignments: [CLEAN[0]!, CLEAN[1]!, { ...third, releasedAt: NOW }] }))).toEqual(['devices-without-licence']);
  });

  it('usage-report-unacknowledged: 48 hours after a report without its ACK (controller.ts), cleared by the ACK', () => {
    const r = compliance(input({ lastUsageReport: { generatedAt: NOW - 49 * HOUR, acknowledgedAt: null } }));
    expect(r.causes).toEqual([{ cause: 'usage-report-unacknowledged', message: expect.stringMatching(/ACME: the usage report generated on 29 May 2026 has had no ACK for more than 48 hours.*\(seed 000 L798\)\.$/), devices: [] }]);
    expect(causes(input({ lastUsageReport: { generatedAt: NOW - 47 * HOUR, acknowledgedAt: null } }))).toEqual([]);
    expect(causes(input({ lastUsageReport: { generatedAt: NOW - 49 * HOUR, acknowledgedAt: NOW - HOUR } }))).toEqual([]);
  });

  it('every cause at once, each with its devices', () => {
    const r = compliance(
      input({
        summary: { ...SUMMARY, importedAt: NOW - 200 * DAY },
        lastSync: NOW - 200 * DAY,
        lastUsageReport: { generatedAt: NOW - 100 * HOUR, acknowledgedAt: null },
        assignments: [
          a(R1.key, DNA_100M, 'DNA_P_100M_A'),
          a(R2.key, DNA_100M, 'DNA_P_100M_A'),
          a(SW.key, DNA_100M, 'DNA_P_100M_A', { assignedAt: NOW }),
          a(R2.key, DNA_50M, 'DNA_P_50M_A', { billing: 'postpaid', msla: true, subscriptionId: 'SUB-OLD' }),
        ],
      }),
    );
    expect(r.causes.map((c) => [c.cause, c.devices])).toEqual([
      ['not-synced-90-days', []],
      ['devices-without-licence', [R3.key]],
      ['expired-postpaid', [R2.key]],
      ['over-assigned', [SW.key]],
      ['usage-report-unacknowledged', []],
    ]);
    // An unmanaged device holding an assignment has a status.
    expect(r.perDevice.get(SW.key)!.status).toBe('over-assigned');
  });

  it('100,000 devices in well under a second', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => device('C8300-1N1S-6T', `FGL${String(i).padStart(8, '0')}`, `edge-${i}`));
    const assignments = many.slice(0, 50_000).map((d) => a(d.key, DNA_100M, 'DNA_P_100M_A'));
    const t = performance.now();
    const r = compliance(input({ devices: many, assignments }));
    expect(r.causes.map((c) => c.cause)).toEqual(['devices-without-licence', 'over-assigned']);
    expect(r.perDevice.size).toBe(100_000);
    expect(performance.now() - t).toBeLessThan(3_000);
  });
});
