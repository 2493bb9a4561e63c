import { Dexie } from 'dexie';
import { DB_NAME, DEMO_DB_NAME, openWorkbenchDb, type WorkbenchDb } from '../db/schema.ts';

/**
 * Which database this page works on: the real workspace, or the demo's own database (capability 11: demo data
 * never mixes with real data). The choice survives reloads; switching reloads the page so that every view,
 * live query and worker starts over on the other database.
 *
 * Writes happen in the workers, against the same database name; Dexie's liveQuery hears of them across the
 * worker boundary and refreshes every open view (and every other tab).
 */
export type WorkspaceKind = 'real' | 'demo';

const KEY = 'slp-workbench.workspace';

function stored(): WorkspaceKind {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'demo' ? 'demo' : 'real';
  } catch {
    return 'real';
  }
}

export const workspaceKind: WorkspaceKind = stored();
export const isDemo = workspaceKind === 'demo';
export const workspaceName = isDemo ? DEMO_DB_NAME : DB_NAME;
export const db: WorkbenchDb = openWorkbenchDb(workspaceName);

export function switchWorkspace(kind: WorkspaceKind): void {
  localStorage.setItem(KEY, kind);
  location.hash = '#/fleet';
  location.reload();
}

/** Leaves the demo for the real workspace; with `wipe`, deletes the demo database first. */
export async function leaveDemo(wipe: boolean): Promise<void> {
  if (wipe) {
    db.close();
    await Dexie.delete(DEMO_DB_NAME);
  }
  switchWorkspace('real');
}
