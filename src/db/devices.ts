import type { Table } from 'dexie';
import type { ProductInstance } from '../core/model/fleet.ts';
import { getExisting, packed, unpacked } from './bulk.ts';

/**
 * The devices of a workspace, stored in buckets of up to 32 devices rather than one record per device (schema v9).
 *
 * Why: Chromium's IndexedDB costs ~100 µs a record however small, on top of serialising it. Measured in headless
 * Chromium here with 100,000 device records of the workbench's shape: written one record each 12.8–13.3 s, in
 * 4,096 buckets 2.4–2.7 s; read back whole 4.7–5.3 s against 2.7–3.3 s. The devices were most of a
 * 100,000-device import's storing, and reading them was most of opening the Fleet view.
 *
 * Where a device lives is written down in a directory, not derived from a hash of its key: devices new to the
 * workspace fill new buckets (topping up the last one first), so an import of 10,000 new devices into a workspace
 * of 90,000 writes ~320 buckets, not every bucket of the workspace (report sets, bucketed by hash, are rewritten
 * whole in that case). A device stays in its bucket for good: devices are never deleted (a removed one is marked
 * `retired`), and a restore rebuilds everything. The directory is split by a hash of the device key into 64
 * records, so that looking up one device reads ~1/64 of it. Since v10 a bucket's devices are stored as one JSON
 * string (bulk.ts `packed` says why); every read goes through `openDeviceBucket`.
 */

/** One bucket: up to BUCKET_SIZE devices, in the order they were first stored. */
export interface DeviceBucket {
  key: string;
  devices: ProductInstance[];
}

/** A bucket as stored: its devices as one JSON string since v10 (bulk.ts `packed`), as objects before. */
export interface StoredDeviceBucket {
  key: string;
  devices: ProductInstance[] | string;
}

/** One part of the directory: device keys and (same index) the number of the bucket holding each. */
export interface DirectoryShard {
  key: string;
  keys: string[];
  buckets: number[];
}

/** How many devices the workspace holds, and where the next new device goes. */
export interface DeviceMeta {
  key: typeof META_KEY;
  devices: number;
  /** Buckets in use: numbers 0 … next − 1. */
  next: number;
  /** Devices in bucket next − 1. */
  lastSize: number;
}

export type DeviceSetRecord = StoredDeviceBucket | DirectoryShard | DeviceMeta;

export const BUCKET_SIZE = 32;
export const DIRECTORY_SHARDS = 64;
/** Bookkeeping records' keys start with `~`: after every bucket key (`d…`) in key order. */
export const META_KEY = '~meta';

/** FNV-1a of a string's UTF-16 code units: a stable spread of device keys over shards and buckets. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A bucket's key: fixed width, so that key order is number order. */
export function bucketKey(n: number): string {
  return `d${n.toString(36).padStart(6, '0')}`;
}

/** The directory shard that says where this device is. */
export function shardKey(deviceKey: string): string {
  return `~dir-${(fnv1a(deviceKey) % DIRECTORY_SHARDS).toString(16).padStart(2, '0')}`;
}

function isBucket(r: DeviceSetRecord | undefined): r is StoredDeviceBucket {
  return !!r && 'devices' in r && (Array.isArray(r.devices) || typeof r.devices === 'string');
}

/** A stored bucket opened (its devices as objects): what every read goes through. */
export function openDeviceBucket(r: StoredDeviceBucket): DeviceBucket {
  return typeof r.devices === 'string' ? { key: r.key, devices: unpacked(r.devices, 'device store', r.key) } : (r as DeviceBucket);
}

/** A bucket as it is stored. */
function stored(b: DeviceBucket): StoredDeviceBucket {
  return { key: b.key, devices: packed(b.devices) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any insert type: records are buckets or bookkeeping
type DeviceTable = Table<DeviceSetRecord, string, any>;

/** Every record that holds these devices (the v9 upgrade, a restore of a backup, tests): buckets, directory, meta. */
export function bucketiseDevices(devices: Iterable<ProductInstance>): DeviceSetRecord[] {
  const buckets: DeviceBucket[] = [];
  const shards = new Map<string, DirectoryShard>();
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.key)) throw new Error(`device ${d.key} is listed twice`);
    seen.add(d.key);
    let last = buckets[buckets.length - 1];
    if (!last || last.devices.length >= BUCKET_SIZE) {
      last = { key: bucketKey(buckets.length), devices: [] };
      buckets.push(last);
    }
    last.devices.push(d);
    const key = shardKey(d.key);
    let shard = shards.get(key);
    if (!shard) shards.set(key, (shard = { key, keys: [], buckets: [] }));
    shard.keys.push(d.key);
    shard.buckets.push(buckets.length - 1);
  }
  const meta: DeviceMeta = { key: META_KEY, devices: seen.size, next: buckets.length, lastSize: buckets[buckets.length - 1]?.devices.length ?? 0 };
  return [...buckets, ...shards.values(), meta];
}

/** Where each device of these records is: device key → bucket key (a restore places report sets with it). */
export function placesOf(records: readonly DeviceSetRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of records) if ('buckets' in r) for (let i = 0; i < r.keys.length; i++) out.set(r.keys[i]!, bucketKey(r.buckets[i]!));
  return out;
}

