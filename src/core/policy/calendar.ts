import type { IcsCalendar, IcsEvent } from '../calendar/ics.ts';
import type { ProductInstance } from '../model/fleet.ts';
import { DAY, day, type Deadline, type DeviceDeadlines } from './deadlines.ts';

/**
 * Upcoming deadlines as calendar events (capability 5: "calendar export"): one event per device, or one per
 * Virtual Account and day (several devices due the same day are one reminder). Each event has reminders a week
 * and a day before, so the trip to the connected workstation can be planned. Overdue deadlines are left out: a
 * calendar reminder in the past helps nobody; the Deadlines view lists them.
 */
export type CalendarMode = 'device' | 'virtual-account';

const ALARMS = [
  { minutesBefore: 7 * 24 * 60, description: 'SLP deadline in one week' },
  { minutesBefore: 24 * 60, description: 'SLP deadline tomorrow' },
];

const what = (d: Deadline) => (d.kind === 'ack' ? 'ACK due' : d.kind === 'sync' ? 'Sync due' : 'Report due');
const nameOf = (d: ProductInstance) => d.hostname?.value ?? d.key;

export function deadlineCalendar(results: readonly DeviceDeadlines[], devices: ReadonlyMap<string, ProductInstance>, mode: CalendarMode, now: number, scope = 'all Virtual Accounts'): IcsCalendar {
  const upcoming = results.filter((r) => r.next && r.next.dueAt >= now);
  const events: IcsEvent[] = [];
  if (mode === 'device') {
    for (const r of upcoming) {
      const d = devices.get(r.key);
      if (!d) continue;
      const next = r.next!;
      events.push({
        uid: `slp-deadline-${next.kind}-${r.key}`,
        start: next.dueAt,
        summary: `SLP: ${what(next)} — ${nameOf(d)}`,
        description: `${d.key}${d.virtualAccount ? ` (Virtual Account ${d.virtualAccount.value})` : ''}\n${next.reason}.\nRule: ${next.rule}, ${next.source === 'device' ? 'date printed by the device' : 'estimate from the policy'}.`,
        categories: ['SLP', d.virtualAccount?.value ?? 'No Virtual Account'],
        alarms: ALARMS,
      });
    }
  } else {
    const groups = new Map<string, Array<{ r: DeviceDeadlines; d: ProductInstance }>>();
    for (const r of upcoming) {
      const d = devices.get(r.key);
      if (!d) continue;
      const va = d.virtualAccount?.value ?? 'No Virtual Account';
      const k = `${va}\u0000${Math.floor(r.next!.dueAt / DAY)}`;
      groups.set(k, [...(groups.get(k) ?? []), { r, d }]);
    }
    for (const [k, list] of groups) {
      const va = k.slice(0, k.indexOf('\u0000'));
      const first = Math.min(...list.map((x) => x.r.next!.dueAt));
      const lines = list
        .sort((a, b) => a.r.next!.dueAt - b.r.next!.dueAt)
        .map((x) => `- ${nameOf(x.d)} (${x.d.key}): ${what(x.r.next!)} — ${x.r.next!.reason}`);
      events.push({
        uid: `slp-deadline-va-${va}-${new Date(first).toISOString().slice(0, 10)}`,
        start: first,
        summary: `SLP: ${list.length} device${list.length === 1 ? '' : 's'} due in ${va}`,
        description: `Due ${day(first)} in Virtual Account ${va}:\n${lines.join('\n')}`,
        categories: ['SLP', va],
        alarms: ALARMS,
      });
    }
  }
  return { name: `SLP deadlines — ${scope}`, events };
}
