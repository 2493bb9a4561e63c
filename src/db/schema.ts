import { Dexie, type EntityTable, type Transaction } from 'dexie';
import type { EntryReport } from '../core/analyse.ts';
import type { Cycle } from '../core/cycle/model.ts';
import type { StoredSummary } from '../core/entitlements/summary.ts';
import type { Assignment } from '../core/compliance/assignments.ts';
import type { FileKind } from '../core/formats/classify.ts';
import type { DeviceCliRecord } from '../core/model/device-facts.ts';
import type { DeviceReports, ProductInstance } from '../core/model/fleet.ts';
import { usageHistory } from '../core/policy/usage.ts';
import { type ReportBucket, type StoredReportBucket, allReportSets, bucketise, bucketiseWith, openReportBucket } from './reports.ts';
import { packed } from './bulk.ts';
import { type DeviceSetRecord, allDevices, bucketiseDevices, placesOf } from './devices.ts';

/** An imported original file: what it is and what was learned from it. Its bytes live in `fileBytes`. */
export interface StoredFile {
  sha256: string;
  name: string;
  size: number;
  kind: FileKind;
  kindReason: string;
  simulated: boolean;
  importedAt: number;
  warnings: string[];
  /** Entries of an archive that were not read (errors, other kinds); entries read fine are only counted. */
  problems: EntryReport[];
  summary: {
    entries: number;
    usageFiles: number;
    devices: number;
    newDevices: number;
    reports: number;
    newReports: number;
    /** Device outputs of `show license …` text (issue 4; absent in files imported before). */
    observations?: number;
    /** Reports an ACK acknowledged (issue 6). */
    acknowledged?: number;
    /** SLAC requests and returns recorded (issue 6). */
    authRequests?: number;
    /** Licences of a CSSM licence summary (issue 7). */
    licences?: number;
  };
}

/** The original bytes, byte-exact, kept apart so that listing files never loads them. */
export interface StoredBytes {
  sha256: string;
  blob: Blob;
}

export type EventType = 'import' | 'storage' | 'demo' | 'simulated-cssm' | 'settings' | 'cycle' | 'assignment' | 'backup' | 'restore';

/** Small named records of workspace state (the demo's description, the simulated CSSM's ledger). */
export interface KeyValue {
  key: string;
  value: unknown;
}

/**
 * A file the workbench wrote for the operator (an upload for CSSM, a hand-back tar): kept so that it can be
 * downloaded again and its hash checked, apart from imported originals (the same bytes may be imported later).
 */
export interface StoredOutput {
  sha256: string;
  name: string;
  blob: Blob;
  createdAt: number;
  cycleId: string;
  role: 'upload' | 'hand-back';
}

/** The audit trail: what happened to the workspace, when. */
export interface LogEvent {
  id?: number;
  at: number;
  type: EventType;
  file: string | null;
  message: string;
}

/** The tables of the current schema. */
export interface WorkbenchTables {
  files: EntityTable<StoredFile, 'sha256'>;
  fileBytes: EntityTable<StoredBytes, 'sha256'>;
  /** The devices, in buckets of many devices with a directory of which holds which (src/db/devices.ts; schema v9). */
  deviceSets: EntityTable<DeviceSetRecord, 'key'>;
  /** Each device's RUM reports, in buckets of many devices (src/db/reports.ts; schema v8). */
  reportSets: EntityTable<StoredReportBucket, 'key'>;
  events: EntityTable<LogEvent, 'id'>;
  kv: EntityTable<KeyValue, 'key'>;
  cli: EntityTable<DeviceCliRecord, 'key'>;
  cycles: EntityTable<Cycle, 'id'>;
  outputs: EntityTable<StoredOutput, 'sha256'>;
  summaries: EntityTable<StoredSummary, 'smartAccount'>;
  assignments: EntityTable<Assignment, 'id'>;
}

export type TableName = keyof WorkbenchTables;
export type WorkbenchDb = Dexie & WorkbenchTables;

export const DB_NAME = 'slp-workbench';
/** The demo lives in a database of its own, so simulated data never mixes with real data. */
export const DEMO_DB_NAME = 'slp-workbench-demo';

