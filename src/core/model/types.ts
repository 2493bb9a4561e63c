import type { Udi } from './udi.ts';

/** Roles as devices print them (`Active`, `Standby`, `Member`); `standalone` when there is no HA set. */
export type HaRole = 'standalone' | 'active' | 'standby' | 'member';

export interface HaMember {
  role: HaRole;
  udi: Udi;
}

/** A byte range inside one entry of a stored file: [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * One RUM report = one device × one entitlement × one period (FORMATS.md). Parsed from the signed payload;
 * the report's exact bytes stay in the original file at `range`.
 */
export interface RumReport {
  /** Decimal digits as written: report IDs go up to 2^64-1 (`license smart save usage rum-id` range), beyond JS numbers. */
  reportId: string;
  /** The product instance that produced the report (the active of an HA set). */
  udi: Udi;
  /** Software ID tag (`asset.name`), e.g. `regid.2017-05.com.cisco.C9300,v1_…`. */
  softwareTag: string | null;
  entitlementTag: string | null;
  /** The count of the latest measurement (a string in the payload). */
  count: number | null;
  /** Start of the earliest measurement and end of the latest, ms since the epoch. */
  start: number | null;
  end: number | null;
  /** Utility mode (MSLA, postpaid): such reports need an ACK every 30 days. */
  utility: boolean;
  softwareVersion: string | null;
  /** The HA set as the report describes it (`meta.ha_udi`); empty when the payload has none. */
  ha: HaMember[];
  /** Payload shape: `2.0` (17.9+), `legacy` (17.6, report_id in meta), `object` (payload is a JSON object, NX-OS). */
  payloadFormat: '2.0' | 'legacy' | 'object';
  measurementCount: number;
  /** Where the `<RUMReport>…</RUMReport>` element sits in the entry's bytes. */
  range: ByteRange;
  /** FNV-1a of the element's bytes, to tell two different copies of one report ID apart. */
  fingerprint: number;
}

/** What `<smartLicenseSystemInfo><data>` says about the device that saved the file. */
export interface SystemInfo {
  udi: Udi | null;
  /** ms since the epoch (the device writes milliseconds here, unlike payload times). */
  timestamp: number | null;
  hostname: string | null;
  softwareTag: string | null;
  devices: Array<{ udi: Udi; hostname: string | null; softwareTag: string | null }>;
}

/** Everything one file says about one product instance, with the time the device said it. */
export interface DeviceObservation {
  udi: Udi;
  hostname: string | null;
  softwareVersion: string | null;
  softwareTag: string | null;
  role: HaRole;
  /** The active of the HA set this device belongs to; null when standalone. */
  activeUdi: Udi | null;
  /** When the device wrote this (system info timestamp, else the latest report end), ms. */
  observedAt: number | null;
}
