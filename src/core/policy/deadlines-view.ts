import { writeIcs } from '../calendar/ics.ts';
import { type ProductInstance, inInventory, lastHeard } from '../model/fleet.ts';
import { deadlineCalendar, type CalendarMode } from './calendar.ts';
import { DAY, type DeadlineStatus, type DeviceDeadlines } from './deadlines.ts';
import { STATUS_ORDER, type VaSettings, fleetDeadlines } from './fleet.ts';

/**
 * The Deadlines view as data: tiles, status counts, the 26-week timeline and the devices per Virtual Account,
 * most urgent first. Computed where the devices are (the fleet worker), so the page gets only what it shows:
 * at 100,000 devices the page used to read every device and compute every deadline itself (seconds frozen).
 */

export const STALE_DAYS = 90;
export const WEEKS = 26;
export const NOT_KNOWN_VA = 'Virtual Account not known';

export interface DeadlineRow extends DeviceDeadlines {
  /** Host name, else serial number, else key. */
  host: string;
}

export interface DeadlineGroup {
  va: string;
  /** Devices of the group with the status shown (the rows are the first `perVa` of them). */
  total: number;
  policyName: string | null;
  rows: DeadlineRow[];
}

export interface DeadlinesSummary {
  /** Devices in the inventory (removed ones have no deadlines to keep). */
  devices: number;
  counts: Record<DeadlineStatus, number>;
  nextDue: { host: string; dueAt: number } | null;
  stale: number;
  timeline: { bars: number[]; overdue: number; max: number };
  groups: DeadlineGroup[];
  /** Virtual Accounts devices name (their purchase setting can be changed). */
  vas: string[];
  now: number;
}

const hostOf = (d: ProductInstance | undefined, key: string) => d?.hostname?.value ?? d?.udi.sn ?? key;

/** Deadlines of every device in the inventory at one moment: computed once, then summarised per status shown. */
export class FleetDeadlinesView {
  private readonly devices: ProductInstance[];
  private readonly byKey: Map<string, ProductInstance>;
  private readonly fleet: ReturnType<typeof fleetDeadlines>;

  constructor(all: readonly ProductInstance[], readonly now: number, settings: Readonly<Record<string, VaSettings>>) {
    this.devices = inInventory(all);
    this.byKey = new Map(this.devices.map((d) => [d.key, d]));
    this.fleet = fleetDeadlines(this.devices, now, settings);
  }

  summary(shown: DeadlineStatus | 'all', perVa: number): DeadlinesSummary {
    const { now, fleet } = this;
    let nextDue: DeviceDeadlines | null = null;
    const bars = Array.from({ length: WEEKS }, () => 0);
    let overdue = 0;
    const by = new Map<string, DeviceDeadlines[]>();
    for (const r of fleet.results) {
      if (r.next) {
        if (r.next.dueAt >= now && (!nextDue || r.next.dueAt < nextDue.next!.dueAt)) nextDue = r;
        const w = Math.floor((r.next.dueAt - now) / (7 * DAY));
        if (w < 0) overdue++;
        else if (w < WEEKS) bars[w]!++;
      }
      if (shown !== 'all' && r.status !== shown) continue;
      const va = this.byKey.get(r.key)?.virtualAccount?.value ?? NOT_KNOWN_VA;
      const list = by.get(va);
      if (list) list.push(r);
      else by.set(va, [r]);
    }
    const rank = (r: DeviceDeadlines) => STATUS_ORDER.indexOf(r.status) * 1e15 + (r.next?.dueAt ?? 9e14);
    for (const list of by.values()) list.sort((a, b) => rank(a) - rank(b));
    const groups = [...by]
      .sort((a, b) => rank(a[1][0]!) - rank(b[1][0]!))
      .map(([va, list]) => ({
        va,
        total: list.length,
        policyName: fleet.vaPolicies.get(va)?.policy.name ?? null,
        rows: list.slice(0, perVa).map((r) => ({ ...r, host: hostOf(this.byKey.get(r.key), r.key) })),
      }));
    let stale = 0;
    for (const d of this.devices) if ((lastHeard(d) ?? 0) < now - STALE_DAYS * DAY) stale++;
    return {
      devices: this.devices.length,
      counts: fleet.counts,
      nextDue: nextDue ? { host: hostOf(this.byKey.get(nextDue.key), nextDue.key), dueAt: nextDue.next!.dueAt } : null,
      stale,
      timeline: { bars, overdue, max: Math.max(1, overdue, ...bars) },
      groups,
      vas: [...new Set(this.devices.map((d) => d.virtualAccount?.value).filter((v): v is string => !!v))].sort(),
      now,
    };
  }

  /** The upcoming deadlines as an iCalendar file's text. */
  calendar(mode: CalendarMode): string {
    return writeIcs(deadlineCalendar(this.fleet.results, this.byKey, mode, this.now), this.now);
  }
}
