import type { CliDate } from './types.ts';

/**
 * Times in `show` output are the device's local time with a zone abbreviation (`Nov 02 05:09:31 2020 IST`,
 * `Sep 22 13:49:38 2020 PST`, lower-case `est` too). Abbreviations are not unique worldwide; this table picks the
 * reading a Cisco device most likely means (its `clock timezone` names), and FORMATS.md asks us to keep the raw
 * text beside the conversion so an operator can always check. An abbreviation not in the table keeps the local
 * time (ISO without offset, no instant) and the parser warns.
 *
 * Choices where an abbreviation is ambiguous: `IST` = India (+05:30: the Cisco documents' examples come from
 * Bangalore labs), `CST` = US Central (-06:00), `BST` = British Summer Time (+01:00), `GST` = Gulf (+04:00).
 */
export const ZONE_OFFSETS_MINUTES: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, WET: 0,
  WEST: 60, BST: 60, CET: 60, MET: 60, WAT: 60,
  CEST: 120, MEST: 120, EET: 120, SAST: 120, CAT: 120,
  EEST: 180, MSK: 180, EAT: 180,
  GST: 240, PKT: 300, IST: 330, NPT: 345, BDT: 360, ICT: 420, WIB: 420,
  SGT: 480, HKT: 480, AWST: 480, PHT: 480, CCT: 480, JST: 540, KST: 540,
  ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  BRT: -180, ART: -180, NST: -210, NDT: -150, AST: -240, ADT: -180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
  PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
};

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*';
const TIME = '(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?';
const ZONE = '([A-Za-z]{1,5}|[+-]\\d{2}:?\\d{2})';

/** The forms seen in the fixtures and the Cisco documents (seed 003 §8), most common first. */
const FORMS: Array<{ re: RegExp; pick: (m: RegExpExecArray) => Parts }> = [
  // Nov 02 05:09:31 2020 IST · Jan 11 20:21:12 2022 UTC · Oct 25 2021 21:05:16 UTC? (handled below)
  {
    re: new RegExp(`^${MON}\\s+(\\d{1,2})\\s+${TIME}\\s+(\\d{4})(?:\\s+${ZONE})?`, 'i'),
    pick: (m) => ({ mon: m[1]!, day: m[2]!, h: m[3]!, mi: m[4]!, s: m[5]!, frac: m[6], year: m[7]!, zone: m[8] }),
  },
  // 15:09:55.102 UTC Wed Nov 10 2021 (Time source, air entities, syslog [clock]); a leading `*` or `.` marks NTP state
  {
    re: new RegExp(`^[*.]?${TIME}\\s+${ZONE}\\s+${DAY}\\s+${MON}\\s+(\\d{1,2})\\s+(\\d{4})`, 'i'),
    pick: (m) => ({ h: m[1]!, mi: m[2]!, s: m[3]!, frac: m[4], zone: m[5], mon: m[6]!, day: m[7]!, year: m[8]! }),
  },
  // 2021-11-17 03:31:32.920 UTC (event log) · 2020-Nov-02 10:44:08 (CSSM) · 2021-11-17T03:31:32Z
  {
    re: new RegExp(`^(\\d{4})-(\\d{2}|${MON})-(\\d{1,2})(?:[T\\s]+${TIME})?(?:\\s*${ZONE})?`, 'i'),
    pick: (m) => ({ year: m[1]!, mon: m[2]!, day: m[4]!, h: m[5], mi: m[6], s: m[7], frac: m[8], zone: m[9] }),
  },
  // Nov 2 2020 03:58:04 +05:00 (dir) · Oct 25 2021 21:05:16 UTC
  {
    re: new RegExp(`^${MON}\\s+(\\d{1,2})\\s+(\\d{4})\\s+${TIME}(?:\\s+${ZONE})?`, 'i'),
    pick: (m) => ({ mon: m[1]!, day: m[2]!, year: m[3]!, h: m[4]!, mi: m[5]!, s: m[6]!, frac: m[7], zone: m[8] }),
  },
];

