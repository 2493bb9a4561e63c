import { describe, expect, it } from 'vitest';
import { blankDevice, type ProductInstance } from '../../../src/core/model/fleet.ts';
import { BUCKET_SIZE, DIRECTORY_SHARDS, DeviceSets, type DeviceSetRecord, type StoredDeviceBucket, bucketKey, bucketiseDevices, deviceCount, openDeviceBucket, shardKey } from '../../../src/db/devices.ts';
import { getDevice, listDevices } from '../../../src/db/queries.ts';
import { expectDeviceStoreWhole, freshDb } from './workspace.ts';
import type { WorkbenchDb } from '../../../src/db/schema.ts';

const device = (i: number, hostname = `sw-${i}`): ProductInstance => {
  const sn = `FOC${String(i).padStart(6, '0')}`;
  return { ...blankDevice(`PID:C9300-24UX,SN:${sn}`, { pid: 'C9300-24UX', sn }, 1000), hostname: { value: hostname, file: 'f', at: 1 } };
};
const byKey = (list: ProductInstance[]) => [...list].sort((a, b) => (a.key < b.key ? -1 : 1));

/** The device table, with the keys of every record each bulkPut writes noted. */
function watched(db: WorkbenchDb): { table: WorkbenchDb['deviceSets']; writes: string[][] } {
  const writes: string[][] = [];
  const table = new Proxy(db.deviceSets, {
    get(target, prop, receiver) {
      if (prop === 'bulkPut') return (records: DeviceSetRecord[]) => (writes.push(records.map((r) => r.key)), target.bulkPut(records));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { table, writes };
}

describe('device buckets', () => {
  it('fills buckets of 32 in the order devices arrive, topping up the last bucket before starting another', async () => {
    const db = freshDb('devices');
    const first = Array.from({ length: 100 }, (_, i) => device(i));
    await new DeviceSets(db.deviceSets).put(first);
    await expectDeviceStoreWhole(db, byKey(first));
    // 100 = 3 × 32 + 4: the fourth bucket is topped up by the next import, then a fifth begins.
    const { table, writes } = watched(db);
    const next = Array.from({ length: 40 }, (_, i) => device(100 + i));
    await new DeviceSets(table).put(next);
    const buckets = writes.flat().filter((k) => k.startsWith('d'));
    expect(buckets).toEqual([bucketKey(3), bucketKey(4)]);
    expect(writes.flat()).toContain('~meta');
    await expectDeviceStoreWhole(db, byKey([...first, ...next]));
    expect(await deviceCount(db.deviceSets)).toBe(140);
    expect(openDeviceBucket((await db.deviceSets.get(bucketKey(3))) as StoredDeviceBucket).devices).toContainEqual(expect.objectContaining({ key: next[0]!.key }));
    expect(openDeviceBucket((await db.deviceSets.get(bucketKey(4))) as StoredDeviceBucket).devices).toHaveLength(140 - 4 * BUCKET_SIZE);
  });

  it('rewrites only the buckets of the devices it changes: an update touches one bucket, not the directory', async () => {
    const db = freshDb('devices');
    const all = Array.from({ length: 2000 }, (_, i) => device(i));
    await new DeviceSets(db.deviceSets).put(all);
    const { table, writes } = watched(db);
    const store = new DeviceSets(table);
    const got = await store.get([all[5]!.key, all[1999]!.key, 'PID:X,SN:none']);
    expect([...got.keys()].sort()).toEqual([all[5]!.key, all[1999]!.key].sort());
    expect(got.get(all[5]!.key)).toEqual(all[5]);
    await store.put([{ ...all[5]!, hostname: { value: 'renamed', file: 'g', at: 2 } }]);
    expect(writes).toEqual([[bucketKey(0)]]);
    expect((await getDevice(db, all[5]!.key))?.hostname?.value).toBe('renamed');
    expect((await getDevice(db, all[6]!.key))?.hostname?.value).toBe('sw-6');
    expect(await getDevice(db, 'PID:X,SN:none')).toBeUndefined();
    const list = await listDevices(db);
    expect(list.map((d) => d.key)).toEqual(byKey(all).map((d) => d.key));
    await expectDeviceStoreWhole(db, list);
  });

  it('a device written twice in one call, or again in a later call, stays one device', async () => {
    const db = freshDb('devices');
    const store = new DeviceSets(db.deviceSets);
    await store.put([device(1), device(2), device(1, 'again')]);
    await store.put([device(2, 'later')]);
    await new DeviceSets(db.deviceSets).put([device(3), device(1, 'third')]);
    const list = await listDevices(db);
    expect(list.map((d) => d.hostname?.value)).toEqual(['third', 'later', 'sw-3']);
    await expectDeviceStoreWhole(db, list);
  });

  it('spreads the directory over its shards, so looking up one device reads a small part of it', () => {
    const used = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) used.set(shardKey(device(i).key), (used.get(shardKey(device(i).key)) ?? 0) + 1);
    expect(used.size).toBe(DIRECTORY_SHARDS);
    expect(Math.max(...used.values())).toBeLessThan((20_000 / DIRECTORY_SHARDS) * 1.5);
  });

  it('builds the same store from a list (upgrade, restore) as from writes, and refuses a device listed twice', async () => {
    const all = Array.from({ length: 70 }, (_, i) => device(i));
    const db = freshDb('devices');
    await db.deviceSets.bulkPut(bucketiseDevices(all));
    await expectDeviceStoreWhole(db, byKey(all));
    const other = freshDb('devices');
    await new DeviceSets(other.deviceSets).put(all);
    // A list is bucketed as objects, writes pack each bucket as JSON (bulk.ts): the same devices either way.
    const opened = async (d: WorkbenchDb) => (await d.deviceSets.toArray()).map((r) => (r.key.startsWith('d') ? openDeviceBucket(r as StoredDeviceBucket) : r));
    expect(typeof ((await other.deviceSets.get(bucketKey(0))) as StoredDeviceBucket).devices).toBe('string');
    expect(await opened(other)).toEqual(await opened(db));
    expect(() => bucketiseDevices([device(1), device(1)])).toThrow(/listed twice/);
  });

  it('keeps a bucket JSON would not give back exactly as objects, and says a bucket that cannot be read is damaged', async () => {
    const db = freshDb('devices');
    const odd = { ...device(1), updatedAt: -0 } as ProductInstance;
    await new DeviceSets(db.deviceSets).put([odd, device(2)]);
    const stored = (await db.deviceSets.get(bucketKey(0))) as StoredDeviceBucket;
    expect(Array.isArray(stored.devices)).toBe(true);
    const back = await new DeviceSets(db.deviceSets).one(odd.key);
    expect(Object.is(back?.updatedAt, -0)).toBe(true);
    await db.deviceSets.put({ key: bucketKey(0), devices: '[{"key":' } as StoredDeviceBucket);
    await expect(new DeviceSets(db.deviceSets).one(odd.key)).rejects.toThrow(/device store is damaged: bucket d000000 cannot be read/);
  });

  it('says the store is damaged rather than lose devices when a bucket the directory names is gone', async () => {
    const db = freshDb('devices');
    await new DeviceSets(db.deviceSets).put(Array.from({ length: 40 }, (_, i) => device(i)));
    await db.deviceSets.delete(bucketKey(1));
    await expect(new DeviceSets(db.deviceSets).get([device(35).key])).rejects.toThrow(/damaged: bucket d000001 is missing/);
    await expect(new DeviceSets(db.deviceSets).put([device(35, 'x')])).rejects.toThrow(/damaged/);
  });
});
