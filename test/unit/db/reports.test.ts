import { describe, expect, it } from 'vitest';
import type { DeviceReports } from '../../../src/core/model/fleet.ts';
import { REPORT_BUCKETS, ReportSets, allReportSets, bucketOf, bucketise } from '../../../src/db/reports.ts';
import { freshDb } from './workspace.ts';

const set = (i: number, ids: string[] = [`${i}`]): DeviceReports => ({ key: `PID:C9300-24UX,SN:FOC${String(i).padStart(6, '0')}`, reports: ids.map((reportId) => ({ reportId }) as DeviceReports['reports'][number]) });

describe('report buckets', () => {
  it('spreads device keys over the buckets, the same key always to the same bucket', () => {
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

  it('writes and reads sets by device, replacing a device\'s set and keeping its neighbours\'', async () => {
    const db = freshDb('reports');
    const all = Array.from({ length: 9000 }, (_, i) => set(i));
    await new ReportSets(db.reportSets).write(all);
    expect(await db.reportSets.count()).toBeLessThanOrEqual(REPORT_BUCKETS);
    expect((await allReportSets(db.reportSets)).length).toBe(9000);

    const store = new ReportSets(db.reportSets);
    const got = await store.read([all[5]!.key, all[8000]!.key, 'PID:X,SN:none']);
    expect([...got.keys()].sort()).toEqual([all[5]!.key, all[8000]!.key].sort());
    expect(got.get(all[5]!.key)).toEqual(all[5]);

    await store.write([set(5, ['5', '55']), set(9001)]);
    const again = await new ReportSets(db.reportSets).read(all.map((s) => s.key).concat(set(9001).key));
    expect(again.size).toBe(9001);
    expect(again.get(all[5]!.key)!.reports.map((r) => r.reportId)).toEqual(['5', '55']);
    expect(again.get(all[6]!.key)).toEqual(all[6]);
  });

  it('bucketises sets as the reads find them', async () => {
    const db = freshDb('reports');
    const sets = Array.from({ length: 300 }, (_, i) => set(i));
    await db.reportSets.bulkPut(bucketise(sets));
    const got = await new ReportSets(db.reportSets).read(sets.map((s) => s.key));
    expect([...got.values()].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual(sets);
  });
});
