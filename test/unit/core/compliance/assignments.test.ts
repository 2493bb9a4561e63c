import { describe, expect, it } from 'vitest';
import {
  assign,
  checkAssignment,
  dnaAdvantageTier,
  entitlementType,
  hsecFamily,
  release,
  releaseForRemovedDevices,
  REMOVED_REASON,
  roleOf,
  type Assignment,
  type AssignRequest,
  type RuleContext,
  type RuleName,
} from '../../../../src/core/compliance/assignments.ts';
import type { StoredSummary } from '../../../../src/core/entitlements/summary.ts';
import type { SummaryLicenseDetail } from '../../../../src/core/formats/license-summary.ts';
import type { ProductInstance } from '../../../../src/core/model/fleet.ts';
import { detail, device, licence } from './builders.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

const C8300 = device('C8300-1N1S-6T', 'FGL2301A001', 'edge-1');
const C8000V = device('C8000V', '9ABCDEFGHIJ', 'vedge-1');
const ISR4331 = device('ISR4331/K9', 'FDO2201A002', 'wan-1');
const ASR = device('ASR1001-X', 'FXS2201A003', 'asr-1');
const C9300 = device('C9300-24UX', 'FCW2303D16Y', 'access-sw-01');
const FLEET = [C8300, C8000V, ISR4331, ASR, C9300];
const DNA_100M = 'regid.2018-12.com.cisco.DNA_P_100M_A,1.0_8b3e1d54-6a9c-4f27-b0e5-1d7c3a8f2e96';
const DNA_1G = 'regid.2018-12.com.cisco.DNA_P_1G_A,1.0_5a7c3e92-8b1d-4f60-9d34-6c2a8e5b1f49';
const HSEC = 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844';
const TIER2 = 'regid.2020-11.com.cisco.DNA_T2_A,1.0_00000000-0000-4000-8000-000000000002';
const TENANT = 'regid.2020-11.com.cisco.DNA_TENANT,1.0_00000000-0000-4000-8000-000000000003';
const C9300_DA = 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18';
const POSTPAID = 'regid.2018-12.com.cisco.DNA_P_50M_A,1.0_100fb8b2-5d8f-4a16-8f9a-2c5b1e3d7a41';

const licenceIn = (va: string, tag: string, name: string, details: SummaryLicenseDetail[]) => licence(va, tag, name, details, 'In Compliance');

const SUMMARY: StoredSummary = {
  smartAccount: 'ACME',
  file: 'sha',
  fileName: 'summary.tar.gz',
  importedAt: NOW - DAY,
  generated: null,
  virtualAccounts: ['East', 'West'],
  licenses: [
    licenceIn('East', DNA_100M, 'DNA_P_100M_A', [detail('PREPAID', 10)]),
    licenceIn('East', DNA_1G, 'DNA_P_1G_A', [detail('PREPAID', 5)]),
    licenceIn('East', HSEC, 'DNA_HSEC', [detail('PREPAID', 5)]),
    licenceIn('East', TIER2, 'DNA Advantage Tier 2', [detail('PREPAID', 5)]),
    licenceIn('East', TENANT, 'DNA Tenant', [detail('PREPAID', 20)]),
    licenceIn('East', C9300_DA, 'C9300-24 DNA Advantage', [detail('PREPAID', 5)]),
    licenceIn('East', POSTPAID, 'DNA_P_50M_A', [detail('POSTPAID', 0, 'SUB-1', '2027-01-31'), detail('POSTPAID', 0, 'SUB-2', '2027-06-30'), detail('POSTPAID', 0, 'SUB-OLD', '2026-01-31')]),
    licenceIn('West', DNA_100M, 'DNA_P_100M_A', [detail('PREPAID', 3)]),
  ],
  devices: [],
  simulated: true,
  history: [],
};

function ctx(over: Partial<RuleContext> = {}): RuleContext {
  return { devices: new Map(FLEET.map((d) => [d.key, d])), summary: SUMMARY, active: [], settings: { multipleEntitlement: true }, now: NOW, ...over };
}

function req(over: Partial<AssignRequest> = {}): AssignRequest {
  return { deviceKeys: [C8300.key], virtualAccount: 'East', tag: DNA_100M, billing: 'prepaid', msla: false, subscriptionId: null, ...over };
}

