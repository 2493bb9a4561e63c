import type { Assignment } from '../compliance/assignments.ts';
import { compliance, type ComplianceResult } from '../compliance/compliance.ts';
import type { Cycle } from '../cycle/model.ts';
import { type EntitlementRow, type StoredSummary, entitlementRows } from '../entitlements/summary.ts';
import type { DeviceDeadlines } from '../policy/deadlines.ts';
import { fleetDeadlines, type VaSettings } from '../policy/fleet.ts';
import { FleetDeadlinesView } from '../policy/deadlines-view.ts';
import { inInventory, type ProductInstance } from './fleet.ts';
import { type Facets, type FleetFilter, type FleetRow, type SortKey, NO_FILTER, facets, filterRows, fleetRow, rowsCsv, sortRows } from './fleet-view.ts';

/**
 * The Fleet view's data, held where the page is not (the fleet worker): every device, its deadlines, its row,
 * the compliance verdict, and the current filter and sort. The page asks only for what it shows — counts, the
 * filter menus, and the rows in view — so 100,000 devices never cross to the page nor block it (issue 9: no
 * main-thread task over 50 ms). Pure, so it is tested in Node.
 */

/** Everything the Fleet view reads from the workspace. */
export interface FleetData {
  devices: readonly ProductInstance[];
  files: number;
  vaSettings: Readonly<Record<string, VaSettings>>;
  summaries: readonly StoredSummary[];
  /** Active (not released) assignments. */
  assignments: readonly Assignment[];
  cycles: readonly Cycle[];
}

export interface FleetQuery {
  filter: FleetFilter;
  sortKey: SortKey;
  sortDir: 'asc' | 'desc';
  showRemoved: boolean;
}

/** The Fleet table's sortable columns: FleetView.svelte makes these sortable, and the worker warms their orders. */
export const TABLE_SORT_KEYS: readonly SortKey[] = ['hostname', 'sn', 'nextDue', 'lastHeard', 'pid', 'virtualAccount', 'policy', 'version', 'role', 'trust'];

export const DEFAULT_QUERY: FleetQuery = { filter: NO_FILTER, sortKey: 'hostname', sortDir: 'asc', showRemoved: false };

/** The banner's part of the compliance verdict: each cause with how many devices, and a few of their keys. */
export interface ComplianceSummary {
  compliant: boolean;
  causes: ComplianceResult['causes'];
}

/** What the view shows above the table; sent whenever the workspace or the query changes. */
export interface FleetSnapshot {
  devices: number;
  removed: number;
  reports: number;
  files: number;
  /** Rows that pass the filter, in the table. */
  shown: number;
  /** Choices of the filter menus, from the rows the table can show. */
  facets: Facets;
  /** Null while licences are not managed here (no summary imported, no licence assigned). */
  compliance: ComplianceSummary | null;
  /** When the deadlines were computed. */
  now: number;
}

/** A row as the page gets it: its columns, without the device record nor the search text. */
export type ViewRow = Omit<FleetRow, 'device' | 'search' | 'hostKey'> & {
  compliance: { status: string; reason: string } | null;
  /** Names of the licences assigned to the device, if any. */
  assigned: string[] | null;
};

/** One device for the detail panel: its record, its deadlines, and its HA set (members and active). */
export interface DeviceView {
  device: ProductInstance;
  deadlines: DeviceDeadlines;
  related: ProductInstance[];
}

const CAUSE_DEVICES = 50;

export class FleetIndex {
  private byKey = new Map<string, number>();
  private verdicts: DeviceDeadlines[] = [];
  private rowsAll: FleetRow[] = [];
  private result: ComplianceResult | null = null;
  private assigned = new Map<string, string[]>();
  private counts = { removed: 0, reports: 0, files: 0 };
  private now = 0;
  private q: FleetQuery = DEFAULT_QUERY;
  /**
   * All rows the table can show (retired ones only with showRemoved), in each order asked for or warmed: a sort
   * of 100,000 rows takes 150–400 ms here, a filter of sorted rows 10–40 ms, so each order is kept until the
   * workspace changes.
   */
  private orders = new Map<string, FleetRow[]>();
  private sorted: FleetRow[] = [];
  private shownRows: FleetRow[] = [];
  private menus: Facets = { family: [], virtualAccount: [], policy: [], transport: [] };
  private data: FleetData = { devices: [], files: 0, vaSettings: {}, summaries: [], assignments: [], cycles: [] };
  /** The Deadlines view's deadlines (inventory only, at its own "now"), until the workspace changes. */
  private deadlineView: FleetDeadlinesView | null = null;

  /** Takes a new state of the workspace; the current query is applied to it. */
  setData(data: FleetData, now: number): FleetSnapshot {
    this.now = now;
    this.data = data;
    this.deadlineView = null;
    this.byKey = new Map(data.devices.map((d, i) => [d.key, i]));
    this.verdicts = fleetDeadlines(data.devices, now, data.vaSettings).results;
    this.rowsAll = data.devices.map((d, i) => fleetRow(d, this.verdicts[i]));
    let removed = 0;
    let reports = 0;
    for (const d of data.devices) {
      if (d.retired) removed++;
      reports += d.reportCount;
    }
    this.counts = { removed, reports, files: data.files };
    this.result = managedCompliance(data, now);
    this.assigned = new Map();
    for (const a of data.assignments) this.assigned.set(a.deviceKey, [...(this.assigned.get(a.deviceKey) ?? []), a.name]);
    this.orders.clear();
    this.apply(this.q, true);
    return this.snapshot();
  }

