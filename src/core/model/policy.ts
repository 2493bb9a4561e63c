/**
 * A reporting policy (seed 004 §4.4, seed 003 §2.1): whether reports need an ACK and, for each of the four
 * licence classes `show license status` prints, three day counts (0 = not required).
 */
export type LicenceClass = 'unenforcedPerpetual' | 'unenforcedSubscription' | 'enforced' | 'export';

/** The four classes in the order `show license status` prints them. */
export const LICENCE_CLASSES: readonly LicenceClass[] = ['unenforcedPerpetual', 'unenforcedSubscription', 'enforced', 'export'];

export interface PolicyClass {
  firstReportDays: number;
  reportingFrequencyDays: number;
  reportOnChangeDays: number;
}

export interface Policy {
  /** `Cisco default` or a custom policy's name (e.g. `SLE Policy`). */
  name: string;
  custom: boolean;
  ackRequired: boolean;
  classes: Record<LicenceClass, PolicyClass>;
  /** When a custom policy was installed on the device (it arrives with an ACK), else null. */
  installedAt: number | null;
}
