import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { writeIcs } from '../../../../src/core/calendar/ics.ts';
import type { ProductInstance } from '../../../../src/core/model/fleet.ts';
import { deadlineCalendar } from '../../../../src/core/policy/calendar.ts';
import type { Deadline, DeviceDeadlines } from '../../../../src/core/policy/deadlines.ts';
import { CISCO_DEFAULT_POLICY } from '../../../../src/core/policy/cisco-default.ts';

const NOW = Date.UTC(2026, 10, 22);
const DAY = 86_400_000;

function dev(sn: string, va: string | null): ProductInstance {
  return { key: `PID:C9300-24UX,SN:${sn}`, udi: { pid: 'C9300-24UX', sn }, hostname: { value: `sw-${sn}`, file: 'f', at: 0 }, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: [], firstSeen: 0, updatedAt: 0, virtualAccount: va ? { value: va, file: 'f', at: 0 } : null };
}
function due(key: string, at: number): DeviceDeadlines {
  const next: Deadline = { kind: 'ack', dueAt: at, rule: 'first-report', source: 'computed', reason: `reason of ${key}`, cls: 'unenforcedSubscription', superseded: false };
  return { key, status: 'due30', next, deadlines: [next], note: null, flags: [], policy: { policy: CISCO_DEFAULT_POLICY, source: 'default', learned: '' } };
}

describe('deadline calendar', () => {
  const devices = [dev('A', 'Campus'), dev('B', 'Campus'), dev('C', 'Lab'), dev('D', null)];
  const byKey = new Map(devices.map((d) => [d.key, d]));
  const results = [due(devices[0]!.key, NOW + 10 * DAY), due(devices[1]!.key, NOW + 10 * DAY + 3_600_000), due(devices[2]!.key, NOW + 20 * DAY), due(devices[3]!.key, NOW - DAY)];

  it('one event per device with an upcoming deadline, overdue ones left out, two reminders each', () => {
    const cal = deadlineCalendar(results, byKey, 'device', NOW);
    expect(cal.events.map((e) => [e.summary, e.start])).toEqual([
      ['SLP: ACK due — sw-A', NOW + 10 * DAY],
      ['SLP: ACK due — sw-B', NOW + 10 * DAY + 3_600_000],
      ['SLP: ACK due — sw-C', NOW + 20 * DAY],
    ]);
    expect(cal.events[0]!.description).toContain('reason of PID:C9300-24UX,SN:A');
    expect(cal.events[0]!.alarms?.map((a) => a.minutesBefore)).toEqual([7 * 24 * 60, 24 * 60]);
  });

  it('one event per Virtual Account and day, listing its devices, and it reads back as iCalendar', () => {
    const cal = deadlineCalendar(results, byKey, 'virtual-account', NOW);
    expect(cal.events.map((e) => [e.summary, e.start])).toEqual([
      ['SLP: 2 devices due in Campus', NOW + 10 * DAY],
      ['SLP: 1 device due in Lab', NOW + 20 * DAY],
    ]);
    expect(cal.events[0]!.description.split('\n').slice(1)).toEqual([
      '- sw-A (PID:C9300-24UX,SN:A): ACK due — reason of PID:C9300-24UX,SN:A',
      '- sw-B (PID:C9300-24UX,SN:B): ACK due — reason of PID:C9300-24UX,SN:B',
    ]);
    const parsed = new ICAL.Component(ICAL.parse(writeIcs(cal, NOW)));
    expect(parsed.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary'))).toEqual(['SLP: 2 devices due in Campus', 'SLP: 1 device due in Lab']);
  });
});
