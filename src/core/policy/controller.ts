import { DAY, HOUR, day, type Deadline } from './deadlines.ts';

/**
 * SD-WAN Manager in offline mode (seed 000, "License Management Offline Mode"): the controller, not each device,
 * carries the deadlines. Pure rules over what is known of one controller's Smart Account; the licence summary
 * import and controller usage reports (capabilities 3-4) will supply these facts.
 */
export interface ControllerState {
  /** Smart Account the controller's licences belong to. */
  smartAccount: string;
  /** When a licence summary from CSSM was last imported (the controller's "sync"), ms; null when never. */
  lastSyncAt: number | null;
  /** Whether prepaid / postpaid (MSLA) licences are assigned on this controller. */
  prepaid: boolean;
  postpaid: boolean;
  /** When the last usage report was generated, and when its ACK was imported (null when not yet). */
  lastReportGeneratedAt: number | null;
  lastReportAckedAt: number | null;
}


/** "Synchronise with CSSM at least every 90 days" (seed 000, offline mode). */
export function syncRule(c: ControllerState): Deadline | string {
  if (c.lastSyncAt === null) return `Smart Account ${c.smartAccount}: no licence summary imported yet, so the controller has never been synchronised with CSSM`;
  return {
    kind: 'sync',
    dueAt: c.lastSyncAt + 90 * DAY,
    rule: 'controller-sync',
    source: 'computed',
    cls: null,
    superseded: false,
    reason: `Smart Account ${c.smartAccount}: last synchronised with CSSM on ${day(c.lastSyncAt)}; offline mode requires a sync at least every 90 days — estimate`,
  };
}

/**
 * Usage reports: prepaid every 3 months, postpaid every month, after the last report (seed 000). The seed counts
 * in months; so that the operator is never told too late, a month counts as its shortest (28 days) and a quarter
 * as its shortest (89 days).
 */
export function usageReportRule(c: ControllerState): Deadline | null {
  if (!c.prepaid && !c.postpaid) return null;
  const period = c.postpaid ? 28 : 89;
  const from = c.lastReportGeneratedAt ?? c.lastSyncAt;
  if (from === null) return null;
  return {
    kind: 'report',
    dueAt: from + period * DAY,
    rule: 'controller-usage-report',
    source: 'computed',
    cls: null,
    superseded: false,
    reason: `Smart Account ${c.smartAccount}: ${c.postpaid ? 'postpaid licences are reported every month' : 'prepaid licences are reported every 3 months'}; ${c.lastReportGeneratedAt !== null ? `last usage report ${day(c.lastReportGeneratedAt)}` : `no usage report yet, synchronised ${day(from)}`} — estimate (counted as ${period} days, the shortest ${c.postpaid ? 'month' : 'quarter'})`,
  };
}

/** "An alert 48 hours after a usage report is generated without its ACK" (seed 000, compliance). */
export function ackAlert(c: ControllerState, now: number): string | null {
  if (c.lastReportGeneratedAt === null) return null;
  if (c.lastReportAckedAt !== null && c.lastReportAckedAt >= c.lastReportGeneratedAt) return null;
  if (now - c.lastReportGeneratedAt < 48 * HOUR) return null;
  return `Smart Account ${c.smartAccount}: the usage report generated on ${day(c.lastReportGeneratedAt)} has had no ACK for more than 48 hours — upload it to CSSM and import the ACK`;
}
