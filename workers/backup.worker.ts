/**
 * The backup worker (issue 8): writes the one-file backup of a workspace, checks a backup before anything is
 * written, restores or merges it. Off the page, since a 100,000-device workspace is hundreds of megabytes to read,
 * hash and compress. Cancel terminates this worker: a restore in flight is one transaction and rolls back.
 */
import * as Comlink from 'comlink';
import type { BackupWorkerApi } from '../src/app/backup-api.ts';
import { mergeBackup, restoreBackup, verifyBackup, writeBackup } from '../src/db/backup.ts';
import { database } from '../src/db/schema.ts';

const api: BackupWorkerApi = {
  async backup(dbName, workspace, now, onProgress) {
    return writeBackup(database(dbName), { workspace, now, onProgress });
  },
  async inspect(name, blob, onProgress) {
    return verifyBackup(name, new Uint8Array(await blob.arrayBuffer()), onProgress);
  },
  async restore(dbName, name, blob, mode, now, onProgress) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const db = database(dbName);
    return mode === 'replace'
      ? { mode, result: await restoreBackup(db, name, bytes, { now, onProgress }) }
      : { mode, result: await mergeBackup(db, name, bytes, { now, onProgress }) };
  },
};

Comlink.expose(api);
