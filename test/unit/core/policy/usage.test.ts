import { describe, expect, it } from 'vitest';
import type { StoredReport } from '../../../../src/core/model/fleet.ts';
import { usageHistory } from '../../../../src/core/policy/usage.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

function r(tag: string, day: number, count: number | null): StoredReport {
  return { reportId: `${tag}${day}`, udi: { pid: 'P', sn: 'S' }, softwareTag: null, entitlementTag: tag, count, start: T0 + day * DAY, end: T0 + (day + 1) * DAY, utility: false, softwareVersion: null, payloadFormat: '2.0', measurementCount: 1, fingerprint: 0, source: { file: 'f', entry: [], start: 0, end: 0 }, alsoIn: [] };
}

describe('usageHistory', () => {
  it('finds first use, count changes, n → 0, 0 → n again, and a licence added to the set', () => {
    const u = usageHistory([r('A', 0, 0), r('A', 10, 2), r('A', 20, 2), r('A', 30, 3), r('A', 40, 0), r('A', 50, 1), r('B', 25, 1), r('B', 35, 1)].reverse());
    expect(u.firstUse).toBe(T0 + 10 * DAY);
    const a = u.lines.find((l) => l.tag === 'A')!;
    expect(a.firstUse).toBe(T0 + 10 * DAY);
    expect(a.changes.map((t) => (t - T0) / DAY)).toEqual([30, 40, 50]);
    expect(a.count).toBe(1);
    const b = u.lines.find((l) => l.tag === 'B')!;
    expect(b.changes.map((t) => (t - T0) / DAY)).toEqual([25]); // added after A was in use
    expect(u.changes.map((t) => (t - T0) / DAY)).toEqual([25, 30, 40, 50]);
    expect(u.reportedUntil).toBe(T0 + 51 * DAY);
  });

  it('a licence never above zero has no first use; reports without a tag are ignored', () => {
    const u = usageHistory([r('A', 0, 0), r('A', 5, 0), { ...r('X', 1, 1), entitlementTag: null }]);
    expect(u.lines).toEqual([{ tag: 'A', firstUse: null, count: 0, lastSeen: T0 + 6 * DAY, utility: false, changes: [] }]);
    expect(u.firstUse).toBeNull();
    expect(usageHistory([])).toEqual({ lines: [], firstUse: null, changes: [], reportedUntil: null });
  });
});
