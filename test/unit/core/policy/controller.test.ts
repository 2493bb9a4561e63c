import { describe, expect, it } from 'vitest';
import { ackAlert, syncRule, usageReportRule, type ControllerState } from '../../../../src/core/policy/controller.ts';

const DAY = 86_400_000;
const T = Date.UTC(2026, 9, 1);
const base: ControllerState = { smartAccount: 'ACME', lastSyncAt: T, prepaid: true, postpaid: false, lastReportGeneratedAt: null, lastReportAckedAt: null };

describe('SD-WAN Manager offline mode rules', () => {
  it('synchronise at least every 90 days, and says so when never synchronised', () => {
    expect(syncRule(base)).toMatchObject({ kind: 'sync', rule: 'controller-sync', dueAt: T + 90 * DAY });
    expect(syncRule({ ...base, lastSyncAt: null })).toMatch(/never been synchronised/);
  });

  it('usage reports: prepaid every quarter, postpaid every month, counted short so never late', () => {
    expect(usageReportRule({ ...base, lastReportGeneratedAt: T })).toMatchObject({ dueAt: T + 89 * DAY });
    expect(usageReportRule({ ...base, postpaid: true, lastReportGeneratedAt: T })).toMatchObject({ dueAt: T + 28 * DAY });
    expect(usageReportRule({ ...base, prepaid: false })).toBeNull();
    expect(usageReportRule({ ...base, lastReportGeneratedAt: null })!.dueAt).toBe(T + 89 * DAY); // from the sync
  });

  it('alerts 48 hours after a report is generated without its ACK, not before, not after the ACK', () => {
    const generated = { ...base, lastReportGeneratedAt: T };
    expect(ackAlert(generated, T + 47 * 3_600_000)).toBeNull();
    expect(ackAlert(generated, T + 48 * 3_600_000)).toMatch(/no ACK for more than 48 hours/);
    expect(ackAlert({ ...generated, lastReportAckedAt: T + 3_600_000 }, T + 72 * 3_600_000)).toBeNull();
    expect(ackAlert({ ...generated, lastReportAckedAt: T - DAY }, T + 72 * 3_600_000)).toMatch(/48 hours/); // an older ACK does not count
  });
});
