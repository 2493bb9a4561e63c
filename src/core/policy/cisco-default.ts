import type { Policy } from '../model/policy.ts';

/**
 * The Cisco default policy, exactly as seed 004 Table 6 (L287-295) and seed 003 Table 2 (L175-183) give it:
 * ACK required; first report / reporting frequency / report on change, in days. The 365-day first report of
 * unenforced perpetual licences applies only to hardware or software bought from a distributor or partner
 * (004:L295). Always present on a device; in effect when no other policy applies.
 */
export const CISCO_DEFAULT_POLICY: Policy = Object.freeze({
  name: 'Cisco default',
  custom: false,
  ackRequired: true,
  classes: {
    unenforcedPerpetual: { firstReportDays: 365, reportingFrequencyDays: 0, reportOnChangeDays: 90 },
    unenforcedSubscription: { firstReportDays: 90, reportingFrequencyDays: 90, reportOnChangeDays: 90 },
    enforced: { firstReportDays: 0, reportingFrequencyDays: 0, reportOnChangeDays: 0 },
    export: { firstReportDays: 0, reportingFrequencyDays: 0, reportOnChangeDays: 0 },
  },
  installedAt: null,
});
