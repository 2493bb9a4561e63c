import type { LicenceClass } from '../../model/policy.ts';
import type { HaRole } from '../../model/types.ts';
import type { Udi } from '../../model/udi.ts';

/**
 * Facts read from `show license …` output and syslog. Every command parser fills a `CliFacts`; nothing here is
 * "the truth" about a device until the merge (model/facts.ts) weighs it against what else is known.
 *
 * Conventions: a field a command did not print is `null` / absent / `[]`; `<none>`, `<empty>` and
 * `&lt;none&gt;` read as null. Every text value is kept as printed (trimmed); enumerations are also upper-cased
 * where Cisco is inconsistent about case (`IN USE`, `NOT ENFORCED`).
 */

/** A time as printed, and what it means when the zone is known (FORMATS.md: keep the raw text). */
export interface CliDate {
  raw: string;
  /** ISO 8601 with the zone's offset (`2020-11-02T05:09:31+05:30`); without an offset when the zone is unknown. */
  iso: string | null;
  /** ms since the epoch; null when the zone is unknown (local time of an unknown place is not an instant). */
  epochMs: number | null;
  /** The zone abbreviation as printed (`IST`, `est`), or null when none was printed. */
  zone: string | null;
}

/** Where a policy value came from, as `show license status` says: `(CISCO default)` or `(Customer Policy)`. */
export type ValueSource = 'cisco-default' | 'customer' | null;

export interface SourcedDays {
  days: number;
  source: ValueSource;
}

export interface CliPolicyClass {
  firstReportDays: SourcedDays | null;
  reportingFrequencyDays: SourcedDays | null;
  reportOnChangeDays: SourcedDays | null;
}

export interface CliPolicy {
  /** `Merged from multiple sources.`, `Installed On Nov 02 05:09:31 2020 IST`, `Product Default`, … */
  inUse: string | null;
  /** The date inside `Policy in use: Installed On <date>`. */
  installedAt: CliDate | null;
  /** `Policy name: SLE Policy` (only printed for a custom policy). */
  name: string | null;
  ackRequired: { value: boolean; source: ValueSource } | null;
  classes: Partial<Record<LicenceClass, CliPolicyClass>>;
}

export interface CliAccount {
  /** Without the ` As of <date>` suffix 17.7.1+ prints. */
  smartAccount: string | null;
  virtualAccount: string | null;
  /** The `As of <date>` of the smart account line: when the device last heard its account from an ACK. */
  asOf: CliDate | null;
}

export interface CliUsageReporting {
  lastAckReceived: CliDate | null;
  nextAckDeadline: CliDate | null;
  /** Days; 0 means `0 (no reporting)`; null when not printed. */
  reportingPushIntervalDays: number | null;
  nextAckPushCheck: CliDate | null;
  nextReportPush: CliDate | null;
  lastReportPush: CliDate | null;
  lastReportFileWrite: CliDate | null;
}

export interface CliTransport {
  /** As printed: `Smart`, `Callhome`, `cslu`, `Off`, `Automatic`, … */
  type: string | null;
  url: string | null;
  csluAddress: string | null;
  proxy: string | null;
  vrf: string | null;
}

export interface CliDataPrivacy {
  sendingHostname: boolean | null;
  callhomeHostnamePrivacy: boolean | null;
  smartLicensingHostnamePrivacy: boolean | null;
  versionPrivacy: boolean | null;
}

export interface CliTrustCode {
  udi: Udi | null;
  role: HaRole | null;
  /** `INSTALLED`, `NOT INSTALLED`, … as printed, upper-cased. */
  status: string;
  installedAt: CliDate | null;
}

export interface CliLicense {
  /** The heading or first column as printed (`network-advantage (C9300-24 Network Advantage)`, `air-dna-essentials`). */
  name: string;
  /** A full regid tag when printed, otherwise the short tag (`DNA_NWStack`, `AIR-DNA-E`), otherwise null. */
  tag: string | null;
  description: string | null;
  count: number | null;
  version: string | null;
  status: string | null;
  exportStatus: string | null;
  featureName: string | null;
  featureDescription: string | null;
  /** `NOT ENFORCED`, `ENFORCED`, `EXPORT RESTRICTED`, … upper-cased. */
  enforcement: string | null;
  /** `Perpetual`, `Subscription`, `Term`, … as printed. */
  licenseType: string | null;
  /** The name or description ended in `...` (the device truncated it). */
  truncated: boolean;
  /**
   * Specific License Reservation (SLR) of this licence: `Reservation:` of `show license usage` (seed 003 L4972),
   * `Specified license reservations:` of `show license authorization` (L4138). Absent when none was printed.
   */
  reservation?: CliReservation | null;
}

/** One `Term information:` entry of a reserved licence (seed 003 L4143-4153). */
export interface CliLicenseTerm {
  /** The product instance the term is installed on (`Active: PID:…`), when printed. */
  udi: Udi | null;
  role: HaRole | null;
  /** `SPECIFIC INSTALLED`, `SLAC`, `UNIVERSAL`, … without its date, upper-cased. */
  authorizationType: string | null;
  /** The date of `Authorization type: SPECIFIC INSTALLED on <date>`. */
  authorizedAt: CliDate | null;
  /** `TERM`, `PERPETUAL`, `SUBSCRIPTION` as printed. */
  licenseType: string | null;
  start: CliDate | null;
  end: CliDate | null;
  count: number | null;
  subscriptionId: string | null;
}

