import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { writeIcs, type IcsCalendar, type IcsEvent } from '../../../src/core/calendar/ics.ts';

const NOW = Date.UTC(2025, 5, 1, 8, 0, 0);
const HOSTILE = 'Line one\nLine two, with; punctuation\\and a backslash\r\nWindows line\n😀 emoji, 中文テキスト, 한국어\n<script>alert(1)</script>';

function parse(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(ics));
}

function vevents(ics: string): ICAL.Component[] {
  return parse(ics).getAllSubcomponents('vevent');
}

/** Physical lines as bytes, split on CRLF, so octet limits and UTF-8 integrity are checked on what is written. */
function byteLines(ics: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(ics);
  const lines: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      lines.push(bytes.subarray(from, i));
      from = i + 2;
      i++;
    }
  }
  expect(from).toBe(bytes.length); // the file ends in CRLF, nothing after it
  return lines;
}

/** §3.1 unfolding: drop every CRLF followed by one space or tab. */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').slice(0, -1);
}

const ACK: IcsEvent = {
  uid: 'deadline-ack-PID:C9300-24UX,SN:FCW2303D16Y@slp-workbench',
  start: Date.UTC(2025, 6, 15, 9, 30, 0),
  summary: 'ACK due; C9300-24UX, FCW2303D16Y',
  description: HOSTILE,
  categories: ['SLP', 'Deadline, ACK', 'semi;colon'],
  alarms: [
    { minutesBefore: 10_080, description: 'One week left' },
    { minutesBefore: 1_440, description: 'One day left, act now' },
    { minutesBefore: 120, description: 'Two hours' },
    { minutesBefore: 45, description: 'Soon' },
  ],
};

const REPORT: IcsEvent = {
  uid: 'deadline-report-PID:ISR4451-X/K9,SN:FOC1234X0AB@slp-workbench',
  start: Date.UTC(2025, 8, 1, 0, 0, 0),
  durationMinutes: 90,
  summary: 'RUM report due',
  description: 'Single line',
};

const CALENDAR: IcsCalendar = { name: 'SLP deadlines — lab, site A', events: [REPORT, ACK] };

describe('writeIcs: round trip through ical.js', () => {
  const ics = writeIcs(CALENDAR, NOW);
  const events = vevents(ics);

  it('yields the same events, sorted by start', () => {
    expect(events.map((c) => new ICAL.Event(c).uid)).toEqual([ACK.uid, REPORT.uid]);
  });

  it('keeps uid, start, end, summary and description exactly', () => {
    const ack = new ICAL.Event(events[0]);
    expect(ack.uid).toBe(ACK.uid);
    expect(ack.startDate.zone?.tzid).toBe('UTC');
    expect(ack.startDate.toJSDate().getTime()).toBe(ACK.start);
    expect(ack.endDate.toJSDate().getTime()).toBe(ACK.start + 30 * 60_000); // default duration
    expect(ack.summary).toBe(ACK.summary);
    // CR is dropped, so CRLF in the input reads back as LF.
    expect(ack.description).toBe(HOSTILE.replace(/\r/g, ''));
    expect(ack.description).toContain('<script>alert(1)</script>');

    const report = new ICAL.Event(events[1]);
    expect(report.startDate.toJSDate().getTime()).toBe(REPORT.start);
    expect(report.endDate.toJSDate().getTime()).toBe(REPORT.start + 90 * 60_000);
    expect(report.description).toBe('Single line');
  });

  it('keeps DTSTAMP, categories and transparency', () => {
    const ack = events[0]!;
    expect((ack.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().getTime()).toBe(NOW);
    expect(ack.getFirstProperty('categories')!.getValues()).toEqual(ACK.categories);
    expect(ack.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    expect(events[1]!.getFirstProperty('categories')).toBeNull(); // none given: no empty CATEGORIES line
  });

  it('keeps alarms: action, description and trigger', () => {
    const alarms = events[0]!.getAllSubcomponents('valarm');
    expect(alarms.map((a) => a.getFirstPropertyValue('action'))).toEqual(['DISPLAY', 'DISPLAY', 'DISPLAY', 'DISPLAY']);
    expect(alarms.map((a) => a.getFirstPropertyValue('description'))).toEqual(ACK.alarms!.map((a) => a.description));
    expect(alarms.map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds())).toEqual(
      ACK.alarms!.map((a) => -a.minutesBefore * 60),
    );
    expect(events[1]!.getAllSubcomponents('valarm')).toEqual([]);
  });

  it('writes the calendar properties', () => {
    const cal = parse(ics);
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//SLP Offline Workbench//Deadlines//EN');
    expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    // ical.js leaves unknown X- properties unescaped, so check the written (escaped TEXT) form.
    expect(unfold(ics)).toContain('X-WR-CALNAME:SLP deadlines — lab\\, site A');
    expect(unfold(ics).slice(0, 6)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//SLP Offline Workbench//Deadlines//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:SLP deadlines — lab\\, site A',
    ]);
  });

  it('writes UTC DATE-TIMEs and escaped TEXT as RFC 5545 spells them', () => {
    const lines = unfold(ics);
    expect(lines).toContain('DTSTART:20250715T093000Z');
    expect(lines).toContain('DTEND:20250715T100000Z');
    expect(lines).toContain('DTSTAMP:20250601T080000Z');
    expect(lines).toContain('UID:deadline-ack-PID:C9300-24UX\\,SN:FCW2303D16Y@slp-workbench');
    expect(lines).toContain('SUMMARY:ACK due\\; C9300-24UX\\, FCW2303D16Y');
    expect(lines).toContain('CATEGORIES:SLP,Deadline\\, ACK,semi\\;colon');
    expect(lines).toContain(
      'DESCRIPTION:Line one\\nLine two\\, with\\; punctuation\\\\and a backslash\\nWindows line\\n😀 emoji\\, 中文テキスト\\, 한국어\\n<script>alert(1)</script>',
    );
  });
});