let seq = 0;
const newId = () => `a${++seq}`;

/** Assignments made as the operator would: through `assign`, failing the test if any device is refused. */
function held(r: Partial<AssignRequest>, active: Assignment[] = [], c: Partial<RuleContext> = {}): Assignment[] {
  const out = assign(req(r), ctx({ active, ...c }), NOW - DAY, 'alice', newId);
  expect(out.assignments.length, JSON.stringify(out.findings)).toBe(new Set(req(r).deviceKeys).size);
  return [...active, ...out.assignments];
}

const rules = (findings: { rule: RuleName; severity: string }[], severity = 'block') => findings.filter((f) => f.severity === severity).map((f) => f.rule);

describe('assignment rules (seed 000)', () => {
  it('passes a plain prepaid assignment from the summary, with nothing to say', () => {
    const r = checkAssignment(req({ deviceKeys: [C8300.key, ISR4331.key] }), ctx());
    expect(r.allowed).toEqual([C8300.key, ISR4331.key]);
    expect(r.findings).toEqual([]);
  });

  it('virtual-account: one must be chosen, and one the summary knows', () => {
    const none = checkAssignment(req({ virtualAccount: ' ' }), ctx());
    expect(none.allowed).toEqual([]);
    expect(none.findings.find((f) => f.rule === 'virtual-account')!.message).toMatch(/Choose the Virtual Account.*\(seed 000 L635\)/);
    const unknown = checkAssignment(req({ virtualAccount: 'North' }), ctx());
    expect(rules(unknown.findings)).toContain('virtual-account');
    expect(unknown.findings.find((f) => f.rule === 'virtual-account')!.message).toMatch(/North is not in the licence summary of ACME.*East, West/);
    expect(rules(checkAssignment(req({ virtualAccount: 'West' }), ctx()).findings)).toEqual([]);
  });

  it('licence-in-va: the licence must be in that Virtual Account of the summary, with the billing asked', () => {
    const r = checkAssignment(req({ virtualAccount: 'West', tag: HSEC }), ctx());
    expect(r.allowed).toEqual([]);
    expect(r.findings[0]).toMatchObject({ rule: 'licence-in-va', deviceKey: null, severity: 'block' });
    expect(r.findings[0]!.message).toMatch(/not a licence of Virtual Account West.*\(seed 000 L638\)/);
    // A licence by its display name is the same licence.
    expect(checkAssignment(req({ tag: 'dna_p_100m_a' }), ctx()).allowed).toEqual([C8300.key]);
    // A prepaid-only licence cannot be assigned postpaid.
    const wrong = checkAssignment(req({ billing: 'postpaid', msla: true, subscriptionId: 'SUB-1' }), ctx());
    expect(wrong.findings.find((f) => f.rule === 'licence-in-va')!.message).toMatch(/only prepaid lines.*none postpaid \(seed 000 L659\)/);
  });

  it('licence-in-va: before any summary, default entitlements are assigned with a warning that they will be reconciled', () => {
    const r = checkAssignment(req({ tag: 'DNA Advantage Tier 1', virtualAccount: 'Anything' }), ctx({ summary: null }));
    expect(r.allowed).toEqual([C8300.key]);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'licence-in-va', severity: 'warn', message: expect.stringMatching(/default entitlement.*reconciled.*\(seed 000 L100\)/) })]);
  });

  it('postpaid-msla-u: postpaid only as MSLA-U, and MSLA is postpaid only', () => {
    const c = checkAssignment(req({ tag: POSTPAID, billing: 'postpaid', msla: false, subscriptionId: 'SUB-1' }), ctx());
    expect(rules(c.findings)).toEqual(['postpaid-msla-u']);
    expect(c.findings[0]!.message).toMatch(/MSLA-U only: MSLA-C is no longer supported.*\(seed 000 L297-299, L633\)/);
    expect(rules(checkAssignment(req({ msla: true }), ctx()).findings)).toEqual(['postpaid-msla-u']);
    expect(checkAssignment(req({ tag: POSTPAID, billing: 'postpaid', msla: true, subscriptionId: 'SUB-1' }), ctx()).findings).toEqual([]);
  });

  it('subscription-postpaid-only: no subscription ID with a prepaid licence', () => {
    const r = checkAssignment(req({ subscriptionId: 'SUB-1' }), ctx());
    expect(rules(r.findings)).toEqual(['subscription-postpaid-only']);
    expect(r.findings[0]!.message).toMatch(/SUB-1 cannot go with a prepaid licence.*\(seed 000 L636, L686\)/);
    expect(checkAssignment(req({ subscriptionId: null }), ctx()).findings).toEqual([]);
  });

  it("subscription-known: one of the licence's postpaid subscriptions, chosen, and not ended", () => {
    const pp = { tag: POSTPAID, billing: 'postpaid' as const, msla: true };
    const unknown = checkAssignment(req({ ...pp, subscriptionId: 'SUB-9' }), ctx());
    expect(rules(unknown.findings)).toEqual(['subscription-known']);
    expect(unknown.findings[0]!.message).toMatch(/SUB-9 is not one of DNA_P_50M_A's postpaid subscriptions in Virtual Account East \(SUB-1, SUB-2, SUB-OLD\)/);
    const missing = checkAssignment(req({ ...pp, subscriptionId: null }), ctx());
    expect(missing.findings[0]).toMatchObject({ rule: 'subscription-known', severity: 'block' });
    expect(missing.findings[0]!.message).toMatch(/one of SUB-1, SUB-2, SUB-OLD/);
    const ended = checkAssignment(req({ ...pp, subscriptionId: 'SUB-OLD' }), ctx());
    expect(ended.findings[0]!.message).toMatch(/SUB-OLD ended on 31 Jan 2026.*\(seed 000 L188\)/);
    expect(checkAssignment(req({ ...pp, subscriptionId: 'SUB-2' }), ctx()).allowed).toEqual([C8300.key]);
    // Before any summary the subscriptions are not known: a missing one is only a warning.
    const early = checkAssignment(req({ ...pp, subscriptionId: null }), ctx({ summary: null }));
    expect(early.allowed).toEqual([C8300.key]);
    expect(early.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['licence-in-va', 'warn'],
      ['subscription-known', 'warn'],
    ]);
  });

  it('entitlements-per-device: up to three with multiple entitlement on, one when off, the request counted', () => {
    let active = held({ tag: DNA_100M });
    // Off: the device already has one.
    const off = checkAssignment(req({ tag: DNA_1G }), ctx({ active, settings: { multipleEntitlement: false } }));
    expect(off.allowed).toEqual([]);
    expect(off.findings[0]).toMatchObject({ rule: 'entitlements-per-device', deviceKey: C8300.key });
    expect(off.findings[0]!.message).toMatch(/edge-1 already has 1 licence: with Multiple Entitlement off a device takes only one \(seed 000 L538, L560\)/);
    // On: a second and a third pass, a fourth does not.
    active = held({ tag: DNA_1G }, active);
    active = held({ tag: TIER2 }, active);
    const fourth = checkAssignment(req({ tag: C9300_DA }), ctx({ active }));
    expect(rules(fourth.findings)).toEqual(['entitlements-per-device']);
    expect(fourth.findings[0]!.message).toMatch(/already has 3 licences: with Multiple Entitlement on a device takes up to three \(seed 000 L638\)/);
    // HSEC is in addition to the device licence (L273): it does not count.
    expect(checkAssignment(req({ tag: HSEC }), ctx({ active })).allowed).toEqual([C8300.key]);
    // A released licence no longer counts.
    const released = release(active, [active[0]!.id], NOW, 'bob', 'not needed');
    const after = active.map((a) => released.find((r) => r.id === a.id) ?? a);
    expect(checkAssignment(req({ tag: DNA_100M }), ctx({ active: after })).allowed).toEqual([C8300.key]);
  });

  it('no-prepaid-and-postpaid-mix: never both for the same DNA entitlement type across the overlay', () => {
    const active = held({ tag: POSTPAID, billing: 'postpaid', msla: true, subscriptionId: 'SUB-1', deviceKeys: [ISR4331.key] });
    const summary: StoredSummary = { ...SUMMARY, licenses: [...SUMMARY.licenses, licenceIn('West', POSTPAID, 'DNA_P_50M_A', [detail('PREPAID', 4)])] };
    // Another device, another Virtual Account: still the same overlay and the same entitlement type.
    const r = checkAssignment(req({ virtualAccount: 'West', tag: POSTPAID }), ctx({ active, summary }));
    expect(r.allowed).toEqual([]);
    expect(r.findings[0]).toMatchObject({ rule: 'no-prepaid-and-postpaid-mix', deviceKey: null });
    expect(r.findings[0]!.message).toMatch(/already assigned postpaid to 1 device of this overlay.*\(seed 000 L293-295\)/);
    // Another entitlement type prepaid is fine.
    expect(checkAssignment(req({ tag: DNA_100M }), ctx({ active })).allowed).toEqual([C8300.key]);
    // The type is the regid NAME part, whatever the version or UUID.
    expect(entitlementType(POSTPAID)).toBe(entitlementType('regid.2020-01.com.cisco.DNA_P_50M_A,2.0_ffffffff-0000-4000-8000-000000000000'));
  });

  it('one-postpaid-subscription: every postpaid assignment of the instance uses one subscription', () => {
    const pp = { tag: POSTPAID, billing: 'postpaid' as const, msla: true };
    const active = held({ ...pp, subscriptionId: 'SUB-1', deviceKeys: [ISR4331.key] });
    const r = checkAssignment(req({ ...pp, subscriptionId: 'SUB-2' }), ctx({ active }));
    expect(rules(r.findings)).toEqual(['one-postpaid-subscription']);
    expect(r.findings[0]!.message).toMatch(/already use subscription SUB-1.*single SD-WAN Manager instance.*\(seed 000 L289-291\)/);
    expect(checkAssignment(req({ ...pp, subscriptionId: 'SUB-1' }), ctx({ active })).allowed).toEqual([C8300.key]);
  });

  it('hsec-above-250: a tier above 250 Mbps on ISR 1000/4000, Catalyst 8000 and 8000V needs an HSEC licence on the device', () => {
    const r = checkAssignment(req({ tag: DNA_1G, throughputMbps: 1000, deviceKeys: [C8300.key, C8000V.key, ISR4331.key, ASR.key] }), ctx());
    expect(r.allowed).toEqual([ASR.key]); // not a router L273 names
    expect(r.findings.map((f) => [f.rule, f.deviceKey])).toEqual([
      ['hsec-above-250', C8300.key],
      ['hsec-above-250', C8000V.key],
      ['hsec-above-250', ISR4331.key],
    ]);
    expect(r.findings[0]!.message).toMatch(/edge-1 \(C8300-1N1S-6T, Cisco Catalyst 8000 Series\) needs an HSEC licence for a throughput tier of 1000 Mbps.*\(seed 000 L273\)/);
    // 250 Mbps and below need none; with the HSEC assigned first, the tier passes.
    expect(checkAssignment(req({ tag: DNA_100M, throughputMbps: 250 }), ctx()).allowed).toEqual([C8300.key]);
    const active = held({ tag: HSEC, deviceKeys: [C8300.key, C8000V.key] });
    expect(active.every((a) => a.role === 'hsec')).toBe(true);
    expect(checkAssignment(req({ tag: DNA_1G, throughputMbps: 1000, deviceKeys: [C8300.key, C8000V.key] }), ctx({ active })).allowed).toEqual([C8300.key, C8000V.key]);
    expect(hsecFamily('C1111-8P')?.source).toBe('seed 000 L273');
    expect(hsecFamily('CSR1000V')?.source).toMatch(/seed 004 Table 5/);
    expect(hsecFamily('C9300-24UX')).toBeNull();
  });

  it('multitenant-base: the base licence of a multitenant device is DNA Advantage tier 1 to 5, and says what was matched', () => {
    const bad = checkAssignment(req({ tag: DNA_100M, tenants: 3 }), ctx());
    expect(bad.allowed).toEqual([]);
    expect(bad.findings[0]).toMatchObject({ rule: 'multitenant-base', deviceKey: null });
    expect(bad.findings[0]!.message).toMatch(/DNA_P_100M_A cannot be the base licence of a device used by 3 tenants: it must be DNA Advantage tier 1 to 5 \(found "DNA", "A", not a tier in "DNA_P_100M_A"\) \(seed 000 L244, L599\)/);
    expect(checkAssignment(req({ tag: TIER2, tenants: 3 }), ctx()).allowed).toEqual([C8300.key]);
    expect(dnaAdvantageTier('x', 'DNA Advantage Tier 2')).toMatchObject({ ok: true, tier: 2 });
    expect(dnaAdvantageTier('x', 'Routing DNA Advantage: Tier 7')).toMatchObject({ ok: false, tier: 7 });
    expect(dnaAdvantageTier('x', 'DNA Essentials Tier 2')).toMatchObject({ ok: false });
    expect(dnaAdvantageTier('DNA-C-T1-A-3Y')).toMatchObject({ ok: true, tier: 1 });
    // Single-tenant: any DNA licence is a base.
    expect(checkAssignment(req({ tag: DNA_100M, tenants: 1 }), ctx()).allowed).toEqual([C8300.key]);
  });

  it('multitenant-base: tenant licences need the device to hold a tier 1-5 base licence', () => {
    const noBase = checkAssignment(req({ tag: TENANT, role: 'tenant', tenants: 3 }), ctx());
    expect(noBase.findings.map((f) => f.rule)).toEqual(['multitenant-base']);
    expect(noBase.findings[0]!.message).toMatch(/edge-1 has no base licence: assign a DNA Advantage tier 1 to 5 base licence before its tenant licences/);
    const wrongBase = checkAssignment(req({ tag: TENANT, role: 'tenant', tenants: 3 }), ctx({ active: held({ tag: DNA_100M }) }));
    expect(wrongBase.findings[0]!.message).toMatch(/edge-1's base licence DNA_P_100M_A is not DNA Advantage tier 1 to 5/);
    expect(checkAssignment(req({ tag: TENANT, role: 'tenant', tenants: 3 }), ctx({ active: held({ tag: TIER2, tenants: 3 }) })).findings).toEqual([]);
  });

  it('multitenant-tenants: n tenants need n − 1 tenant licences', () => {
    const active = held({ tag: TIER2, tenants: 4 });
    const bad = checkAssignment(req({ tag: TENANT, role: 'tenant', tenants: 4, count: 4 }), ctx({ active }));
    expect(rules(bad.findings)).toEqual(['multitenant-tenants']);
    expect(bad.findings[0]!.message).toMatch(/4 tenants need 3 tenant licences, not 4.*n − 1 \(seed 000 L603, L611\)/);
    expect(rules(checkAssignment(req({ tag: TENANT, role: 'tenant', tenants: 1 }), ctx({ active })).findings)).toEqual(['multitenant-tenants']);
    const ok = assign(req({ tag: TENANT, role: 'tenant', tenants: 4 }), ctx({ active }), NOW, 'alice', newId);
    expect(ok.findings).toEqual([]);
    expect(ok.assignments[0]).toMatchObject({ role: 'tenant', count: 3 });
    // Tenant licences are their own area of the pane: they do not count towards the limit of one.
    expect(checkAssignment(req({ tag: TENANT, role: 'tenant', tenants: 4, count: 3 }), ctx({ active, settings: { multipleEntitlement: false } })).allowed).toEqual([C8300.key]);
  });

  it('family-applicability: a cautious warning, not a block, when the licence names another family', () => {
    const r = checkAssignment(req({ tag: C9300_DA, deviceKeys: [C8300.key, C9300.key] }), ctx());
    expect(r.allowed).toEqual([C8300.key, C9300.key]);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'family-applicability', severity: 'warn', deviceKey: C8300.key })]);
    expect(r.findings[0]!.message).toMatch(/C9300-24 DNA Advantage names C9300, and edge-1 is a C8300 \(a guess from the names\).*\(seed 000 L648\)/);
    // A licence naming no family, or an ISR 4000 licence on any ISR 4000, says nothing; the UUID is never read.
    expect(checkAssignment(req({ tag: DNA_100M }), ctx()).findings).toEqual([]);
    const isr = checkAssignment(req({ tag: 'ISR_4400_Hsec', deviceKeys: [ISR4331.key] }), ctx({ summary: null }));
    expect(isr.findings.map((f) => f.rule)).toEqual(['licence-in-va']);
  });

  it('unknown-device: a device not in the fleet is refused, the others go ahead', () => {
    const r = checkAssignment(req({ deviceKeys: ['PID:NOPE,SN:1', C8300.key] }), ctx());
    expect(r.allowed).toEqual([C8300.key]);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'unknown-device', deviceKey: 'PID:NOPE,SN:1', severity: 'block' })]);
  });

  it('duplicate: the same licence already active on the device', () => {
    const active = held({ tag: DNA_100M, deviceKeys: [C8300.key] });
    const r = checkAssignment(req({ tag: DNA_100M, deviceKeys: [C8300.key, ISR4331.key] }), ctx({ active }));
    expect(r.allowed).toEqual([ISR4331.key]);
    expect(r.findings[0]).toMatchObject({ rule: 'duplicate', deviceKey: C8300.key });
    expect(r.findings[0]!.message).toMatch(/edge-1 already has DNA_P_100M_A/);
  });

  it('roles: HSEC and DNA by name unless given', () => {
    expect(roleOf({ tag: HSEC })).toBe('hsec');
    expect(roleOf({ tag: DNA_100M })).toBe('base');
    expect(roleOf({ tag: 'SOMETHING_ELSE' })).toBe('other');
    expect(roleOf({ tag: DNA_100M, role: 'other' })).toBe('other');
  });
});

