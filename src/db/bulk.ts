import type { Table } from 'dexie';
import { jsonSafe } from '../core/parallel.ts';

/**
 * A bucket's items as stored (schema v10): one JSON string rather than the objects. Chromium's IndexedDB serialises
 * an object graph value by value (structured clone), a string in one piece. Measured in headless Chromium here with
 * 100,000 devices and their report sets in 3,125 buckets of each: written as objects 4.1–5.7 s, as JSON (stringify
 * included) 1.9 s; the devices read back 2.7 s as objects, 2.1–2.4 s as JSON (parse included). Items that JSON
 * would not give back (jsonSafe: -0, NaN, a class instance…) stay objects; both forms are read. A property set to
 * undefined is left out, which every reader takes the same way (optional fields).
 */
export function packed<T>(items: T[]): T[] | string {
  return jsonSafe(items, true) ? JSON.stringify(items) : items;
}

/**
 * The items of a bucket as `packed` stored them (or as schema v8 and v9 did: objects). JSON that does not parse is
 * damage, said as such: `store` and `key` name the bucket.
 */
export function unpacked<T>(stored: T[] | string, store: string, key: string): T[] {
  if (typeof stored !== 'string') return stored;
  try {
    return JSON.parse(stored) as T[];
  } catch (e) {
    throw new Error(`the workspace's ${store} is damaged: bucket ${key} cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Below this many keys, asking for each key is cheaper than listing the table's keys first. */
const FEW = 64;

/**
 * The records of `keys` that exist, by key. Chromium's IndexedDB answers a get in ~100 µs whether or not the
 * record exists (measured in headless Chromium here: `bulkGet` of 100,000 keys of a first import took 10.8 s,
 * all of them missing). So the table's keys are listed first (one `getAll­Keys`), only keys that exist are
 * asked for, and when they are a large share of the table it is read whole in one `getAll` instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any insert type: only reads happen here
export async function getExisting<T extends { key: string }>(table: Table<T, string, any>, keys: Iterable<string>): Promise<Map<string, T>> {
  const wanted = [...new Set(keys)];
  const out = new Map<string, T>();
  if (wanted.length === 0) return out;
  if (wanted.length <= FEW) {
    for (const r of await table.bulkGet(wanted)) if (r) out.set(r.key, r);
    return out;
  }
  const stored = await table.toCollection().primaryKeys();
  if (stored.length === 0) return out;
  const present = new Set(stored);
  const found = wanted.filter((k) => present.has(k));
  if (found.length === 0) return out;
  if (found.length * 4 >= stored.length) {
    const want = new Set(found);
    for (const r of await table.toArray()) if (want.has(r.key)) out.set(r.key, r);
    return out;
  }
  for (const r of await table.bulkGet(found)) if (r) out.set(r.key, r);
  return out;
}
