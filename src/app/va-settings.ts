import type { VaSettings } from '../core/policy/fleet.ts';
import type { WorkbenchDb } from '../db/schema.ts';

/** Per Virtual Account choices (kv `va-settings`): read by the Deadlines view and the device page. */
export const VA_SETTINGS_KEY = 'va-settings';

export async function readVaSettings(db: WorkbenchDb): Promise<Record<string, VaSettings>> {
  return ((await db.kv.get(VA_SETTINGS_KEY))?.value as Record<string, VaSettings> | undefined) ?? {};
}

/** Changes one VA's settings and says so in the audit trail, in one transaction. */
export async function writeVaSettings(db: WorkbenchDb, va: string, settings: VaSettings): Promise<void> {
  await db.transaction('rw', [db.kv, db.events], async () => {
    const all = await readVaSettings(db);
    await db.kv.put({ key: VA_SETTINGS_KEY, value: { ...all, [va]: settings } });
    await db.events.add({
      at: Date.now(),
      type: 'settings',
      file: null,
      message: `Virtual Account ${va}: ${settings.distributorPurchase ? 'bought through a distributor or partner (365-day first report applies to perpetual licences)' : 'bought directly from Cisco (no 365-day first report for perpetual licences)'}`,
    });
  });
}
