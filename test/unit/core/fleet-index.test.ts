import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../../src/core/compliance/assignments.ts';
import { DEFAULT_QUERY, FleetIndex, type FleetData, type FleetQuery } from '../../../src/core/model/fleet-index.ts';
import type { ProductInstance } from '../../../src/core/model/fleet.ts';
import { NO_FILTER, filterRows, fleetRow, rowsCsv, sortRows } from '../../../src/core/model/fleet-view.ts';
import { fleetDeadlines } from '../../../src/core/policy/fleet.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);
const fact = <T,>(value: T, at = NOW - DAY) => ({ value, file: 'f', at });

function device(i: number, over: Partial<ProductInstance> = {}): ProductInstance {
  const sn = `FOC${String(1000 + ((i * 7919) % 1000)).padStart(4, '0')}X${i}`;
  return {
    key: `PID:C9300-24UX,SN:${sn}`,
    udi: { pid: i % 3 ? 'C9300-24UX' : 'C9200L-48P', sn },
    hostname: i % 11 === 0 ? null : fact(`sw-${(i * 37) % 200}`),
    softwareVersion: fact(`17.${i % 4}.1`),
    softwareTag: null,
    ha: null,
    licenses: [],
    reportCount: i % 5,
    lastReportEnd: i % 5 ? NOW - (i % 90) * DAY : null,
    files: ['f'],
    firstSeen: NOW - 400 * DAY,
    updatedAt: NOW - DAY,
    virtualAccount: i % 4 ? fact(['Campus', 'Lab', 'Branch'][i % 3]!) : null,
    ...over,
  };
}

const devices = Array.from({ length: 240 }, (_, i) => device(i));
const data = (over: Partial<FleetData> = {}): FleetData => ({ devices, files: 3, vaSettings: {}, summaries: [], assignments: [], cycles: [], ...over });

/** What the Fleet view computed on the page before the worker: every row, filtered, sorted. */
function expected(list: ProductInstance[], q: FleetQuery) {
  const verdicts = fleetDeadlines(list, NOW).results;
  const rows = list.flatMap((d, i) => (d.retired && !q.showRemoved ? [] : [fleetRow(d, verdicts[i])]));
  return sortRows(filterRows(rows, q.filter, NOW), q.sortKey, q.sortDir);
}

describe('FleetIndex', () => {
  it('shows the same rows, in the same order, as filtering and sorting every row on the page did', () => {
    const index = new FleetIndex();
    const first = index.setData(data(), NOW);
    expect(first).toMatchObject({ devices: 240, removed: 0, files: 3, shown: 240, compliance: null, now: NOW });
    expect(first.reports).toBe(devices.reduce((n, d) => n + d.reportCount, 0));
    expect(first.facets.virtualAccount).toEqual(['Branch', 'Campus', 'Lab']);
    const queries: FleetQuery[] = [
      DEFAULT_QUERY,
      { ...DEFAULT_QUERY, sortKey: 'sn', sortDir: 'desc' },
      { ...DEFAULT_QUERY, sortKey: 'lastReport', sortDir: 'asc', filter: { ...NO_FILTER, query: 'sw-1' } },
      { ...DEFAULT_QUERY, sortKey: 'version', filter: { ...NO_FILTER, virtualAccount: 'Lab', family: 'C9300' } },
      { ...DEFAULT_QUERY, filter: { ...NO_FILTER, query: 'no such device' } },
    ];
    for (const q of queries) {
      const want = expected(devices, q);
      expect(index.query(q).shown).toBe(want.length);
      expect(index.rows(0, 1000).map((r) => r.key)).toEqual(want.map((r) => r.key));
      // A window is that part of the order.
      expect(index.rows(5, 9).map((r) => r.key)).toEqual(want.slice(5, 9).map((r) => r.key));
      expect(index.csv()).toBe(rowsCsv(want));
    }
  });

  it('gives the page row columns only, not the device record nor the search text', () => {
    const index = new FleetIndex();
    index.setData(data(), NOW);
    const [row] = index.rows(0, 1);
    expect(row).toBeDefined();
    expect(Object.keys(row!)).not.toContain('device');
    expect(Object.keys(row!)).not.toContain('search');
    expect(row).toMatchObject({ compliance: null, assigned: null });
    expect(index.rows(-5, 0)).toEqual([]);
    expect(index.rows(10_000, 10_100)).toEqual([]);
  });

  it('keeps the query across changes of the workspace, and hides removed devices unless asked', () => {
    const index = new FleetIndex();
    index.setData(data(), NOW);
    const q = { ...DEFAULT_QUERY, filter: { ...NO_FILTER, virtualAccount: 'Campus' } };
    const campus = index.query(q).shown;
    const retiredKey = expected(devices, q)[0]!.key;
    const changed = devices.map((d) => (d.key === retiredKey ? { ...d, retired: { at: NOW, by: 'Ana', reason: 'sold' } } : d));
    const after = index.setData(data({ devices: changed }), NOW);
    expect(after.removed).toBe(1);
    expect(after.shown).toBe(campus - 1);
    expect(index.rows(0, 1000).map((r) => r.key)).not.toContain(retiredKey);
    expect(index.query({ ...q, showRemoved: true }).shown).toBe(campus);
    expect(index.rows(0, 1000).map((r) => r.key)).toContain(retiredKey);
  });

  it('answers the detail panel with the device, its deadlines and its HA set', () => {
    const active = device(1000, { ha: fact({ role: 'active' as const, activeKey: null }) });
    const standby = device(1001, { ha: fact({ role: 'standby' as const, activeKey: active.key }) });
    const index = new FleetIndex();
    index.setData(data({ devices: [...devices, active, standby] }), NOW);
    const view = index.device(standby.key)!;
    expect(view.device.key).toBe(standby.key);
    expect(view.deadlines.key).toBe(standby.key);
    expect(view.related.map((d) => d.key).sort()).toEqual([active.key, standby.key].sort());
    expect(index.device(active.key)!.related.map((d) => d.key).sort()).toEqual([active.key, standby.key].sort());
    expect(index.device(devices[3]!.key)!.related).toEqual([]);
    expect(index.device('PID:X,SN:none')).toBeNull();
  });

  it('names the licences assigned to a device on its row, once licences are managed here', () => {
    const target = expected(devices, DEFAULT_QUERY)[0]!;
    const assignment = { id: 'a1', deviceKey: target.key, name: 'DNA Advantage', releasedAt: null } as unknown as Assignment;
    const index = new FleetIndex();
    const snap = index.setData(data({ assignments: [assignment] }), NOW);
    expect(snap.compliance).not.toBeNull();
    expect(index.rows(0, 1)[0]).toMatchObject({ key: target.key, assigned: ['DNA Advantage'] });
    expect(index.shownDevices().map((d) => d.key)).toEqual(expected(devices, DEFAULT_QUERY).map((r) => r.key));
  });
});

describe('FleetIndex.warm', () => {
  it('sorts ahead one order at a time, and a warmed order is the one a query gets', () => {
    const index = new FleetIndex();
    index.setData(data(), NOW);
    let steps = 0;
    while (index.warm(['sn', 'lastHeard'])) steps++;
    // The default query's order (hostname asc) was made by setData; sn and lastHeard in both directions are new.
    expect(steps).toBe(4);
    expect(index.warm(['sn', 'lastHeard'])).toBe(false);
    const q = { ...DEFAULT_QUERY, sortKey: 'lastHeard' as const, sortDir: 'desc' as const };
    index.query(q);
    expect(index.rows(0, 1000).map((r) => r.key)).toEqual(expected(devices, q).map((r) => r.key));
  });
});
