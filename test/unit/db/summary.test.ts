import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { gzip, writeTar } from '../../../src/core/archive/index.ts';
import { entitlementRows, summaryDiff } from '../../../src/core/entitlements/summary.ts';
import { udiKey } from '../../../src/core/model/udi.ts';
import { licenseSummaryOf, usageFileOf } from '../../../src/core/sim/files.ts';
import { simulateFleet } from '../../../src/core/sim/fleet.ts';
import { storeAnalysis } from '../../../src/db/import.ts';
import { type WorkbenchDb, openWorkbenchDb } from '../../../src/db/schema.ts';
import { listDevices, getDevice } from '../../../src/db/queries.ts';

let counter = 0;
const NOW = Date.UTC(2026, 10, 20, 9);
const DAY = 86_400_000;
const encoder = new TextEncoder();
const json = (o: unknown) => encoder.encode(JSON.stringify(o));

function freshDb(): WorkbenchDb {
  return openWorkbenchDb(`summary-${++counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

async function importBytes(db: WorkbenchDb, name: string, bytes: Uint8Array, now = NOW) {
  return storeAnalysis(db, await analyseFile(name, bytes), new Blob([bytes as Uint8Array<ArrayBuffer>]), now);
}

async function snapshot(db: WorkbenchDb) {
  return { files: await db.files.toArray(), summaries: await db.summaries.toArray(), devices: await listDevices(db), events: await db.events.count() };
}

const line = (tag: string, quantity: number, over: Record<string, unknown> = {}) => ({
  tag,
  display_name: tag.split(',')[0]!.split('.').pop(),
  enforced: false,
  export_restricted: false,
  compliance_status: 'In Compliance',
  prepaid_entitled: quantity,
  prepaid_inuse: 1,
  prepaid_reserved: 0,
  license_details: [{ billing_type: 'PREPAID', quantity, status: 'ACTIVE', license_type: 'TERM', start_date: '2026-01-01', end_date: '2027-06-30', subscription_id: null }],
  ...over,
});

describe('CSSM licence summary import', () => {
  it('reads the slp-summary/1 tarball: accounts, licences with their details, and tells known devices their Virtual Account', async () => {
    const fleet = simulateFleet({ seed: 'summary', devices: 200, now: NOW });
    const db = freshDb();
    const unit = fleet.units.find((u) => u.lastAckAt !== null)!;
    await importBytes(db, 'one.txt', encoder.encode(usageFileOf(fleet, unit)));
    expect((await getDevice(db, udiKey(unit.members[0]!.udi)))!.virtualAccount ?? null).toBeNull();

    const outcome = await importBytes(db, 'license_summary.tar.gz', await licenseSummaryOf(fleet));
    expect(outcome).toMatchObject({ status: 'imported', file: { kind: 'license-summary' } });
    const [stored] = await db.summaries.toArray();
    expect(stored!.smartAccount).toBe(fleet.smartAccount.name);
    expect(stored!.virtualAccounts.sort()).toEqual(fleet.virtualAccounts.map((v) => v.name).sort());
    const pools = fleet.pools;
    expect(stored!.licenses.length).toBe(new Set(pools.map((p) => `${p.virtualAccount}|${p.tag}`)).size);
    const postpaid = pools.find((p) => p.billing === 'POSTPAID');
    if (postpaid) {
      const l = stored!.licenses.find((x) => x.tag === postpaid.tag && x.virtualAccount === postpaid.virtualAccount)!;
      expect(l.details.map((d) => d.subscriptionId)).toContain(postpaid.subscriptionId);
    }
    // CSSM's device list tells a known device which Virtual Account it is in.
    expect((await getDevice(db, udiKey(unit.members[0]!.udi)))!.virtualAccount?.value).toBe(unit.virtualAccount);
    // Entitlement rows: per Virtual Account and licence, with what the devices report.
    const rows = entitlementRows(stored!, await listDevices(db), NOW);
    expect(rows).toHaveLength(stored!.licenses.length);
    const reported = rows.filter((r) => r.reportedInUse > 0);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((r) => r.virtualAccount === unit.virtualAccount)).toBe(true);
  });

  it('reads loose JSON in the shapes of CSSM\'s API, each piece replacing only what it covers', async () => {
    const db = freshDb();
    const accounts = { accounts: [{ account_id: '1', domain: 'acme.com', name: 'ACME', virtual_accounts: [{ virtual_account_id: '11', name: 'Campus', default: true }, { virtual_account_id: '12', name: 'WAN', default: false }] }] };
    expect(await importBytes(db, 'accounts.json', json(accounts))).toMatchObject({ status: 'imported' });
    expect((await db.summaries.get('ACME'))!.virtualAccounts).toEqual(['Campus', 'WAN']);
    const campus = { virtual_account: { name: 'Campus', id: '11' }, summary: [line('regid.2017-03.com.cisco.advantagek9,1.0_x', 10), line('regid.2018-06.com.cisco.DNA_NWStack,1.0_y', 5)] };
    const wan = { virtual_account: 'WAN', summary: [line('regid.2019-03.com.cisco.DNA_HSEC,1.0_z', 2, { enforced: false, export_restricted: true })] };
    await importBytes(db, 'campus.json', json(campus));
    const after = await importBytes(db, 'wan.json', json(wan));
    expect(after.status === 'imported' && after.summary.summaryChanges).toEqual(['added: DNA_HSEC (WAN), 2']);
    const s = (await db.summaries.get('ACME'))!;
    expect(s.licenses.map((l) => [l.virtualAccount, l.quantity])).toEqual([
      ['Campus', 10],
      ['Campus', 5],
      ['WAN', 2],
    ]);
    expect(s.licenses[2]!.exportRestricted).toBe(true);
    const devices = { virtual_account: 'Campus', devices: [{ sudi: { udiPid: 'C9300-24UX', udiSerialNumber: 'FCW1' }, hostName: 'sw1', virtualAccount: 'Campus', licenseUsage: [{ license: 'Network Advantage', quantity: 1 }], lastContactDate: '2026-11-01T00:00:00Z' }] };
    await importBytes(db, 'devices.json', json(devices));
    expect((await db.summaries.get('ACME'))!.devices.map((d) => d.hostname)).toEqual(['sw1']);
    expect((await db.summaries.get('ACME'))!.licenses).toHaveLength(3);
  });

  it('replaces an older summary and says what changed; an older one than the stored is refused', async () => {
    const db = freshDb();
    const a = { format: 'slp-summary/1', generated: '2026-10-01T00:00:00Z', smart_account: { name: 'ACME' } };
    const tarOf = async (manifest: object, lines: object[]) =>
      gzip(await writeTar([{ name: 'manifest.json', bytes: json(manifest), mtime: 0 }, { name: 'Campus/licenses.json', bytes: json({ virtual_account: { name: 'Campus' }, summary: lines }), mtime: 0 }]));
    await importBytes(db, 'old.tar.gz', await tarOf(a, [line('regid.x.A,1.0_a', 10), line('regid.x.B,1.0_b', 4), line('regid.x.C,1.0_c', 1, { license_details: [{ billing_type: 'PREPAID', quantity: 1, license_type: 'TERM', end_date: '2026-12-01' }] })]));
    const newer = await tarOf({ ...a, generated: '2026-11-15T00:00:00Z' }, [line('regid.x.A,1.0_a', 12), line('regid.x.D,1.0_d', 3), line('regid.x.C,1.0_c', 1, { license_details: [{ billing_type: 'PREPAID', quantity: 1, license_type: 'TERM', end_date: '2026-12-01' }] })]);
    const outcome = await importBytes(db, 'new.tar.gz', newer);
    if (outcome.status !== 'imported') throw new Error('not imported');
    expect(outcome.summary.summaryChanges).toEqual(['added: D (Campus), 3', 'removed: B (Campus)', 'A (Campus): 10 → 12', 'C (Campus): ends 2026-12-01 (in 11 days)']);
    const s = (await db.summaries.get('ACME'))!;
    expect(s.history).toEqual([{ file: expect.any(String), fileName: 'old.tar.gz', importedAt: NOW, changes: outcome.summary.summaryChanges }]);
    expect((await db.events.toArray()).pop()!.message).toMatch(/3 licences of a CSSM summary \(4 changes\)/);

    const before = await snapshot(db);
    await expect(importBytes(db, 'stale.tar.gz', await tarOf({ ...a, generated: '2026-09-01T00:00:00Z' }, [line('regid.x.A,1.0_a', 1)]))).rejects.toThrow(/stale\.tar\.gz: is older \(generated 2026-09-01T00:00:00Z\) than the summary already imported for ACME/);
    expect(await snapshot(db)).toEqual(before);
  });

  it('refuses a malformed summary naming the file and the entry, and writes nothing', async () => {
    const db = freshDb();
    const before = await snapshot(db);
    const broken = gzip(
      await writeTar([
        { name: 'manifest.json', bytes: json({ format: 'slp-summary/1', generated: '2026-11-01T00:00:00Z', smart_account: { name: 'ACME' } }), mtime: 0 },
        { name: 'Campus/licenses.json', bytes: encoder.encode('{"virtual_account": {"name": "Campus"}, "summary": [{"tag": "x",'), mtime: 0 },
      ]),
    );
    await expect(importBytes(db, 'broken.tar.gz', broken)).rejects.toThrow(/^broken\.tar\.gz › Campus\/licenses\.json: cannot be read/);
    await expect(importBytes(db, 'odd.json', json({ summary: 'not a list', accounts: 'nor this' }))).rejects.toThrow(/odd\.json/);
    expect(await snapshot(db)).toEqual(before);
  });

  it('takes a summary of 10,000 licences', async () => {
    const db = freshDb();
    const lines = Array.from({ length: 10_000 }, (_, i) => line(`regid.2026-01.com.cisco.L${i},1.0_${i}`, (i % 50) + 1));
    const t = performance.now();
    const outcome = await importBytes(db, 'big.json', json({ virtual_account: { name: 'Big' }, summary: lines }));
    const ms = performance.now() - t;
    expect(outcome).toMatchObject({ status: 'imported', summary: { licences: 10_000 } });
    const [s] = await db.summaries.toArray();
    const rows = entitlementRows(s!, [], NOW);
    expect(rows).toHaveLength(10_000);
    expect(rows[49]!.entitled).toBe(50);
    // Not a timing assertion (BENCHMARKS.md has those): a sanity bound that catches a quadratic slip.
    expect(ms).toBeLessThan(30_000);
  });
});

describe('entitlement rows', () => {
  it('counts what the devices of the Virtual Account report, flags over-use, and leaves postpaid without a pool', () => {
    const summary = {
      licenses: [
        { virtualAccount: 'Campus', tag: 'regid.x.A,1.0_a', displayName: 'A', quantity: 2, inUse: 1, entitled: 2, reserved: 0, status: null, enforced: false, exportRestricted: false, licenseType: 'PERPETUAL', billing: 'PREPAID', subscriptionId: null, endDate: null, details: [{ billing: 'PREPAID', quantity: 2, status: 'ACTIVE', licenseType: 'PERPETUAL', startDate: null, endDate: null, subscriptionId: null }] },
        { virtualAccount: 'Campus', tag: 'regid.x.P,1.0_p', displayName: 'P', quantity: 0, inUse: 5, entitled: null, reserved: null, status: null, enforced: false, exportRestricted: false, licenseType: 'TERM', billing: 'POSTPAID', subscriptionId: 'Sub1', endDate: '2026-12-10', details: [{ billing: 'POSTPAID', quantity: 0, status: 'ACTIVE', licenseType: 'TERM', startDate: null, endDate: '2026-12-10', subscriptionId: 'Sub1' }] },
      ],
    };
    const dev = (sn: string, va: string | null, count: number) => ({
      key: `PID:X,SN:${sn}`,
      udi: { pid: 'X', sn },
      hostname: null,
      softwareVersion: null,
      softwareTag: null,
      ha: null,
      licenses: [{ entitlementTag: 'regid.x.A,1.0_a', count, utility: false, asOf: 0, reportId: '1' }],
      reportCount: 1,
      lastReportEnd: null,
      files: [],
      firstSeen: 0,
      updatedAt: 0,
      virtualAccount: va ? { value: va, file: 'f', at: 0 } : null,
    });
    const rows = entitlementRows(summary, [dev('1', 'Campus', 2), dev('2', 'Campus', 1), dev('3', 'WAN', 7), dev('4', null, 9)], NOW);
    expect(rows[0]).toMatchObject({ billing: 'prepaid', entitled: 2, cssmInUse: 1, reportedInUse: 3, reportingDevices: 2, available: -1, over: true });
    expect(rows[1]).toMatchObject({ billing: 'postpaid', available: null, over: false, subscriptionIds: ['Sub1'], nextEnd: { date: '2026-12-10', days: 20 } });
    expect(summaryDiff(null, { licenses: summary.licenses as never, virtualAccounts: ['Campus'] }, NOW).expiring.map((e) => e.days)).toEqual([20]);
    expect(summaryDiff(null, { licenses: summary.licenses as never, virtualAccounts: ['Campus'] }, NOW + 30 * DAY).expiring.map((e) => e.days)).toEqual([-10]);
  });
});
