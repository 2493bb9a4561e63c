import { parseUdiText, type Udi } from '../../model/udi.ts';
import type { CliContext } from './context.ts';
import { parseCliDate } from './dates.ts';
import type { CliLine } from './text.ts';
import type { CliDate, CliEvent } from './types.ts';

/**
 * System messages about licensing (seed 003 §5, seed L5784-6289): `%FACILITY-SEVERITY-MNEMONIC: text`, as the
 * console, `show logging` or a syslog server print them — with or without a timestamp, a sequence number, or a
 * server's `<PRI>` and host prefix in front.
 */

export interface SyslogMessageInfo {
  facility: string;
  /** The severity the Cisco document gives; the line's own digit is what an event reports. */
  severity: number;
  mnemonic: string;
  /** The message text of the document, variable parts as `[chars]`, `[dec]`… */
  template: string;
  meaning: string;
  action: string;
  /** The text announces a number of days left (`… in [dec] days`). */
  countsDays: boolean;
}

/** Every message of seed 003 §5 (Table in the domain notes), keyed by mnemonic. Meanings and actions are ours. */
export const SYSLOG_MESSAGES: Readonly<Record<string, SyslogMessageInfo>> = Object.fromEntries(
  (
    [
      // seed 003 L5876-5902
      {
        facility: 'SMART_LIC', severity: 3, mnemonic: 'POLICY_INSTALL_FAILED',
        template: 'The installation of a new licensing policy has failed: [chars].',
        meaning: 'A policy reached the device but could not be read or verified, so it was not installed; the text after the colon says why. A signature or timestamp mismatch usually means the device clock is wrong.',
        action: 'Set the clock right and keep it synchronised (configure an NTP server), then install the policy again; if it still fails, open a TAC case.',
        countsDays: false,
      },
      // seed 003 L5911-5915 (the document says it does not apply to switches: copied from the switch guide)
      {
        facility: 'SMART_LIC', severity: 3, mnemonic: 'AUTHORIZATION_INSTALL_FAILED',
        template: 'The install of a new licensing authorization code has failed on [chars]: [chars].',
        meaning: 'An authorization code (SLAC or SLR) could not be installed on the named UDI; the last part says why.',
        action: 'Check that the code was generated for this UDI and is installed whole; the Cisco document gives no further action.',
        countsDays: false,
      },
      // seed 003 L5924-6068
      {
        facility: 'SMART_LIC', severity: 3, mnemonic: 'COMM_FAILED',
        template: 'Communications failure with the [chars] : [chars]',
        meaning: 'The device could not talk to CSSM, CSLU or SSM On-Prem over the configured transport (first part) and gives the error (second part). It appears at every failed attempt; the device retries.',
        action: 'Check the transport URL, name resolution and reachability of the server, routing and firewalls, and the HTTPS client trustpoint (SLA-TrustPoint); for an air-gapped site set transport off and report with files instead.',
        countsDays: false,
      },
      // seed 003 L6073-6084
      {
        facility: 'SMART_LIC', severity: 3, mnemonic: 'COMM_RESTORED',
        template: 'Communications with the [chars] restored.',
        meaning: 'The device can talk to CSSM, CSLU or SSM On-Prem again.',
        action: 'None.',
        countsDays: false,
      },
      // seed 003 L6089-6137
      {
        facility: 'SMART_LIC', severity: 3, mnemonic: 'POLICY_REMOVED',
        template: 'The licensing policy has been removed.',
        meaning: 'The custom policy was removed (for example by a factory reset of licensing); the Cisco default policy now applies, which may change the reporting deadlines.',
        action: 'If this was not intended, get the custom policy back: sync with CSSM, CSLU or On-Prem, or, air-gapped, download the policy file from CSSM and import it on the device.',
        countsDays: false,
      },
      // seed 003 L6141-6166
      {
        facility: 'SMART_LIC', severity: 3, mnemonic: 'TRUST_CODE_INSTALL_FAILED',
        template: 'The install of a new licensing trust code has failed on [chars]: [chars].',
        meaning: 'A trust code could not be installed on the named UDI; the last part says why: one is already installed, the token belongs to another Smart or Virtual Account, or the clock is wrong.',
        action: 'Install again with the force keyword, check that the device is in the token\'s Virtual Account (or make a token there), and synchronise the clock with NTP.',
        countsDays: false,
      },
      // seed 003 L6169-6185
      {
        facility: 'SMART_LIC', severity: 4, mnemonic: 'REPORTING_NOT_SUPPORTED',
        template: 'The CSSM OnPrem that this product instance is connected to is down rev and does not support the enhanced policy and usage reporting mode.',
        meaning: 'The SSM On-Prem server is too old for Smart Licensing Using Policy; the device keeps recording usage and saves its reports locally but cannot send them there.',
        action: 'Upgrade SSM On-Prem to a release that supports Smart Licensing Using Policy, or report through another topology.',
        countsDays: false,
      },
      // seed 003 L6191-6201
      {
        facility: 'SMART_LIC', severity: 6, mnemonic: 'POLICY_INSTALL_SUCCESS',
        template: 'A new licensing policy was successfully installed.',
        meaning: 'A policy was installed, by command, by CSLU or from an ACK.',
        action: 'None; "show license all" shows the policy now in use and its reporting requirements.',
        countsDays: false,
      },
      // seed 003 L6207-6211 (the document says it does not apply to switches)
      {
        facility: 'SMART_LIC', severity: 6, mnemonic: 'AUTHORIZATION_INSTALL_SUCCESS',
        template: 'A new licensing authorization code was successfully installed on: [chars].',
        meaning: 'An authorization code was installed on the named UDI.',
        action: 'None.',
        countsDays: false,
      },
      // seed 003 L6217-6225
      {
        facility: 'SMART_LIC', severity: 6, mnemonic: 'AUTHORIZATION_REMOVED',
        template: 'A licensing authorization code has been removed from [chars]',
        meaning: 'The authorization code of the named UDI was removed, and with it the licences it authorised; features using them may change behaviour.',
        action: 'None if intended; "show license all" shows the licences now.',
        countsDays: false,
      },
      // seed 003 L6228-6255
      {
        facility: 'SMART_LIC', severity: 6, mnemonic: 'REPORTING_REQUIRED',
        template: 'A Usage report acknowledgement will be required in [dec] days.',
        meaning: 'Usage must be reported to Cisco and acknowledged within the given number of days.',
        action: 'Send a usage (RUM) report and install its ACK before the deadline, by the method of your topology; air-gapped: "license smart save usage", upload to CSSM, import the ACK.',
        countsDays: true,
      },
      // seed 003 L6258-6262
      {
        facility: 'SMART_LIC', severity: 6, mnemonic: 'TRUST_CODE_INSTALL_SUCCESS',
        template: 'A new licensing trust code was successfully installed on [chars].',
        meaning: 'A trust code was installed on the named UDI.',
        action: 'None; "show license status" shows its date under Trust Code Installed.',
        countsDays: false,
      },
      // seed 003 L6265-6275, L1992
      {
        facility: 'IOSXE_RP_EWLC_NOT', severity: 2, mnemonic: 'MSGDEVICENOTREG',
        template: 'Unregistered 9800-CL can only be used in lab. For production usage, please register this device in [int] days. Failure to do so will result in a limited number [50] of Access Points being allowed post this.',
        meaning: 'This 9800-CL (17.7.1 or later) has never received an ACK; after the given number of days only 50 access points may join. Repeated daily once more than 10 APs have joined.',
        action: 'Set up a reporting topology, send a usage report and install the ACK before the deadline.',
        countsDays: true,
      },
      // seed 003 L6278-6286
      {
        facility: 'CAPWAPAC_TRACE_MSG', severity: 3, mnemonic: 'MAX_LICENSE_AP_LIMIT_REACHED',
        template: 'Chassis 1 R0/0: wncmgrd: Ap MAC: [enet] is not allowed to join. Please start reporting licensing to Cisco to get the ACK for resumption of usual operation.',
        meaning: 'The ACK deadline of this 9800-CL has passed without an ACK: access points are limited to 50 and the AP with this MAC address was refused.',
        action: 'Send a usage report and install the ACK; the limit is lifted once the first ACK is installed.',
        countsDays: false,
      },
    ] satisfies SyslogMessageInfo[]
  ).map((m) => [m.mnemonic, m]),
);

const SEVERITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notification', 'informational', 'debugging'];

/** seed 003 L5813-5825. */
export function severityName(severity: number | null): string | null {
  return severity === null ? null : (SEVERITY_NAMES[severity] ?? null);
}

/** `%FACILITY-SEV-MNEMONIC:` (seed 003 L5802); a facility is two or more upper-case letters. */
const MESSAGE = /%([A-Z][A-Z0-9_]*)-([0-7])-([A-Z0-9_]+)\s*:\s*(.*)$/;

/** A licensing message: in the table, or of a facility about licences (`SMART_LIC`, `LICENSE`, …). */
export function isLicensingMessage(facility: string, mnemonic: string): boolean {
  const known = Object.hasOwn(SYSLOG_MESSAGES, mnemonic) ? SYSLOG_MESSAGES[mnemonic] : undefined;
  if (known && known.facility === facility) return true;
  return /(?:^|_)LIC(?:ENSE|ENSING)?(?:_|$)/.test(facility); // SMART_LIC, LICENSE, PLATFORM_LICENSE; not REPLICATION
}

const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?)';
/**
 * IOS `service timestamps log datetime …` forms: `*Nov 10 11:32:02.123`, `Nov 10 2021 11:32:02 UTC`,
 * `Mar  2 01:20:08.123 UTC`, and a server's RFC 3164 `Nov 10 11:32:02`. A zone counts only when a colon follows
 * it (IOS ends its timestamp with `:`); otherwise the word after a server's timestamp is the host name.
 */
