import { describe, expect, it } from 'vitest';
import type { UsageEntry } from '../../../../src/core/analyse.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { readUsageFile } from '../../../../src/core/formats/usage-report.ts';
import { type CliObservation, mergeCli } from '../../../../src/core/model/device-facts.ts';
import type { AckGrants, LicenseInUse, ProductInstance } from '../../../../src/core/model/fleet.ts';
import { udiKey } from '../../../../src/core/model/udi.ts';
import { authorizationFor, clockSkew, fleetSlacFlags, slacNeeds, table5Family, trustCodeRequests, trustCodeStatus } from '../../../../src/core/policy/slac.ts';
import { showOutputsOf, usageFileOf } from '../../../../src/core/sim/files.ts';
import { simulateFleet } from '../../../../src/core/sim/fleet.ts';
import { writeUsageFile } from '../../../../src/core/sim/usage-file.ts';
import { NW_ADV, c9300, c9500Pair, text } from '../../helpers.ts';

const NOW = Date.UTC(2026, 10, 22, 12);
const DAY = 86_400_000;
const HOUR = 3_600_000;
// Real tags of the built-in catalogue (src/core/data/entitlements.json).
const DNA_HSEC = 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844';
const C9K_HSEC = 'regid.2021-05.com.cisco.C9K_HSEC,1.0_90fdf411-3823-45bd-bd8c-5a5d0e0e1ea2';
const DNA_ADV = 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18';
const C8300 = { pid: 'C8300-1N1S-6T', sn: 'FDO2250A0J5' };

function device(udi: { pid: string; sn: string }, over: Partial<ProductInstance> = {}): ProductInstance {
  return { key: udiKey(udi), udi, hostname: null, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: [], firstSeen: 0, updatedAt: 0, ...over };
}
const inUse = (tag: string, count: number | null = 1, asOf = NOW - DAY): LicenseInUse => ({ entitlementTag: tag, count, utility: false, asOf, reportId: '1' });
const grants = (over: Partial<AckGrants>, at: number) => ({ value: { trustCode: null, authorizationCodes: [], subscriptionIds: {}, ...over }, file: 'ack', at });
const cliLicences = (list: Array<{ name: string; tag: string | null; count: number | null; enforcement: string | null; inUse: boolean }>, at = NOW) => ({
  value: list.map((l) => ({ ...l, licenseType: null })),
  file: 'cli',
  at,
});

/** A paste as the store would keep it: the merged fleet record and its CLI observations. */
function fromPaste(paste: string, importedAt = NOW, existing?: ProductInstance): { device: ProductInstance; observations: CliObservation[] } {
  const before = existing ? new Map([[existing.key, existing]]) : new Map<string, ProductInstance>();
  const merged = mergeCli({ file: `sha-${importedAt}`, fileName: 'paste.txt', importedAt, parses: [{ path: [], parse: parseCliText(paste) }] }, before, new Map(), () => null);
  return { device: merged.devices[0]!, observations: merged.records[0]!.observations };
}

/** `show license authorization` of a router holding an HSEC SLAC (the shape the authorization parser reads). */
const SLAC_INSTALLED = `router#show license authorization
Overall status:
  Active: PID:C8300-1N1S-6T,SN:FDO2250A0J5
      Status: SMART AUTHORIZATION INSTALLED on Mar 03 10:00:00 2026 UTC
      Last Confirmation code: 418b11f5

Authorizations:
  Router US Export Lic. for DNA (DNA_HSEC):
    Description: U.S. Export Restriction Compliance license for DNA based Routers
    Total available count: 1
    Enforcement type: EXPORT RESTRICTED
    Term information:
      Active: PID:C8300-1N1S-6T,SN:FDO2250A0J5
        Authorization type: SMART AUTHORIZATION INSTALLED
        License type: PERPETUAL
          Term Count: 1

Purchased Licenses:
  No Purchase Information Available
`;

