import type { ComplianceSummary, DeviceView, FleetQuery, FleetSnapshot, ViewRow } from '../core/model/fleet-index.ts';
import type { EntitlementRow } from '../core/entitlements/summary.ts';
import type { ProductInstance } from '../core/model/fleet.ts';
import type { CalendarMode } from '../core/policy/calendar.ts';
import type { DeadlineStatus } from '../core/policy/deadlines.ts';
import type { DeadlinesSummary } from '../core/policy/deadlines-view.ts';

/**
 * The contract between the Fleet view and the fleet worker, which holds every device (core/model/fleet-index.ts)
 * so that the page holds only the rows in view. Every answer carries the worker's generation: it grows with each
 * change of the workspace or of the query, and the page drops answers older than what it shows.
 */
export interface FleetWorkerApi {
  /** Watches the workspace: `onChange` gets the counts and menus after the first read and after every change. */
  open(dbName: string, onChange: (generation: number, snapshot: FleetSnapshot) => void, onError: (message: string) => void): Promise<void>;
  /** Applies a filter and sort. */
  view(query: FleetQuery): Promise<{ generation: number; snapshot: FleetSnapshot }>;
  /** The rows shown from `from` to `to` (exclusive), of the generation named in the answer. */
  rows(from: number, to: number): Promise<{ generation: number; rows: ViewRow[] }>;
  /** One device, its deadlines and its HA set, for the detail panel. */
  device(key: string): Promise<DeviceView | null>;
  /** The devices shown, in order (the Assign panel acts on them). */
  shownDevices(): Promise<ProductInstance[]>;
  /** The rows shown, in order, as CSV. */
  csv(): Promise<string>;
  /** The Deadlines view: tiles, counts, timeline and the first `perVa` devices of each Virtual Account. */
  deadlines(shown: DeadlineStatus | 'all', now: number, perVa: number): Promise<{ generation: number; summary: DeadlinesSummary }>;
  /** The Entitlements view: each Smart Account's licence rows against the devices, and compliance, at `now`. */
  entitlements(now: number): Promise<{ generation: number; rows: Record<string, EntitlementRow[]>; compliance: ComplianceSummary | null }>;
  /** The upcoming deadlines as an iCalendar file's text. */
  calendar(mode: CalendarMode, now: number): Promise<string>;
}
