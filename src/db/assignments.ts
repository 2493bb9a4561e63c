import { type AssignRequest, type Assignment, type RuleFinding, type RuleSettings, assign, release } from '../core/compliance/assignments.ts';
import type { StoredSummary } from '../core/entitlements/summary.ts';
import type { ProductInstance } from '../core/model/fleet.ts';
import { DeviceSets } from './devices.ts';
import type { WorkbenchDb } from './schema.ts';

/**
 * Licence assignments (issue 7), SD-WAN Manager style: each assign or release is one transaction that checks the
 * documented rules against the fleet, the licence summary and every active assignment as they are now. Released
 * assignments are kept, with who released them, when and why.
 */

const SETTINGS_KEY = 'sdwan-settings';
export const DEFAULT_RULE_SETTINGS: RuleSettings = { multipleEntitlement: false };

export async function readRuleSettings(db: WorkbenchDb): Promise<RuleSettings> {
  const v = (await db.kv.get(SETTINGS_KEY))?.value as Partial<RuleSettings> | undefined;
  return { ...DEFAULT_RULE_SETTINGS, ...(v ?? {}) };
}

export async function writeRuleSettings(db: WorkbenchDb, settings: RuleSettings, at: number): Promise<void> {
  await db.transaction('rw', [db.kv, db.events], async () => {
    await db.kv.put({ key: SETTINGS_KEY, value: settings });
    await db.events.add({ at, type: 'settings', file: null, message: `Multiple entitlement ${settings.multipleEntitlement ? 'on: up to three licences per device' : 'off: one licence per device'}` });
  });
}

export function activeAssignments(db: WorkbenchDb): Promise<Assignment[]> {
  return db.assignments.filter((a) => a.releasedAt === null).toArray();
}

/** The summary holding this Virtual Account (else the only one), or null before any summary. */
export function summaryFor(summaries: readonly StoredSummary[], virtualAccount: string): StoredSummary | null {
  return summaries.find((s) => s.virtualAccounts.includes(virtualAccount)) ?? (summaries.length === 1 ? summaries[0]! : null);
}

let counter = 0;
const newId = () => `a-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export async function assignLicences(db: WorkbenchDb, req: AssignRequest, at: number, by: string): Promise<{ assigned: Assignment[]; findings: RuleFinding[] }> {
  return db.transaction('rw', [db.assignments, db.deviceSets, db.summaries, db.kv, db.events], async () => {
    const devices: Map<string, ProductInstance> = await new DeviceSets(db.deviceSets).get(req.deviceKeys);
    const [summaries, active, settings] = await Promise.all([db.summaries.toArray(), activeAssignments(db), readRuleSettings(db)]);
    const out = assign(req, { devices, summary: summaryFor(summaries, req.virtualAccount), active, settings, now: at }, at, by, newId);
    if (out.assignments.length) {
      await db.assignments.bulkAdd(out.assignments);
      const first = out.assignments[0]!;
      await db.events.add({ at, type: 'assignment', file: null, message: `Assigned ${first.name} (${first.billing}${first.subscriptionId ? `, ${first.subscriptionId}` : ''}) in ${first.virtualAccount} to ${out.assignments.length} device${out.assignments.length === 1 ? '' : 's'} (by ${by})` });
    }
    return { assigned: out.assignments, findings: out.findings };
  });
}

/**
 * Removes a device from the inventory: the record stays (marked, with who, when and why, so nothing is lost and it
 * can be put back) and its licences are released — a device no longer in the network holds none (issue 7).
 */
export async function retireDevice(db: WorkbenchDb, key: string, at: number, by: string, reason: string): Promise<Assignment[]> {
  const why = reason.trim();
  if (!why) throw new Error('Say why the device leaves the inventory: the reason stays in its history');
  return db.transaction('rw', [db.deviceSets, db.assignments, db.events], async () => {
    const devices = new DeviceSets(db.deviceSets);
    const d = await devices.one(key);
    if (!d) throw new Error(`There is no device ${key}`);
    await devices.put([{ ...d, retired: { at, by, reason: why } }]);
    const active = (await activeAssignments(db)).filter((a) => a.deviceKey === key);
    const released = release(active, active.map((a) => a.id), at, by, `removed from the inventory: ${why}`);
    if (released.length) await db.assignments.bulkPut(released);
    await db.events.add({ at, type: 'assignment', file: null, message: `Removed ${d.hostname?.value ?? key} from the inventory (by ${by}: ${why})${released.length ? `; ${released.length} licence${released.length === 1 ? '' : 's'} released` : ''}` });
    return released;
  });
}

/** Puts a removed device back in the inventory (its released licences stay released: assign them again). */
export async function restoreDevice(db: WorkbenchDb, key: string, at: number, by: string): Promise<void> {
  await db.transaction('rw', [db.deviceSets, db.events], async () => {
    const devices = new DeviceSets(db.deviceSets);
    const d = await devices.one(key);
    if (!d?.retired) return;
    await devices.put([{ ...d, retired: null }]);
    await db.events.add({ at, type: 'assignment', file: null, message: `Put ${d.hostname?.value ?? key} back in the inventory (by ${by})` });
  });
}

export async function releaseAssignments(db: WorkbenchDb, ids: readonly string[], at: number, by: string, reason: string): Promise<Assignment[]> {
  return db.transaction('rw', [db.assignments, db.events], async () => {
    const active = await activeAssignments(db);
    const released = release(active, ids, at, by, reason);
    if (released.length) {
      await db.assignments.bulkPut(released);
      await db.events.add({ at, type: 'assignment', file: null, message: `Released ${released.length} assignment${released.length === 1 ? '' : 's'} (by ${by}${reason ? `: ${reason}` : ''})` });
    }
    return released;
  });
}