/** `show license usage` (seed 003 L4930-4950 field layout) of a router whose HSEC licence waits for its SLAC. */
const usagePaste = (status: string, exportStatus: string) => `router#show license udi
UDI: PID:C8300-1N1S-6T,SN:FDO2250A0J5
router#show license usage
hseck9 (DNA_HSEC):
  Description: hseck9
  Count: 1
  Version: 1.0
  Status: ${status}
  Export status: ${exportStatus}
  Feature Name: hseck9
  Feature Description: hseck9
  Enforcement type: EXPORT RESTRICTED
  License type: Perpetual
`;

describe('authorizationFor: the licences of seed 004 Table 4 in every naming devices use', () => {
  it('HSECK9 under any name or tag', () => {
    for (const name of ['hseck9', 'DNA_HSEC', DNA_HSEC, C9K_HSEC, 'ISR_4400_Hsec', 'ISR_4331_Hsec', 'Router US Export Lic. for DNA (DNA_HSEC)']) {
      expect(authorizationFor(name), name).toEqual({ authorization: 'HSECK9', rule: 'export-controlled-licence' });
    }
  });

  it('MRP Client and MRP Manager (enforced)', () => {
    expect(authorizationFor('MRP Client')).toEqual({ authorization: 'MRP Client', rule: 'enforced-licence' });
    expect(authorizationFor('MRP Manager')).toEqual({ authorization: 'MRP Manager', rule: 'enforced-licence' });
    expect(authorizationFor('regid.2020-01.com.cisco.MRP_Manager,1.0_00000000-0000-0000-0000-000000000001')).toEqual({ authorization: 'MRP Manager', rule: 'enforced-licence' });
    expect(authorizationFor('mrp-client')?.authorization).toBe('MRP Client');
  });

  it('any other licence the device prints as enforced or export-restricted (seed 004 L202-212)', () => {
    expect(authorizationFor('some-feature', { enforcement: 'ENFORCED' })).toEqual({ authorization: 'some-feature', rule: 'enforced-licence' });
    expect(authorizationFor('other', { enforcement: 'EXPORT RESTRICTED - ALLOWED' })?.rule).toBe('export-controlled-licence');
  });

  it('unenforced licences need none, and MRP must be a word of its own', () => {
    for (const name of [NW_ADV, DNA_ADV, 'network-advantage', 'dna-essentials', 'DNA_P_1G_E', 'air-dna-advantage', 'premrpx']) expect(authorizationFor(name), name).toBeNull();
    expect(authorizationFor('some-feature', { enforcement: 'NOT ENFORCED' })).toBeNull();
  });
});

describe('table5Family: the routers of seed 004 Table 5', () => {
  it('knows the router families and how their throughput counts', () => {
    expect(table5Family('ISR4331/K9')).toMatchObject({ family: 'Cisco 4000 Series ISR', measure: 'encrypted' });
    expect(table5Family('C1100TG-1N32A')).toMatchObject({ family: 'Cisco 1100 Terminal Services Gateway' });
    expect(table5Family('C1111-8P')).toMatchObject({ family: 'Cisco 1000 Series ISR' });
    expect(table5Family('C8200-1N-4T')).toMatchObject({ measure: 'encrypted' });
    expect(table5Family('C8500-12X')).toMatchObject({ measure: 'encrypted' });
    expect(table5Family('C8000V')).toMatchObject({ measure: 'combined' });
    expect(table5Family('CSR1000V')).toMatchObject({ measure: 'combined' });
    for (const pid of ['C9300-24UX', 'C9800-CL-K9', 'C1000-24P-4G-L', 'ASR1001-X']) expect(table5Family(pid), pid).toBeNull();
  });
});

