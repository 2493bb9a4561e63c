import type { HaRole } from '../../model/types.ts';
import { parseUdiText, udiKey, type Udi } from '../../model/udi.ts';
import { parseAuthorization } from './authorization.ts';
import type { CliContext } from './context.ts';
import { durationSeconds } from './dates.ts';
import { PREAMBLE, TIME_SOURCE, headingAt, intOf, keyValue, keyValues, labelKey, type CliLine, type KeyValue } from './text.ts';
import type { CliDate, CliLicense, CliUsageReportSummary } from './types.ts';
import { parseUdi } from './udi.ts';
import { newLicense, parseUsage, setLicenseField } from './usage.ts';

/**
 * Section readers shared by `show license status|all` (status.ts) and `show license tech support`
 * (tech-support.ts). Both outputs are a status part followed by `=====`-underlined sections (seed 003 §4.4, §4.6);
 * `readOutput` splits them and hands each section to its reader. Blank lines are dropped first: the documents put
 * blank lines between a heading and its underline (F11, F19) and inside blocks (F05), and no reader needs them.
 */

export type SectionReader = (lines: CliLine[], ctx: CliContext) => void;

export interface OutputReaders {
  /** The lines before the first heading and under `Smart Licensing Status`. */
  status: SectionReader;
  /** Sections only this command prints, by heading key (`upcoming scheduled jobs`); 'skip' holds no fact of ours. */
  sections?: Record<string, SectionReader | 'skip'>;
}

/** Headings printed without their underline (pasted from a document) are still headings when they are these. */
const KNOWN_TITLES = new Set([
  'smart licensing status',
  'license usage',
  'product information',
  'agent version',
  'license authorizations',
  'usage report summary',
  'upcoming scheduled jobs',
  'communication statistics',
  'license certificates',
  'ha info',
  'reservation info',
  'other info',
  'platform provided mapping table',
  'device telemetry report summary',
  'telemetry report summary',
]);

/** Sections of `show license all` (genie ShowLicenseAll 2) that hold no fact of ours. */
const SKIPPED = new Set(['device telemetry report summary', 'telemetry report summary']);

const UNDERLINE = /^\s*[=*-]{3,}\s*$/;

interface Section {
  key: string;
  title: string;
  lines: CliLine[];
}

/** Splits non-blank lines at headings: underlined ones, and known titles that lost their underline. */
export function splitSections(lines: readonly CliLine[]): Section[] {
  const out: Section[] = [{ key: '', title: '', lines: [] }];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (UNDERLINE.test(line.text)) continue;
    const bare = line.text.trim().replace(/:$/, '');
    const title = headingAt(lines, i) ?? (bare.length < 48 && !bare.includes(':') && KNOWN_TITLES.has(labelKey(bare)) ? bare : null);
    if (title !== null) {
      out.push({ key: labelKey(title), title, lines: [] });
      continue;
    }
    out[out.length - 1]!.lines.push(line);
  }
  return out;
}

/**
 * Reads a status / all / tech-support output: the time the device printed, each section by its reader, the UDI
 * and HA list wherever they are (udi.ts looks for its lines anywhere), then fills what needs the whole output.
 */
