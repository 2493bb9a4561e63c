import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER, reminderReason } from '../../../src/core/backup/reminder.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 12);

describe('backup reminder', () => {
  it('says nothing while there is nothing to lose', () => {
    expect(reminderReason(null, null, DEFAULT_REMINDER, NOW)).toBeNull();
  });
  it('reminds when never backed up', () => {
    expect(reminderReason(null, NOW - DAY, DEFAULT_REMINDER, NOW)).toBe('This workspace has never been backed up. The browser holds the only copy of it.');
  });
  it('reminds when the backup is older than the setting, and not at the limit', () => {
    expect(reminderReason({ at: NOW - 7 * DAY }, NOW - 8 * DAY, DEFAULT_REMINDER, NOW)).toBeNull();
    expect(reminderReason({ at: NOW - 7 * DAY - 1 }, NOW - 8 * DAY, DEFAULT_REMINDER, NOW)).toBe('The last backup is 7 days old (reminder after 7).');
    expect(reminderReason({ at: NOW - 30 * DAY }, NOW - 40 * DAY, { days: 0, afterImport: true }, NOW)).toBeNull();
  });
  it('reminds when files were imported after the backup, unless that is switched off', () => {
    expect(reminderReason({ at: NOW - DAY }, NOW - 1000, DEFAULT_REMINDER, NOW)).toBe('Files were imported after the last backup: they are only in this browser.');
    expect(reminderReason({ at: NOW - DAY }, NOW - 1000, { days: 7, afterImport: false }, NOW)).toBeNull();
    expect(reminderReason({ at: NOW - 1000 }, NOW - DAY, DEFAULT_REMINDER, NOW)).toBeNull();
  });
});
