import { parseUdiText } from '../../model/udi.ts';
import type { CliContext, CommandParser } from './context.ts';
import { parseCliDate } from './dates.ts';
import type { CliLine } from './text.ts';
import type { CliDate, CliEvent } from './types.ts';

/**
 * `show license history message` (seed 003 L4223; also `show license tech message`, L5030): the messages the
 * device exchanged with CSSM / CSLU, oldest first, under one heading per message type (`Trust Establishment:`,
 * `Usage Reporting:`, …), then the files imported (`Import Message History`, `Import POLICY:`, …). A type never
 * used prints `No past history` / `No past Import history`; that is an event too, since "this device never sent a
 * usage report" is worth knowing. The seed has no sample with entries, so an entry is any other line under a type,
 * dated when a time can be found in it.
 */

const TOP = /^\s*((?:Import\s+)?Message History)\b.*:?\s*$/i;
/** `Trust Establishment:`, `Import TRUST CODE:` — a label alone on its line. */
const TYPE = /^\s*([A-Za-z][A-Za-z0-9 _/&()-]{0,60}?)\s*:\s*$/;
const FRAME = [/^\s*[=-]{3,}\s*$/, /^\s*(?:Load for five secs:|Time source is )/];

const MONTH = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
/** Where a time may start inside a sentence: a month, an ISO date, or a `[clock]` time. */
const DATE_START = new RegExp(`\\b(?:(?:${MONTH})[a-z]*\\s+\\d|\\d{4}-(?:\\d{2}|${MONTH})-\\d|\\d{1,2}:\\d{2}:\\d{2}\\s+[A-Za-z]{1,5}\\s+[A-Z][a-z]{2}\\s)`, 'gi');

/** The first time printed anywhere in a line (`… (Nov 10 11:32:02 2021 UTC)`, `2021-11-10 11:32:02 UTC …`). */
export function dateInText(text: string, ctx: CliContext, n: number): CliDate | null {
  const at = dateTextIn(text);
  return at === null ? null : ctx.date(at, n);
}

/** The text from where the first readable time starts, or null. */
function dateTextIn(text: string): string | null {
  for (const m of text.matchAll(DATE_START)) {
    const rest = text.slice(m.index);
    if (parseCliDate(rest)) return rest;
  }
  return null;
}

function event(name: string, message: string, ctx: CliContext, n: number): CliEvent {
  return {
    at: dateInText(message, ctx, n),
    facility: 'HISTORY',
    severity: null,
    name,
    message,
    meaning: null,
    action: null,
    daysLeft: null,
    udi: parseUdiText(message),
    line: n,
  };
}

export const parseHistory: CommandParser = (lines: CliLine[], ctx: CliContext) => {
  let section: string | null = null;
  let type: { name: string; indent: number } | null = null;
  let last: { ev: CliEvent; indent: number } | null = null;
  for (const line of lines) {
    const text = line.text;
    if (!text.trim() || FRAME.some((re) => re.test(text))) continue;
    const top = TOP.exec(text);
    if (top) {
      section = top[1]!.replace(/\s+/g, ' ');
      type = null;
      last = null;
      continue;
    }
    // `Usage Reporting: No past history` — a type and its only entry collapsed onto one line by a PDF conversion.
    const collapsed = /^\s*([A-Za-z][A-Za-z0-9 _/&()-]{0,60}?)\s*:\s+(No past\b.*)$/i.exec(text);
    if (collapsed) {
      type = { name: collapsed[1]!.replace(/\s+/g, ' '), indent: line.indent };
      ctx.facts.events.push(event(type.name, collapsed[2]!.trim(), ctx, line.n));
      last = null;
      continue;
    }
    const t = TYPE.exec(text);
    // A label alone on its line is a message type, unless it sits deeper than the type it would be under.
    if (t && (!type || line.indent <= type.indent)) {
      type = { name: t[1]!.replace(/\s+/g, ' '), indent: line.indent };
      last = null;
      continue;
    }
    const name = type?.name ?? section;
    if (!name) {
      ctx.warn(line.n, `message history: line outside any message type: "${text.trim()}"`);
      continue;
    }
    const message = text.trim();
    // A deeper undated line after an entry continues it (a long message wrapped by the device).
    if (last && line.indent > last.indent && !/^no past/i.test(message) && dateTextIn(message) === null) {
      last.ev.message += ` ${message}`;
      last.ev.udi ??= parseUdiText(last.ev.message);
      continue;
    }
    const ev = event(name, message, ctx, line.n);
    ctx.facts.events.push(ev);
    last = { ev, indent: line.indent };
  }
};
