import type { HaRole } from '../model/types.ts';
import type { Udi } from '../model/udi.ts';
import type { Policy as SimPolicy } from '../model/policy.ts';

/**
 * The simulated estate (capability 11): plain data, deterministic from a seed, from which every writer
 * (usage files, SLAC requests, `show license` text, the CSSM summary, the inventory CSV) renders files.
 * Times are ms since the epoch unless a name says otherwise.
 */

export type ProductFamily = 'C9200' | 'C9300' | 'C9400' | 'C9500' | 'ISR1000' | 'ISR4000' | 'C8000' | 'C8000V' | 'C9800';

/** Policies are the workbench's model; the simulator uses them as they are. */
export type { LicenceClass, Policy as SimPolicy, PolicyClass as SimPolicyClass } from '../model/policy.ts';

export interface SimVirtualAccount {
  id: string;
  name: string;
  isDefault: boolean;
  policy: SimPolicy;
}

export interface SimSmartAccount {
  id: string;
  name: string;
  domain: string;
}

/** One entitlement a reporting unit consumes. */
export interface SimUsage {
  tag: string;
  /** Short licence name as `show license summary` prints it, e.g. `network-advantage`, `air-dna-advantage`. */
  license: string;
  /** What `show license` prints in parentheses, e.g. `C9300-24 Network Advantage` or the short tag. */
  description: string;
  count: number;
  enforcement: 'NOT ENFORCED' | 'ENFORCED' | 'EXPORT RESTRICTED';
  duration: 'Perpetual' | 'Subscription';
  billing: 'PREPAID' | 'POSTPAID';
  subscriptionId: string | null;
}

export type SimReportState = 'OPEN' | 'CLOSED' | 'UNACK' | 'ACK';

export interface SimRumReport {
  /** Decimal digits (report IDs may exceed 2^53). */
  reportId: string;
  tag: string;
  count: number;
  /** Epoch **seconds**, as payloads carry them. */
  start: number;
  end: number;
  state: SimReportState;
  utility: boolean;
}

export interface SimProductInstance {
  udi: Udi;
  hostname: string;
  family: ProductFamily;
  softwareVersion: string;
  softwareTag: string;
  virtualAccount: string;
  site: string;
  role: HaRole;
  /** The reporting unit (standalone device or HA set) this instance belongs to. */
  unitId: string;
  trustCodeInstalledAt: number | null;
}

/** A standalone device or an HA set: what saves one usage file, with its active reporting for all members. */
export interface SimReportingUnit {
  id: string;
  hostname: string;
  family: ProductFamily;
  /** The active first, then standby, then members; one element for a standalone device. */
  members: SimProductInstance[];
  virtualAccount: string;
  site: string;
  utility: boolean;
  transport: 'off';
  usage: SimUsage[];
  reports: SimRumReport[];
  lastAckAt: number | null;
  nextAckDeadline: number | null;
  lastReportPush: number | null;
  nextReportPush: number | null;
  /** When the usage file was saved on the device (`license smart save usage`), as the device's clock says. */
  savedAt: number;
  /** Device clock minus true time (0 for most; hours for a few). */
  clockSkewMs: number;
  neverConsumed: boolean;
  overdue: boolean;
  /** Entitlement needing a SLAC (HSEC above 250 Mbps) that is not installed yet, else null. */
  slacNeeded: string | null;
  /** Approximate router throughput in Mbps (routers only), else null. */
  throughputMbps: number | null;
  /** Access points joined (wireless controllers only), else null. */
  accessPoints: number | null;
}

/** A licence pool line in CSSM: what was bought, for the summary file. */
export interface SimLicensePool {
  virtualAccount: string;
  tag: string;
  displayName: string;
  billing: 'PREPAID' | 'POSTPAID';
  quantity: number;
  inUse: number;
  licenseType: 'PERPETUAL' | 'TERM';
  startDate: string | null;
  endDate: string | null;
  subscriptionId: string | null;
  enforced: boolean;
  exportRestricted: boolean;
}

export interface SimFleet {
  seed: string;
  now: number;
  smartAccount: SimSmartAccount;
  virtualAccounts: SimVirtualAccount[];
  units: SimReportingUnit[];
  /** Every product instance, HA members included: `devices: N` means this has N entries. */
  instances: SimProductInstance[];
  pools: SimLicensePool[];
}