export function readOutput(raw: readonly CliLine[], ctx: CliContext, readers: OutputReaders): void {
  const f = ctx.facts;
  const lines: CliLine[] = [];
  for (const l of raw) {
    if (!l.text.trim() || (PREAMBLE.test(l.text) && !TIME_SOURCE.test(l.text))) continue;
    const time = TIME_SOURCE.exec(l.text);
    if (time) {
      f.observedAt ??= ctx.date(time[1], l.n);
      continue;
    }
    // `5.0.6\_rel/47`, `DNA\_NWStack`: Markdown escapes of the seed's conversion (F11, F19).
    lines.push(l.text.includes('\\') ? { ...l, text: l.text.replace(/\\([_*])/g, '$1') } : l);
  }
  for (const s of splitSections(lines)) {
    const own = readers.sections && Object.hasOwn(readers.sections, s.key) ? readers.sections[s.key] : undefined;
    if (own === 'skip') continue;
    if (own) own(s.lines, ctx);
    else if (s.key === '' || s.key === 'smart licensing status') readers.status(s.lines, ctx);
    else if (s.key === 'license usage') readLicenseUsage(s.lines, ctx);
    else if (s.key === 'license authorizations') readAuthorizations(s.lines, ctx);
    else if (s.key === 'usage report summary') {
      f.usageReportSummary ??= emptySummary();
      for (const l of s.lines) if (!readSummaryLine(l, ctx, true)) readCommonLine(l, keyValue(l.text), ctx);
    } else if (s.key === 'product information' || s.key === 'agent version') {
      for (const l of s.lines) readCommonLine(l, keyValue(l.text), ctx);
    } else if (!SKIPPED.has(s.key)) ctx.warn(s.lines[0]?.n ?? null, `section "${s.title}" not read`);
  }
  parseUdi(lines, ctx);
  mergeSameTag(f.licenses);
  // Trust codes and authorizations printed without a role (tech support's trust data) take it from the HA list.
  const roleOf = (u: Udi | null): HaRole | null => (u ? (f.ha.find((h) => udiKey(h.udi) === udiKey(u))?.role ?? null) : null);
  for (const t of f.trustCodes) t.role ??= roleOf(t.udi);
  for (const a of f.authorizations) a.role ??= roleOf(a.udi);
  if (f.ackCountdown && !f.ackCountdown.observedAt) f.ackCountdown.observedAt = f.observedAt;
}

/* ----------------------------------------------------------------------------------------------------------------
 * Lines any section may hold when a paste lost its headings.
 */

/** `Smart Agent for Licensing: …` (Agent Version), `License Ack expected within…` (9800-CL 17.7.1, seed 003 §1.16). */
export function readCommonLine(line: CliLine, kv: KeyValue | null, ctx: CliContext): boolean {
  if (!kv) return false;
  const f = ctx.facts;
  if (kv.key === 'smart agent for licensing') {
    f.agentVersion = kv.value;
    return true;
  }
  if (kv.key === 'license ack expected within') {
    const v = kv.value ?? '';
    const days = /(\d+)\s*days?\b/i.exec(v);
    const secs = durationSeconds(v);
    f.ackCountdown = {
      raw: kv.raw,
      days: days ? Number(days[1]) : secs !== null ? Math.floor(secs / 86400) : intOf(v),
      observedAt: null,
    };
    if (f.ackCountdown.days === null) ctx.warn(line.n, `License Ack expected within: "${kv.raw}" is not a number of days`);
    return true;
  }
  return false;
}

/* ----------------------------------------------------------------------------------------------------------------
 * Usage Report Summary (seed 003 Table 17, L5128-5139): `Total: 12,  Purged: 0`, `Purged: 0(0)`, `0 (0)`.
 */

const SUMMARY = new Map<string, keyof CliUsageReportSummary>([
  ['total', 'total'],
  ['purged', 'purged'],
  ['total acknowledged received', 'acknowledged'],
  ['waiting for ack', 'waitingForAck'],
  ['available to report', 'availableToReport'],
  ['collecting data', 'collectingData'],
  ['maximum display', 'maximumDisplay'],
  ['in storage', 'inStorage'],
  ['mia', 'mia'],
]);

export function emptySummary(): CliUsageReportSummary {
  return {
    total: null,
    purged: null,
    acknowledged: null,
    waitingForAck: null,
    availableToReport: null,
    collectingData: null,
    maximumDisplay: null,
    inStorage: null,
    mia: null,
  };
}

