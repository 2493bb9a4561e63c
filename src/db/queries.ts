import type { DeviceCliRecord } from '../core/model/device-facts.ts';
import type { StoredReport } from '../core/model/fleet.ts';
import type { StoredFile, WorkbenchDb } from './schema.ts';
import { ReportSets } from './reports.ts';

export function listFiles(db: WorkbenchDb): Promise<StoredFile[]> {
  return db.files.orderBy('importedAt').reverse().toArray();
}

export function listDevices(db: WorkbenchDb) {
  return db.devices.toArray();
}

export async function deviceReports(db: WorkbenchDb, key: string): Promise<StoredReport[]> {
  return (await new ReportSets(db.reportSets).read([key])).get(key)?.reports ?? [];
}

export async function fileBlob(db: WorkbenchDb, sha256: string): Promise<Blob | null> {
  return (await db.fileBytes.get(sha256))?.blob ?? null;
}

export async function counts(db: WorkbenchDb): Promise<{ files: number; devices: number }> {
  const [files, devices] = await Promise.all([db.files.count(), db.devices.count()]);
  return { files, devices };
}

/** Every `show license …` observation of one device (the device picture is computed from them). */
export async function deviceCli(db: WorkbenchDb, key: string): Promise<DeviceCliRecord | null> {
  return (await db.cli.get(key)) ?? null;
}