describe('slacNeeds: licences that need an authorization code (seed 004 Table 4)', () => {
  it('an HSEC licence in the usage reports with nothing on record is flagged', () => {
    const r = slacNeeds(device(C8300, { licenses: [inUse(DNA_HSEC)] }));
    expect(r).toMatchObject({ status: 'not-on-record', missing: true, onRecord: [], refused: [] });
    expect(r.needed).toEqual([expect.objectContaining({ what: 'hseck9 (DNA_HSEC)', authorization: 'HSECK9', rule: 'export-controlled-licence', covered: false, by: null })]);
    expect(r.needed[0]!.reason).toMatch(/usage reports.*export-controlled.*seed 004 Table 4, L229-233/);
    expect(r.reason).toMatch(/none is on record.*seed 004 L214, L223-227/);
  });

  it('authorization codes in an ACK count as on record', () => {
    const r = slacNeeds(device(C8300, { licenses: [inUse(DNA_HSEC)], fromAck: grants({ authorizationCodes: ['<slac/>'] }, NOW - 2 * DAY) }));
    expect(r).toMatchObject({ status: 'authorized', missing: false });
    expect(r.needed[0]).toMatchObject({ covered: true, by: '1 authorization code in the ACK of 20 Nov 2026' });
    expect(r.onRecord[0]).toMatchObject({ source: 'ack', covers: 'any' });
  });

  it('an ACK with only a trust code is no authorization', () => {
    expect(slacNeeds(device(C8300, { licenses: [inUse(DNA_HSEC)], fromAck: grants({ trustCode: 'T' }, NOW) })).missing).toBe(true);
  });

  it('a licence whose latest report counts 0 is no longer in use', () => {
    expect(slacNeeds(device(C8300, { licenses: [inUse(DNA_HSEC, 0)] }))).toMatchObject({ status: 'none', missing: false, needed: [] });
  });

  it('a switch with unenforced licences needs nothing, and no throughput note', () => {
    const r = slacNeeds(device({ pid: 'C9300-24UX', sn: 'X' }, { licenses: [inUse(NW_ADV), inUse(DNA_ADV)] }));
    expect(r).toMatchObject({ status: 'none', missing: false, notes: [] });
    expect(r.reason).toMatch(/No licence in use needs an authorization code/);
  });

  it('MRP licences from show license output (enforced)', () => {
    const ie = device({ pid: 'IE-3400-8T2S', sn: 'FOC1' }, { cliLicences: cliLicences([{ name: 'MRP Manager', tag: null, count: 1, enforcement: 'ENFORCED', inUse: true }]) });
    const r = slacNeeds(ie);
    expect(r.needed).toEqual([expect.objectContaining({ what: 'MRP Manager', authorization: 'MRP Manager', rule: 'enforced-licence' })]);
    expect(r.needed[0]!.reason).toMatch(/an enforced licence needs an authorization code/);
    expect(r.missing).toBe(true);
  });

  it('a licence configured but not IN USE with a count is one waiting for its SLAC (seed 003 L4752, L4912)', () => {
    const waiting = slacNeeds(device(C8300, { cliLicences: cliLicences([{ name: 'hseck9', tag: 'DNA_HSEC', count: 1, enforcement: 'EXPORT RESTRICTED', inUse: false }]) }));
    expect(waiting.needed[0]!.reason).toMatch(/configured but not in use/);
    expect(waiting.missing).toBe(true);
    const unused = slacNeeds(device(C8300, { cliLicences: cliLicences([{ name: 'hseck9', tag: 'DNA_HSEC', count: 0, enforcement: 'EXPORT RESTRICTED', inUse: false }]) }));
    expect(unused.status).toBe('none');
  });

  it('only the active of a stack needs an authorization code (seed 004 L847)', () => {
    const member = device(C8300, { licenses: [inUse(DNA_HSEC)], ha: { value: { role: 'member', activeKey: 'PID:A,SN:B' }, file: 'f', at: 0 } });
    expect(slacNeeds(member)).toMatchObject({ status: 'none', missing: false });
    expect(slacNeeds(member).reason).toMatch(/L847/);
  });
});