export interface DbDeps {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

/**
 * One version of the schema: the tables it adds or changes (null: deletes), and how records written before it are
 * brought up.
 */
export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

/**
 * The report sets an upgrade reads: from `reports` in a database being upgraded from before v8; from `reportSets`
 * in a restore of an older backup (whose `reports` part is bucketed as it is read: backup.ts).
 */
function hasStore(tx: Transaction, name: string): boolean {
  // The IndexedDB transaction's own list: every store during an upgrade, the transaction's scope otherwise.
  return tx.idbtrans.objectStoreNames.contains(name);
}

async function reportSetsOf(tx: Transaction): Promise<DeviceReports[]> {
  if (hasStore(tx, 'reports')) return tx.table<DeviceReports, string>('reports').toArray();
  return (await tx.table<StoredReportBucket, string>('reportSets').toArray()).flatMap((b) => openReportBucket(b).sets);
}

/**
 * Every schema version stays here with its upgrade, so a database written by any earlier version opens
 * without losing data (capability 9; test/unit/db/migrations.test.ts writes a database with each earlier
 * version and opens it with this one). Never edit a version once released: add the next one.
 *
 * Index only what a view queries (ARCHITECTURE.md): each index costs write time on 100,000-device imports.
 * Measured in headless Chromium here: the cost is per record (~100 µs however small, on top of serialising it),
 * so what is written by the 100,000 lives in buckets of many (report sets v8, devices v9).
 */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: { files: 'sha256, importedAt', fileBytes: 'sha256', devices: 'key', reports: 'key', events: '++id, at' },
  },
  // v2 (issue 3): a key-value table for workspace state. New table only: v1 data needs no upgrade.
  { version: 2, stores: { kv: 'key' } },
  // v3 (issue 4): every `show license …` observation of a device, one record per device. New table only; the
  // new optional columns of `devices` (account, policy, transport, trust code) need no upgrade either.
  { version: 3, stores: { cli: 'key' } },
  // v4 (issue 5): devices carry their usage history (policy/usage.ts) so that deadlines need no report reads.
  // Records written before get it computed once from their reports.
  {
    version: 4,
    stores: {},
    upgrade: async (tx) => {
      const reports = new Map((await reportSetsOf(tx)).map((r) => [r.key, r.reports]));
      const fill = (d: ProductInstance) => {
        const list = reports.get(d.key);
        if (list && !d.usage) d.usage = usageHistory(list);
      };
      // A restore of an older backup has no `devices` table: its devices were bucketed as the backup was read.
      if (hasStore(tx, 'devices')) await tx.table<ProductInstance, string>('devices').toCollection().modify(fill);
      else
        await tx
          .table<DeviceSetRecord, string>('deviceSets')
          .toCollection()
          .modify((r) => {
            if ('devices' in r && Array.isArray(r.devices)) r.devices.forEach(fill);
          });
    },
  },
  // v5 (issue 6): reporting cycles and the files the workbench wrote for them. New tables only.
  { version: 5, stores: { cycles: 'id, number', outputs: 'sha256, cycleId' } },
  // v6 (issue 7): the CSSM licence summary, one record per Smart Account (a newer one replaces it). New table only.
  { version: 6, stores: { summaries: 'smartAccount' } },
  // v7 (issue 7): licence assignments (SD-WAN Manager style); released ones stay, with who and why. New table only.
  { version: 7, stores: { assignments: 'id, deviceKey' } },
  // v8 (issue 9): report sets move from one record per device (`reports`) to buckets of many devices
  // (`reportSets`): each record written costs ~100 µs in Chromium, and the reports were 11.5 s of a 100,000-device
  // import's 27 s of storing. Every set is carried over as it was.
  {
    version: 8,
    stores: { reportSets: 'key', reports: null },
    upgrade: async (tx) => {
      // A restore of an older backup has no `reports` table: its sets were bucketed as the backup was read.
      if (hasStore(tx, 'reports')) await tx.table<ReportBucket, string>('reportSets').bulkPut(bucketise(await reportSetsOf(tx)));
    },
  },
  // v9 (issue 9): devices move from one record each (`devices`) to buckets of up to 32 (`deviceSets`), for the
  // same reason: at 100,000 devices they were ~10 s of an import's storing and most of opening the Fleet view.
  // Report sets move into the report bucket of their device's bucket key (reports.ts says why).
  {
    version: 9,
    stores: { deviceSets: 'key', devices: null },
    upgrade: async (tx) => {
      // A restore of an older backup has no `devices` table: its devices and sets were placed as it was read.
      if (!hasStore(tx, 'devices')) return;
      const records = bucketiseDevices(await tx.table<ProductInstance, string>('devices').toArray());
      await tx.table<DeviceSetRecord, string>('deviceSets').bulkPut(records);
      const reportSets = tx.table<StoredReportBucket, string>('reportSets');
      const sets = (await reportSets.toArray()).flatMap((b) => openReportBucket(b).sets);
      await reportSets.clear();
      await reportSets.bulkPut(bucketiseWith(sets, placesOf(records)));
    },
  },
  // v10 (issue 9): a bucket keeps its devices, or its report sets, as one JSON string (db/bulk.ts says why: at
  // 100,000 devices, writing them went from 4-6 s to 2 s). Buckets written before are packed here; both forms are
  // read, so a bucket JSON cannot carry exactly stays as it was. The version fences off a tab still running an
  // older app, which would take a packed bucket for a damaged one.
  {
    version: 10,
    stores: {},
    upgrade: async (tx) => {
      await tx
        .table<DeviceSetRecord, string>('deviceSets')
        .toCollection()
        .modify((r) => {
          if ('devices' in r && Array.isArray(r.devices)) r.devices = packed(r.devices);
        });
      await tx
        .table<StoredReportBucket, string>('reportSets')
        .toCollection()
        .modify((r) => {
          if (Array.isArray(r.sets)) r.sets = packed(r.sets);
        });
    },
  },
];

