import type { LicenseSummary, SummaryDevice, SummaryLicense } from '../formats/license-summary.ts';
import { entitlementName } from '../model/entitlements.ts';
import type { ProductInstance } from '../model/fleet.ts';
import { DAY } from '../policy/deadlines.ts';

/**
 * The CSSM licence summary as the workbench keeps it (issue 7): one record per Smart Account, replaced whole by a
 * newer summary, with what changed. Pure: the store persists it, the Entitlements view renders `entitlementRows`.
 */
export interface StoredSummary {
  /** The Smart Account's name, or NO_ACCOUNT when the summary does not say. */
  smartAccount: string;
  file: string;
  fileName: string;
  importedAt: number;
  /** When CSSM (or the simulator) generated it, as written. */
  generated: string | null;
  virtualAccounts: string[];
  licenses: SummaryLicense[];
  devices: SummaryDevice[];
  simulated: boolean;
  /** Earlier summaries this one replaced: file, when, and what changed (newest last). */
  history: Array<{ file: string; fileName: string; importedAt: number; changes: string[] }>;
}

export const NO_ACCOUNT = '(Smart Account not named)';

/**
 * What the account's summary becomes with a newly imported one. A complete summary (the `slp-summary/1` tarball,
 * or anything carrying the account's list of Virtual Accounts) replaces the old one whole. A loose piece — one
 * Virtual Account's licences JSON, or its devices JSON — replaces only the Virtual Accounts it covers.
 */
export function mergeSummary(earlier: Pick<StoredSummary, 'licenses' | 'devices' | 'virtualAccounts'> | null, next: LicenseSummary): Pick<StoredSummary, 'licenses' | 'devices' | 'virtualAccounts'> {
  const complete = next.format !== null || next.accountsListed;
  if (!earlier || complete) {
    const vas = new Set([...next.virtualAccounts, ...next.licenses.map((l) => l.virtualAccount), ...next.devices.map((d) => d.virtualAccount)].filter((v): v is string => !!v));
    if (!complete || next.licenses.length || next.devices.length || !earlier) return { licenses: next.licenses, devices: next.devices, virtualAccounts: [...vas] };
    // An accounts list alone names the Virtual Accounts; the licences and devices known stay where they still exist.
    return { licenses: earlier.licenses.filter((l) => !l.virtualAccount || vas.has(l.virtualAccount)), devices: earlier.devices.filter((d) => !d.virtualAccount || vas.has(d.virtualAccount)), virtualAccounts: [...vas] };
  }
  const licenceVas = new Set(next.licenses.map((l) => l.virtualAccount));
  const deviceVas = new Set(next.devices.map((d) => d.virtualAccount));
  return {
    licenses: [...earlier.licenses.filter((l) => !licenceVas.has(l.virtualAccount)), ...next.licenses],
    devices: [...earlier.devices.filter((d) => !deviceVas.has(d.virtualAccount)), ...next.devices],
    virtualAccounts: [...new Set([...earlier.virtualAccounts, ...next.virtualAccounts])],
  };
}

export function toStored(summary: LicenseSummary, merged: Pick<StoredSummary, 'licenses' | 'devices' | 'virtualAccounts'>, key: string, file: string, fileName: string, importedAt: number, earlier: StoredSummary | null, changes: string[]): StoredSummary {
  return {
    smartAccount: key,
    file,
    fileName,
    importedAt,
    generated: summary.generated,
    virtualAccounts: merged.virtualAccounts,
    licenses: merged.licenses,
    devices: merged.devices,
    simulated: summary.simulated || (earlier?.simulated ?? false),
    history: [...(earlier?.history ?? []), ...(earlier ? [{ file: earlier.file, fileName: earlier.fileName, importedAt: earlier.importedAt, changes }] : [])],
  };
}


function lineKey(l: Pick<SummaryLicense, 'virtualAccount' | 'tag' | 'displayName'>): string {
  return `${l.virtualAccount ?? ''}\u0000${(l.tag ?? l.displayName ?? '').toLowerCase()}`;
}

export function licenceLabel(l: Pick<SummaryLicense, 'tag' | 'displayName'>): string {
  return l.displayName ?? (l.tag ? entitlementName(l.tag) : 'a licence without a name');
}

