import { formatBytes } from '../core/errors.ts';

/** True when IndexedDB refused a write for lack of space (Dexie wraps the DOMException; look inside). */
export function isQuotaError(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { inner?: unknown }).inner, depth++) {
    if ((x as { name?: string }).name === 'QuotaExceededError') return true;
  }
  return false;
}

/**
 * The sentence for a write refused for lack of space: how much the step needed, how much the browser says is free
 * (StorageManager.estimate, in pages and workers; absent in Node), and what to do.
 */
export async function quotaMessage(what: string, needed: number): Promise<string> {
  let free = '';
  try {
    const estimate = await globalThis.navigator?.storage?.estimate?.();
    if (estimate?.quota !== undefined && estimate.usage !== undefined) {
      free = ` This browser lets the workbench use ${formatBytes(estimate.quota)}, of which ${formatBytes(Math.max(0, estimate.quota - estimate.usage))} is free.`;
    }
  } catch {
    // No estimate: the sentence goes without it.
  }
  return `${what}: the browser's storage for this app is full — this needs about ${formatBytes(needed)}.${free} Nothing was changed. Free space on the disk (browsers allow a share of the free disk), or back up and delete a workspace you no longer need, then try again.`;
}
