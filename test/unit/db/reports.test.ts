import { describe, expect, it } from 'vitest';
import { blankDevice, type DeviceReports } from '../../../src/core/model/fleet.ts';
import { DeviceSets, bucketKey, bucketiseDevices, placesOf } from '../../../src/db/devices.ts';
import { ORPHANS_KEY, REPORT_BUCKETS, ReportSets, allReportSets, bucketOf, bucketiseWith, openReportBucket } from '../../../src/db/reports.ts';
import type { WorkbenchDb } from '../../../src/db/schema.ts';
import { freshDb } from './workspace.ts';

const keyOf = (i: number) => `PID:C9300-24UX,SN:FOC${String(i).padStart(6, '0')}`;
const set = (i: number, ids: string[] = [`${i}`]): DeviceReports => ({ key: keyOf(i), reports: ids.map((reportId) => ({ reportId }) as DeviceReports['reports'][number]) });
const device = (i: number) => blankDevice(keyOf(i), { pid: 'C9300-24UX', sn: `FOC${String(i).padStart(6, '0')}` }, 1);

/** Stores devices then their report sets, in one transaction as an import does. */
async function store(db: WorkbenchDb, from: number, to: number): Promise<DeviceReports[]> {
  const sets = Array.from({ length: to - from }, (_, i) => set(from + i));
  await db.transaction('rw', [db.deviceSets, db.reportSets], async () => {
    const devices = new DeviceSets(db.deviceSets);
    await devices.put(sets.map((s) => device(Number(s.reports[0]!.reportId))));
    await new ReportSets(db.reportSets, devices).write(sets);
  });
  return sets;
}

describe('report buckets', () => {
  it("v8's layout spreads device keys over 4,096 buckets, the same key always to the same bucket", () => {
    const used = new Map<string, number>();
    for (let i = 0; i < 40_000; i++) {
      const b = bucketOf(set(i).key);
      expect(b).toMatch(/^r[0-9a-f]{3}$/);
      used.set(b, (used.get(b) ?? 0) + 1);
    }
    expect(bucketOf(set(7).key)).toBe(bucketOf(set(7).key));
    // ~10 keys a bucket on average: nearly every bucket used, none holding more than a few times its share.
    expect(used.size).toBeGreaterThan(REPORT_BUCKETS * 0.99);
    expect(Math.max(...used.values())).toBeLessThan(40);
  });

  it("keeps each device's set in the report bucket of its device bucket, and reads and replaces sets by device", async () => {
    const db = freshDb('reports');
    const all = await store(db, 0, 9000);
    const buckets = (await db.reportSets.toArray()).map(openReportBucket);
    const places = placesOf((await db.deviceSets.toArray()) as never);
    expect(buckets.length).toBe(Math.ceil(9000 / 32));
    for (const b of buckets) for (const s of b.sets) expect(places.get(s.key)).toBe(b.key);
    expect((await allReportSets(db.reportSets)).length).toBe(9000);

    const reports = new ReportSets(db.reportSets, new DeviceSets(db.deviceSets));
    const got = await reports.read([all[5]!.key, all[8000]!.key, 'PID:X,SN:none']);
    expect([...got.keys()].sort()).toEqual([all[5]!.key, all[8000]!.key].sort());
    expect(got.get(all[5]!.key)).toEqual(all[5]);

    await reports.write([set(5, ['5', '55'])]);
    const again = await new ReportSets(db.reportSets, new DeviceSets(db.deviceSets)).read(all.map((s) => s.key));
    expect(again.size).toBe(9000);
    expect(again.get(all[5]!.key)!.reports.map((r) => r.reportId)).toEqual(['5', '55']);
    expect(again.get(all[6]!.key)).toEqual(all[6]);
  });

  it('an import of new devices into a large workspace writes new report buckets only', async () => {
    const db = freshDb('reports');
    await store(db, 0, 3200);
    const before = new Map(((await db.reportSets.toArray()).map(openReportBucket)).map((b) => [b.key, b]));
    await store(db, 3200, 3300);
    const after = (await db.reportSets.toArray()).map(openReportBucket);
    const changed = after.filter((b) => JSON.stringify(before.get(b.key)) !== JSON.stringify(b)).map((b) => b.key);
    expect(changed).toEqual([bucketKey(100), bucketKey(101), bucketKey(102), bucketKey(103)]);
  });

  it('refuses sets of a device that is not stored, and places orphans of a restored backup apart', async () => {
    const db = freshDb('reports');
    await expect(db.transaction('rw', [db.deviceSets, db.reportSets], () => new ReportSets(db.reportSets, new DeviceSets(db.deviceSets)).write([set(1)]))).rejects.toThrow(/before the device/);
    expect(await db.reportSets.count()).toBe(0);
    const records = bucketiseDevices([device(1)]);
    expect(bucketiseWith([set(1), set(2)], placesOf(records))).toEqual([
      { key: bucketKey(0), sets: [set(1)] },
      { key: ORPHANS_KEY, sets: [set(2)] },
    ]);
  });
});
