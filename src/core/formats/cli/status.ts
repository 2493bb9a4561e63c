import type { LicenceClass } from '../../model/policy.ts';
import { udiKey } from '../../model/udi.ts';
import type { CliContext, CommandParser } from './context.ts';
import { readAuthorizations, readCommonLine, readOutput, readSummaryLine, roleLine, statusOn } from './sections.ts';
import { readAccountLine } from './summary.ts';
import { boolOf, cleanValue, intOf, keyValue, type CliLine, type KeyValue } from './text.ts';
import type {
  CliDataPrivacy,
  CliPolicy,
  CliPolicyClass,
  CliTransport,
  CliTrustCode,
  CliUsageReporting,
  SourcedDays,
  ValueSource,
} from './types.ts';

/**
 * `show license status` and `show license all` (seed 003 §4.3-4.4, Table 13 L4477-4529). The status part is a
 * list of blocks, each a bare `Label:` followed by its fields. Documents lose or change the indentation mid-output
 * (F05 switches from 2 to 4 spaces after a page break, F06 indents at random, F08 not at all), so a field belongs
 * to the block whose label came last, never to the one its indentation suggests. Labels that only one block has
 * (`Policy in use`, `Next ACK deadline`) are read wherever they are, so that a paste cut above its block header
 * (`<output truncated>`) still gives them.
 */

type Block =
  | 'none'
  | 'skip'
  | 'legacy'
  | 'utility'
  | 'slp'
  | 'account'
  | 'privacy'
  | 'transport'
  | 'misc'
  | 'policy'
  | 'usageReporting'
  | 'trust'
  | 'auth';

/** Bare `Label:` lines that open a block. */
const HEADERS: Record<string, Block> = {
  utility: 'utility',
  'smart licensing using policy': 'slp',
  'account information': 'account',
  'data privacy': 'privacy',
  transport: 'transport',
  miscellaneous: 'misc',
  policy: 'policy',
  'usage reporting': 'usageReporting',
  'export authorization key': 'skip',
  'license conversion': 'skip',
  'customer information': 'skip',
  // Before Smart Licensing Using Policy (ntc show_license_status1, seed 003 L1613): their `Status:` and
  // `Smart Account:` mean other things. index.ts keeps such output from this parser; this is for a mixed paste.
  registration: 'legacy',
  'license authorization': 'legacy',
  'evaluation period': 'legacy',
  // `show license authorization` lines, when the `License Authorizations` heading was lost.
  'overall status': 'auth',
  'specified license reservations': 'auth',
  'purchased licenses': 'auth',
};

const PRIVACY: Record<string, keyof CliDataPrivacy> = {
  'sending hostname': 'sendingHostname',
  'callhome hostname privacy': 'callhomeHostnamePrivacy',
  'smart licensing hostname privacy': 'smartLicensingHostnamePrivacy',
  'version privacy': 'versionPrivacy',
};

const USAGE_REPORTING: Record<string, keyof CliUsageReporting> = {
  'last ack received': 'lastAckReceived',
  'next ack deadline': 'nextAckDeadline',
  'reporting push interval': 'reportingPushIntervalDays',
  'next ack push check': 'nextAckPushCheck',
  'next report push': 'nextReportPush',
  'last report push': 'lastReportPush',
  'last report file write': 'lastReportFileWrite',
};

const CLASS_VALUES: Record<string, keyof CliPolicyClass> = {
  'first report requirement (days)': 'firstReportDays',
  'reporting frequency (days)': 'reportingFrequencyDays',
  'report on change (days)': 'reportOnChangeDays',
};

/** `INSTALLED on <date>`, `NOT INSTALLED`: upper-case words, so that stray text after the list is not taken for one. */
const TRUST_STATUS = /^[A-Z][A-Z_-]*(?:\s+[A-Z][A-Z_-]*)*(?:\s+on\s+\S.*)?$/;

/** A table lookup that a label like `constructor:` or `toString:` cannot reach through the prototype. */
const pick = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** The four attribute groups (seed 003 §2.1): told by their words, whatever the spacing and case. */
function classOf(key: string): LicenceClass | null {
  if (!/attributes$/.test(key)) return null;
  if (/^unenforced/.test(key)) return /subscription/.test(key) ? 'unenforcedSubscription' : 'unenforcedPerpetual';
  if (/^enforced/.test(key)) return 'enforced';
  if (/^export/.test(key)) return 'export';
  return null;
}

/** `(CISCO default)` or `(Customer Policy)` after a policy value (seed 003 L4501). */
function sourceOf(value: string): ValueSource {
  if (/\(\s*cisco\s+default\s*\)/i.test(value)) return 'cisco-default';
  if (/\(\s*customer(\s+policy)?\s*\)/i.test(value)) return 'customer';
  return null;
}

