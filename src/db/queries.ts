import type { DeviceCliRecord } from '../core/model/device-facts.ts';
import type { StoredReport } from '../core/model/fleet.ts';
import type { StoredFile, WorkbenchDb } from './schema.ts';
import { ReportSets } from './reports.ts';
import { DeviceSets, allDevices, deviceCount } from './devices.ts';

export function listFiles(db: WorkbenchDb): Promise<StoredFile[]> {
  return db.files.orderBy('importedAt').reverse().toArray();
}

/** One device, if the workspace has it. */
export function getDevice(db: WorkbenchDb, key: string) {
  return new DeviceSets(db.deviceSets).one(key);
}

/** Every device, in key order. */
export function listDevices(db: WorkbenchDb) {
  return allDevices(db.deviceSets);
}

export async function deviceReports(db: WorkbenchDb, key: string): Promise<StoredReport[]> {
  return (await new ReportSets(db.reportSets, new DeviceSets(db.deviceSets)).read([key])).get(key)?.reports ?? [];
}

export async function fileBlob(db: WorkbenchDb, sha256: string): Promise<Blob | null> {
  return (await db.fileBytes.get(sha256))?.blob ?? null;
}

export async function counts(db: WorkbenchDb): Promise<{ files: number; devices: number }> {
  const [files, devices] = await Promise.all([db.files.count(), deviceCount(db.deviceSets)]);
  return { files, devices };
}

/** Every `show license …` observation of one device (the device picture is computed from them). */
export async function deviceCli(db: WorkbenchDb, key: string): Promise<DeviceCliRecord | null> {
  return (await db.cli.get(key)) ?? null;
}
