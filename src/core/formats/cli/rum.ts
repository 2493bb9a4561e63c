import { parseUdiText } from '../../model/udi.ts';
import type { CliContext, CommandParser } from './context.ts';
import { keyValue, keyValues, type CliLine, type KeyValue } from './text.ts';
import type { CliRumReport } from './types.ts';

/**
 * `show license rum {feature|id} … [detail]`, `show license tech rum … detail` (seed 003 §4.5, L4268-4426,
 * L5097-5150) and genie's ShowLicenseRumIdAll / ShowLicenseRumIdDetail outputs.
 *
 * Two forms, possibly both in one paste:
 * - the list: `Report Id, State, Flag, Feature Name` (header comma-separated, rows space-separated, L4316-4321);
 * - the detail: one block per report, starting at `Report Id: <n>`, then `Label: value` lines, several on a line
 *   (`State: CLOSED,  State Change Reason: RELOAD`). Indentation is not relied on: documents lost it (F14).
 *
 * Report IDs stay decimal strings: they run up to 18446744073709551615 (seed 003 L3433), beyond a JS number.
 */

/** A Report Id: numeric, at most 20 digits (seed 003 L4317). */
const REPORT_ID = /^\d{1,20}$/;

/** `1638055644   CLOSED   N   air-dna-advantage`: state is a word, flag one letter (N, P, E: seed 003 L4321). */
const LIST_ROW = /^\s*(\d{1,20})\s+([A-Za-z_]+)\s+([A-Za-z])\s+(\S.*?)\s*$/;
const LIST_HEADER = /^\s*Report Id\s*,\s*State\s*,/i;

/** Lines that frame the output and carry no fact. */
const FRAME = [
  /^\s*Smart Licensing Usage Report(?: Detail)?\s*:?\s*$/i,
  /^\s*[=-]{3,}\s*$/,
  /^\s*(?:Load for five secs:|Time source is )/,
  /^\s*No (?:usage )?reports? (?:found|available)\b/i,
];

/** Labels of the tech form that hold nothing the fact model keeps (seed 003 L5141-5150). */
const IGNORED = new Set(['version', 'storage state change reason', 'report size', 'interval', 'current value']);

export function emptyRumReport(reportId: string): CliRumReport {
  return {
    reportId,
    state: null,
    flag: null,
    featureName: null,
    metricName: null,
    entitlementTag: null,
    udi: null,
    previousReportId: null,
    nextReportId: null,
    stateChangeReason: null,
    startTime: null,
    endTime: null,
    storageState: null,
    transactionId: null,
    transactionMessage: null,
  };
}

const upper = (v: string | null) => (v === null ? null : v.toUpperCase());

/** A report already met in this output (the list and the detail of one paste name the same IDs). */
function reportFor(ctx: CliContext, id: string): CliRumReport {
  let r = ctx.facts.rumReports.find((x) => x.reportId === id);
  if (!r) {
    r = emptyRumReport(id);
    ctx.facts.rumReports.push(r);
  }
  return r;
}

/** A report-id field (`Previous Report Id: 0`): kept as printed when it is a number (0 = none, seed 003 L4333). */
function idValue(kv: KeyValue, ctx: CliContext, n: number): string | null {
  if (kv.value === null) return null;
  const v = kv.value.replace(/[,.]$/, '');
  if (REPORT_ID.test(v)) return v;
  ctx.warn(n, `${kv.label}: "${kv.value}" is not a report ID`);
  return null;
}

/** Fills one field of a detail block; false when the label is not one of a report. */
function setField(r: CliRumReport, kv: KeyValue, ctx: CliContext, n: number): boolean {
  const v = kv.value;
  switch (kv.key) {
    case 'metric name':
      r.metricName = upper(v);
      if (r.metricName && r.metricName !== 'ENTITLEMENT') r.entitlementTag = null;
      return true;
    case 'feature name':
      r.featureName = v;
      return true;
    case 'metric value':
      // Only ENTITLEMENT metrics are defined (seed 003 L4326): their value is the entitlement tag.
      if (v && (r.metricName === null || r.metricName === 'ENTITLEMENT' || /^regid\./i.test(v))) r.entitlementTag = v;
      return true;
    case 'udi':
      if (v) {
        r.udi = parseUdiText(v);
        if (!r.udi) ctx.warn(n, `UDI: "${v}" is not a PID/SN pair`);
      }
      return true;
    case 'previous report id':
      r.previousReportId = idValue(kv, ctx, n);
      return true;
    case 'next report id':
      r.nextReportId = idValue(kv, ctx, n);
      return true;
    case 'state':
      r.state = upper(v);
      return true;
    case 'flag':
      r.flag = upper(v);
      return true;
    case 'state change reason':
    case 'close reason': // newer releases (genie ShowLicenseRumIdDetail "second") print why the report closed instead
      r.stateChangeReason = upper(v) ?? r.stateChangeReason;
      return true;
    case 'start time':
      r.startTime = ctx.date(v, n);
      return true;
    case 'end time':
      r.endTime = ctx.date(v, n);
      return true;
    case 'storage state':
    case 'storage state (1)': // the pre-17.7.1 storage format (seed 003 L5147)
      r.storageState = upper(v);
      return true;
    case 'transaction id':
      r.transactionId = v;
      return true;
    case 'transaction message':
      r.transactionMessage = v;
      return true;
    default:
      return IGNORED.has(kv.key);
  }
}

/** A line without a label under a bare `Metric Value:` / `UDI:`: the value, wrapped by the document (F18c). */
function continuation(text: string): boolean {
  return !keyValue(text) && !LIST_ROW.test(text) && /^\s*\S+\s*$/.test(text);
}

export const parseRum: CommandParser = (lines: CliLine[], ctx: CliContext) => {
  let current: CliRumReport | null = null;
  /** The block's id was unreadable: its fields belong to no report. */
  let skipping = false;
  let pending: KeyValue | null = null;
  for (const line of lines) {
    const text = line.text;
    if (!text.trim()) continue;
    if (FRAME.some((re) => re.test(text)) || LIST_HEADER.test(text)) {
      pending = null;
      continue;
    }
    if (pending && current && continuation(text)) {
      setField(current, { ...pending, value: text.trim(), raw: text.trim() }, ctx, line.n);
      pending = null;
      continue;
    }
    pending = null;
    const row = LIST_ROW.exec(text);
    if (row && !keyValue(text)) {
      const r = reportFor(ctx, row[1]!);
      r.state = row[2]!.toUpperCase();
      r.flag = row[3]!.toUpperCase();
      r.featureName = row[4]!;
      current = null;
      continue;
    }
    const pairs = keyValues(text);
    if (!pairs.length) {
      ctx.warn(line.n, `RUM report: line not understood: "${text.trim()}"`);
      continue;
    }
    for (const kv of pairs) {
      if (kv.key === 'report id') {
        const id = kv.value?.replace(/[,.]$/, '') ?? '';
        if (REPORT_ID.test(id)) {
          current = reportFor(ctx, id);
          skipping = false;
        } else {
          ctx.warn(line.n, `Report Id: "${kv.raw}" is not a report ID; the fields under it are skipped`);
          current = null;
          skipping = true;
        }
        continue;
      }
      if (!current) {
        if (!skipping) ctx.warn(line.n, `RUM report: "${kv.label}" outside any "Report Id:" block`);
        continue;
      }
      if (!setField(current, kv, ctx, line.n)) ctx.warn(line.n, `RUM report ${current.reportId}: unknown field "${kv.label}"`);
      else if (kv.raw === '' && (kv.key === 'metric value' || kv.key === 'udi')) pending = kv;
    }
  }
};