  /** Applies a filter and sort; returns the new counts and menus. */
  query(q: FleetQuery): FleetSnapshot {
    this.apply(q, false);
    return this.snapshot();
  }

  private apply(q: FleetQuery, dataChanged: boolean): void {
    const removedChanged = q.showRemoved !== this.q.showRemoved;
    this.q = q;
    this.sorted = this.order(q.sortKey, q.sortDir, q.showRemoved);
    if (dataChanged || removedChanged) this.menus = facets(this.sorted);
    // The filter keeps the order it is given: filtering the sorted rows needs no sort per keystroke.
    this.shownRows = filterRows(this.sorted, q.filter, this.now);
  }

  private order(key: SortKey, dir: 'asc' | 'desc', showRemoved: boolean): FleetRow[] {
    const id = `${key} ${dir} ${showRemoved}`;
    let rows = this.orders.get(id);
    if (!rows) {
      const visible = showRemoved ? this.rowsAll : this.rowsAll.filter((r) => !r.device.retired);
      rows = sortRows(visible, key, dir);
      this.orders.set(id, rows);
    }
    return rows;
  }

  /**
   * Sorts the rows by one more of `keys` (both directions) ahead of the click that asks for it; false once every
   * one is ready. The worker calls it while idle, one sort at a time, so a question waits for one sort at most.
   */
  warm(keys: readonly SortKey[]): boolean {
    for (const key of keys) {
      for (const dir of ['asc', 'desc'] as const) {
        if (this.orders.has(`${key} ${dir} ${this.q.showRemoved}`)) continue;
        this.order(key, dir, this.q.showRemoved);
        return true;
      }
    }
    return false;
  }

  snapshot(): FleetSnapshot {
    return {
      devices: this.data.devices.length,
      removed: this.counts.removed,
      reports: this.counts.reports,
      files: this.counts.files,
      shown: this.shownRows.length,
      facets: this.menus,
      compliance: summariseCompliance(this.result),
      now: this.now,
    };
  }

  /** The rows shown from `from` to `to` (exclusive). */
  rows(from: number, to: number): ViewRow[] {
    return this.shownRows.slice(Math.max(0, from), Math.max(0, to)).map((r) => {
      const { device: _d, search: _s, hostKey: _h, ...columns } = r;
      const st = this.result?.perDevice.get(r.key) ?? null;
      return { ...columns, compliance: st, assigned: this.assigned.get(r.key) ?? null };
    });
  }

  device(key: string): DeviceView | null {
    const i = this.byKey.get(key);
    if (i === undefined) return null;
    const device = this.data.devices[i]!;
    const activeKey = device.ha?.value.activeKey ?? (device.ha?.value.role === 'active' ? device.key : null);
    const related = activeKey ? this.data.devices.filter((d) => d.key === activeKey || d.ha?.value.activeKey === activeKey) : [];
    return { device, deadlines: this.verdicts[i]!, related };
  }

  /** The devices shown, in the table's order (the Assign panel acts on them). */
  shownDevices(): ProductInstance[] {
    return this.shownRows.map((r) => r.device);
  }

  /** The rows shown, in the table's order, as CSV. */
  csv(): string {
    return rowsCsv(this.shownRows);
  }

  /** The Entitlements view: each licence summary's rows against the devices in the inventory, and compliance. */
  entitlements(now: number): { rows: Record<string, EntitlementRow[]>; compliance: ComplianceSummary | null } {
    const inventory = inInventory(this.data.devices);
    const rows: Record<string, EntitlementRow[]> = {};
    for (const s of this.data.summaries) rows[s.smartAccount] = entitlementRows(s, inventory, now);
    return { rows, compliance: summariseCompliance(managedCompliance(this.data, now)) };
  }

  /** The Deadlines view's deadlines at `now` (kept while the workspace and `now` stay the same). */
  deadlines(now: number): FleetDeadlinesView {
    if (this.deadlineView?.now !== now) this.deadlineView = new FleetDeadlinesView(this.data.devices, now, this.data.vaSettings);
    return this.deadlineView;
  }
}

function summariseCompliance(result: ComplianceResult | null): ComplianceSummary | null {
  return result ? { compliant: result.compliant, causes: result.causes.map((c) => ({ ...c, devices: c.devices.slice(0, CAUSE_DEVICES) })) } : null;
}

/** Compliance as the Fleet and Entitlements views show it: only once licences are managed here. */
export function managedCompliance(data: Pick<FleetData, 'summaries' | 'devices' | 'assignments' | 'cycles'>, now: number): ComplianceResult | null {
  if (data.summaries.length === 0 && data.assignments.length === 0) return null;
  const summary = [...data.summaries].sort((a, b) => b.importedAt - a.importedAt)[0] ?? null;
  return compliance({ summary, devices: inInventory(data.devices), assignments: data.assignments, lastSync: null, lastUsageReport: lastControllerReport(data.cycles), now });
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
