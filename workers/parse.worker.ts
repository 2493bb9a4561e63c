/**
 * The parse worker: reads half of the usage files of a large archive while the import worker reads the other half
 * (core/analyse.ts `parallel`), so an import of thousands of devices uses both cores. Started by the import worker
 * for one archive and terminated after it.
 */
import * as Comlink from 'comlink';
import { readUsageLeaves } from '../src/core/analyse.ts';
import { type PackedLeaves, unpackLeaves } from '../src/core/parallel.ts';

export const api = {
  /** Answers once this worker's modules are loaded: the import worker waits for it before it stops yielding. */
  ping() {
    return true;
  },
  read(packed: PackedLeaves) {
    return readUsageLeaves(unpackLeaves(packed));
  },
};
export type ParseWorkerApi = typeof api;

Comlink.expose(api);
