import type { Table } from 'dexie';
import type { DeviceReports } from '../core/model/fleet.ts';
import { getExisting } from './bulk.ts';

/**
 * Each device's RUM reports, stored in buckets of many devices rather than one record per device (schema v8).
 *
 * Why: Chromium's IndexedDB costs ~100 µs a record written, however small (measured here: 30,000 tiny records
 * 3.1 s, 30,000 report sets 3.9 s). A 100,000-device import wrote 100,000 device records and 100,000 report
 * records: 11.5 s of its 27 s of storing went to the reports alone. Reports are only ever read per device (the
 * device panel), per cycle and per import, never listed for the fleet, so they can share records: 4,096 buckets
 * of ~25 devices at 100,000 devices. The devices stay one record each — the fleet reads them all.
 */

/** One bucket: the report sets of the devices whose key hashes to it. */
export interface ReportBucket {
  key: string;
  sets: DeviceReports[];
}

export const REPORT_BUCKETS = 4096;

/** FNV-1a of a string's UTF-16 code units: a stable spread of device keys over buckets. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The bucket of a device key's report sets: `r` and three hex digits. */
export function bucketOf(deviceKey: string): string {
  return `r${(fnv1a(deviceKey) % REPORT_BUCKETS).toString(16).padStart(3, '0')}`;
}

/** Groups report sets into their buckets (the v8 upgrade, and a restore of a backup written before v8). */
export function bucketise(sets: Iterable<DeviceReports>): ReportBucket[] {
  const buckets = new Map<string, ReportBucket>();
  for (const s of sets) {
    const key = bucketOf(s.key);
    const b = buckets.get(key);
    if (b) b.sets.push(s);
    else buckets.set(key, { key, sets: [s] });
  }
  return [...buckets.values()];
}

/**
 * The report sets of a workspace, read and written inside the caller's transaction. Buckets read once are kept,
 * so that a write after a read (an import, a reconcile) does not read them again.
 */
export class ReportSets {
  private readonly buckets = new Map<string, ReportBucket>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any insert type: records are whole buckets
  constructor(private readonly table: Table<ReportBucket, string, any>) {}

  private async load(deviceKeys: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const k of deviceKeys) {
      const b = bucketOf(k);
      if (!this.buckets.has(b)) missing.add(b);
    }
    if (missing.size === 0) return;
    const found = await getExisting(this.table, missing);
    for (const b of missing) this.buckets.set(b, found.get(b) ?? { key: b, sets: [] });
  }

  /** The report sets of these devices that exist, by device key. */
  async read(deviceKeys: Iterable<string>): Promise<Map<string, DeviceReports>> {
    const keys = [...new Set(deviceKeys)];
    await this.load(keys);
    const out = new Map<string, DeviceReports>();
    for (const k of keys) {
      const set = this.buckets.get(bucketOf(k))!.sets.find((s) => s.key === k);
      if (set) out.set(k, set);
    }
    return out;
  }

  /** Replaces (or adds) these devices' report sets. */
  async write(sets: readonly DeviceReports[]): Promise<void> {
    if (sets.length === 0) return;
    await this.load(sets.map((s) => s.key));
    const touched = new Map<string, ReportBucket>();
    for (const s of sets) {
      const id = bucketOf(s.key);
      const bucket = this.buckets.get(id)!;
      const at = bucket.sets.findIndex((x) => x.key === s.key);
      const next = { key: id, sets: at === -1 ? [...bucket.sets, s] : bucket.sets.map((x, i) => (i === at ? s : x)) };
      this.buckets.set(id, next);
      touched.set(id, next);
    }
    await this.table.bulkPut([...touched.values()]);
  }
}

/** Every report set of the workspace (tests, and the CLI's views of a whole workspace). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any insert type: only reads happen here
export async function allReportSets(table: Table<ReportBucket, string, any>): Promise<DeviceReports[]> {
  return (await table.toArray()).flatMap((b) => b.sets);
}