describe('assign and release', () => {
  it('assigns the allowed devices only, with the summary name and the request', () => {
    const out = assign(req({ deviceKeys: [C8300.key, 'PID:NOPE,SN:1', C8300.key], throughputMbps: 100 }), ctx(), NOW, 'alice', () => 'id-1');
    expect(out.assignments).toEqual([
      {
        id: 'id-1',
        deviceKey: C8300.key,
        virtualAccount: 'East',
        tag: DNA_100M,
        name: 'DNA_P_100M_A',
        billing: 'prepaid',
        msla: false,
        subscriptionId: null,
        count: 1,
        role: 'base',
        throughputMbps: 100,
        assignedAt: NOW,
        by: 'alice',
        releasedAt: null,
        releasedBy: null,
        releaseReason: null,
      },
    ]);
    expect(out.findings.map((f) => f.rule)).toEqual(['unknown-device']);
    // The summary's spelling of the tag is kept when the request named the licence by its display name.
    expect(assign(req({ tag: 'DNA_P_100M_A' }), ctx(), NOW, 'alice', newId).assignments[0]!.tag).toBe(DNA_100M);
    // A request-wide block assigns nothing.
    expect(assign(req({ virtualAccount: '' }), ctx(), NOW, 'alice', newId).assignments).toEqual([]);
  });

  it('release marks the records released, keeping them; unknown or released ids are ignored', () => {
    const active = held({ deviceKeys: [C8300.key, ISR4331.key] });
    const out = release(active, [active[1]!.id, 'nope'], NOW, 'bob', 'moved to another site');
    expect(out).toEqual([{ ...active[1]!, releasedAt: NOW, releasedBy: 'bob', releaseReason: 'moved to another site' }]);
    expect(active[1]!.releasedAt).toBeNull(); // not mutated
    expect(release(out, [out[0]!.id], NOW + 1, 'bob', 'again')).toEqual([]);
  });

  it('a device removed from the inventory releases its licences', () => {
    const active = held({ deviceKeys: [C8300.key, ISR4331.key] });
    const out = releaseForRemovedDevices(active, new Set([C8300.key]), NOW);
    expect(out).toEqual([{ ...active[1]!, releasedAt: NOW, releasedBy: 'workbench', releaseReason: REMOVED_REASON }]);
    expect(REMOVED_REASON).toMatch(/seed 000 L200/);
    expect(releaseForRemovedDevices(active, new Set([C8300.key, ISR4331.key]), NOW)).toEqual([]);
  });

  it('checks 10,000 devices in one request quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => device('C8300-1N1S-6T', `FGL${String(i).padStart(8, '0')}`, `edge-${i}`));
    const devices = new Map(many.map((d) => [d.key, d]));
    const active = assign(req({ tag: DNA_1G, deviceKeys: many.map((d) => d.key) }), ctx({ devices }), NOW, 'a', newId).assignments;
    const t = performance.now();
    const r = checkAssignment(req({ tag: DNA_100M, deviceKeys: many.map((d) => d.key) }), ctx({ devices, active }));
    expect(r.allowed.length).toBe(10_000);
    expect(performance.now() - t).toBeLessThan(2_000);
  });
});
