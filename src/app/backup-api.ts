import type { BackupContents, BackupProgress, MergeResult, RestoreResult, WrittenBackup } from '../db/backup.ts';

export type RestoreOutcome = { mode: 'replace'; result: RestoreResult } | { mode: 'merge'; result: MergeResult };

/** The contract between the page and the backup worker (issue 8): everything that reads or writes a whole workspace. */
export interface BackupWorkerApi {
  /** Writes the backup of the whole workspace and records it there. */
  backup(dbName: string, workspace: string, now: number, onProgress: (p: BackupProgress) => void): Promise<WrittenBackup>;
  /** Reads and checks a backup file, writing nothing: what it holds, or why it is refused. */
  inspect(name: string, blob: Blob, onProgress: (p: BackupProgress) => void): Promise<BackupContents>;
  /** Replaces the workspace with the backup (one transaction), or merges it in by the import rules. */
  restore(dbName: string, name: string, blob: Blob, mode: 'replace' | 'merge', now: number, onProgress: (p: BackupProgress) => void): Promise<RestoreOutcome>;
}
