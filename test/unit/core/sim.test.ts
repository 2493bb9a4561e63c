import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { writeUploadBundle } from '../../../src/core/bundle/upload.ts';
import { inspectionOf } from '../../../src/core/inspect.ts';
import { udiKey } from '../../../src/core/model/udi.ts';
import { simulateCssm } from '../../../src/core/sim/cssm.ts';
import { emptyLedger } from '../../../src/core/sim/ledger.ts';
import { fleetFiles, usageFileOf } from '../../../src/core/sim/files.ts';
import { simulateFleet } from '../../../src/core/sim/fleet.ts';
import { sha256Hex } from '../../../src/core/hash.ts';
import { readAck } from '../../../src/core/formats/ack.ts';
import { decode } from '../helpers.ts';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const encoder = new TextEncoder();

async function digest(files: ReadonlyArray<{ path: string; bytes: Uint8Array }>): Promise<string[]> {
  return Promise.all(files.map(async (f) => `${f.path} ${await sha256Hex(f.bytes)}`));
}

describe('simulated fleet', () => {
  it('is byte-identical for the same seed and different for another', async () => {
    const a = await fleetFiles(simulateFleet({ seed: 'acme', devices: 300, now: NOW }));
    const b = await fleetFiles(simulateFleet({ seed: 'acme', devices: 300, now: NOW }));
    const c = await fleetFiles(simulateFleet({ seed: 'other', devices: 300, now: NOW }));
    expect(await digest(a)).toEqual(await digest(b));
    expect(await digest(a)).not.toEqual(await digest(c));
  });

  it.each([1, 2, 7, 50, 1000])('has exactly %i product instances with distinct UDIs', (devices) => {
    const fleet = simulateFleet({ seed: 's', devices, now: NOW });
    expect(fleet.instances).toHaveLength(devices);
    expect(new Set(fleet.instances.map((i) => udiKey(i.udi))).size).toBe(devices);
    expect(fleet.units.reduce((n, u) => n + u.members.length, 0)).toBe(devices);
  });

  it('keeps a device the same whatever the fleet size (each unit has its own generator)', () => {
    const small = simulateFleet({ seed: 's', devices: 50, now: NOW });
    const large = simulateFleet({ seed: 's', devices: 2000, now: NOW });
    const firstUnits = (f: typeof small) => f.units.slice(0, 10).map((u) => [u.hostname, u.members.map((m) => udiKey(m.udi))]);
    expect(firstUnits(large)).toEqual(firstUnits(small));
  });

  it('is a plausible estate: every family, HA sets, utility 8000Vs, overdue, never-consumed, skewed clocks, SLAC waits', () => {
    const fleet = simulateFleet({ seed: 'estate', devices: 3000, now: NOW });
    expect(new Set(fleet.units.map((u) => u.family))).toEqual(new Set(['C9200', 'C9300', 'C9400', 'C9500', 'ISR1000', 'ISR4000', 'C8000', 'C8000V', 'C9800']));
    expect(fleet.virtualAccounts.map((v) => [v.name, v.policy.name])).toEqual([
      ['Campus', 'Cisco default'],
      ['Data Centre', 'Cisco default'],
      ['WAN', 'Cisco default'],
      ['Wireless', 'Cisco default'],
      ['Lab', 'SLE Policy'],
    ]);
    const roles = new Set(fleet.instances.map((i) => i.role));
    expect(roles).toEqual(new Set(['standalone', 'active', 'standby', 'member']));
    expect(fleet.units.some((u) => u.utility && u.family === 'C8000V' && u.usage.every((x) => x.billing === 'POSTPAID' && x.subscriptionId))).toBe(true);
    expect(fleet.units.filter((u) => u.overdue).length).toBeGreaterThan(0);
    expect(fleet.units.filter((u) => u.neverConsumed && u.usage.length === 0 && u.reports.length === 0).length).toBeGreaterThan(0);
    expect(fleet.units.filter((u) => Math.abs(u.clockSkewMs) > 3_600_000).length).toBeGreaterThan(0);
    expect(fleet.units.filter((u) => u.slacNeeded && (u.throughputMbps ?? 0) > 250).length).toBeGreaterThan(0);
    const wireless = fleet.units.find((u) => u.family === 'C9800')!;
    expect(wireless.usage.every((x) => x.count === wireless.accessPoints)).toBe(true);
    // Both AIR licences count the same access points in every period.
    for (const u of fleet.units.filter((x) => x.family === 'C9800')) {
      const perPeriod = new Map<number, Set<number>>();
      for (const r of u.reports) perPeriod.set(r.start, (perPeriod.get(r.start) ?? new Set()).add(r.count));
      for (const counts of perPeriod.values()) expect(counts.size).toBe(1);
    }
    expect(new Set(fleet.units.flatMap((u) => u.reports.map((r) => r.state)))).toEqual(new Set(['ACK', 'CLOSED', 'OPEN']));
    // Report IDs are unique per device.
    for (const u of fleet.units) expect(new Set(u.reports.map((r) => r.reportId)).size).toBe(u.reports.length);
  });

  it('writes files that inspect as the right kind with the right devices', async () => {
    const fleet = simulateFleet({ seed: 'inspect', devices: 400, now: NOW });
    const files = await fleetFiles(fleet);
    const folders = new Set(files.map((f) => f.path.split('/')[0]));
    expect(folders).toEqual(new Set(['usage', 'slac', 'cli', 'cssm', 'inventory']));
    const expectedKind: Record<string, string> = { usage: 'usage-report', slac: 'slac-request', cli: 'cli', cssm: 'license-summary', inventory: 'inventory-csv' };
    const byHostname = new Map(fleet.units.map((u) => [u.hostname, u]));
    for (const file of files) {
      const folder = file.path.split('/')[0]!;
      const analysis = await analyseFile(file.path.split('/').pop()!, file.bytes);
      expect(analysis.kind, file.path).toBe(expectedKind[folder]);
      expect(analysis.simulated, file.path).toBe(true);
      const inspection = inspectionOf(analysis);
      const udis = inspection.devices.map((d) => `PID:${d.udi.pid},SN:${d.udi.sn}`.toUpperCase()).sort();
      const hostname = file.path.split('/')[1]!.replace(/_(all_rum|slac_request|show_license_\w+)\.txt$/, '');
      const unit = byHostname.get(hostname);
      if (folder === 'usage' || folder === 'slac' || (folder === 'cli' && file.path.endsWith('_all.txt'))) {
        expect(udis, file.path).toEqual(unit!.members.map((m) => udiKey(m.udi)).sort());
      }
      if (folder === 'usage') {
        // Saved files hold every report but the OPEN one, which is still collecting usage.
        expect(inspection.reports.map((r) => String(r.reportId)).sort()).toEqual(unit!.reports.filter((r) => r.state !== 'OPEN').map((r) => r.reportId).sort());
        expect(inspection.devices.find((d) => d.role === 'active' || d.role === 'standalone')?.hostname).toBe(unit!.hostname);
      }
      if (folder === 'inventory') expect(udis).toEqual(fleet.instances.map((i) => udiKey(i.udi)).sort());
      if (folder === 'cssm') {
        expect(inspection.account?.smartAccount).toBe(fleet.smartAccount.name);
        const acked = fleet.units.filter((u) => u.lastAckAt !== null).flatMap((u) => u.members.map((m) => udiKey(m.udi)));
        expect(udis).toEqual(acked.sort());
        expect(inspection.licenses.length).toBeGreaterThan(5);
      }
    }
  });
});