interface Parts {
  year: string;
  mon: string;
  day: string;
  h?: string | undefined;
  mi?: string | undefined;
  s?: string | undefined;
  frac?: string | undefined;
  zone?: string | undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Offset in minutes for a zone as printed: an abbreviation (any case) or `+05:00` / `-0800`; undefined if unknown. */
export function zoneOffset(zone: string): number | undefined {
  const num = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (num) return (num[1] === '-' ? -1 : 1) * (Number(num[2]) * 60 + Number(num[3]));
  return ZONE_OFFSETS_MINUTES[zone.toUpperCase()];
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Words that follow a date in output and are not a zone (`Nov 02 05:09:31 2020 Policy…` never happens, but `(`…). */
const NOT_A_ZONE = /^(on|at|to|and|days?|in|for)$/i;

/**
 * Reads a time at the start of `text` in any form above. Returns null when there is none. A printed zone not in
 * the table gives a date with `epochMs: null` and `zone` set: `unknownZone(d)` tells the caller to warn.
 */
export function parseCliDate(text: string | null | undefined): CliDate | null {
  if (!text) return null;
  const t = text.trim();
  for (const form of FORMS) {
    const m = form.re.exec(t);
    if (!m) continue;
    const p = form.pick(m);
    const month = /^\d+$/.test(p.mon) ? Number(p.mon) : MONTHS[p.mon.slice(0, 3).toLowerCase()];
    const year = Number(p.year);
    const day = Number(p.day);
    const h = Number(p.h ?? 0);
    const mi = Number(p.mi ?? 0);
    const s = Number(p.s ?? 0);
    const ms = p.frac ? Math.round(Number(`0.${p.frac}`) * 1000) : 0;
    if (!month || month > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) continue;
    let zone = p.zone && !NOT_A_ZONE.test(p.zone) ? p.zone : null;
    let raw = m[0];
    if (p.zone && !zone) raw = raw.slice(0, raw.length - p.zone.length).trimEnd();
    const local = `${year}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(mi)}:${pad(s)}${ms ? `.${pad(ms, 3)}` : ''}`;
    const utcIfZero = Date.UTC(year, month - 1, day, h, mi, s, ms);
    if (new Date(utcIfZero).getUTCDate() !== day) continue; // Feb 30
    if (!zone) return { raw, iso: local, epochMs: null, zone: null };
    const off = zoneOffset(zone);
    if (off === undefined) {
      // A lone letter after the year is more likely the start of a word than a military zone.
      if (zone.length < 2) {
        raw = raw.slice(0, raw.length - zone.length).trimEnd();
        zone = null;
      }
      return { raw, iso: local, epochMs: null, zone };
    }
    return { raw, iso: local + offsetText(off), epochMs: utcIfZero - off * 60_000, zone };
  }
  return null;
}

/** A date whose zone was printed but is not in the table: keep local time and warn (FORMATS.md). */
export function unknownZone(d: CliDate | null): boolean {
  return !!d && d.zone !== null && d.epochMs === null;
}

/** A date without any zone: still a local time, but no instant either. */
export function noZone(d: CliDate | null): boolean {
  return !!d && d.zone === null && d.epochMs === null;
}

/** `179 days`, `89 days, 23 hours, 42 minutes, 47 seconds`, `6 hours, 53 minutes, 4 seconds` → seconds. */
export function durationSeconds(text: string | null | undefined): number | null {
  if (!text) return null;
  const units: Record<string, number> = { day: 86400, hour: 3600, minute: 60, second: 1 };
  let total = 0;
  let seen = false;
  for (const m of text.matchAll(/(\d+)\s*(day|hour|minute|second)s?/gi)) {
    total += Number(m[1]) * units[m[2]!.toLowerCase()]!;
    seen = true;
  }
  const hms = /^\s*(\d{1,2}):(\d{2}):(\d{2})\s*$/.exec(text);
  if (!seen && hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
  return seen ? total : null;
}
