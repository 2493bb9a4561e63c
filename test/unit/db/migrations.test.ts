import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, SCHEMA_VERSIONS, TABLES, openWorkbenchDb } from '../../../src/db/schema.ts';
import { type ReportBucket, type StoredReportBucket, openReportBucket } from '../../../src/db/reports.ts';
import { type DeviceSetRecord, type StoredDeviceBucket, openDeviceBucket } from '../../../src/db/devices.ts';
import { dump, populatedWorkspace } from './workspace.ts';

/** Tables a database of schema `version` has (a table set to null by a version was deleted by it). */
function tablesAt(version: number): string[] {
  const upTo = SCHEMA_VERSIONS.filter((v) => v.version <= version);
  return [...new Set(upTo.flatMap((v) => Object.keys(v.stores)))].filter((t) => upTo.findLast((v) => t in v.stores)!.stores[t] !== null);
}

describe('schema migrations: a database written by every earlier version opens with nothing lost', () => {
  let current: Record<string, unknown[]>;
  let raw: Record<string, unknown[]>;

  beforeAll(async () => {
    const db = await populatedWorkspace(30);
    current = await dump(db);
    raw = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await db.table(t).toArray()] as const)));
    // Before v10, buckets held their devices and report sets as objects, not JSON (db/bulk.ts).
    raw.deviceSets = (raw.deviceSets as DeviceSetRecord[]).map((r) => (r.key.startsWith('d') ? openDeviceBucket(r as StoredDeviceBucket) : r));
    raw.reportSets = (raw.reportSets as StoredReportBucket[]).map(openReportBucket);
    db.close();
  }, 60_000);

  it('lists every version once, in order, and every table of the current schema', () => {
    expect(SCHEMA_VERSIONS.map((v) => v.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    const db = openWorkbenchDb('tables', { indexedDB: new IDBFactory(), IDBKeyRange });
    expect(db.tables.map((t) => t.name).sort()).toEqual([...TABLES].sort());
    expect(db.verno).toBe(SCHEMA_VERSION);
  });

  for (const { version } of SCHEMA_VERSIONS.slice(0, -1)) {
    it(`schema ${version} → ${SCHEMA_VERSION}`, async () => {
      const indexedDB = new IDBFactory();
      const name = `v${version}`;
      // The database as that version of the app wrote it: its tables only, and what its records held then.
      const old = openWorkbenchDb(name, { indexedDB, IDBKeyRange }, version);
      await old.open();
      expect(old.verno).toBe(version);
      const tables = tablesAt(version);
      expect(old.tables.map((t) => t.name).sort()).toEqual([...tables].sort());
      for (const table of tables) {
        // Before v8, each device's report set was a record of its own table.
        // Before v9, each device was a record of its own table.
        let rows = table === 'reports' ? (raw.reportSets as ReportBucket[]).flatMap((b) => b.sets) : table === 'devices' ? current.deviceSets! : raw[table]!;
        // Before v4, devices carried no usage history (v4's upgrade computes it from their reports).
        if (table === 'devices' && version < 4) rows = rows.map((d) => ({ ...(d as object), usage: undefined }));
        await old.table(table).bulkAdd(rows);
      }
      old.close();

      const db = openWorkbenchDb(name, { indexedDB, IDBKeyRange });
      await db.open();
      expect(db.verno).toBe(SCHEMA_VERSION);
      const after = await dump(db);
      for (const table of TABLES) {
        if (tables.includes(table) || (table === 'reportSets' && tables.includes('reports')) || (table === 'deviceSets' && tables.includes('devices'))) expect(after[table], `${table} kept`).toEqual(current[table]);
        else expect(after[table], `${table} new and empty`).toEqual([]);
      }
      // v10 packs every bucket as JSON.
      const buckets = (await db.deviceSets.toArray()).filter((r) => r.key.startsWith('d'));
      expect(buckets.length).toBeGreaterThan(0);
      for (const r of buckets) expect(typeof (r as { devices: unknown }).devices, r.key).toBe('string');
      for (const r of await db.reportSets.toArray()) expect(typeof r.sets, r.key).toBe('string');
      db.close();
    }, 60_000);
  }
});