describe('slacNeeds: throughput above 250 Mbps (seed 004 Table 5)', () => {
  it('a Catalyst 8300 above 250 Mbps needs an HSECK9 authorization for its encrypted throughput', () => {
    const r = slacNeeds(device(C8300, { licenses: [inUse(DNA_ADV)] }), { throughputMbps: 500 });
    expect(r.needed).toEqual([expect.objectContaining({ what: 'Throughput above 250 Mbps', authorization: 'HSECK9', rule: 'throughput-above-250' })]);
    expect(r.needed[0]!.reason).toMatch(/500 Mbps: encrypted throughput above 250 Mbps .*Table 5 L241/);
    expect(r).toMatchObject({ status: 'not-on-record', missing: true });
    expect(r.reason).toMatch(/HSECK9 authorization for its throughput/);
  });

  it('the Catalyst 8000V counts encrypted and unencrypted throughput combined', () => {
    expect(slacNeeds(device({ pid: 'C8000V', sn: 'ZZ1' }), { throughputMbps: 1000 }).needed[0]!.reason).toMatch(/combined above 250 Mbps .*L242/);
  });

  it('250 Mbps or less needs nothing', () => {
    expect(slacNeeds(device(C8300), { throughputMbps: 250 })).toMatchObject({ status: 'none', needed: [], notes: [] });
  });

  it('throughput not known: said, not guessed', () => {
    const r = slacNeeds(device({ pid: 'ISR4331/K9', sn: 'FDO1' }));
    expect(r.status).toBe('none');
    expect(r.notes).toEqual([expect.stringMatching(/^throughput not known: a Cisco 4000 Series ISR .*L240/)]);
    expect(r.reason).toMatch(/throughput not known/);
  });

  it('a product outside Table 5 gets no throughput rule', () => {
    const r = slacNeeds(device({ pid: 'C9300-24UX', sn: 'X' }), { throughputMbps: 1000 });
    expect(r).toMatchObject({ status: 'none', needed: [] });
    expect(r.notes[0]).toMatch(/not a router of seed 004 Table 5/);
  });

  it('an HSECK9 licence and the throughput ask for one code: one phrase in the reason', () => {
    const r = slacNeeds(device(C8300, { licenses: [inUse(DNA_HSEC)] }), { throughputMbps: 1000 });
    expect(r.needed.map((n) => n.rule)).toEqual(['export-controlled-licence', 'throughput-above-250']);
    expect(r.reason).toMatch(/^Needs an authorization for hseck9 \(DNA_HSEC\), and none/);
  });
});

