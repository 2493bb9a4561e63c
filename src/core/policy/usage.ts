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

/**
 * Distils a device's reports (any order) into its usage history.
 * Runs once per device at import (100,000 at once), so it avoids the temporary arrays, sets and sorts that the
 * usual case (a report or two per licence, reports already in order) does not need.
 */
export function usageHistory(reports: readonly StoredReport[]): DeviceUsage {
  const byTag = new Map<string, StoredReport[]>();
  let reportedUntil: number | null = null;
  for (const r of reports) {
    // Math.max pairwise: what Math.max(...ends) gave, without the array.
    if (r.end !== null) reportedUntil = reportedUntil === null ? r.end : Math.max(reportedUntil, r.end);
    if (!r.entitlementTag) continue;
    const list = byTag.get(r.entitlementTag);
    if (list) list.push(r);
    else byTag.set(r.entitlementTag, [r]);
  }
  // Mapped from a spread rather than pushed: an array that grows by push reserves 17 slots, kept in each record.
  const lines = [...byTag.values()].map((list): UsageLine => {
    const tag = list[0]!.entitlementTag!;
    if (!inOrder(list, byStart)) list.sort(byStart);
    let firstUse: number | null = null;
    let prev: number | null = null;
    let utility = false;
    const changes: number[] = [];
    for (const r of list) {
      const count = r.count ?? 0;
      const at = r.start ?? r.end;
      if (at !== null) {
        if (count > 0 && firstUse === null) firstUse = at;
        else if (prev !== null && count !== prev) changes.push(at);
      }
      prev = count;
      if (r.utility) utility = true;
    }
    const last = list[list.length - 1]!;
    return { tag, firstUse, count: last.count, lastSeen: last.end, utility, changes };
  });
  sortStable(lines, (a, b) => a.tag.localeCompare(b.tag));
  let firstUse: number | null = null;
  for (const l of lines) if (l.firstUse !== null) firstUse = firstUse === null ? l.firstUse : Math.min(firstUse, l.firstUse);
  // A licence first used after the device's very first use is a change of the licence set (a licence added).
  let withChanges: UsageLine | null = null;
  let linesWithChanges = 0;
  for (const l of lines) {
    if (firstUse !== null && l.firstUse !== null && l.firstUse > firstUse) l.changes.unshift(l.firstUse);
    l.changes = ascendingDistinct(l.changes);
    if (l.changes.length) {
      withChanges = l;
      linesWithChanges++;
    }
  }
  const changes = linesWithChanges === 0 ? [] : linesWithChanges === 1 ? [...withChanges!.changes] : ascendingDistinct(lines.flatMap((l) => l.changes));
  return { lines, firstUse, changes, reportedUntil };
}

const byStart = (a: StoredReport, b: StoredReport): number => (a.start ?? a.end ?? 0) - (b.start ?? b.end ?? 0);

/** Whether a (stable) sort by `compare` would leave `list` as it is. */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (!(compare(list[i - 1]!, list[i]!) <= 0)) return false;
  return true;
}

/** `list.sort(compare)` (stable), by insertion when short: Array.prototype.sort's set-up dominates for a few items. */
function sortStable<T>(list: T[], compare: (a: T, b: T) => number): void {
  if (list.length > 8) {
    list.sort(compare);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const item = list[i]!;
    let j = i;
    for (; j > 0 && compare(list[j - 1]!, item) > 0; j--) list[j] = list[j - 1]!;
    list[j] = item;
  }
}

/** The distinct times, ascending, the latest MAX_CHANGES. */
function ascendingDistinct(times: number[]): number[] {
  if (times.length === 0) return times;
  if (times.length === 1) return times.slice(); // its exact size: a pushed array holds 17 slots
  return [...new Set(times)].sort((a, b) => a - b).slice(-MAX_CHANGES);
}