/** The end of a date-only `YYYY-MM-DD` (or an ISO time) in ms, or null. */
export function endOf(date: string | null): number | null {
  if (!date) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59Z` : date);
  return Number.isFinite(ms) ? ms : null;
}

export interface SummaryDiff {
  added: SummaryLicense[];
  removed: SummaryLicense[];
  changed: Array<{ license: SummaryLicense; from: number | null; to: number | null }>;
  virtualAccountsAdded: string[];
  virtualAccountsRemoved: string[];
  /** Term licences and subscriptions of the new summary ending within 90 days of `now` (or already ended). */
  expiring: Array<{ license: SummaryLicense; endDate: string; days: number }>;
}

/** What a newer summary changes: licences added, removed, quantities changed, Virtual Accounts, expiring terms. */
export function summaryDiff(old: Pick<StoredSummary, 'licenses' | 'virtualAccounts'> | null, next: Pick<LicenseSummary, 'licenses' | 'virtualAccounts'>, now: number): SummaryDiff {
  const before = new Map((old?.licenses ?? []).map((l) => [lineKey(l), l]));
  const after = new Map(next.licenses.map((l) => [lineKey(l), l]));
  const diff: SummaryDiff = { added: [], removed: [], changed: [], virtualAccountsAdded: [], virtualAccountsRemoved: [], expiring: [] };
  if (old) {
    for (const [k, l] of after) {
      const was = before.get(k);
      if (!was) diff.added.push(l);
      else if (was.quantity !== l.quantity) diff.changed.push({ license: l, from: was.quantity, to: l.quantity });
    }
    for (const [k, l] of before) if (!after.has(k)) diff.removed.push(l);
    diff.virtualAccountsAdded = next.virtualAccounts.filter((v) => !old.virtualAccounts.includes(v));
    diff.virtualAccountsRemoved = old.virtualAccounts.filter((v) => !next.virtualAccounts.includes(v));
  }
  for (const l of next.licenses) {
    for (const d of l.details) {
      const end = endOf(d.endDate);
      if (end === null) continue;
      const days = Math.floor((end - now) / DAY);
      if (days <= 90) diff.expiring.push({ license: l, endDate: d.endDate!, days });
    }
  }
  diff.expiring.sort((a, b) => a.days - b.days);
  return diff;
}

/** The diff in sentences, for the import's message and the summary's history. */
export function diffLines(diff: SummaryDiff): string[] {
  const where = (l: SummaryLicense) => `${licenceLabel(l)}${l.virtualAccount ? ` (${l.virtualAccount})` : ''}`;
  return [
    ...diff.virtualAccountsAdded.map((v) => `Virtual Account ${v} added`),
    ...diff.virtualAccountsRemoved.map((v) => `Virtual Account ${v} no longer in the summary`),
    ...diff.added.map((l) => `added: ${where(l)}, ${l.quantity ?? '?'}`),
    ...diff.removed.map((l) => `removed: ${where(l)}`),
    ...diff.changed.map((c) => `${where(c.license)}: ${c.from ?? '?'} → ${c.to ?? '?'}`),
    ...diff.expiring.map((e) => `${where(e.license)}: ${e.days < 0 ? `ended ${e.endDate}` : `ends ${e.endDate} (in ${e.days} day${e.days === 1 ? '' : 's'})`}`),
  ];
}

export type Billing = 'prepaid' | 'postpaid' | 'both' | 'unknown';

export interface EntitlementRow {
  virtualAccount: string;
  tag: string | null;
  name: string;
  billing: Billing;
  licenseType: string | null;
  enforced: boolean | null;
  exportRestricted: boolean | null;
  /** What was bought (prepaid quantity, or the sum of all detail lines). */
  entitled: number | null;
  reserved: number;
  /** In use as CSSM counted it when the summary was generated. */
  cssmInUse: number | null;
  /** In use as the devices of this Virtual Account report it in the workbench (sum of their latest counts). */
  reportedInUse: number;
  reportingDevices: number;
  /** entitled − reserved − the larger in-use figure; negative means over-used. */
  available: number | null;
  over: boolean;
  /** The soonest end date of a term licence or subscription, with days left (negative: ended). */
  nextEnd: { date: string; days: number } | null;
  subscriptionIds: string[];
  status: string | null;
}

/**
 * The Entitlements view's rows: each licence of each Virtual Account with what was bought, what CSSM counted in
 * use, what the workbench's devices of that Virtual Account report, what is left, and when terms end.
 */
export function entitlementRows(summary: Pick<StoredSummary, 'licenses'>, devices: readonly ProductInstance[], now: number): EntitlementRow[] {
  // Reported use per Virtual Account and tag, from each device's latest reports (an HA set reports by its active).
  const reported = new Map<string, { count: number; devices: number }>();
  for (const d of devices) {
    const va = d.virtualAccount?.value;
    if (!va) continue;
    for (const l of d.licenses) {
      if (!l.count) continue;
      const k = `${va}\u0000${l.entitlementTag.toLowerCase()}`;
      const r = reported.get(k) ?? { count: 0, devices: 0 };
      r.count += l.count;
      r.devices += 1;
      reported.set(k, r);
    }
  }
  return summary.licenses.map((l) => {
    const va = l.virtualAccount ?? '(Virtual Account not named)';
    const use = l.tag ? reported.get(`${va}\u0000${l.tag.toLowerCase()}`) : undefined;
    const bills = new Set(l.details.map((d) => d.billing?.toUpperCase()));
    const billing: Billing = bills.has('PREPAID') && bills.has('POSTPAID') ? 'both' : bills.has('POSTPAID') ? 'postpaid' : bills.has('PREPAID') || l.entitled !== null ? 'prepaid' : 'unknown';
    const prepaid = l.details.filter((d) => d.billing?.toUpperCase() === 'PREPAID').reduce((n, d) => n + (d.quantity ?? 0), 0);
    const entitled = l.entitled ?? (billing === 'postpaid' ? l.quantity : prepaid || l.quantity);
    const reserved = l.reserved ?? 0;
    const reportedInUse = use?.count ?? 0;
    const inUse = Math.max(l.inUse ?? 0, reportedInUse);
    // Postpaid (MSLA) use is billed as it comes: there is no pool to exceed.
    const available = billing === 'postpaid' || entitled === null ? null : entitled - reserved - inUse;
    const ends = l.details
      .map((d) => ({ date: d.endDate, end: endOf(d.endDate) }))
      .filter((x): x is { date: string; end: number } => x.end !== null)
      .sort((a, b) => a.end - b.end);
    const first = ends.find((x) => x.end >= now) ?? ends[ends.length - 1] ?? null;
    return {
      virtualAccount: va,
      tag: l.tag,
      name: licenceLabel(l),
      billing,
      licenseType: l.licenseType,
      enforced: l.enforced,
      exportRestricted: l.exportRestricted,
      entitled,
      reserved,
      cssmInUse: l.inUse,
      reportedInUse,
      reportingDevices: use?.devices ?? 0,
      available,
      over: available !== null && available < 0,
      nextEnd: first ? { date: first.date, days: Math.floor((first.end - now) / DAY) } : null,
      subscriptionIds: [...new Set(l.details.map((d) => d.subscriptionId).filter((x): x is string => !!x))],
      status: l.status,
    };
  });
}

/**
 * Assignments made before this summary (default entitlements, seed 000 L100) checked against it: each licence
 * assigned in a Virtual Account where the summary has no such licence, or fewer than assigned, is said.
 */
export function reconcileAssignments(active: ReadonlyArray<{ virtualAccount: string; tag: string; name: string; count: number; billing: string }>, summary: Pick<StoredSummary, 'licenses' | 'virtualAccounts'>): string[] {
  const assigned = new Map<string, { name: string; va: string; count: number }>();
  for (const a of active) {
    if (!summary.virtualAccounts.includes(a.virtualAccount)) continue;
    const k = `${a.virtualAccount}\u0000${a.tag.toLowerCase()}`;
    const e = assigned.get(k) ?? { name: a.name, va: a.virtualAccount, count: 0 };
    e.count += a.count;
    assigned.set(k, e);
  }
  const lines: string[] = [];
  for (const [k, e] of assigned) {
    const l = summary.licenses.find((x) => lineKey(x) === k);
    if (!l) lines.push(`assigned but not in this summary: ${e.name} in ${e.va} (${e.count} assigned)`);
    else if (l.quantity !== null && e.count > l.quantity && !l.details.every((d) => d.billing?.toUpperCase() === 'POSTPAID')) lines.push(`${e.name} in ${e.va}: ${e.count} assigned, ${l.quantity} in this summary`);
  }
  return lines;
}