describe('slacNeeds: what the CLI printed', () => {
  it('a SLAC installed per show license authorization covers the HSEC licence and the throughput', () => {
    const { device: d, observations } = fromPaste(SLAC_INSTALLED);
    const r = slacNeeds({ ...d, licenses: [inUse(DNA_HSEC)] }, { cliObservations: observations, throughputMbps: 1000 });
    expect(r).toMatchObject({ status: 'authorized', missing: false });
    expect(r.needed.every((n) => n.covered)).toBe(true);
    expect(r.onRecord.map((e) => e.source).sort()).toEqual(['cli-authorization', 'cli-licence']);
    expect(r.onRecord.find((e) => e.source === 'cli-authorization')!.reason).toMatch(/SMART AUTHORIZATION INSTALLED/);
  });

  it('NOT AUTHORIZED printed by the device: not authorized, even without usage reports', () => {
    const { device: d, observations } = fromPaste(usagePaste('NOT AUTHORIZED', 'RESTRICTED - NOT ALLOWED'));
    const r = slacNeeds(d, { cliObservations: observations });
    expect(r).toMatchObject({ status: 'not-authorized', missing: true });
    expect(r.needed[0]).toMatchObject({ authorization: 'HSECK9', covered: false, by: 'hseck9 (DNA_HSEC) NOT AUTHORIZED' });
    expect(r.refused[0]!.reason).toMatch(/seed 003 L4786/);
    expect(r.reason).toMatch(/the device says it has none/);
  });

  it('IN USE and RESTRICTED - ALLOWED: the device holds the authorization', () => {
    const { device: d, observations } = fromPaste(usagePaste('IN USE', 'RESTRICTED - ALLOWED'));
    const r = slacNeeds(d, { cliObservations: observations });
    expect(r).toMatchObject({ status: 'authorized', missing: false });
    expect(r.needed[0]!.by).toBe('hseck9 (DNA_HSEC) RESTRICTED - ALLOWED');
  });

  it('an ACK newer than NOT AUTHORIZED covers it but asks to install the ACK; an older one does not', () => {
    const { device: d, observations } = fromPaste(usagePaste('NOT AUTHORIZED', 'RESTRICTED - NOT ALLOWED'), NOW);
    const after = slacNeeds({ ...d, fromAck: grants({ authorizationCodes: ['c'] }, NOW + HOUR) }, { cliObservations: observations });
    expect(after).toMatchObject({ status: 'authorized', missing: false });
    expect(after.reason).toMatch(/install that ACK/);
    const before = slacNeeds({ ...d, fromAck: grants({ authorizationCodes: ['c'] }, NOW - DAY) }, { cliObservations: observations });
    expect(before).toMatchObject({ status: 'not-authorized', missing: true });
  });

  it('an SLR authorization code including HSECK9 needs no new SLAC for the throughput (seed 004 L240)', () => {
    const paste = `router#show license udi
UDI: PID:ISR4331/K9,SN:FDO2233A1B2
router#show license usage
hseck9 (ISR_4330_Hsec):
  Description: hseck9
  Count: 1
  Version: 1.0
  Status: IN USE
  Export status: RESTRICTED - ALLOWED
  Enforcement type: EXPORT RESTRICTED
  License type: Perpetual
  Reservation:
    Reservation status: SPECIFIC INSTALLED
    Total reserved count: 1
`;
    const { device: d, observations } = fromPaste(paste);
    const r = slacNeeds(d, { cliObservations: observations, throughputMbps: 500 });
    expect(r.status).toBe('authorized');
    expect(r.onRecord.map((e) => e.source)).toContain('slr');
    expect(r.onRecord.find((e) => e.source === 'slr')!.reason).toMatch(/SPECIFIC INSTALLED.*seed 004 L240/);
  });

  it('NOT INSTALLED under license authorizations counts against a licence that needs one', () => {
    const paste = `router#show license authorization
Overall status:
  Active: PID:C8300-1N1S-6T,SN:FDO2250A0J5
      Status: NOT INSTALLED
`;
    const { device: d, observations } = fromPaste(paste);
    const r = slacNeeds({ ...d, licenses: [inUse(DNA_HSEC)] }, { cliObservations: observations });
    expect(r).toMatchObject({ status: 'not-authorized', missing: true });
    expect(r.needed[0]!.by).toBe('authorization NOT INSTALLED');
    // A switch printing the same for its unenforced licences is fine.
    expect(slacNeeds({ ...d, licenses: [inUse(NW_ADV)] }, { cliObservations: observations }).status).toBe('none');
  });
});