const STAMP = new RegExp(`[*.]?\\b${MON}\\s+(\\d{1,2})(?:\\s+(\\d{4}))?\\s+${TIME}(?:\\s+(\\d{4}))?(?:\\s+([A-Za-z]{2,5})(?=\\s*:))?`, 'g');
/** A syslog server's RFC 5424 time: `2021-11-10T11:32:02.123Z`. */
const ISO_STAMP = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?)/g;
/** The `[clock]` form (seed 003 L5847): `01:20:08 UTC Tue Mar 2 1993`. */
const CLOCK_STAMP = new RegExp(`(\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?\\s+[A-Za-z]{2,5}\\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\\s+${MON}\\s+\\d{1,2}\\s+\\d{4})`, 'g');

/** Contexts already told that a timestamp had no year (one warning per parse). */
const warnedNoYear = new WeakSet<CliContext>();

interface Stamp {
  index: number;
  raw: string;
  date: () => CliDate | null;
}

/** The device's own time is the last one before the `%`; a server's receipt time comes before it. */
function timestampOf(prefix: string, ctx: CliContext, n: number): CliDate | null {
  const found: Stamp[] = [];
  for (const m of prefix.matchAll(STAMP)) {
    const raw = m[0];
    found.push({ index: m.index, raw, date: () => monthDayDate(raw, m[1]!, m[2]!, m[3] ?? m[5], m[4]!, m[6], ctx, n) });
  }
  for (const re of [ISO_STAMP, CLOCK_STAMP]) {
    for (const m of prefix.matchAll(re)) found.push({ index: m.index, raw: m[1]!, date: () => ctx.date(m[1]!, n) });
  }
  if (!found.length) return null;
  found.sort((a, b) => a.index - b.index);
  return found[found.length - 1]!.date();
}

function monthDayDate(
  printed: string,
  mon: string,
  day: string,
  year: string | undefined,
  time: string,
  zone: string | undefined,
  ctx: CliContext,
  n: number,
): CliDate | null {
  const raw = printed.replace(/^[*.]/, '').trim();
  const withZone = zone ? ` ${zone}` : '';
  if (year) {
    const d = ctx.date(`${mon} ${day} ${time} ${year}${withZone}`, n);
    return d ? { ...d, raw } : null;
  }
  // No year printed (the IOS default): take the year of the output's own time, or the one before when the
  // message would otherwise be more than a day in the future (a December message read in January).
  const observed = ctx.facts.observedAt;
  const observedYear = observed?.iso ? Number(observed.iso.slice(0, 4)) : null;
  if (observedYear) {
    let d = parseCliDate(`${mon} ${day} ${time} ${observedYear}${withZone}`);
    const later = (x: CliDate | null) =>
      !!x && !!observed?.iso && x.iso !== null && x.iso.slice(0, 19) > observed.iso.slice(0, 19) && dayGap(x.iso, observed.iso) > 1;
    const year2 = later(d) ? observedYear - 1 : observedYear;
    d = ctx.date(`${mon} ${day} ${time} ${year2}${withZone}`, n);
    return d ? { ...d, raw } : null;
  }
  if (!warnedNoYear.has(ctx)) {
    warnedNoYear.add(ctx);
    ctx.warn(n, `syslog time "${raw}" has no year and the output's own time is unknown: the message's date is left unset`);
  }
  return { raw, iso: null, epochMs: null, zone: zone ?? null };
}