/**
 * One line of the summary. Outside its section (heading lost) a line counts only when it has a label no other
 * block uses: a bare `Total:` could be anything. The number in parentheses (`Waiting for Ack: 0(10)`) has no
 * documented meaning (seed 003 §4.6) and is not kept.
 */
export function readSummaryLine(line: CliLine, ctx: CliContext, inSection: boolean): boolean {
  const pairs = keyValues(line.text).filter((p) => SUMMARY.has(p.key));
  if (!pairs.length || (!inSection && pairs.every((p) => p.key === 'total'))) return false;
  const s = (ctx.facts.usageReportSummary ??= emptySummary());
  for (const p of pairs) {
    const n = intOf(p.value);
    if (n === null) ctx.warn(line.n, `Usage Report Summary: "${p.label}: ${p.raw}" is not a number`);
    else s[SUMMARY.get(p.key)!] = n;
  }
  return true;
}

/* ----------------------------------------------------------------------------------------------------------------
 * License Usage: `show license all` prints `show license usage` blocks (usage.ts reads them); tech support prints
 * one block per `Handle: N` with `License:`, `Entitlement Tag:` and measurements (seed 003 §4.6, F17 L72-117).
 */

const TECH_FORM = /^\s*(?:Handle|Entitlement Tag|Measurements|Soft Enforced|Status time|Request Time)\s*:/i;

/** Labels of a handle block that no fact of ours holds (the measurement is the agent's, not a report). */
const HANDLE_SKIP = new Set([
  'status time',
  'request time',
  'measurements',
  'entitlement',
  'interval',
  'current value',
  'current report',
  'soft enforced',
]);

export function readLicenseUsage(lines: CliLine[], ctx: CliContext): void {
  if (lines.some((l) => TECH_FORM.test(l.text))) readHandleBlocks(lines, ctx);
  else parseUsage(lines, ctx);
}

/**
 * `Handle: 1` / `License: air-network-advantage` / `Entitlement Tag:` with the tag on the next line when it is long
 * (F17 L76-77) / the fields of a usage block. `Status: IN USE(15)`: the number is the agent's state code; the
 * status is kept as the words alone so that it reads like the same licence's status in `show license summary|usage`.
 */
function readHandleBlocks(lines: CliLine[], ctx: CliContext): void {
  const f = ctx.facts;
  let lic: CliLicense | null = null;
  let tagNext = false;
  let orphans = 0;
  let firstOrphan: number | null = null;
  for (const line of lines) {
    const t = line.text.trim();
    if (/^No licenses in use$/i.test(t)) continue;
    const kv = keyValue(t);
    if (tagNext) {
      tagNext = false;
      if (lic && (!kv || /^regid\./i.test(t))) {
        lic.tag = t;
        continue;
      }
    }
    if (!kv) continue;
    if (kv.key === 'handle') {
      lic = newLicense({ name: '', tag: null, description: null, truncated: false });
      f.licenses.push(lic);
      continue;
    }
    if (!lic) {
      orphans++;
      firstOrphan ??= line.n;
      continue;
    }
    if (kv.key === 'license') {
      lic.name = kv.value ?? '';
      if (lic.name.endsWith('...')) lic.truncated = true;
    } else if (kv.key === 'entitlement tag') {
      if (kv.value) lic.tag = kv.value;
      else tagNext = true;
    } else if (kv.key === 'status') setLicenseField(lic, 'status', kv.value?.replace(/\s*\(\d+\)\s*$/, '') ?? null);
    else if (!HANDLE_SKIP.has(kv.key)) setLicenseField(lic, kv.key, kv.value);
  }
  if (orphans) ctx.warn(firstOrphan, `License Usage: ${orphans} line(s) before any "Handle:" line skipped (no licence to give them to)`);
  // A block cut before its `License:` line is named by what it has.
  for (let i = f.licenses.length - 1; i >= 0; i--) {
    const l = f.licenses[i]!;
    if (l.name) continue;
    const name = l.featureName ?? l.tag ?? l.description;
    if (name) l.name = name;
    else f.licenses.splice(i, 1);
  }
}

