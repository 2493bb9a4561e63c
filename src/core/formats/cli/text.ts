/**
 * Reading `show` output as operators paste it (FORMATS.md "CLI text"): CRLF or LF, indentation of 2, 4 or none,
 * `<none>` / `<empty>` / `&lt;none&gt;`, `Label.....: value`, page-break debris from documents. The command
 * parsers never look at raw strings; they get `CliLine`s and use the helpers here, so every tolerance lives once.
 */

export interface CliLine {
  /** 1-based line number in the whole pasted text. */
  n: number;
  /** The line with HTML entities decoded, tabs expanded and trailing space removed. */
  text: string;
  /** Leading spaces. */
  indent: number;
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** `&lt;none&gt;` from documents pasted as HTML, non-breaking spaces, tabs. */
export function decodeLine(raw: string): string {
  let s = raw.indexOf('&') >= 0 ? raw.replace(/&(?:lt|gt|amp|quot|#39|nbsp);/g, (e) => ENTITIES[e]!) : raw;
  if (s.indexOf('\t') >= 0) s = s.replace(/\t/g, '    ');
  if (s.indexOf('\u00a0') >= 0) s = s.replace(/\u00a0/g, ' ');
  return s.trimEnd();
}

/**
 * Debris a PDF or web page leaves between two halves of one output: code fences, running headers and footers
 * (`Smart Licensing Using Policy for Cisco … Guide`, `Page 112`), `<output truncated>` markers, `--More--`.
 */
const DEBRIS = [
  /^\s*(?:```|~~~).*$/,
  /^\s*!/, // IOS comment lines (`!` separators, the simulator's mark)
  /^\s*<?output truncated>?\s*$/i,
  /^\s*--\s*More\s*--\s*$/i,
  /^\s*Page \d+( of \d+)?\s*$/i,
  /^\s*\d+\s*$/, // a lone page number
  /^.*\b(?:Configuration|Software Configuration) Guide\b.*$/i,
];

/** The same, as one expression: this runs on every pasted line. */
const DEBRIS_ANY = new RegExp(DEBRIS.map((re) => `(?:${re.source})`).join('|'), 'i');

export function isDebris(text: string): boolean {
  return DEBRIS_ANY.test(text);
}

/** Splits text into numbered lines (CRLF, CR or LF), decoded; debris lines are dropped. */
export function cliLines(text: string, firstLine = 1): CliLine[] {
  const out: CliLine[] = [];
  const raw = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const t = decodeLine(raw[i]!);
    if (isDebris(t)) continue;
    out.push({ n: firstLine + i, text: t, indent: t.length - t.trimStart().length });
  }
  return out;
}

/** The lines `terminal exec prompt timestamp` prints before each output; the second carries the device's time. */
export const PREAMBLE = /^\s*(?:Load for five secs:|Time source is )/i;
export const TIME_SOURCE = /^\s*Time source is [^,]*,\s*(.+)$/i;

/** `<none>`, `<empty>`, `none`, `None`, `N/A`, `Not Configured`… → null; everything else trimmed. */
export function cleanValue(value: string | null | undefined): string | null {
  if (value == null) return null;
  const v = value.trim();
  if (!v) return null;
  if (/^<\s*(none|empty|not set)\s*>$/i.test(v) || /^(none|n\/a|-+|not configured)$/i.test(v)) return null;
  return v;
}

/** A label as a lookup key: lower case, single spaces, no leader dots or trailing colon. */
export function labelKey(label: string): string {
  // The common case (`Reporting push interval`) needs only trim and lower case: this runs on every line.
  let s = label.indexOf('..') >= 0 ? label.replace(/\.{2,}/g, ' ') : label;
  s = s.trim();
  if (s.endsWith(':')) s = s.slice(0, -1).trimEnd();
  if (/\s\s|[\t\r\n]/.test(s)) s = s.replace(/\s+/g, ' ');
  return s.toLowerCase();
}

export interface KeyValue {
  /** Normalised by `labelKey`. */
  key: string;
  label: string;
  /** Trimmed value, `null` for `<none>` and friends and for a bare `Label:`. */
  value: string | null;
  /** The value exactly as printed (trimmed), `<none>` included; '' for a bare `Label:`. */
  raw: string;
}

/**
 * `Label: value`, `Label.....: value`, `Label:` (a heading) — split at the first colon that ends a label, that is
 * a colon followed by a space or the end of line. `UDI: PID:C9300,SN:X` splits after `UDI`; a colon inside a time
 * (`12:02:09`) or a UDI (`PID:`) is followed by a non-space and so is never taken. Labels start with a letter
 * and hold no `=` (event log lines).
 */
export function keyValue(text: string): KeyValue | null {
  const m = /^\s*([A-Za-z(][^:=]*?)\s*\.*\s*:(?:\s+(.*))?$/.exec(text);
  if (!m) return null;
  const label = m[1]!.replace(/\.+$/, '').trim();
  if (!label || label.length > 80) return null;
  const raw = (m[2] ?? '').trim();
  return { key: labelKey(label), label, value: cleanValue(raw), raw };
}

/**
 * Several `Label: value` pairs on one line: `Total: 12,  Purged: 0`, `Previous Report Id: 0,    Next Report Id: 5`,
 * `Available to Report: 12  Collecting Data: 4`, `Available to Report: 0 Collecting Data: 0` (one space, no comma),
 * `State: OPEN,   State Change Reason: None`. Each `: ` ends a label; the label before it starts after the last
 * comma or run of two spaces before it, or, when there is none, after the previous value's first word when that
 * word is a number. A colon inside a time or a UDI is not followed by a space and ends nothing.
 */
export function keyValues(text: string): KeyValue[] {
  const t = text.trim();
  const colons: number[] = [];
  for (const m of t.matchAll(/:(?=\s|$)/g)) colons.push(m.index);
  if (colons.length <= 1) {
    const kv = keyValue(t);
    return kv ? [kv] : [];
  }
  const out: KeyValue[] = [];
  let labelStart = 0;
  for (let k = 0; k < colons.length; k++) {
    const colon = colons[k]!;
    const nextColon = colons[k + 1];
    let valueEnd = t.length;
    let nextLabel = t.length;
    if (nextColon !== undefined) {
      const between = t.slice(colon + 1, nextColon);
      const seps = [...between.matchAll(/,\s*|\s{2,}/g)];
      const last = seps[seps.length - 1];
      if (last) {
        valueEnd = colon + 1 + last.index;
        nextLabel = valueEnd + last[0].length;
      } else {
        const num = /^\s*\d[\d,()]*\s+(?=[A-Za-z])/.exec(between);
        if (!num) continue; // `Policy in use: Installed On Nov 02 05:09:31 2020 IST: …` — not a second pair
        valueEnd = colon + 1 + num[0].trimEnd().length;
        nextLabel = colon + 1 + num[0].length;
      }
    }
    const kv = keyValue(`${t.slice(labelStart, colon + 1)} ${t.slice(colon + 1, valueEnd)}`);
    if (kv) out.push(kv);
    labelStart = nextLabel;
  }
  return out;
}

/** `Smart Licensing Status\n======` or `==== title ====`: an underlined heading at line i (returns the title). */
export function headingAt(lines: readonly CliLine[], i: number): string | null {
  const line = lines[i];
  const next = lines[i + 1];
  if (!line || !line.text.trim()) return null;
  if (next && /^\s*={3,}\s*$/.test(next.text) && !/^\s*=+\s*$/.test(line.text)) return line.text.trim().replace(/:$/, '');
  const framed = /^\s*={3,}\s*(.+?)\s*={3,}\s*$/.exec(line.text) ?? /^\s*\*{3,}\s*(.+?)\s*\*{3,}\s*$/.exec(line.text);
  return framed ? framed[1]! : null;
}

/** An integer in a value (`2`, `12,`, `30  days`, `0 (no reporting)`, `0(0)`), null when there is none. */
export function intOf(value: string | null | undefined): number | null {
  if (value == null) return null;
  const m = /-?\d[\d,]*/.exec(value);
  if (!m) return null;
  const n = Number(m[0].replace(/,/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

/** `yes`/`no`, `ENABLED`/`DISABLED`, `True`/`False` → boolean; null otherwise. */
export function boolOf(value: string | null | undefined): boolean | null {
  if (value == null) return null;
  const v = value.trim().toLowerCase();
  if (/^(yes|enabled?|true|on)\b/.test(v)) return true;
  if (/^(no|disabled?|false|off)\b/.test(v)) return false;
  return null;
}
