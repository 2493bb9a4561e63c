/**
 * RFC 5545 iCalendar writer for deadline reminders. Pure string building, so it runs in browsers, workers
 * and Node alike; the caller turns the string into a download (`text/calendar; charset=utf-8`).
 */

export interface IcsAlarm {
  /** minutes before the event start */
  minutesBefore: number;
  description: string;
}

export interface IcsEvent {
  /** Stable across exports, so re-importing updates the event instead of duplicating it (§3.8.4.7). */
  uid: string;
  /** ms since epoch (UTC instant); whole seconds are kept, as DATE-TIME has no fraction (§3.3.5). */
  start: number;
  /** default 30 */
  durationMinutes?: number;
  summary: string;
  description: string;
  categories?: string[];
  alarms?: IcsAlarm[];
}

export interface IcsCalendar {
  name: string;
  events: IcsEvent[];
}

const CRLF = '\r\n';
/** §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_OCTETS = 75;
const DEFAULT_DURATION_MINUTES = 30;

/**
 * Serialises the calendar. `now` becomes every DTSTAMP (§3.8.7.2), so the same input and `now` always give
 * byte-identical output. Throws an Error naming the offending event on invalid input.
 */
export function writeIcs(calendar: IcsCalendar, now: number): string {
  const stamp = utcDateTime(now, () => 'ics: `now` is not a valid time');
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//SLP Offline Workbench//Deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    // Not in RFC 5545, but the de-facto calendar title read by Apple, Google and Outlook.
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
  ];

  const seen = new Map<string, number>();
  calendar.events.forEach((event, index) => {
    validate(event, index);
    // §3.8.4.7: UID is the identity of the event; two VEVENTs sharing one would silently overwrite each other.
    const earlier = seen.get(event.uid);
    if (earlier !== undefined) throw new Error(`${label(event, index)}: same uid as event #${earlier + 1}`);
    seen.set(event.uid, index);
  });

  // Sort a copy (the caller's array stays as given); compare code units, not locale, for determinism.
  const ordered = calendar.events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.start - b.event.start || (a.event.uid < b.event.uid ? -1 : a.event.uid > b.event.uid ? 1 : 0));
  for (const { event, index } of ordered) lines.push(...eventLines(event, index, stamp));

  lines.push('END:VCALENDAR');
  // §3.1: every content line, the last one included, ends in CRLF.
  return lines.map((line) => fold(line).join(CRLF)).join(CRLF) + CRLF;
}

function eventLines(event: IcsEvent, index: number, stamp: string): string[] {
  const where = (): string => label(event, index);
  const minutes = event.durationMinutes ?? DEFAULT_DURATION_MINUTES;
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`, // UID is TEXT (§3.8.4.7), so a ',' or ';' in it is escaped too
    `DTSTAMP:${stamp}`,
    `DTSTART:${utcDateTime(event.start, () => `${where()}: start is not a valid time`)}`,
    `DTEND:${utcDateTime(event.start + minutes * 60_000, () => `${where()}: end is not a valid time`)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
  ];
  // §3.8.1.2: a list of TEXT values; an empty property would read back as one empty category, so omit it.
  const categories = (event.categories ?? []).filter((c) => c.length > 0);
  if (categories.length > 0) lines.push(`CATEGORIES:${categories.map(escapeText).join(',')}`);
  // A reminder should not show the user as busy (§3.8.2.7).
  lines.push('TRANSP:TRANSPARENT');
  for (const alarm of event.alarms ?? []) {
    lines.push(
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      // §3.6.6: a DISPLAY alarm MUST have a DESCRIPTION; fall back to the summary rather than show nothing.
      `DESCRIPTION:${escapeText(alarm.description.trim() === '' ? event.summary : alarm.description)}`,
      `TRIGGER:${trigger(alarm.minutesBefore)}`,
      'END:VALARM',
    );
  }
  lines.push('END:VEVENT');
  return lines;
}

function validate(event: IcsEvent, index: number): void {
  const where = label(event, index);
  if (typeof event.uid !== 'string' || event.uid.trim() === '') throw new Error(`${where}: uid is empty`);
  if (typeof event.start !== 'number' || !Number.isFinite(event.start)) throw new Error(`${where}: start is not a valid time`);
  const minutes = event.durationMinutes ?? DEFAULT_DURATION_MINUTES;
  // §3.8.2.2: DTEND MUST be later than DTSTART.
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`${where}: durationMinutes must be a whole number ≥ 1`);
  for (const [i, alarm] of (event.alarms ?? []).entries()) {
    if (!Number.isInteger(alarm.minutesBefore) || alarm.minutesBefore < 0) {
      throw new Error(`${where}: alarm #${i + 1} minutesBefore must be a whole number ≥ 0`);
    }
  }
}

function label(event: IcsEvent, index: number): string {
  const uid = typeof event.uid === 'string' && event.uid.trim() !== '' ? ` (uid ${JSON.stringify(event.uid)})` : '';
  const summary = !uid && typeof event.summary === 'string' ? ` (summary ${JSON.stringify(event.summary)})` : '';
  return `ics: event #${index + 1}${uid}${summary}`;
}

/** §3.3.6 dur-value before the start. Days and hours only when exact; a UTC start has no DST jumps. */
function trigger(minutes: number): string {
  if (minutes === 0) return 'PT0M';
  if (minutes % 1440 === 0) return `-P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `-PT${minutes / 60}H`;
  return `-PT${minutes}M`;
}

/** §3.3.5 form #2, UTC: YYYYMMDDTHHMMSSZ. The year has exactly four digits, so 0000–9999 only. */
function utcDateTime(ms: number, problem: () => string): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new Error(problem());
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new Error(problem());
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    String(year).padStart(4, '0') +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    'T' +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds()) +
    'Z'
  );
}

/**
 * §3.3.11 TEXT: backslash first (so later escapes are not doubled), then ';' ',' and newlines. CR is dropped
 * so CRLF and lone LF both become one `\n`; other controls (bar TAB) are not allowed in TEXT, so they go too.
 */
function escapeText(value: string): string {
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r/g, '')
    .replace(/\n/g, '\\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/**
 * §3.1 folding: break before a code point that would pass 75 octets; a continuation starts with one space,
 * which counts toward its 75. Iterating by code point means a UTF-8 sequence is never split. A lone
 * surrogate cannot be encoded as UTF-8, so it becomes U+FFFD (as TextEncoder would) and is counted as such.
 */
function fold(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (let ch of line) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) ch = '\ufffd';
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (octets + size > MAX_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts;
}