/** Every device of the workspace, in key order (as one record per device used to list them). */
export async function allDevices(table: DeviceTable): Promise<ProductInstance[]> {
  const records = await table.where(':id').below('~').toArray();
  const out: ProductInstance[] = [];
  for (const r of records) if (isBucket(r)) for (const d of openDeviceBucket(r).devices) out.push(d);
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** How many devices the workspace holds (one small record). */
export async function deviceCount(table: DeviceTable): Promise<number> {
  const r = (await table.get(META_KEY)) as DeviceMeta | undefined;
  return r?.devices ?? 0;
}

function damaged(what: string): Error {
  return new Error(`the workspace's device store is damaged: ${what}`);
}

/**
 * The devices of a workspace, read and written inside the caller's transaction. What was read once (directory
 * shards, buckets) is kept, so that a write after a read (an import, a cycle step) reads nothing again.
 */
export class DeviceSets {
  private meta: DeviceMeta | null = null;
  private readonly shards = new Map<string, { at: Map<string, number>; changed: boolean }>();
  private readonly buckets = new Map<number, DeviceBucket>();

  constructor(private readonly table: DeviceTable) {}

  /** Reads the directory shards that cover these device keys. */
  private async locate(keys: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const k of keys) {
      const s = shardKey(k);
      if (!this.shards.has(s)) missing.add(s);
    }
    if (missing.size === 0) return;
    const found = await this.table.bulkGet([...missing]);
    for (const [i, key] of [...missing].entries()) {
      const r = found[i] as DirectoryShard | undefined;
      const at = new Map<string, number>();
      if (r) for (let j = 0; j < r.keys.length; j++) at.set(r.keys[j]!, r.buckets[j]!);
      this.shards.set(key, { at, changed: false });
    }
  }

  private where(key: string): number | undefined {
    return this.shards.get(shardKey(key))!.at.get(key);
  }

  /** The bucket number of each of these devices that exists. */
  private async numbers(keys: Iterable<string>): Promise<Map<string, number>> {
    const list = [...new Set(keys)];
    await this.locate(list);
    const out = new Map<string, number>();
    for (const k of list) {
      const n = this.where(k);
      if (n !== undefined) out.set(k, n);
    }
    return out;
  }

  private async load(numbers: Iterable<number>): Promise<void> {
    const missing = new Set<string>();
    for (const n of numbers) if (!this.buckets.has(n)) missing.add(bucketKey(n));
    if (missing.size === 0) return;
    const found = await getExisting(this.table, missing);
    for (const key of missing) {
      const r = found.get(key);
      // A bucket named in the directory but missing would lose devices silently: refuse instead.
      if (!isBucket(r)) throw damaged(`bucket ${key} is missing`);
      this.buckets.set(parseInt(key.slice(1), 36), openDeviceBucket(r));
    }
  }

  /** The devices of these keys that exist, by key. */
  async get(keys: Iterable<string>): Promise<Map<string, ProductInstance>> {
    const wanted = await this.numbers(keys);
    await this.load(new Set(wanted.values()));
    const out = new Map<string, ProductInstance>();
    for (const [k, n] of wanted) {
      const d = this.buckets.get(n)!.devices.find((x) => x.key === k);
      if (!d) throw damaged(`${k} is not in bucket ${bucketKey(n)}`);
      out.set(k, d);
    }
    return out;
  }

  /** The bucket (its key) holding each of these devices that exists: their report sets live in the same key. */
  async places(keys: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [k, n] of await this.numbers(keys)) out.set(k, bucketKey(n));
    return out;
  }

  /** One device, if the workspace has it. */
  async one(key: string): Promise<ProductInstance | undefined> {
    return (await this.get([key])).get(key);
  }

  /** Replaces (or adds) these devices. */
  async put(devices: readonly ProductInstance[]): Promise<void> {
    if (devices.length === 0) return;
    await this.locate(devices.map((d) => d.key));
    this.meta ??= ((await this.table.get(META_KEY)) as DeviceMeta | undefined) ?? { key: META_KEY, devices: 0, next: 0, lastSize: 0 };
    const meta = { ...this.meta };
    const known = new Set<number>();
    for (const d of devices) {
      const n = this.where(d.key);
      if (n !== undefined) known.add(n);
    }
    // The last bucket is topped up before new ones are started: many small imports must not leave tiny buckets.
    if (meta.next > 0 && meta.lastSize < BUCKET_SIZE) known.add(meta.next - 1);
    await this.load(known);
    const touched = new Map<number, DeviceBucket>();
    const edit = (n: number): DeviceBucket => {
      let b = touched.get(n);
      if (!b) {
        b = { key: bucketKey(n), devices: [...(this.buckets.get(n)?.devices ?? [])] };
        touched.set(n, b);
        this.buckets.set(n, b);
      }
      return b;
    };
    for (const d of devices) {
      const n = this.where(d.key);
      if (n !== undefined) {
        const b = edit(n);
        const i = b.devices.findIndex((x) => x.key === d.key);
        if (i === -1) throw damaged(`${d.key} is not in bucket ${b.key}`);
        b.devices[i] = d;
        continue;
      }
      if (meta.next === 0 || meta.lastSize >= BUCKET_SIZE) {
        meta.next++;
        meta.lastSize = 0;
      }
      meta.lastSize++;
      meta.devices++;
      edit(meta.next - 1).devices.push(d);
      const shard = this.shards.get(shardKey(d.key))!;
      shard.at.set(d.key, meta.next - 1);
      shard.changed = true;
    }
    const records: DeviceSetRecord[] = [...touched.values()].map(stored);
    if (meta.devices !== this.meta.devices) {
      for (const [key, shard] of this.shards) {
        if (!shard.changed) continue;
        records.push({ key, keys: [...shard.at.keys()], buckets: [...shard.at.values()] });
        shard.changed = false;
      }
      records.push(meta);
      this.meta = meta;
    }
    await this.table.bulkPut(records);
  }
}