describe('writeIcs: line format', () => {
  const long: IcsEvent = {
    uid: 'long-' + 'x'.repeat(150),
    start: Date.UTC(2025, 0, 1),
    summary: 'S'.repeat(300),
    description: `${HOSTILE}\n${'é😀中'.repeat(70)}`,
    categories: ['c'.repeat(100)],
  };
  const ics = writeIcs({ name: 'n'.repeat(120), events: [long, ACK] }, NOW);

  it('uses CRLF for every line break and ends in CRLF', () => {
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps every line within 75 octets', () => {
    const lines = byteLines(ics);
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(75);
  });

  it('folds with one leading space and unfolds to the original value', () => {
    const physical = ics.split('\r\n').slice(0, -1);
    const continuations = physical.filter((l) => l.startsWith(' '));
    expect(continuations.length).toBeGreaterThan(5);
    for (const c of continuations) expect(c.startsWith('  ')).toBe(false);
    expect(new ICAL.Event(vevents(ics).find((c) => c.getFirstPropertyValue('uid') === long.uid)).description).toBe(
      long.description.replace(/\r/g, ''),
    );
  });
});

describe('writeIcs: folding never splits a UTF-8 character', () => {
  const description = Array.from({ length: 200 }, (_, i) => (i % 3 === 2 ? '😀' : 'é')).join('');
  const event: IcsEvent = { uid: 'utf8', start: Date.UTC(2025, 0, 1), summary: 'é'.repeat(200), description };
  const ics = writeIcs({ name: 'utf8', events: [event] }, NOW);

  it('every physical line is valid UTF-8 on its own and within 75 octets', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const line of byteLines(ics)) {
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => strict.decode(line)).not.toThrow();
    }
  });

  it('fills lines as far as the limit allows (no needless folds)', () => {
    const lines = byteLines(ics);
    const descStart = lines.findIndex((l) => new TextDecoder().decode(l).startsWith('DESCRIPTION:'));
    // A fold happens only when the next character (≤ 4 octets) would not fit.
    for (let i = descStart; i < lines.length && lines[i + 1]?.[0] === 0x20; i++) {
      expect(lines[i]!.length).toBeGreaterThan(75 - 4);
    }
  });

  it('reads back unchanged', () => {
    const parsed = new ICAL.Event(vevents(ics)[0]);
    expect(parsed.description).toBe(description);
    expect(parsed.summary).toBe('é'.repeat(200));
  });

  it('writes a lone surrogate as U+FFFD and still counts octets correctly', () => {
    const broken = writeIcs({ name: 'x', events: [{ ...event, description: '\ud800'.repeat(100) }] }, NOW);
    for (const line of byteLines(broken)) expect(line.length).toBeLessThanOrEqual(75);
    expect(new ICAL.Event(vevents(broken)[0]).description).toBe('\ufffd'.repeat(100));
  });
});

describe('writeIcs: determinism', () => {
  it('gives byte-identical output whatever the input order, and leaves the input alone', () => {
    const a: IcsEvent = { uid: 'b', start: Date.UTC(2025, 0, 1), summary: 'a', description: '' };
    const b: IcsEvent = { uid: 'a', start: Date.UTC(2025, 0, 1), summary: 'b', description: '' };
    const c: IcsEvent = { uid: 'z', start: Date.UTC(2024, 0, 1), summary: 'c', description: '' };
    const events = [a, b, c];
    const first = writeIcs({ name: 'n', events }, NOW);
    expect(events).toEqual([a, b, c]);
    expect(writeIcs({ name: 'n', events: [c, b, a] }, NOW)).toBe(first);
    expect(writeIcs({ name: 'n', events: [b, a, c] }, NOW)).toBe(first);
    // By start, then by uid on a tie.
    expect(vevents(first).map((e) => e.getFirstPropertyValue('uid'))).toEqual(['z', 'a', 'b']);
  });

  it('drops sub-second precision, which DATE-TIME cannot hold', () => {
    const ics = writeIcs({ name: 'n', events: [{ uid: 'ms', start: Date.UTC(2025, 0, 1, 0, 0, 1, 999), summary: '', description: '' }] }, NOW + 500);
    expect(unfold(ics)).toContain('DTSTART:20250101T000001Z');
    expect(unfold(ics)).toContain('DTSTAMP:20250601T080000Z');
  });
});