export const SCHEMA_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version;

/** Every table of the current schema, in the order a backup writes them (the order they were added in). */
export const TABLES = [...new Set(SCHEMA_VERSIONS.flatMap((v) => Object.keys(v.stores)))].filter((t) => SCHEMA_VERSIONS.findLast((v) => t in v.stores)!.stores[t] !== null) as TableName[];

/**
 * Parts of a backup that are not records of today's tables as they are, and how a restore brings them in, in this
 * order (report sets are placed with their devices, so devices come first; `converted` holds what was brought in
 * before, by table). Backups list devices and report sets one per line whatever holds them in the database
 * (backup.ts); a backup written before v9 may hold report buckets of v8's layout (`reportSets`), which are
 * opened into their sets. Older upgrades then run as a database of that version would get them.
 */
export const RETIRED_TABLES: Readonly<Record<string, { into: TableName; convert: (records: unknown[], converted: ReadonlyMap<string, unknown[]>) => unknown[] }>> = {
  devices: { into: 'deviceSets', convert: (records) => bucketiseDevices(records as ProductInstance[]) },
  reports: { into: 'reportSets', convert: (records, converted) => bucketiseWith(records as DeviceReports[], placesOf((converted.get('deviceSets') ?? []) as DeviceSetRecord[])) },
  reportSets: { into: 'reportSets', convert: (records, converted) => bucketiseWith((records as ReportBucket[]).flatMap((b) => b.sets), placesOf((converted.get('deviceSets') ?? []) as DeviceSetRecord[])) },
};

/**
 * Tables a backup lists record by record rather than as stored: the part name their records go under, and how
 * they are read (in key order). A restore brings them back through RETIRED_TABLES under the same names.
 */
export const LISTED_AS: Readonly<Partial<Record<TableName, { part: string; read: (db: WorkbenchDb) => Promise<unknown[]> }>>> = {
  deviceSets: { part: 'devices', read: (db) => allDevices(db.deviceSets) },
  reportSets: { part: 'reports', read: async (db) => (await allReportSets(db.reportSets)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) },
};

/**
 * Opens (creating or upgrading) the workbench database. `upTo` opens it as an earlier version of the app
 * would have: only the migration tests use it.
 */
export function openWorkbenchDb(name: string = DB_NAME, deps: DbDeps = {}, upTo: number = SCHEMA_VERSION): WorkbenchDb {
  const db = new Dexie(name, { ...deps, chromeTransactionDurability: 'strict' }) as WorkbenchDb;
  for (const v of SCHEMA_VERSIONS) {
    if (v.version > upTo) break;
    const version = db.version(v.version).stores(v.stores);
    if (v.upgrade) version.upgrade(v.upgrade);
  }
  return db;
}

const opened = new Map<string, WorkbenchDb>();

/** The workbench database of this name, opened once per worker (or page) and kept open for its next jobs. */
export function database(name: string): WorkbenchDb {
  let db = opened.get(name);
  if (!db) {
    db = openWorkbenchDb(name);
    opened.set(name, db);
  }
  return db;
}
