import { parseUdiText } from '../../model/udi.ts';
import type { CliContext, CommandParser } from './context.ts';
import type { CliLine } from './text.ts';
import type { CliEvent } from './types.ts';

/**
 * `show license eventlog [days]` (seed 003 L4211: policy, authorization code and trust code installs and removals,
 * usage): `**** Event Log ****`, then one event a line —
 * `2021-11-17 03:31:32.920 UTC SAEVT_PLATFORM eventSource="INFRA_SL" eventName="…" MSG="…"` or
 * `… SAEVT_ENDPOINT_USAGE count="0" entitlementTag="regid…"`. `No EventLog Found.` when empty.
 */

/** The time at the start of an entry: ISO-like date, time, optional zone (a zone needs a space after it). */
const ENTRY = /^\s*(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:\s*(?:[A-Za-z]{1,5}|[+-]\d{2}:?\d{2})(?=\s|$))?)\s+(.*)$/;
const TYPE = /^([A-Z][A-Z0-9_]*)(?=\s|$)/;
const FRAME = [
  /^\s*\*+\s*Event Log\s*\*+\s*$/i,
  /^\s*No Event ?Log Found\.?\s*$/i,
  /^\s*[=-]{3,}\s*$/,
  /^\s*(?:Load for five secs:|Time source is )/,
];

interface Pairs {
  pairs: Array<[string, string]>;
  /** The last value's closing quote is missing: the entry goes on on the next line. */
  open: boolean;
}

/** `key="value" key2=value2 MSG="text, with spaces"`; a quote left open runs to the end of the line. */
export function eventPairs(text: string): Pairs {
  const pairs: Array<[string, string]> = [];
  const re = /([A-Za-z_][\w.-]*)=(?:"([^"]*)("?)|(\S*))/g;
  let open = false;
  for (const m of text.matchAll(re)) {
    if (m[2] !== undefined) {
      pairs.push([m[1]!, m[2]]);
      if (!m[3]) open = true;
    } else pairs.push([m[1]!, m[4] ?? '']);
  }
  return { pairs, open };
}

function render(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${k}: ${v}`).join(', ');
}

export const parseEventlog: CommandParser = (lines: CliLine[], ctx: CliContext) => {
  let last: { ev: CliEvent; open: boolean } | null = null;
  for (const line of lines) {
    const text = line.text;
    if (!text.trim() || FRAME.some((re) => re.test(text))) continue;
    const m = ENTRY.exec(text);
    if (!m) {
      if (last?.open) {
        // A MSG value wrapped onto the next line.
        const tail = text.trim();
        const close = tail.indexOf('"');
        last.ev.message += ` ${close >= 0 ? tail.slice(0, close) : tail}`;
        last.open = close < 0;
        last.ev.udi ??= parseUdiText(last.ev.message);
        continue;
      }
      ctx.warn(line.n, `event log: not an event line: "${text.trim()}"`);
      continue;
    }
    const rest = m[2]!.trim();
    const type = TYPE.exec(rest)?.[1] ?? null;
    const { pairs, open } = eventPairs(type ? rest.slice(type.length) : rest);
    const get = (k: string) => pairs.find(([key]) => key.toLowerCase() === k.toLowerCase())?.[1] ?? null;
    const msg = get('MSG');
    const eventName = get('eventName');
    // The MSG is the readable part; without one, the pairs are the message (eventName/eventSource are said elsewhere).
    const shown = pairs.filter(([k]) => !/^(eventName|eventSource)$/i.test(k));
    const tail = type ? rest.slice(type.length).trim() : rest;
    const message = msg ?? (shown.length ? render(shown) : tail || type || '');
    const ev: CliEvent = {
      at: ctx.date(m[1]!, line.n),
      facility: 'EVENTLOG',
      severity: null,
      name: eventName || type || 'EVENT',
      message,
      meaning: null,
      action: null,
      daysLeft: null,
      udi: parseUdiText(rest),
      line: line.n,
    };
    ctx.facts.events.push(ev);
    last = { ev, open };
  }
};