describe('simulated CSSM', () => {
  const fleet = simulateFleet({ seed: 'cssm', devices: 40, now: NOW });
  const ledger = () => emptyLedger({ name: fleet.smartAccount.name, id: fleet.smartAccount.id }, fleet.virtualAccounts.map((v) => v.name));
  const unit = fleet.units.find((u) => u.reports.length > 0 && u.utility === false)!;
  const usage = encoder.encode(usageFileOf(fleet, unit));

  it('acknowledges a device usage file, then rejects the same reports uploaded again', async () => {
    const first = await simulateCssm('all_rum.txt', usage, ledger(), { now: NOW, virtualAccount: 'Campus' });
    if (!first.accepted) throw new Error(first.reason);
    const saved = unit.reports.filter((r) => r.state !== 'OPEN');
    expect(first).toMatchObject({ name: 'ACK_all_rum.txt', kind: 'ack', devices: 1, acknowledged: saved.length });
    const ack = readAck(first.bytes, ['ack']);
    expect(ack.simulated).toBe(true);
    expect(ack.policies).toBe(0);
    expect(ack.acknowledged.map((a) => a.reportId).sort()).toEqual(saved.map((r) => r.reportId).sort());
    expect(ack).toMatchObject({ smartAccount: fleet.smartAccount.name, virtualAccount: 'Campus' });
    const analysis = await analyseFile('ACK_all_rum.txt', first.bytes);
    expect(analysis.kind).toBe('ack');
    expect(analysis.simulated).toBe(true);

    const again = await simulateCssm('all_rum (copy).txt', usage, first.ledger, { now: NOW + 60_000, virtualAccount: 'Campus' });
    expect(again.accepted).toBe(false);
    expect(!again.accepted && again.reason).toMatch(/^report \d+ of PID:.* was uploaded to CSSM before: CSSM rejects usage reports it has already received/);
  });

  it('rejects a malformed upload, a wrong kind and an unknown Virtual Account, each with its reason', async () => {
    const cut = await simulateCssm('cut.txt', usage.subarray(0, 700), ledger(), { now: NOW });
    expect(cut).toEqual({ accepted: false, reason: expect.stringMatching(/^CSSM could not read cut\.txt: the XML ends early/) });
    const csv = await simulateCssm('inv.csv', encoder.encode('hostname,pid,serial\na,b,c\n'), ledger(), { now: NOW });
    expect(csv).toEqual({ accepted: false, reason: "CSSM's Usage Data Files page takes a device usage file, an upload bundle, a SLAC request or a controller usage report; inv.csv is Inventory CSV (CSV whose header names hostname, pid and serial)" });
    const va = await simulateCssm('all_rum.txt', usage, ledger(), { now: NOW, virtualAccount: 'Nowhere' });
    expect(va).toEqual({ accepted: false, reason: `Virtual Account "Nowhere" does not exist in Smart Account "${fleet.smartAccount.name}"` });
  });

  it('answers an upload bundle with an ACK bundle holding one ACK per device file', async () => {
    const units = fleet.units.filter((u) => u.reports.length > 0).slice(0, 3);
    const bundle = await writeUploadBundle({
      smartAccount: fleet.smartAccount,
      timestamp: NOW,
      createdBy: 'test',
      virtualAccounts: [{ name: 'WAN', id: '1', devices: units.map((u) => ({ key: u.id, bytes: encoder.encode(usageFileOf(fleet, u)) })) }],
    });
    const outcome = await simulateCssm(bundle.name, bundle.bytes, ledger(), { now: NOW });
    if (!outcome.accepted) throw new Error(outcome.reason);
    expect(outcome).toMatchObject({ kind: 'ack-bundle', devices: 3, name: `ACK_${bundle.name}` });
    const analysis = await analyseFile(outcome.name, outcome.bytes);
    expect(analysis.kind).toBe('ack-bundle');
    expect(analysis.other.acks).toHaveLength(3);
    expect(inspectionOf(analysis).acknowledged).toHaveLength(units.reduce((n, u) => n + u.reports.filter((r) => r.state !== 'OPEN').length, 0));
    const leafNames = analysis.entries.map((e) => e.path.join('/'));
    expect(leafNames).toEqual(bundle.entries.map((e) => `ACK_${e.vaFile}/ACK_${e.devFile}`));
    // A bundle for a Virtual Account that does not exist is refused.
    const wrong = await writeUploadBundle({ smartAccount: fleet.smartAccount, timestamp: NOW, createdBy: 'test', virtualAccounts: [{ name: 'Ghost', id: '9', devices: [{ key: 'x', bytes: usage }] }] });
    expect(await simulateCssm(wrong.name, wrong.bytes, ledger(), { now: NOW })).toEqual({ accepted: false, reason: `${wrong.name}: Virtual Account "Ghost" does not exist in Smart Account "${fleet.smartAccount.name}"` });
  });

  it('sends the policy of the Virtual Account with the ACK when asked to', async () => {
    const lab = fleet.virtualAccounts.find((v) => v.name === 'Lab')!;
    const outcome = await simulateCssm('all_rum.txt', usage, ledger(), { now: NOW, virtualAccount: 'Lab', policyFor: (va) => (va === 'Lab' ? lab.policy : null) });
    if (!outcome.accepted) throw new Error(outcome.reason);
    expect(readAck(outcome.bytes, ['ack']).policies).toBe(1);
    expect(decode(outcome.bytes)).toContain('"name":"SLE Policy"');
    expect((await analyseFile(outcome.name, outcome.bytes)).kind).toBe('ack');
  });

  it('returns subscription IDs for utility-mode reports and a trust code when the device asked for one', async () => {
    const utility = fleet.units.find((u) => u.utility && u.reports.length) ?? simulateFleet({ seed: 'util', devices: 400, now: NOW }).units.find((u) => u.utility && u.reports.length)!;
    const f = utility.id.startsWith('unit') && fleet.units.includes(utility) ? fleet : simulateFleet({ seed: 'util', devices: 400, now: NOW });
    const file = encoder.encode(usageFileOf(f, utility));
    const outcome = await simulateCssm('u.txt', file, emptyLedger(f.smartAccount, ['WAN']), { now: NOW });
    if (!outcome.accepted) throw new Error(outcome.reason);
    const body = JSON.parse(decode(outcome.bytes).match(/<data>(.*?)<\/data>/)![1]!);
    expect(Object.keys(body.subscription_ids)).toEqual([...new Set(utility.reports.map((r) => r.tag))]);
    const asking = f.units.find((u) => decode(encoder.encode(usageFileOf(f, u))).includes('TrustCodeRequest') && u.reports.length)!;
    const trusted = await simulateCssm('t.txt', encoder.encode(usageFileOf(f, asking)), emptyLedger(f.smartAccount, [asking.virtualAccount]), { now: NOW });
    if (!trusted.accepted) throw new Error(trusted.reason);
    expect(JSON.parse(decode(trusted.bytes).match(/<data>(.*?)<\/data>/)![1]!).trust_code).toMatch(/^[A-Za-z0-9+/]{64}$/);
  });
});
