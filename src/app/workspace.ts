import { DB_NAME, openWorkbenchDb, type WorkbenchDb } from '../db/schema.ts';

/**
 * The database the page reads. Writes happen in the import worker, against the same database name; Dexie's
 * liveQuery hears of them across the worker boundary and refreshes every open view (and every other tab).
 */
export const workspaceName = DB_NAME;
export const db: WorkbenchDb = openWorkbenchDb(workspaceName);
