import type { Table } from 'dexie';
import type { DeviceReports } from '../core/model/fleet.ts';
import { getExisting, packed, unpacked } from './bulk.ts';
import { type DeviceSets, fnv1a } from './devices.ts';

/**
 * Each device's RUM reports, stored in buckets of many devices rather than one record per device.
 *
 * Why: Chromium's IndexedDB costs ~100 µs a record written, however small (measured here: 30,000 tiny records
 * 3.1 s, 30,000 report sets 3.9 s). A 100,000-device import wrote 100,000 device records and 100,000 report
 * records: 11.5 s of its 27 s of storing went to the reports alone. Reports are only ever read per device (the
 * device panel), per cycle and per import, never listed for the fleet, so they share records.
 *
 * Since schema v9 a device's report set lives in the report bucket of the same key as its device bucket
 * (src/db/devices.ts), so that an import of new devices into a large workspace writes new report buckets only.
 * (v8 spread them over 4,096 buckets by a hash of the device key: an import of 10,000 new devices into a workspace
 * of 90,000 then read and rewrote every stored report. `bucketOf` and `bucketise` are that layout, kept for the
 * v8 upgrade.)
 */

/** One bucket: the report sets of the devices of the device bucket of the same key. */
export interface ReportBucket {
  key: string;
  sets: DeviceReports[];
}

/** A bucket as stored: its sets as one JSON string since v10 (bulk.ts `packed`), as objects before. */
export interface StoredReportBucket {
  key: string;
  sets: DeviceReports[] | string;
}

/** A stored bucket opened (its sets as objects). */
export function openReportBucket(r: StoredReportBucket): ReportBucket {
  return typeof r.sets === 'string' ? { key: r.key, sets: unpacked(r.sets, 'report store', r.key) } : (r as ReportBucket);
}

/** Report sets whose device is not stored (never written so, but a restore keeps whatever a backup holds). */
export const ORPHANS_KEY = '~orphans';

/** v8's layout: 4,096 buckets by a hash of the device key. */
export const REPORT_BUCKETS = 4096;

/** v8's bucket of a device key's report sets: `r` and three hex digits. */
export function bucketOf(deviceKey: string): string {
  return `r${(fnv1a(deviceKey) % REPORT_BUCKETS).toString(16).padStart(3, '0')}`;
}

/** v8's bucketing (its upgrade, and a restore of a backup written before v8 then upgraded). */
export function bucketise(sets: Iterable<DeviceReports>): ReportBucket[] {
  return group(sets, (key) => bucketOf(key));
}

function group(sets: Iterable<DeviceReports>, bucket: (deviceKey: string) => string): ReportBucket[] {
  const buckets = new Map<string, ReportBucket>();
  for (const s of sets) {
    const key = bucket(s.key);
    const b = buckets.get(key);
    if (b) b.sets.push(s);
    else buckets.set(key, { key, sets: [s] });
  }
  return [...buckets.values()];
}

/** Report sets grouped with their devices (`places`: device key → device bucket key; see placesOf). */
export function bucketiseWith(sets: Iterable<DeviceReports>, places: ReadonlyMap<string, string>): ReportBucket[] {
  return group(sets, (key) => places.get(key) ?? ORPHANS_KEY);
}

/**
 * The report sets of a workspace, read and written inside the caller's transaction, through the device store of
 * the same transaction (which says where each device is). Buckets read once are kept, so that a write after a
 * read (an import, a reconcile) does not read them again.
 */
export class ReportSets {
  private readonly buckets = new Map<string, ReportBucket>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any insert type: records are whole buckets
  constructor(
    private readonly table: Table<StoredReportBucket, string, any>,
    private readonly devices: DeviceSets,
  ) {}

  /** Loads the buckets of these devices; returns where each stored device's set is (device key → bucket key). */
  private async load(deviceKeys: Iterable<string>): Promise<Map<string, string>> {
    const places = await this.devices.places(deviceKeys);
    const missing = new Set<string>();
    for (const b of places.values()) if (!this.buckets.has(b)) missing.add(b);
    if (missing.size) {
      const found = await getExisting(this.table, missing);
      for (const b of missing) {
        const r = found.get(b);
        this.buckets.set(b, r ? openReportBucket(r) : { key: b, sets: [] });
      }
    }
    return places;
  }

  /** The report sets of these devices that exist, by device key. */
  async read(deviceKeys: Iterable<string>): Promise<Map<string, DeviceReports>> {
    const places = await this.load(deviceKeys);
    const out = new Map<string, DeviceReports>();
    for (const [k, b] of places) {
      const set = this.buckets.get(b)!.sets.find((s) => s.key === k);
      if (set) out.set(k, set);
    }
    return out;
  }

  /** Replaces (or adds) these devices' report sets. Their devices must be stored first (same transaction). */
  async write(sets: readonly DeviceReports[]): Promise<void> {
    if (sets.length === 0) return;
    const places = await this.load(sets.map((s) => s.key));
    const touched = new Map<string, ReportBucket>();
    for (const s of sets) {
      const id = places.get(s.key);
      if (!id) throw new Error(`report sets of ${s.key} written before the device: nothing was stored`);
      let bucket = touched.get(id);
      if (!bucket) {
        bucket = { key: id, sets: [...this.buckets.get(id)!.sets] };
        touched.set(id, bucket);
        this.buckets.set(id, bucket);
      }
      const at = bucket.sets.findIndex((x) => x.key === s.key);
      if (at === -1) bucket.sets.push(s);
      else bucket.sets[at] = s;
    }
    await this.table.bulkPut([...touched.values()].map((b) => ({ key: b.key, sets: packed(b.sets) })));
  }
}

/** Every report set of the workspace (tests, the report worker's choosing, backups). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any insert type: only reads happen here
export async function allReportSets(table: Table<StoredReportBucket, string, any>): Promise<DeviceReports[]> {
  return (await table.toArray()).flatMap((b) => openReportBucket(b).sets);
}
