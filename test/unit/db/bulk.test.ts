import { describe, expect, it } from 'vitest';
import { getExisting } from '../../../src/db/bulk.ts';
import { freshDb } from './workspace.ts';

/** Key-value rows of the `kv` table stand in for any keyed record. */
async function withRows(n: number) {
  const db = freshDb('bulk');
  await db.kv.bulkPut(Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: i })));
  // `getExisting` wants a `key` property: the kv table's records have one.
  return db;
}

describe('getExisting', () => {
  it('returns nothing for no keys, and nothing from an empty table', async () => {
    const db = freshDb('bulk');
    expect((await getExisting(db.kv, [])).size).toBe(0);
    expect((await getExisting(db.kv, Array.from({ length: 500 }, (_, i) => `k${i}`))).size).toBe(0);
  });

  it('finds a few keys directly, skipping missing ones and repeats', async () => {
    const db = await withRows(10);
    const got = await getExisting(db.kv, ['k1', 'k1', 'nope', 'k9']);
    expect([...got.keys()].sort()).toEqual(['k1', 'k9']);
    expect(got.get('k9')?.value).toBe(9);
  });

  it('asks only for keys that exist when many are asked and few are stored', async () => {
    const db = await withRows(1000);
    const keys = [...Array.from({ length: 5000 }, (_, i) => `new${i}`), 'k3', 'k500'];
    const got = await getExisting(db.kv, keys);
    expect([...got.keys()].sort()).toEqual(['k3', 'k500']);
    expect(got.get('k500')?.value).toBe(500);
  });

  it('reads the table whole when most of it is asked for, and still returns only what was asked', async () => {
    const db = await withRows(300);
    const keys = Array.from({ length: 250 }, (_, i) => `k${i}`).concat(['missing']);
    const got = await getExisting(db.kv, keys);
    expect(got.size).toBe(250);
    expect(got.has('k299')).toBe(false);
    expect(got.get('k249')?.value).toBe(249);
  });
});
