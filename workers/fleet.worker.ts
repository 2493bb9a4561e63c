/**
 * The fleet worker: holds every device of the workspace with its deadlines and Fleet row, watches the database
 * (Dexie's liveQuery hears writes from the other workers and tabs), and answers the Fleet view's questions —
 * counts, filter menus, the rows in view — so that the page never holds nor sorts 100,000 devices (issue 9).
 */
import * as Comlink from 'comlink';
import { liveQuery, type Subscription } from 'dexie';
import type { FleetWorkerApi } from '../src/app/fleet-api.ts';
import { readVaSettings } from '../src/app/va-settings.ts';
import { describeError } from '../src/core/errors.ts';
import { FleetIndex, TABLE_SORT_KEYS } from '../src/core/model/fleet-index.ts';
import { activeAssignments } from '../src/db/assignments.ts';
import { listCycles } from '../src/db/cycles.ts';
import { listDevices } from '../src/db/queries.ts';
import { database } from '../src/db/schema.ts';

const index = new FleetIndex();
let generation = 0;
let subscription: Subscription | null = null;
let warming: ReturnType<typeof setTimeout> | null = null;

/**
 * Once the workspace has been quiet for a second, sorts the rows by each column ahead of a click, one sort per
 * task, so that a question arriving meanwhile waits for one sort at most.
 */
function warmSoon(delay = 1000): void {
  if (warming) clearTimeout(warming);
  warming = setTimeout(() => {
    warming = null;
    if (index.warm(TABLE_SORT_KEYS)) warmSoon(0);
  }, delay);
}

const api: FleetWorkerApi = {
  async open(dbName, onChange, onError) {
    subscription?.unsubscribe();
    const db = database(dbName);
    const read = () => Promise.all([listDevices(db), db.files.count(), readVaSettings(db), db.summaries.toArray(), activeAssignments(db), listCycles(db)]);
    subscription = liveQuery(read).subscribe({
      next: ([devices, files, vaSettings, summaries, assignments, cycles]) => {
        const snapshot = index.setData({ devices, files, vaSettings, summaries, assignments, cycles }, Date.now());
        onChange(++generation, snapshot);
        warmSoon();
      },
      error: (e: unknown) => onError(describeError(e)),
    });
  },
  async view(q) {
    const snapshot = index.query(q);
    warmSoon();
    return { generation: ++generation, snapshot };
  },
  async rows(from, to) {
    return { generation, rows: index.rows(from, to) };
  },
  async device(key) {
    return index.device(key);
  },
  async shownDevices() {
    return index.shownDevices();
  },
  async csv() {
    return index.csv();
  },
  async deadlines(shown, now, perVa) {
    return { generation, summary: index.deadlines(now).summary(shown, perVa) };
  },
  async entitlements(now) {
    return { generation, ...index.entitlements(now) };
  },
  async calendar(mode, now) {
    return index.deadlines(now).calendar(mode);
  },
};

Comlink.expose(api);