/* ----------------------------------------------------------------------------------------------------------------
 * License Authorizations (all) and Reservation Info (tech support): authorization.ts reads them.
 */

/**
 * Tech support's Reservation Info ends with `Last Reporting Not Required:` / `Entitlement Tag: regid…` (genie
 * ShowLicenseTechSupport golden_output L295-296): a licence list no fact of ours holds, kept from the reader.
 */
export function readAuthorizations(lines: CliLine[], ctx: CliContext): void {
  const kept: CliLine[] = [];
  let notRequired = false;
  for (const l of lines) {
    const kv = keyValue(l.text);
    if (kv?.key === 'last reporting not required') notRequired = true;
    else if (notRequired && kv?.key === 'entitlement tag') continue;
    else notRequired = false;
    if (!notRequired) kept.push(l);
  }
  if (kept.length) parseAuthorization(kept, ctx);
}

/* ----------------------------------------------------------------------------------------------------------------
 * Small helpers.
 */

/**
 * `show license all` of an SLR device prints each reserved licence twice: in License Usage (what is in use) and
 * under `Specified license reservations:` (what is reserved, with its terms; F11). One licence per tag: the usage
 * block stays as printed (its count is the count in use) and takes the reservation's terms and reserved count.
 */
function mergeSameTag(licenses: CliLicense[]): void {
  const first = new Map<string, CliLicense>();
  for (let i = 0; i < licenses.length; i++) {
    const l = licenses[i]!;
    const key = l.tag?.toLowerCase();
    if (!key) continue;
    const base = first.get(key);
    if (!base) {
      first.set(key, l);
      continue;
    }
    for (const k of ['description', 'version', 'status', 'exportStatus', 'featureName', 'featureDescription', 'enforcement', 'licenseType'] as const)
      base[k] ??= l[k];
    base.count ??= l.count;
    base.truncated ||= l.truncated;
    if (l.reservation) {
      const r = (base.reservation ??= { status: null, reservedCount: null, terms: [] });
      r.status ??= l.reservation.status;
      r.reservedCount ??= l.reservation.reservedCount;
      r.terms.push(...l.reservation.terms);
    }
    licenses.splice(i--, 1);
  }
}

const ROLE = /^\s*(Active|Standby|Member)\s*:\s*(.*)$/i;
const UDI_TEXT = /((?:UDI_)?P(?:ID)?\s*:\s*[A-Za-z0-9][\w./+-]*\s*[,;]\s*(?:UDI_)?S(?:N)?\s*:\s*[A-Za-z0-9][\w./+-]*)[\s,;]*(.*)$/i;

/** `Active: PID:C9800-CL-K9,SN:93BBAH93MGS [INSTALLED on …]` → role, UDI and what follows the UDI. */
export function roleLine(text: string): { role: HaRole; udi: Udi | null; rest: string } | null {
  const m = ROLE.exec(text);
  if (!m) return null;
  const u = UDI_TEXT.exec(m[2]!);
  return { role: m[1]!.toLowerCase() as HaRole, udi: u ? parseUdiText(u[1]!) : null, rest: u ? u[2]!.trim() : m[2]!.trim() };
}

/** `SPECIFIC INSTALLED on Nov 02 03:16:01 2020 IST` → `SPECIFIC INSTALLED` and the date; `NOT INSTALLED` alone. */
export function statusOn(ctx: CliContext, text: string, line: number): { status: string; at: CliDate | null } {
  const m = /^(.*?)\s+on\s+(\S.*)$/i.exec(text.trim());
  const at = m ? ctx.date(m[2], line) : null;
  const words = (at ? m![1]! : text).trim().replace(/\s+/g, ' ').toUpperCase();
  if (m && !at) ctx.warn(line, `time not understood in "${text.trim()}"`);
  return { status: words, at };
}