describe('writeIcs: edge cases', () => {
  it('writes an empty calendar that parses', () => {
    const ics = writeIcs({ name: 'Empty', events: [] }, NOW);
    expect(ics).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//SLP Offline Workbench//Deadlines//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:Empty',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    const cal = parse(ics);
    expect(cal.name).toBe('vcalendar');
    expect(cal.getAllSubcomponents('vevent')).toEqual([]);
  });

  it('writes triggers in days or hours only when exact', () => {
    const minutes = [0, 1, 45, 60, 90, 120, 1_440, 1_500, 2_880, 10_080];
    const ics = writeIcs(
      {
        name: 't',
        events: [{ uid: 't', start: Date.UTC(2025, 0, 1), summary: 's', description: 'd', alarms: minutes.map((m) => ({ minutesBefore: m, description: `${m}` })) }],
      },
      NOW,
    );
    const triggers = unfold(ics).filter((l) => l.startsWith('TRIGGER:'));
    expect(triggers).toEqual([
      'TRIGGER:PT0M',
      'TRIGGER:-PT1M',
      'TRIGGER:-PT45M',
      'TRIGGER:-PT1H',
      'TRIGGER:-PT90M',
      'TRIGGER:-PT2H',
      'TRIGGER:-P1D',
      'TRIGGER:-PT25H',
      'TRIGGER:-P2D',
      'TRIGGER:-P7D',
    ]);
    const parsed = vevents(ics)[0]!.getAllSubcomponents('valarm').map((a) => (a.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds());
    expect(parsed).toEqual(minutes.map((m) => (m === 0 ? 0 : -m * 60)));
  });

  it('gives a DISPLAY alarm with an empty description the event summary (§3.6.6 requires one)', () => {
    const ics = writeIcs({ name: 'n', events: [{ uid: 'u', start: 0, summary: 'Renew, now', description: '', alarms: [{ minutesBefore: 5, description: ' ' }] }] }, NOW);
    expect(vevents(ics)[0]!.getFirstSubcomponent('valarm')!.getFirstPropertyValue('description')).toBe('Renew, now');
  });

  it('drops control characters that TEXT does not allow, keeping TAB', () => {
    const ics = writeIcs({ name: 'n', events: [{ uid: 'u', start: 0, summary: 'a\u0000b\u0007c\td\u007f', description: 'x\ry' }] }, NOW);
    const ev = new ICAL.Event(vevents(ics)[0]);
    expect(ev.summary).toBe('abc\td');
    expect(ev.description).toBe('xy');
  });
});

describe('writeIcs: invalid input throws, naming the event', () => {
  const ok: IcsEvent = { uid: 'good', start: Date.UTC(2025, 0, 1), summary: 'fine', description: '' };
  const write = (bad: Partial<IcsEvent>): string => writeIcs({ name: 'n', events: [ok, { ...ok, ...bad }] }, NOW);

  it('rejects a NaN or infinite start', () => {
    expect(() => write({ uid: 'bad-start', start: Number.NaN })).toThrow(/event #2 \(uid "bad-start"\): start/);
    expect(() => write({ uid: 'inf', start: Number.POSITIVE_INFINITY })).toThrow(/uid "inf"/);
    expect(() => write({ uid: 'far', start: Date.UTC(10_000, 0, 1) })).toThrow(/uid "far"\): start/);
  });

  it('rejects an empty or blank uid, naming the event by position and summary', () => {
    expect(() => write({ uid: '', summary: 'Orphan' })).toThrow(/event #2 \(summary "Orphan"\): uid is empty/);
    expect(() => write({ uid: '  \t', summary: 'Blank' })).toThrow(/event #2 \(summary "Blank"\): uid is empty/);
  });

  it('rejects a duplicate uid', () => {
    expect(() => write({ summary: 'again' })).toThrow(/event #2 \(uid "good"\): same uid as event #1/);
  });

  it('rejects a duration or alarm offset that is not a whole, non-negative number', () => {
    expect(() => write({ uid: 'd0', durationMinutes: 0 })).toThrow(/uid "d0"\): durationMinutes/);
    expect(() => write({ uid: 'dn', durationMinutes: Number.NaN })).toThrow(/uid "dn"\): durationMinutes/);
    expect(() => write({ uid: 'a', alarms: [{ minutesBefore: -5, description: 'x' }] })).toThrow(/uid "a"\): alarm #1/);
    expect(() => write({ uid: 'b', alarms: [{ minutesBefore: 1.5, description: 'x' }] })).toThrow(/uid "b"\): alarm #1/);
  });

  it('rejects an invalid `now`', () => {
    expect(() => writeIcs({ name: 'n', events: [] }, Number.NaN)).toThrow(/`now`/);
  });
});
