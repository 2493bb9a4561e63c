/**
 * The parse worker: classifies and reads the last entries of a large archive while the import worker reads the
 * others (core/analyse.ts `parallel`), so an import of thousands of devices uses both cores. Started by the import
 * worker for one archive and terminated after it.
 */
import * as Comlink from 'comlink';
import { readLeaves } from '../src/core/analyse.ts';
import { type PackedLeaves, encodeReadLeaves, unpackLeaves } from '../src/core/parallel.ts';

export const api = {
  /** Answers once this worker's modules are loaded: the import worker waits for it before it stops yielding. */
  ping() {
    return true;
  },
  /** The answer is JSON (`decodeReadLeaves`): far cheaper to send back than the objects themselves. */
  read(packed: PackedLeaves): string {
    return encodeReadLeaves(readLeaves(unpackLeaves(packed)));
  },
};
export type ParseWorkerApi = typeof api;

Comlink.expose(api);
