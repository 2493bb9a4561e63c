import type { ProductInstance } from '../model/fleet.ts';
import { type DeadlineStatus, type DeviceDeadlines, type PolicyInUse, day, deviceDeadlines } from './deadlines.ts';

/**
 * Deadlines of a whole fleet: every device's, the counts per status, and what each Virtual Account has learned
 * (its custom policy, whether its licences were bought through a distributor or partner).
 */

/** Per Virtual Account choices the operator makes (Deadlines view, stored in the workspace). */
export interface VaSettings {
  /** The 365-day first report of unenforced perpetual licences applies only to distributor or partner purchases (004:L295). */
  distributorPurchase: boolean;
}

export const DEFAULT_VA_SETTINGS: VaSettings = { distributorPurchase: true };

/**
 * A Virtual Account's policy, learned from its devices: CSSM installs one policy on the devices of a VA (seed 003
 * L939), so the newest custom policy any of them printed is the VA's. A device that printed none is assumed to run
 * it too — it would have printed it if it had received it, so it is labelled as learned from a neighbour.
 */
export function learnVaPolicies(devices: readonly ProductInstance[]): Map<string, PolicyInUse> {
  const best = new Map<string, { at: number; d: ProductInstance }>();
  for (const d of devices) {
    const va = d.virtualAccount?.value;
    if (!va || !d.policy?.value.custom) continue;
    const known = best.get(va);
    if (!known || d.policy.at > known.at) best.set(va, { at: d.policy.at, d });
  }
  const out = new Map<string, PolicyInUse>();
  for (const [va, { d }] of best) {
    out.set(va, {
      policy: d.policy!.value,
      source: 'virtual-account',
      learned: `the newest custom policy printed in Virtual Account ${va} (by ${d.hostname?.value ?? d.key}, ${day(d.policy!.at)})`,
    });
  }
  return out;
}

export interface FleetDeadlines {
  now: number;
  results: DeviceDeadlines[];
  counts: Record<DeadlineStatus, number>;
  vaPolicies: Map<string, PolicyInUse>;
}

export const STATUS_ORDER: DeadlineStatus[] = ['overdue', 'due7', 'due30', 'due90', 'later', 'unknown', 'none'];

export function fleetDeadlines(devices: readonly ProductInstance[], now: number, settings: Readonly<Record<string, VaSettings>> = {}): FleetDeadlines {
  const vaPolicies = learnVaPolicies(devices);
  const ctx = {
    now,
    vaPolicy: (va: string) => vaPolicies.get(va) ?? null,
    distributorPurchase: (va: string | null) => (va ? (settings[va] ?? DEFAULT_VA_SETTINGS) : DEFAULT_VA_SETTINGS).distributorPurchase,
  };
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<DeadlineStatus, number>;
  const results = devices.map((d) => {
    const r = deviceDeadlines(d, ctx);
    counts[r.status]++;
    return r;
  });
  return { now, results, counts, vaPolicies };
}
