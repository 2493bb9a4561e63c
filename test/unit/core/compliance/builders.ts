import type { SummaryLicense, SummaryLicenseDetail } from '../../../../src/core/formats/license-summary.ts';
import type { ProductInstance } from '../../../../src/core/model/fleet.ts';
import { udiKey } from '../../../../src/core/model/udi.ts';

/** Test builders shared by the assignment-rule and compliance tests. */
export function device(pid: string, sn: string, hostname: string): ProductInstance {
  const udi = { pid, sn };
  return { key: udiKey(udi), udi, hostname: { value: hostname, file: 'f', at: 0 }, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: [], firstSeen: 0, updatedAt: 0 };
}

export function detail(billing: 'PREPAID' | 'POSTPAID', quantity: number, subscriptionId: string | null = null, endDate: string | null = null): SummaryLicenseDetail {
  return { billing, quantity, status: 'ACTIVE', licenseType: 'TERM', startDate: '2025-01-01', endDate, subscriptionId };
}

export function licence(virtualAccount: string, tag: string, displayName: string, details: SummaryLicenseDetail[], status: string | null = null): SummaryLicense {
  const prepaid = details.filter((d) => d.billing === 'PREPAID').reduce((n, d) => n + (d.quantity ?? 0), 0);
  return {
    virtualAccount,
    tag,
    displayName,
    quantity: details.reduce((n, d) => n + (d.quantity ?? 0), 0),
    inUse: 0,
    entitled: prepaid || null,
    reserved: 0,
    details,
    status,
    enforced: false,
    exportRestricted: false,
    licenseType: details[0]?.licenseType ?? null,
    billing: details[0]?.billing ?? null,
    subscriptionId: details[0]?.subscriptionId ?? null,
    endDate: details[0]?.endDate ?? null,
  };
}
