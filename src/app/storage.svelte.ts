/**
 * Persistent storage (capability 9): browsers may evict IndexedDB under storage pressure unless the origin is
 * granted persistence. Asked for after the first successful import (asking on load, with nothing stored yet,
 * is refused by most browsers and explains nothing to the user), and shown in Settings with the quota used.
 */
class StorageState {
  persisted = $state<boolean | null>(null);
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);
  supported = typeof navigator !== 'undefined' && 'storage' in navigator;

  async refresh(): Promise<void> {
    if (!this.supported) return;
    try {
      this.persisted = (await navigator.storage.persisted?.()) ?? null;
      const estimate = await navigator.storage.estimate?.();
      this.usage = estimate?.usage ?? null;
      this.quota = estimate?.quota ?? null;
    } catch {
      // Some embedded browsers throw instead of answering; the Settings page then says "unknown".
    }
  }

  async requestPersistence(): Promise<boolean | null> {
    if (!this.supported || !navigator.storage.persist) return null;
    try {
      this.persisted = await navigator.storage.persist();
    } catch {
      this.persisted = false;
    }
    await this.refresh();
    return this.persisted;
  }
}

export const storage = new StorageState();