const newPolicy = (): CliPolicy => ({ inUse: null, installedAt: null, name: null, ackRequired: null, classes: {} });
const newClass = (): CliPolicyClass => ({ firstReportDays: null, reportingFrequencyDays: null, reportOnChangeDays: null });
const newTransport = (): CliTransport => ({ type: null, url: null, csluAddress: null, proxy: null, vrf: null });
const newPrivacy = (): CliDataPrivacy => ({
  sendingHostname: null,
  callhomeHostnamePrivacy: null,
  smartLicensingHostnamePrivacy: null,
  versionPrivacy: null,
});
const newUsageReporting = (): CliUsageReporting => ({
  lastAckReceived: null,
  nextAckDeadline: null,
  reportingPushIntervalDays: null,
  nextAckPushCheck: null,
  nextReportPush: null,
  lastReportPush: null,
  lastReportFileWrite: null,
});

/** Reads the status part of the output (everything before `License Usage`, or all of `show license status`). */
export function readStatusPart(lines: CliLine[], ctx: CliContext): void {
  const f = ctx.facts;
  let block: Block = 'none';
  let cls: LicenceClass | null = null;
  let sub: 'proxy' | 'vrf' | null = null;
  let proxyAddress: string | null = null;
  let proxyPort: string | null = null;
  let trust: CliTrustCode | null = null;
  const auth: CliLine[] = [];

  const transport = () => (f.transport ??= newTransport());
  const policy = () => (f.policy ??= newPolicy());
  const usage = () => (f.usageReporting ??= newUsageReporting());

  const addTrust = (t: CliTrustCode): CliTrustCode => {
    // One trust code per UDI (seed 003 §1.12); a chassis with two supervisors prints its UDI twice (genie ShowLicenseAll 2).
    const same = t.udi ? f.trustCodes.find((x) => x.udi && udiKey(x.udi) === udiKey(t.udi!)) : undefined;
    if (same) return same;
    f.trustCodes.push(t);
    return t;
  };

  /** `INSTALLED on Nov 02 05:09:31 2020 IST` under the UDI line it belongs to, or alone (single device). */
  const trustStatus = (text: string, n: number) => {
    const s = statusOn(ctx, text, n);
    trust ??= addTrust({ udi: null, role: null, status: s.status, installedAt: null });
    trust.status = s.status;
    trust.installedAt = s.at;
  };

  const sourced = (kv: KeyValue, n: number): SourcedDays | null => {
    const days = intOf(kv.value);
    if (days === null) {
      ctx.warn(n, `Policy: "${kv.label}: ${kv.raw}" has no number of days`);
      return null;
    }
    return { days, source: sourceOf(kv.raw) };
  };

  for (const line of lines) {
    const t = line.text.trim();
    const n = line.n;
    const on = /^Smart Licensing is (ENABLED|DISABLED)$/i.exec(t);
    if (on) {
      f.smartLicensingEnabled = on[1]!.toUpperCase() === 'ENABLED';
      continue;
    }
    if (/^License Reservation is (ENABLED|DISABLED)$/i.test(t)) continue; // show license authorization says more
    const kv = keyValue(t);

    // Block headers.
    if (kv?.key === 'trust code installed') {
      // `<none>`; `Dec 03 08:23:45 2021 UTC` (a single device, ntc show_license_status3); or a UDI list below.
      block = kv.raw && !kv.value ? 'none' : 'trust';
      trust = null;
      if (kv.value && /\b(Active|Standby|Member)\s*:\s*P/.test(kv.value)) {
        // The whole block collapsed onto one line (the seed's HTML table cell at L1613): one part per member.
        for (const part of kv.value.split(/(?=\b(?:Active|Standby|Member)\s*:\s*P)/)) {
          const r = roleLine(part.trim());
          if (!r?.udi) continue;
          trust = addTrust({ udi: r.udi, role: r.role, status: 'UNKNOWN', installedAt: null });
          if (r.rest) trustStatus(r.rest, n);
        }
      } else if (kv.value) trustStatus(/^[A-Z ]+\bon\b/.test(kv.value) ? kv.value : `INSTALLED on ${kv.value}`, n);
      continue;
    }
    const header = kv && !kv.raw ? pick(HEADERS, kv.key) : undefined;
    if (header) {
      block = header;
      sub = null;
      if (block === 'transport') transport();
      else if (block === 'policy') policy();
      else if (block === 'usageReporting') usage();
      else if (block === 'privacy') f.dataPrivacy ??= newPrivacy();
      else if (block === 'account') f.account ??= { smartAccount: null, virtualAccount: null, asOf: null };
      if (block === 'auth') auth.push(line);
      continue;
    }
    const group = kv && !kv.raw ? classOf(kv.key) : null;
    if (group) {
      block = 'policy';
      cls = group;
      policy().classes[group] ??= newClass();
      continue;
    }
    if (block === 'auth') {
      auth.push(line);
      continue;
    }
    if (block === 'legacy') continue;

    // Labels only one block has.
    if (kv) {
      if (readAccountLine(ctx, kv.key, kv.value, n)) {
        block = 'account';
        continue;
      }
      const privacy = pick(PRIVACY, kv.key);
      if (privacy) {
        block = 'privacy';
        (f.dataPrivacy ??= newPrivacy())[privacy] = boolOf(kv.value);
        if (kv.value && boolOf(kv.value) === null) ctx.warn(n, `Data Privacy: "${kv.label}: ${kv.raw}" is neither yes/no nor ENABLED/DISABLED`);
        continue;
      }
      const ur = pick(USAGE_REPORTING, kv.key);
      if (ur) {
        block = 'usageReporting';
        const u = usage();
        if (ur === 'reportingPushIntervalDays') {
          // `30  days`, `0 (no reporting)`, `30  days State(4) InPolicy(90)` (tech support).
          u.reportingPushIntervalDays = intOf(kv.value);
          if (kv.value && u.reportingPushIntervalDays === null) ctx.warn(n, `Usage Reporting: interval "${kv.raw}" not understood`);
        } else {
          u[ur] = ctx.date(kv.value, n);
          if (kv.value && !u[ur]) ctx.warn(n, `Usage Reporting: time "${kv.raw}" of "${kv.label}" not understood`);
        }
        continue;
      }
      const value = pick(CLASS_VALUES, kv.key);
      if (value) {
        block = 'policy';
        if (!cls) {
          ctx.warn(n, `Policy: "${t}" is not under a licence-class heading (Unenforced/Enforced/Export …Attributes), skipped`);
          continue;
        }
        const c = (policy().classes[cls] ??= newClass());
        c[value] = sourced(kv, n);
        continue;
      }
      switch (kv.key) {
        case 'policy in use': {
          block = 'policy';
          const p = policy();
          p.inUse = kv.value;
          // `Installed On Nov 02 05:09:31 2020 IST` (seed 003 L4691; the table spells it `Installed on`).
          const at = kv.value ? /^Installed On\s+(.+)$/i.exec(kv.value) : null;
          if (at) p.installedAt = ctx.date(at[1], n);
          continue;
        }
        case 'policy name':
          block = 'policy';
          policy().name = kv.value;
          continue;
        case 'reporting ack required': {
          block = 'policy';
          const v = boolOf(kv.value);
          if (v === null) ctx.warn(n, `Policy: "Reporting ACK required: ${kv.raw}" is neither yes nor no`);
          else policy().ackRequired = { value: v, source: sourceOf(kv.raw) };
          continue;
        }
        case 'cslu address':
          block = 'transport';
          transport().csluAddress = kv.value;
          continue;
        case 'custom id':
          block = 'misc';
          f.customId = kv.value;
          continue;
      }
    }
    if (readCommonLine(line, kv, ctx)) continue;
    if (readSummaryLine(line, ctx, false)) continue;

    // Labels several blocks share: the block decides.
    switch (block) {
      case 'utility':
        if (kv?.key === 'status') f.utilityEnabled = boolOf(kv.value);
        break;
      case 'slp':
        if (kv?.key === 'status') f.slpEnabled = boolOf(kv.value);
        break;
      case 'transport': {
        const tr = transport();
        if (!kv) {
          // `Proxy:` / `VRF:` with the value on the next line: `Not Configured` (seed 003 L4689).
          if (sub === 'vrf') tr.vrf = cleanValue(t);
          else if (sub === 'proxy' && !proxyAddress) tr.proxy = cleanValue(t);
          sub = null;
          break;
        }
        if (kv.key === 'type') tr.type = kv.value;
        else if (kv.key === 'url') tr.url = kv.value;
        else if (kv.key === 'proxy') {
          sub = kv.raw ? null : 'proxy';
          tr.proxy = kv.value;
        } else if (kv.key === 'vrf') {
          sub = kv.raw ? null : 'vrf';
          tr.vrf = kv.value;
        } else if (sub === 'proxy' && (kv.key === 'address' || kv.key === 'port')) {
          if (kv.key === 'address') proxyAddress = kv.value;
          else proxyPort = kv.value;
          // `Address: 173.36.224.109` / `Port: 80` (genie ShowLicenseAll 2) → `173.36.224.109:80`.
          tr.proxy = proxyAddress ? (proxyPort ? `${proxyAddress}:${proxyPort}` : proxyAddress) : null;
        }
        break;
      }
      case 'trust': {
        const r = roleLine(t);
        if (r) {
          if (!r.udi) {
            ctx.warn(n, `Trust Code Installed: UDI not understood in "${t}"`);
            trust = null;
            break;
          }
          trust = addTrust({ udi: r.udi, role: r.role, status: 'UNKNOWN', installedAt: null });
          if (r.rest) trustStatus(r.rest, n);
        } else if (!kv && TRUST_STATUS.test(t)) trustStatus(t, n);
        break;
      }
    }
  }
  if (auth.length) readAuthorizations(auth, ctx);
}

/** `show license status` and `show license all`: the status part, then the sections of `all` (sections.ts). */
export const parseStatus: CommandParser = (lines, ctx) => {
  readOutput(lines, ctx, { status: readStatusPart });
};
