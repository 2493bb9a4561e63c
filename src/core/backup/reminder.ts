/**
 * The backup reminder (issue 8): when the operator should back up, and why. Pure, so it is tested in Node; the
 * page feeds it the last backup, the last import and the settings (app/backup.svelte.ts).
 */
export interface ReminderSettings {
  /** Remind when the last backup is older than this many days (0: never by age). */
  days: number;
  /** Remind when files were imported after the last backup. */
  afterImport: boolean;
}

export const REMINDER_KEY = 'backup-reminder';
export const DEFAULT_REMINDER: ReminderSettings = { days: 7, afterImport: true };
const DAY = 86_400_000;

/** Why the operator should back up now, or null: never backed up, too long ago, or imports since (issue 8). */
export function reminderReason(last: { at: number } | null, lastImport: number | null, settings: ReminderSettings, now: number): string | null {
  if (lastImport === null) return null; // nothing to lose yet
  if (!last) return 'This workspace has never been backed up. The browser holds the only copy of it.';
  const age = Math.floor((now - last.at) / DAY);
  if (settings.days > 0 && now - last.at > settings.days * DAY) return `The last backup is ${age} day${age === 1 ? '' : 's'} old (reminder after ${settings.days}).`;
  if (settings.afterImport && lastImport > last.at) return 'Files were imported after the last backup: they are only in this browser.';
  return null;
}

