import type { StoredReport } from '../model/fleet.ts';

/**
 * What the deadline rules need to know of a device's licence consumption, distilled from its RUM reports once
 * at import (so that deadlines for 100,000 devices are computed from the fleet records alone, without reading
 * every report again):
 * - when each entitlement was first consumed (count > 0): the anchor of the first-report rule;
 * - when consumption changed (seed 004 L269, seed 003 L148-152: a licence added or removed, 0 → n, n → 0, and a
 *   count change): the anchor of the report-on-change rule.
 */
export interface UsageLine {
  tag: string;
  /** Start of the earliest report of this tag with a count above zero (ms); null when never above zero. */
  firstUse: number | null;
  /** The count of the latest report of this tag. */
  count: number | null;
  /** End of the latest report of this tag (ms). */
  lastSeen: number | null;
  utility: boolean;
  /**
   * When this licence's consumption changed (ms, ascending, at most MAX_CHANGES): a count change, n → 0, 0 → n
   * again, and its first use when another licence was in use before (a licence added to the set).
   */
  changes: number[];
}

export interface DeviceUsage {
  lines: UsageLine[];
  /** Earliest first use over all tags. */
  firstUse: number | null;
  /** Times (ms) at which consumption changed, ascending; the first use itself is not a change. At most MAX_CHANGES. */
  changes: number[];
  /** End of the latest report (ms). */
  reportedUntil: number | null;
}

const MAX_CHANGES = 32;

/** Distils a device's reports (any order) into its usage history. */
export function usageHistory(reports: readonly StoredReport[]): DeviceUsage {
  const byTag = new Map<string, StoredReport[]>();
  for (const r of reports) {
    if (!r.entitlementTag) continue;
    const list = byTag.get(r.entitlementTag);
    if (list) list.push(r);
    else byTag.set(r.entitlementTag, [r]);
  }
  const lines: UsageLine[] = [];
  for (const [tag, list] of byTag) {
    list.sort((a, b) => (a.start ?? a.end ?? 0) - (b.start ?? b.end ?? 0));
    let firstUse: number | null = null;
    let prev: number | null = null;
    const changes: number[] = [];
    for (const r of list) {
      const count = r.count ?? 0;
      const at = r.start ?? r.end;
      if (at !== null) {
        if (count > 0 && firstUse === null) firstUse = at;
        else if (prev !== null && count !== prev) changes.push(at);
      }
      prev = count;
    }
    const last = list[list.length - 1]!;
    lines.push({ tag, firstUse, count: last.count, lastSeen: last.end, utility: list.some((r) => r.utility), changes });
  }
  lines.sort((a, b) => a.tag.localeCompare(b.tag));
  const firstUses = lines.map((l) => l.firstUse).filter((t): t is number => t !== null);
  const firstUse = firstUses.length ? Math.min(...firstUses) : null;
  // A licence first used after the device's very first use is a change of the licence set (a licence added).
  for (const l of lines) {
    if (firstUse !== null && l.firstUse !== null && l.firstUse > firstUse) l.changes.unshift(l.firstUse);
    l.changes = [...new Set(l.changes)].sort((a, b) => a - b).slice(-MAX_CHANGES);
  }
  const changes = [...new Set(lines.flatMap((l) => l.changes))].sort((a, b) => a - b).slice(-MAX_CHANGES);
  const ends = reports.map((r) => r.end).filter((t): t is number => t !== null);
  return { lines, firstUse, changes, reportedUntil: ends.length ? Math.max(...ends) : null };
}