describe('slacNeeds on the simulator: routers waiting for their HSEC SLAC', () => {
  const fleet = simulateFleet({ seed: 'slac-test', devices: 400, now: NOW });
  const waiting = fleet.units.find((u) => u.slacNeeded)!;
  const holding = fleet.units.find((u) => u.usage.some((x) => x.tag === DNA_HSEC))!;

  it('a unit with slacNeeded prints NOT AUTHORIZED and is flagged, with and without its observations', () => {
    const { device: d, observations } = fromPaste(showOutputsOf(fleet, waiting).all);
    const exact = slacNeeds(d, { cliObservations: observations, throughputMbps: waiting.throughputMbps });
    expect(exact).toMatchObject({ status: 'not-authorized', missing: true });
    expect(exact.needed.map((n) => n.rule)).toEqual(['export-controlled-licence', 'throughput-above-250']);
    // The fleet record alone keeps the printed status: the same answer without the observations.
    expect(slacNeeds(d)).toMatchObject({ status: 'not-authorized', missing: true });
    // A record written before the status was kept (count 1, not IN USE) still tells something is missing.
    const old = { ...d, cliLicences: { ...d.cliLicences!, value: d.cliLicences!.value.map(({ status: _s, exportStatus: _e, ...l }) => l) } };
    expect(slacNeeds(old)).toMatchObject({ status: 'not-on-record', missing: true });
  });

  it('a unit consuming DNA_HSEC prints it IN USE, RESTRICTED - ALLOWED: authorized', () => {
    const { device: d, observations } = fromPaste(showOutputsOf(fleet, holding).all);
    expect(slacNeeds(d, { cliObservations: observations, throughputMbps: holding.throughputMbps })).toMatchObject({ status: 'authorized', missing: false });
  });

  it('fleet records whose licence lines keep the printed status are read without observations', () => {
    const { device: d } = fromPaste(showOutputsOf(fleet, holding).all);
    const r = slacNeeds(d);
    expect(r).toMatchObject({ status: 'authorized', missing: false });
    expect(r.reason).toBe('Needs HSECK9; on record: hseck9 (DNA_HSEC) RESTRICTED - ALLOWED');
    // Without the printed status (records written before it was kept) an HSEC licence in use has nothing on record.
    const old = { ...d, cliLicences: { ...d.cliLicences!, value: d.cliLicences!.value.map(({ status: _s, exportStatus: _e, ...l }) => l) } };
    expect(slacNeeds(old).status).toBe('not-on-record');
  });

  it('fleetSlacFlags keeps only the devices missing an authorization', () => {
    const a = fromPaste(showOutputsOf(fleet, waiting).all);
    const b = fromPaste(showOutputsOf(fleet, holding).all);
    const sw = device({ pid: 'C9300-24UX', sn: 'X' }, { licenses: [inUse(NW_ADV)] });
    const obs = new Map([
      [a.device.key, a.observations],
      [b.device.key, b.observations],
    ]);
    const flags = fleetSlacFlags([a.device, b.device, sw], (d) => ({ cliObservations: obs.get(d.key) ?? null }));
    expect(flags.map((f) => f.key)).toEqual([a.device.key]);
    expect(fleetSlacFlags([sw])).toEqual([]);
  });
});

describe('trustCodeRequests: usage files that ask for a trust code', () => {
  const entry = (xml: string): UsageEntry => ({ path: [], usage: readUsageFile(text(xml), ['f.xml']) });
  const request = (udis: Array<{ pid: string; sn: string }>) =>
    `<smartLicenseTrustCodeRequest><data>${JSON.stringify({ sudi_list: udis.map((u) => ({ udi_pid: u.pid, udi_serial_number: u.sn })) })}</data></smartLicenseTrustCodeRequest>`;

  it('a standalone device asking for one', () => {
    const sw = c9300();
    const map = trustCodeRequests([entry(writeUsageFile(sw, { extraXml: request([sw.udi]) }))]);
    expect([...map.keys()]).toEqual([udiKey(sw.udi)]);
    expect(map.get(udiKey(sw.udi))).toEqual({ key: udiKey(sw.udi), requestedBy: udiKey(sw.udi), element: 'smartLicenseTrustCodeRequest', at: sw.savedAt, path: [] });
  });

  it('no request, no entry; other unknown elements are not trust-code requests', () => {
    expect(trustCodeRequests([entry(writeUsageFile(c9300()))]).size).toBe(0);
    expect(trustCodeRequests([entry(writeUsageFile(c9300(), { extraXml: '<smartLicenseSomethingElse/>' }))]).size).toBe(0);
  });

  it('an HA set: the active asks for its members too (seed 004 L400)', () => {
    const pair = c9500Pair();
    const map = trustCodeRequests([entry(writeUsageFile(pair, { extraXml: request(pair.ha!.map((h) => h.udi)) }))]);
    const [active, standby] = pair.ha!.map((h) => udiKey(h.udi));
    expect(map.size).toBe(2);
    expect(map.get(standby!)).toMatchObject({ key: standby, requestedBy: active });
  });

  it('the newest file wins', () => {
    const older = c9300({ savedAt: NOW - 10 * DAY });
    const newer = c9300({ savedAt: NOW - DAY });
    const map = trustCodeRequests([entry(writeUsageFile(newer, { extraXml: request([newer.udi]) })), entry(writeUsageFile(older, { extraXml: request([older.udi]) }))]);
    expect(map.get(udiKey(newer.udi))!.at).toBe(NOW - DAY);
  });

  it('the simulator writes one for 17.7.1+ units without a trust code', () => {
    const fleet = simulateFleet({ seed: 'trust-test', devices: 300, now: NOW });
    const unit = fleet.units.find((u) => u.members.length === 1 && u.members[0]!.trustCodeInstalledAt === null && Number(u.members[0]!.softwareVersion.slice(3, 5)) >= 9)!;
    const map = trustCodeRequests([entry(usageFileOf(fleet, unit))]);
    expect(map.has(udiKey(unit.members[0]!.udi))).toBe(true);
  });
});

