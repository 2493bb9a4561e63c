import type * as Comlink from 'comlink';
import { liveQuery } from 'dexie';
import type { BackupWorkerApi, RestoreOutcome } from './backup-api.ts';
import type { BackupContents, BackupProgress, LastBackup, MergeResult, RestoreResult } from '../db/backup.ts';
import { LAST_BACKUP_KEY } from '../db/backup.ts';
import { DEFAULT_REMINDER, REMINDER_KEY, type ReminderSettings } from '../core/backup/reminder.ts';
import { saveFile } from './download.ts';
import { journaled } from './interrupted.svelte.ts';
import { CancelledError, WorkerBridge } from './worker-bridge.ts';
import { db, workspaceKind, workspaceName } from './workspace.ts';

/**
 * The page's side of the backup worker: one job at a time with progress and cancel; the restore preview (what a
 * file holds, checked, before anything is written); the reminder's inputs as live queries.
 */
class BackupState {
  busy = $state<{ label: string; progress: BackupProgress | null } | null>(null);
  error = $state<string | null>(null);
  preview = $state<{ file: File; contents: BackupContents } | null>(null);
  done = $state<string | null>(null);
  last = $state<LastBackup | null>(null);
  lastImport = $state<number | null>(null);
  settings = $state<ReminderSettings>(DEFAULT_REMINDER);
  private bridge = new WorkerBridge<BackupWorkerApi>(() => new Worker(new URL('../../workers/backup.worker.ts', import.meta.url), { type: 'module', name: 'backup' }));
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    liveQuery(async () => ({
      last: ((await db.kv.get(LAST_BACKUP_KEY))?.value as LastBackup | undefined) ?? null,
      lastImport: (await db.files.orderBy('importedAt').last())?.importedAt ?? null,
      settings: { ...DEFAULT_REMINDER, ...((await db.kv.get(REMINDER_KEY))?.value as Partial<ReminderSettings> | undefined) },
    })).subscribe({
      next: (v) => {
        this.last = v.last;
        this.lastImport = v.lastImport;
        this.settings = v.settings;
      },
      error: () => undefined,
    });
  }

  async setReminder(settings: ReminderSettings): Promise<void> {
    await db.kv.put({ key: REMINDER_KEY, value: settings });
  }

  private async run<T>(label: string, task: (api: Comlink.Remote<BackupWorkerApi>, progress: (p: BackupProgress) => void) => Promise<T>): Promise<T | null> {
    this.error = null;
    this.done = null;
    this.busy = { label, progress: null };
    try {
      return await this.bridge.run((api, listen) => task(api, listen((p: BackupProgress) => {
          // Progress may arrive after the job's answer (its own port): never bring a finished job's bar back.
          if (this.busy?.label === label) this.busy = { label, progress: p };
        })));
    } catch (e) {
      this.error = e instanceof CancelledError ? `${label}: cancelled — nothing was changed.` : e instanceof Error ? e.message : String(e);
      return null;
    } finally {
      this.busy = null;
    }
  }

  /** Writes the backup in the worker and offers it as a download. */
  async backup(): Promise<void> {
    const out = await this.run('Backing up the workspace', (api, progress) => api.backup(workspaceName, workspaceKind, Date.now(), progress));
    if (!out) return;
    saveFile(out.name, out.blob);
    this.done = `Saved ${out.name}: ${out.manifest.counts.devices ?? 0} devices, ${out.manifest.counts.files ?? 0} imported files. Keep it somewhere other than this computer.`;
  }

  /** Checks a chosen backup file and shows what it holds; nothing is written. */
  async inspect(file: File): Promise<void> {
    this.preview = null;
    const contents = await this.run(`Checking ${file.name}`, (api, progress) => api.inspect(file.name, file, progress));
    if (contents) this.preview = { file, contents };
  }

  async restore(mode: 'replace' | 'merge'): Promise<RestoreResult | MergeResult | null> {
    const chosen = this.preview;
    if (!chosen) return null;
    const label = mode === 'replace' ? `Restoring ${chosen.file.name}` : `Merging ${chosen.file.name}`;
    const out = await this.run(label, (api, progress) => journaled<RestoreOutcome>({ kind: mode === 'replace' ? 'restore' : 'merge', label, files: [chosen.file.name] }, () => api.restore(workspaceName, chosen.file.name, chosen.file, mode, Date.now(), progress)));
    if (!out) return null;
    this.preview = null;
    if (out.mode === 'replace') {
      const c = out.result.counts;
      this.done = `Restored ${chosen.file.name}: ${c.devices ?? 0} devices, ${c.files ?? 0} imported files, ${c.cycles ?? 0} reporting cycles. What this workspace held before was replaced.`;
    } else {
      const r = out.result;
      this.done = `Merged ${chosen.file.name}: ${r.imported.length} files imported, ${r.alreadyHere} already here${Object.entries(r.added).map(([t, n]) => `, ${n} ${t} added`).join('')}.${r.conflicts.length ? ` Conflicts (this workspace's version kept): ${r.conflicts.join('; ')}` : ''}`;
    }
    return out.result;
  }

  clearPreview(): void {
    this.preview = null;
  }

  cancel(): void {
    this.bridge.cancel();
  }
}

export const backup = new BackupState();
