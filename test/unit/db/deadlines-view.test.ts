import { describe, expect, it } from 'vitest';
import { type ProductInstance, inInventory, lastHeard } from '../../../src/core/model/fleet.ts';
import { DAY, type DeadlineStatus, type DeviceDeadlines } from '../../../src/core/policy/deadlines.ts';
import { FleetDeadlinesView, NOT_KNOWN_VA, STALE_DAYS, WEEKS } from '../../../src/core/policy/deadlines-view.ts';
import { STATUS_ORDER, fleetDeadlines } from '../../../src/core/policy/fleet.ts';
import { fillDemo } from '../../../src/db/demo.ts';
import { NOW, freshDb } from './workspace.ts';
import { listDevices } from '../../../src/db/queries.ts';

/** The Deadlines view's numbers as the page computed them before the fleet worker (the oracle). */
function onThePage(all: ProductInstance[], now: number, shown: DeadlineStatus | 'all') {
  const devices = inInventory(all);
  const fleet = fleetDeadlines(devices, now, {});
  const byKey = new Map(devices.map((d) => [d.key, d]));
  const nextDue = fleet.results.filter((r) => r.next && r.next.dueAt >= now).sort((a, b) => a.next!.dueAt - b.next!.dueAt)[0] ?? null;
  const stale = devices.filter((d) => (lastHeard(d) ?? 0) < now - STALE_DAYS * DAY).length;
  const by = new Map<string, DeviceDeadlines[]>();
  for (const r of fleet.results) {
    if (shown !== 'all' && r.status !== shown) continue;
    const va = byKey.get(r.key)?.virtualAccount?.value ?? NOT_KNOWN_VA;
    by.set(va, [...(by.get(va) ?? []), r]);
  }
  const rank = (r: DeviceDeadlines) => STATUS_ORDER.indexOf(r.status) * 1e15 + (r.next?.dueAt ?? 9e14);
  for (const list of by.values()) list.sort((a, b) => rank(a) - rank(b));
  const groups = [...by].sort((a, b) => rank(a[1][0]!) - rank(b[1][0]!));
  const bars = Array.from({ length: WEEKS }, () => 0);
  let overdue = 0;
  for (const r of fleet.results) {
    if (!r.next) continue;
    const w = Math.floor((r.next.dueAt - now) / (7 * DAY));
    if (w < 0) overdue++;
    else if (w < WEEKS) bars[w]!++;
  }
  return { fleet, nextDue, stale, groups, bars, overdue, byKey };
}

describe('FleetDeadlinesView', () => {
  it('gives the Deadlines view the same tiles, counts, timeline and groups as computing them on the page', async () => {
    const db = freshDb('deadlines');
    await fillDemo(db, { devices: 300, seed: 'deadlines-view', now: NOW });
    const all = await listDevices(db);
    // One device removed from the inventory: it has no deadlines to keep.
    all[0] = { ...all[0]!, retired: { at: NOW, by: 'Ana', reason: 'sold' } };
    for (const now of [NOW, NOW + 120 * DAY]) {
      const view = new FleetDeadlinesView(all, now, {});
      for (const shown of ['all', 'overdue', 'later'] as const) {
        const want = onThePage(all, now, shown);
        const got = view.summary(shown, 5);
        expect(got.devices).toBe(all.length - 1);
        expect(got.counts).toEqual(want.fleet.counts);
        expect(got.stale).toBe(want.stale);
        expect(got.timeline.bars).toEqual(want.bars);
        expect(got.timeline.overdue).toBe(want.overdue);
        expect(got.nextDue?.dueAt ?? null).toBe(want.nextDue?.next?.dueAt ?? null);
        expect(got.groups.map((g) => [g.va, g.total])).toEqual(want.groups.map(([va, list]) => [va, list.length]));
        for (const [i, g] of got.groups.entries()) {
          expect(g.rows.map((r) => r.key)).toEqual(want.groups[i]![1].slice(0, 5).map((r) => r.key));
          for (const r of g.rows) expect(r.host).toBe(want.byKey.get(r.key)?.hostname?.value ?? want.byKey.get(r.key)?.udi.sn);
        }
      }
      // The demo's fleet has devices in several states, so the comparison above compared something.
      expect(Object.values(view.summary('all', 5).counts).filter((n) => n > 0).length).toBeGreaterThan(1);
    }
  });

  it('writes the calendar of the upcoming deadlines', async () => {
    const db = freshDb('deadlines');
    await fillDemo(db, { devices: 60, seed: 'deadlines-ics', now: NOW });
    const view = new FleetDeadlinesView(await listDevices(db), NOW, {});
    const ics = view.calendar('device');
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)?.length ?? 0).toBeGreaterThan(0);
  });
});

describe('FleetIndex.entitlements', () => {
  it('counts the inventory against each licence summary, as the Entitlements view did on the page', async () => {
    const { FleetIndex } = await import('../../../src/core/model/fleet-index.ts');
    const { entitlementRows } = await import('../../../src/core/entitlements/summary.ts');
    const db = freshDb('entitlements');
    await fillDemo(db, { devices: 120, seed: 'entitlements-view', now: NOW });
    const [devices, summaries] = [await listDevices(db), await db.summaries.toArray()];
    expect(summaries.length).toBeGreaterThan(0);
    const index = new FleetIndex();
    index.setData({ devices, files: 1, vaSettings: {}, summaries, assignments: [], cycles: [] }, NOW);
    const got = index.entitlements(NOW);
    for (const s of summaries) expect(got.rows[s.smartAccount]).toEqual(entitlementRows(s, inInventory(devices), NOW));
    // Compliance as the pure function computes it from the same inputs.
    const { compliance } = await import('../../../src/core/compliance/compliance.ts');
    const want = compliance({ summary: summaries[0]!, devices: inInventory(devices), assignments: [], lastSync: null, lastUsageReport: null, now: NOW });
    expect(got.compliance?.compliant).toBe(want?.compliant);
    expect(got.compliance?.causes.map((c) => c.cause)).toEqual(want?.causes.map((c) => c.cause));
  });
});
