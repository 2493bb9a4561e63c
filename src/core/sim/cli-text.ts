import { entitlementName, lookupEntitlement, shortNameOf } from '../model/entitlements.ts';
import { CISCO_DEFAULT_POLICY } from '../policy/cisco-default.ts';
import { train } from './catalog.ts';
import type { LicenceClass, SimPolicy, SimPolicyClass, SimProductInstance, SimReportingUnit, SimUsage } from './types.ts';

/**
 * `show license all|status|summary` as IOS XE prints it, for a simulated reporting unit (capability 11).
 *
 * The layout follows the real-device captures in test/fixtures/cli (genieparser / ntc-templates goldens) first,
 * and the Cisco-document samples in test/fixtures/cli-seed where no real capture exists: the document samples
 * went through a PDF conversion that collapsed indentation and `=====` underlines, so where the two disagree
 * the real capture wins (full-length underlines, 4-space nested privacy lines, `30  days` with two spaces,
 * `Total: 12,  Purged: 0`). Every simulated unit has transport off (air-gapped), as `Type: Transport Off`
 * prints in F11 and ntc_show_license_status2.
 */

export interface SimShowContext {
  unit: SimReportingUnit;
  policy: SimPolicy;
  /** Printed under `Account Information:` only once an ACK has arrived (the ACK carries it), else `<none>`. */
  smartAccount: string | null;
  virtualAccount: string | null;
  /** ms since the epoch: when the command was run. */
  now: number;
  /** How the device prints times: its clock's zone abbreviation and offset from UTC. */
  timeZone: { abbreviation: string; offsetMinutes: number };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const two = (n: number) => String(n).padStart(2, '0');

/** `Nov 02 09:09:47 2020 IST`: the device's local time with its zone abbreviation (never the browser's zone). */
export function formatDeviceTime(ms: number, zone: SimShowContext['timeZone']): string {
  const d = new Date(ms + zone.offsetMinutes * 60_000);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} ${d.getUTCFullYear()} ${zone.abbreviation}`;
}

function timeOrNone(ms: number | null, ctx: SimShowContext): string {
  return ms === null ? '<none>' : formatDeviceTime(ms, ctx.timeZone);
}

/** Real devices underline top-level headings with `=` as long as the heading (genie goldens; the PDF says `=====`). */
function heading(title: string): string[] {
  return [title, '='.repeat(title.length)];
}


/** Account Information and Usage Report Summary appear from 17.7.1 (seed 003 §4.4; absent from the 5.1.x agent captures). */
const HAS_ACCOUNT_INFO = 1707;
/** Device Telemetry Report Summary first shows in the 5.7.x agent captures (17.9). */
const HAS_TELEMETRY = 1709;
/** License Conversion, Reporting Mode and Last Data Push only show in the 5.11.2 capture (17.12+). */
const HAS_CONVERSION = 1712;

/**
 * The agent string for a release. The strings are real (one per capture); which train each belongs to is
 * inferred from the features the capture shows, except 17.7.1 ↔ 5.3.14_rel/47, which F10/F17 state.
 */
function agentVersion(t: number): string {
  if (t < 1704) return '4.8.7_rel/52';
  if (t < 1706) return '5.0.6_rel/47';
  if (t < 1707) return '5.1.31_rel/142';
  if (t < 1708) return '5.3.14_rel/47';
  if (t < 1709) return '5.5.11_rel/31';
  if (t < 1710) return '5.7.15_rel/44';
  if (t < 1712) return '5.9.4_rel/9';
  return '5.11.2_rel/6';
}

function unitTrain(ctx: SimShowContext): number {
  return train(ctx.unit.members[0]?.softwareVersion);
}

function isHaSet(unit: SimReportingUnit): boolean {
  return unit.members.length > 1 || unit.members.some((m) => m.role !== 'standalone');
}

/** A standalone device is its own active: `Overall status:` prints `Active:` for it too. */
function roleLabel(member: SimProductInstance): string {
  return member.role === 'standby' ? 'Standby' : member.role === 'member' ? 'Member' : 'Active';
}

function udiText(member: SimProductInstance): string {
  return `PID:${member.udi.pid},SN:${member.udi.sn}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Policy


const CLASS_HEADINGS: Array<[LicenceClass, string]> = [
  ['unenforcedPerpetual', 'Unenforced/Non-Export Perpetual Attributes:'],
  ['unenforcedSubscription', 'Unenforced/Non-Export Subscription Attributes:'],
  ['enforced', 'Enforced (Perpetual/Subscription) License Attributes:'],
  ['export', 'Export (Perpetual/Subscription) License Attributes:'],
];

const FIELD_LABELS: Array<[keyof SimPolicyClass, string]> = [
  ['firstReportDays', 'First report requirement (days)'],
  ['reportingFrequencyDays', 'Reporting frequency (days)'],
  ['reportOnChangeDays', 'Report on change (days)'],
];

/**
 * Where a value came from. F07 (`SLE Policy`) prints `First report requirement (days): 0 (CISCO default)` for the
 * Enforced and Export classes in an otherwise customer policy: a custom policy that asks for no first report
 * leaves the value unset and the device merges in the default 0. Any other value of a custom policy is the
 * customer's, even when it equals the default (genie ShowLicenseStatus: `365 (Customer Policy)`,
 * `Reporting frequency (days): 0 (Customer Policy)`).
 */
function valueSource(policy: SimPolicy, cls: LicenceClass, field: keyof SimPolicyClass, value: number): string {
  if (!policy.custom) return '(CISCO default)';
  if (field === 'firstReportDays' && value === 0 && CISCO_DEFAULT_POLICY.classes[cls].firstReportDays === 0) return '(CISCO default)';
  return '(Customer Policy)';
}

function policySection(ctx: SimShowContext): string[] {
  const { policy } = ctx;
  const lines = ['Policy:'];
  if (policy.custom && policy.installedAt !== null) {
    // Capital "On", as every real sample prints it (the Cisco field table says "Installed on").
    lines.push(`  Policy in use: Installed On ${formatDeviceTime(policy.installedAt, ctx.timeZone)}`);
  } else {
    lines.push('  Policy in use: Merged from multiple sources.');
  }
  if (policy.custom) lines.push(`  Policy name: ${policy.name}`);
  lines.push(`  Reporting ACK required: ${policy.ackRequired ? 'yes' : 'no'} ${policy.custom ? '(Customer Policy)' : '(CISCO default)'}`);
  for (const [cls, title] of CLASS_HEADINGS) {
    lines.push(`  ${title}`);
    for (const [field, label] of FIELD_LABELS) {
      const value = policy.classes[cls][field];
      lines.push(`    ${label}: ${value} ${valueSource(policy, cls, field, value)}`);
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Status sections shared by `show license status` and `show license all`

function utilitySection(unit: SimReportingUnit): string[] {
  return ['Utility:', `  Status: ${unit.utility ? 'ENABLED' : 'DISABLED'}`];
}

function slupSection(t: number): string[] {
  const lines = ['Smart Licensing Using Policy:', '  Status: ENABLED'];
  if (t >= HAS_CONVERSION) lines.push('  Reporting Mode: STANDARD');
  return lines;
}

function accountLines(ctx: SimShowContext): string[] {
  // Newer releases append "As of <when the ACK that carried it was processed>" (genie/ntc captures).
  const ackAt = ctx.unit.lastAckAt;
  const smart = ackAt !== null && ctx.smartAccount ? `${ctx.smartAccount} As of ${formatDeviceTime(ackAt, ctx.timeZone)}` : '<none>';
  const virtual = ackAt !== null && ctx.virtualAccount ? ctx.virtualAccount : '<none>';
  return ['Account Information:', `  Smart Account: ${smart}`, `  Virtual Account: ${virtual}`];
}

function dataPrivacySection(): string[] {
  return [
    'Data Privacy:',
    '  Sending Hostname: yes',
    '    Callhome hostname privacy: DISABLED',
    '    Smart Licensing hostname privacy: DISABLED',
    '  Version privacy: DISABLED',
  ];
}

/** Transport off prints the type alone: no URL, proxy or VRF (F11, ntc_show_license_status2). */
function transportSection(): string[] {
  return ['Transport:', '  Type: Transport Off'];
}

function miscellaneousSection(): string[] {
  return ['Miscellaneous:', '  Custom Id: <empty>'];
}

/**
 * The configured `license smart usage interval`: `0 (no reporting)` when nothing is due (F10, F11), else the
 * default 30 days (seed 003 §2.6), printed `30  days` with two spaces on real devices (genie, ntc; the PDF
 * collapsed them). Not derived from the push dates: ntc_show_license_status2 prints 30 days with pushes seven
 * months apart.
 */
function pushInterval(unit: SimReportingUnit): string {
  return unit.nextReportPush === null ? '0 (no reporting)' : '30  days';
}

function usageReportingSection(ctx: SimShowContext): string[] {
  const { unit } = ctx;
  return [
    'Usage Reporting:',
    `  Last ACK received: ${timeOrNone(unit.lastAckAt, ctx)}`,
    `  Next ACK deadline: ${ctx.policy.ackRequired ? timeOrNone(unit.nextAckDeadline, ctx) : '<none>'}`,
    `  Reporting push interval: ${pushInterval(unit)}`,
    // The device polls for ACKs only over a transport; with transport off nothing is ever polled.
    '  Next ACK push check: <none>',
    `  Next report push: ${timeOrNone(unit.nextReportPush, ctx)}`,
    `  Last report push: ${timeOrNone(unit.lastReportPush, ctx)}`,
    // `license smart save usage` is what writes the report file in an air-gapped network.
    `  Last report file write: ${formatDeviceTime(unit.savedAt, ctx.timeZone)}`,
  ];
}

/**
 * `<none>` until a trust code is installed (F10); a standalone device then prints the date on the same line
 * (ntc_show_license_status3); an HA set lists every member's UDI with its own line (F07, genie ShowLicenseStatus).
 */
function trustCodeSection(ctx: SimShowContext): string[] {
  const { members } = ctx.unit;
  if (!members.some((m) => m.trustCodeInstalledAt !== null)) return ['Trust Code Installed: <none>'];
  if (!isHaSet(ctx.unit)) return [`Trust Code Installed: ${timeOrNone(members[0]!.trustCodeInstalledAt, ctx)}`];
  const lines = ['Trust Code Installed:'];
  for (const m of members) {
    lines.push(`  ${roleLabel(m)}: ${udiText(m)}`);
    lines.push(m.trustCodeInstalledAt === null ? '    NOT INSTALLED' : `    INSTALLED on ${formatDeviceTime(m.trustCodeInstalledAt, ctx.timeZone)}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// Licences

interface UsageLine {
  license: string;
  /** In parentheses after the name: the description for switches, the short tag for AIR licences (F11). */
  parenthesised: string;
  description: string;
  count: number;
  status: 'IN USE' | 'NOT IN USE' | 'NOT AUTHORIZED';
  exportStatus: string;
  enforcement: SimUsage['enforcement'];
  duration: SimUsage['duration'];
}

/**
 * What the unit's licences print as. When the parentheses hold the short tag (AIR licences, F11:
 * `air-network-advantage (DNA_NWStack):` then `Description: air-network-advantage`), the Description field repeats
 * the licence name; otherwise it repeats the parenthesised description (genie: `C9300-24 Network Advantage`).
 * An HSEC authorization still waiting for its SLAC is configured but prints `NOT AUTHORIZED` (seed 003 §4.1).
 */
function usageLines(unit: SimReportingUnit): UsageLine[] {
  const lines: UsageLine[] = unit.usage.map((u) => {
    const isShortTag = shortNameOf(u.tag) === u.description;
    const notAuthorized = unit.slacNeeded !== null && u.tag === unit.slacNeeded;
    return {
      license: u.license,
      parenthesised: u.description,
      description: isShortTag ? u.license : u.description,
      count: u.count,
      status: notAuthorized ? 'NOT AUTHORIZED' : u.count > 0 ? 'IN USE' : 'NOT IN USE',
      exportStatus: u.enforcement === 'EXPORT RESTRICTED' ? (notAuthorized ? 'RESTRICTED - NOT ALLOWED' : 'RESTRICTED - ALLOWED') : 'NOT RESTRICTED',
      enforcement: u.enforcement,
      duration: u.duration,
    };
  });
  if (unit.slacNeeded !== null && !unit.usage.some((u) => u.tag === unit.slacNeeded)) {
    const tag = unit.slacNeeded;
    const license = entitlementName(tag);
    lines.push({
      license,
      parenthesised: shortNameOf(tag) ?? tag,
      description: license,
      count: 1,
      status: 'NOT AUTHORIZED',
      exportStatus: 'RESTRICTED - NOT ALLOWED',
      enforcement: 'EXPORT RESTRICTED',
      duration: lookupEntitlement(tag)?.duration ?? 'Perpetual',
    });
  }
  return lines;
}

/** One licence in `show license all` / `show license usage` (genie ShowLicenseAll, F03). */
function usageBlock(u: UsageLine): string[] {
  return [
    `${u.license} (${u.parenthesised}):`,
    `  Description: ${u.description}`,
    `  Count: ${u.count}`,
    '  Version: 1.0',
    `  Status: ${u.status}`,
    `  Export status: ${u.exportStatus}`,
    `  Feature Name: ${u.license}`,
    `  Feature Description: ${u.description}`,
    `  Enforcement type: ${u.enforcement}`,
    `  License type: ${u.duration}`,
  ];
}

/**
 * A row of the `show license summary` table, in the real device's columns (genie ShowLicenseSummary): licence
 * name in 24 characters, the parenthesised tag up to 27 (longer ones cut to 22 + `...`: `(C9300-48 Network
 * Advan...)`), count right-aligned ending at column 58. Names longer than 23 are cut to 20 + `...` (F02).
 */
function summaryRow(u: UsageLine): string {
  const name = u.license.length > 23 ? `${u.license.slice(0, 20)}...` : u.license;
  const inner = u.parenthesised.length > 25 ? `${u.parenthesised.slice(0, 22)}...` : u.parenthesised;
  return `${name.padEnd(24)}${`(${inner})`.padEnd(30)}${String(u.count).padStart(5)} ${u.status}`;
}

// ---------------------------------------------------------------------------------------------------------------
// `show license all` only

function productInformation(unit: SimReportingUnit): string[] {
  const active = unit.members[0];
  const lines = [...heading('Product Information'), active ? `UDI: ${udiText(active)}` : 'UDI: <none>'];
  if (isHaSet(unit)) {
    // No space after the role here, unlike `Overall status:`; 4-space indent on real devices (F10's 2 is the PDF's).
    lines.push('', 'HA UDI List:');
    for (const m of unit.members) lines.push(`    ${roleLabel(m)}:${udiText(m)}`);
  }
  return lines;
}

function licenseAuthorizations(unit: SimReportingUnit, t: number): string[] {
  const lines = heading('License Authorizations');
  if (t >= HAS_CONVERSION) lines.push('Last Data Push: <none>', 'Last File Export: <none>', '');
  lines.push('Overall status:');
  for (const m of unit.members) lines.push(`  ${roleLabel(m)}: ${udiText(m)}`, '      Status: NOT INSTALLED');
  lines.push('', 'Purchased Licenses:', '  No Purchase Information Available');
  return lines;
}

/**
 * Counts of the unit's RUM reports (17.7.1+). From the real captures: Available to Report is every report not yet
 * acknowledged nor waiting for one (70 = 64 acknowledged + 6 available), and Collecting Data the open ones among them.
 */
function usageReportSummary(unit: SimReportingUnit): string[] {
  const count = (pred: (state: string) => boolean) => unit.reports.filter((r) => pred(r.state)).length;
  const acked = count((s) => s === 'ACK');
  const waiting = count((s) => s === 'UNACK');
  const available = count((s) => s === 'OPEN' || s === 'CLOSED');
  const collecting = count((s) => s === 'OPEN');
  return [
    'Usage Report Summary:',
    '=====================',
    `Total: ${unit.reports.length},  Purged: 0`,
    `Total Acknowledged Received: ${acked},  Waiting for Ack: ${waiting}`,
    `Available to Report: ${available}  Collecting Data: ${collecting}`,
  ];
}

function joinSections(sections: string[][]): string {
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// The commands

export function showLicenseStatus(ctx: SimShowContext): string {
  const t = unitTrain(ctx);
  // Order of genie ShowLicenseStatus / F05-F07: Policy before Miscellaneous (show license all has it the other way).
  return joinSections([
    utilitySection(ctx.unit),
    slupSection(t),
    ...(t >= HAS_ACCOUNT_INFO ? [accountLines(ctx)] : []),
    dataPrivacySection(),
    transportSection(),
    policySection(ctx),
    miscellaneousSection(),
    usageReportingSection(ctx),
    trustCodeSection(ctx),
  ]);
}

export function showLicenseAll(ctx: SimShowContext): string {
  const { unit } = ctx;
  const t = unitTrain(ctx);
  const licences = usageLines(unit);
  const status = [...heading('Smart Licensing Status'), '', 'Smart Licensing is ENABLED'];
  const sections: string[][] = [status];
  if (t >= HAS_CONVERSION) {
    sections.push(['License Conversion:', '  Automatic Conversion Enabled: False', '  Last Data Push: <none>', '  Last File Export: <none>']);
  }
  sections.push(
    ['Export Authorization Key:', '  Features Authorized:', '    <none>'],
    utilitySection(unit),
    slupSection(t),
    ...(t >= HAS_ACCOUNT_INFO ? [accountLines(ctx)] : []),
    dataPrivacySection(),
    transportSection(),
    miscellaneousSection(),
    policySection(ctx),
    usageReportingSection(ctx),
    trustCodeSection(ctx),
  );
  const usage = [...heading('License Usage')];
  if (licences.length === 0) sections.push(usage, ['No licenses in use']);
  else sections.push(usage, ...licences.map(usageBlock));
  sections.push(productInformation(unit), [...heading('Agent Version'), `Smart Agent for Licensing: ${agentVersion(t)}`], licenseAuthorizations(unit, t));
  if (t >= HAS_ACCOUNT_INFO) sections.push(usageReportSummary(unit));
  if (t >= HAS_TELEMETRY) {
    // With transport off there is no channel to send telemetry on (genie tech support 5: NOT AVAILABLE).
    sections.push([...heading('Device Telemetry Report Summary:'), 'Data Channel: NOT AVAILABLE', 'Reports on disk: 0']);
  }
  return joinSections(sections);
}

export function showLicenseSummary(ctx: SimShowContext): string {
  const t = unitTrain(ctx);
  const table = [
    'License Usage:',
    `${'License'.padEnd(24)}${'Entitlement Tag'.padEnd(30)}Count Status`,
    '-'.repeat(77),
    ...usageLines(ctx.unit).map(summaryRow),
  ];
  return joinSections([...(t >= HAS_ACCOUNT_INFO ? [accountLines(ctx)] : []), table]);
}