export interface CliReservation {
  /** `Reservation status: SPECIFIC INSTALLED`, upper-cased. */
  status: string | null;
  /** `Total reserved count:`. */
  reservedCount: number | null;
  terms: CliLicenseTerm[];
}

export interface CliAuthorization {
  udi: Udi | null;
  role: HaRole | null;
  status: string | null;
  installedAt: CliDate | null;
  lastConfirmationCode: string | null;
  lastReturnCode: string | null;
  /** Authorization code kinds and counts as printed, e.g. `SLR`, `SPECIFIC`; free text kept. */
  detail: string | null;
}

export interface CliRumReport {
  reportId: string;
  state: string | null;
  flag: string | null;
  featureName: string | null;
  metricName: string | null;
  /** The `Metric Value` when it is an entitlement tag. */
  entitlementTag: string | null;
  udi: Udi | null;
  previousReportId: string | null;
  nextReportId: string | null;
  stateChangeReason: string | null;
  startTime: CliDate | null;
  endTime: CliDate | null;
  storageState: string | null;
  transactionId: string | null;
  transactionMessage: string | null;
}

export interface CliUsageReportSummary {
  total: number | null;
  purged: number | null;
  acknowledged: number | null;
  waitingForAck: number | null;
  availableToReport: number | null;
  collectingData: number | null;
  maximumDisplay: number | null;
  inStorage: number | null;
  mia: number | null;
}

/** A `%SMART_LIC-…` syslog line or an event-log / history entry. */
export interface CliEvent {
  at: CliDate | null;
  /** The sender's host name when a syslog server wrote the line (`<189>Nov 10 11:40:00 wlc-1 124: …`). */
  host?: string | null;
  /** `SMART_LIC`, `IOSXE_RP_EWLC_NOT`, `SAEVT_…` event type, … */
  facility: string;
  /** 0 emergency … 7 debugging; null when the source has no severity. */
  severity: number | null;
  name: string;
  message: string;
  /** What it means and what to do (syslog table of seed 003 §5), null for unknown messages. */
  meaning: string | null;
  action: string | null;
  /** Days left when the message announces a deadline (`REPORTING_REQUIRED … in N days`, `MSGDEVICENOTREG`). */
  daysLeft: number | null;
  udi: Udi | null;
  /** The 1-based line of the pasted text. */
  line: number;
}

/** 9800-CL on 17.7.1+: `License Ack expected within.....: 179 days` (seed 003 §1.16). */
export interface CliAckCountdown {
  raw: string;
  days: number | null;
  /** When the output was taken, if known, so that the countdown can become a date. */
  observedAt: CliDate | null;
}

/** `show license air entities summary` (seed 003 §4.9, L3651-3725): what the controller last reported of its APs. */
export interface CliAirEntities {
  lastReportTime: CliDate | null;
  upcomingReportTime: CliDate | null;
  apsActive: number | null;
  apsAdded: number | null;
  apsDeleted: number | null;
}

export interface CliAirLevel {
  current: string | null;
  nextReload: string | null;
}

/** Output of a release before Smart Licensing Using Policy (`Registration: REGISTERED`, `EVAL MODE`). */
export interface CliPreSlp {
  /** The line that gave it away. */
  evidence: string;
  registration: string | null;
}

export interface CliFacts {
  /** The product instance the output is about (`UDI:` of Product Information, `show license udi`, …). */
  udi: Udi | null;
  ha: Array<{ role: HaRole; udi: Udi }>;
  hostname: string | null;
  softwareVersion: string | null;
  smartLicensingEnabled: boolean | null;
  slpEnabled: boolean | null;
  utilityEnabled: boolean | null;
  preSlp: CliPreSlp | null;
  account: CliAccount | null;
  dataPrivacy: CliDataPrivacy | null;
  transport: CliTransport | null;
  customId: string | null;
  policy: CliPolicy | null;
  usageReporting: CliUsageReporting | null;
  trustCodes: CliTrustCode[];
  licenses: CliLicense[];
  authorizations: CliAuthorization[];
  rumReports: CliRumReport[];
  usageReportSummary: CliUsageReportSummary | null;
  ackCountdown: CliAckCountdown | null;
  airEntities: CliAirEntities | null;
  airLevel: CliAirLevel | null;
  agentVersion: string | null;
  events: CliEvent[];
  /** The time the device printed (`Time source is NTP, 15:09:55.102 UTC Wed Nov 10 2021`, `Current time:`). */
  observedAt: CliDate | null;
}

/** The warnings of one parse, each with the 1-based line it is about when there is one. */
export interface CliWarning {
  line: number | null;
  message: string;
}

export function emptyFacts(): CliFacts {
  return {
    udi: null,
    ha: [],
    hostname: null,
    softwareVersion: null,
    smartLicensingEnabled: null,
    slpEnabled: null,
    utilityEnabled: null,
    preSlp: null,
    account: null,
    dataPrivacy: null,
    transport: null,
    customId: null,
    policy: null,
    usageReporting: null,
    trustCodes: [],
    licenses: [],
    authorizations: [],
    rumReports: [],
    usageReportSummary: null,
    ackCountdown: null,
    airEntities: null,
    airLevel: null,
    agentVersion: null,
    events: [],
    observedAt: null,
  };
}