/** Days between two local ISO times (offsets ignored: only a rough "more than a day" test). */
function dayGap(a: string, b: string): number {
  const ms = (s: string) => Date.parse(`${s.slice(0, 19)}Z`);
  return Math.abs(ms(a) - ms(b)) / 86_400_000;
}

/** `PID:C9800-CL-K9,SN:93SZ7RXN93Y.`, `P:C9300-24P,S:FOC1234X0AB`, `udi PID:C9800-CL-K9 SN:93SZ7RXN93Y`. */
function udiIn(text: string): Udi | null {
  const u = parseUdiText(text) ?? spacedUdi(text);
  if (!u) return null;
  // A sentence's full stop is not part of the serial number.
  const sn = u.sn.replace(/\.+$/, '');
  return sn ? { pid: u.pid, sn } : null;
}

function spacedUdi(text: string): Udi | null {
  const m = /\bPID\s*:\s*([A-Za-z0-9][A-Za-z0-9._/+-]*)\s+SN\s*:\s*([A-Za-z0-9][A-Za-z0-9._/+-]*)/i.exec(text);
  return m ? { pid: m[1]!, sn: m[2]! } : null;
}

/** `… will be required in 30 days.`, `… register this device in 90 days.` */
function daysIn(text: string): number | null {
  const m = /\bin\s+(\d{1,6})\s+days?\b/i.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * One `%FACILITY-SEV-NAME: text` line → an event, or null when the line is not a syslog message or is one
 * that has nothing to do with licensing (`%LINK-3-UPDOWN`: a pasted `show logging` holds many of those).
 * Unknown licensing mnemonics still give an event, with `meaning: null`.
 */
/**
 * The sender's host name a syslog server writes after its own time (RFC 3164 `<189>Nov 10 11:40:00 wlc-1 124: …`,
 * RFC 5424 `2021-11-11T09:00:00.000Z wlc-1 125: …`); null when the line came straight from the device.
 */
const SERVER_HOST = new RegExp(
  `^\\s*(?:<\\d{1,3}>\\d?\\s*)?(?:${MON}\\s+\\d{1,2}\\s+\\d{1,2}:\\d{2}:\\d{2}|\\d{4}-\\d{2}-\\d{2}T[\\d:.]+(?:Z|[+-]\\d{2}:?\\d{2})?)\\s+([A-Za-z][\\w.-]*)\\s+(?=\\S)`,
);

export function hostOf(prefix: string): string | null {
  const m = SERVER_HOST.exec(prefix);
  return m ? m[m.length - 1]! : null;
}

export function parseSyslogLine(line: CliLine, ctx: CliContext): CliEvent | null {
  // The Cisco document escapes underscores (`%SMART\_LIC-6-…`, seed 003 L6228); a copy from it keeps them.
  const text = line.text.indexOf('\\_') >= 0 ? line.text.replace(/\\_/g, '_') : line.text;
  const m = MESSAGE.exec(text);
  if (!m) return null;
  const [, facility, sev, mnemonic, rest] = m as unknown as [string, string, string, string, string];
  if (!isLicensingMessage(facility, mnemonic)) return null;
  const known = Object.hasOwn(SYSLOG_MESSAGES, mnemonic) ? SYSLOG_MESSAGES[mnemonic] : undefined;
  const info = known && known.facility === facility ? known : null;
  const message = rest.trim();
  let at: CliDate | null = null;
  try {
    at = timestampOf(text.slice(0, m.index).replace(/^\s*<\d{1,3}>/, ''), ctx, line.n);
  } catch {
    at = null; // never throw over a timestamp
  }
  return {
    at,
    host: hostOf(text.slice(0, m.index)),
    facility,
    severity: Number(sev),
    name: mnemonic,
    message,
    meaning: info?.meaning ?? null,
    action: info?.action ?? null,
    daysLeft: info?.countsDays ? daysIn(message) : null,
    udi: udiIn(message),
    line: line.n,
  };
}
