import { compliance, type ComplianceResult } from '../core/compliance/compliance.ts';
import type { Assignment } from '../core/compliance/assignments.ts';
import type { Cycle } from '../core/cycle/model.ts';
import { inInventory } from '../core/model/fleet.ts';
import type { StoredSummary } from '../core/entitlements/summary.ts';
import type { ProductInstance } from '../core/model/fleet.ts';

/**
 * Compliance as the Fleet and Entitlements views show it: only once licences are managed here (a licence summary
 * was imported or a licence assigned) — a fleet of switches reporting usage has no SD-WAN Manager to be out of
 * compliance with.
 */
export function workspaceCompliance(summaries: readonly StoredSummary[] | undefined, devices: readonly ProductInstance[] | undefined, assignments: readonly Assignment[] | undefined, cycles: readonly Cycle[] | undefined, now: number): ComplianceResult | null {
  if (!summaries || !devices || !assignments) return null;
  if (summaries.length === 0 && assignments.length === 0) return null;
  const summary = [...summaries].sort((a, b) => b.importedAt - a.importedAt)[0] ?? null;
  return compliance({ summary, devices: inInventory(devices), assignments, lastSync: null, lastUsageReport: lastControllerReport(cycles ?? []), now });
}

/** The newest controller usage report generated (a controller cycle built), and when its ACK was reconciled. */
export function lastControllerReport(cycles: readonly Cycle[]): { generatedAt: number; acknowledgedAt: number | null } | null {
  let best: { generatedAt: number; acknowledgedAt: number | null } | null = null;
  for (const c of cycles) {
    if (c.kind !== 'controller' || c.state === 'abandoned' || !c.upload) continue;
    const builtAt = c.upload.at ?? c.updatedAt;
    const acked = c.audit.find((a) => a.step === 'reconciled');
    if (!best || builtAt > best.generatedAt) best = { generatedAt: builtAt, acknowledgedAt: acked?.at ?? null };
  }
  return best;
}
