import type { ComplianceResult } from '../core/compliance/compliance.ts';
import type { Assignment } from '../core/compliance/assignments.ts';
import type { Cycle } from '../core/cycle/model.ts';
import type { StoredSummary } from '../core/entitlements/summary.ts';
import type { ProductInstance } from '../core/model/fleet.ts';
import { managedCompliance } from '../core/model/fleet-index.ts';

export { lastControllerReport } from '../core/model/fleet-index.ts';

/**
 * Compliance as the Fleet and Entitlements views show it: only once licences are managed here (a licence summary
 * was imported or a licence assigned) — a fleet of switches reporting usage has no SD-WAN Manager to be out of
 * compliance with. Null until every input has loaded.
 */
export function workspaceCompliance(summaries: readonly StoredSummary[] | undefined, devices: readonly ProductInstance[] | undefined, assignments: readonly Assignment[] | undefined, cycles: readonly Cycle[] | undefined, now: number): ComplianceResult | null {
  if (!summaries || !devices || !assignments) return null;
  return managedCompliance({ summaries, devices, assignments, cycles: cycles ?? [] }, now);
}