describe('trustCodeStatus', () => {
  const sw = { pid: 'C9300-24UX', sn: 'X' };
  const trust = (value: boolean, at: number) => ({ value, file: 'cli', at });

  it('installed per the CLI', () => {
    const s = trustCodeStatus(device(sw, { trustCode: trust(true, NOW) }), { at: NOW + DAY });
    expect(s).toMatchObject({ state: 'installed' });
    expect(s.sentence).toMatch(/^Trust code installed .*22 Nov 2026/);
  });

  it('returned in an ACK, not yet seen installed', () => {
    expect(trustCodeStatus(device(sw, { fromAck: grants({ trustCode: 'T' }, NOW) }), { at: NOW - DAY })).toMatchObject({ state: 'returned' });
    const stale = trustCodeStatus(device(sw, { fromAck: grants({ trustCode: 'T' }, NOW - DAY), trustCode: trust(false, NOW) }));
    expect(stale.state).toBe('returned');
    expect(stale.sentence).toMatch(/still showed none on 22 Nov 2026: install that ACK/);
  });

  it('requested, and a request newer than the ACK is still waiting', () => {
    expect(trustCodeStatus(device(sw), { at: NOW })).toMatchObject({ state: 'requested' });
    expect(trustCodeStatus(device(sw, { fromAck: grants({ trustCode: 'T' }, NOW - 5 * DAY) }), { at: NOW }).state).toBe('requested');
    expect(trustCodeStatus(device(sw), { at: NOW }).sentence).toMatch(/usage file of 22 Nov 2026 .*seed 002 L596/);
  });

  it('missing per the CLI, or not known', () => {
    expect(trustCodeStatus(device(sw, { trustCode: trust(false, NOW) }))).toMatchObject({ state: 'missing' });
    expect(trustCodeStatus(device(sw))).toMatchObject({ state: 'unknown' });
    expect(trustCodeStatus(device(sw, { fromAck: grants({ authorizationCodes: ['a'] }, NOW) })).state).toBe('unknown');
  });
});

describe('clockSkew: device files dated after the import', () => {
  it('more than an hour ahead: a warning naming the difference', () => {
    const w = clockSkew(NOW + 5 * HOUR + 8 * 60_000, NOW);
    expect(w).toMatch(/at least 5 h 8 min ahead/);
    expect(w).toMatch(/2026-11-22T17:08Z, imported at 2026-11-22T12:00Z/);
    expect(w).toMatch(/trust-code and policy installs fail .*seed 003 L6150/);
    expect(clockSkew(NOW + HOUR + 60_000, NOW)).toMatch(/at least 1 h 1 min ahead/);
    expect(clockSkew(NOW + 3 * HOUR, NOW)).toMatch(/at least 3 h ahead/);
  });

  it('an hour or less ahead, or any time behind: nothing to say', () => {
    expect(clockSkew(NOW + HOUR, NOW)).toBeNull();
    expect(clockSkew(NOW + 10 * 60_000, NOW)).toBeNull();
    expect(clockSkew(NOW - 9 * HOUR, NOW)).toBeNull(); // an old file and a slow clock look the same
    expect(clockSkew(null, NOW)).toBeNull();
    expect(clockSkew(Number.NaN, NOW)).toBeNull();
  });

  it('a usage file written by a device whose clock runs ahead', () => {
    const ahead = readUsageFile(text(writeUsageFile(c9300({ savedAt: NOW + 4 * HOUR }))), ['f']);
    expect(clockSkew(ahead.systemInfo!.timestamp, NOW)).toMatch(/4 h ahead/);
  });
});
