/** The app's version, written into backups (test/unit/core/backup.test.ts keeps it equal to package.json's). */
export const APP_NAME = 'SLP Offline Workbench';
export const APP_VERSION = '0.1.0';
