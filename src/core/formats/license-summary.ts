import { type Udi, udiFromJson } from '../model/udi.ts';

/**
 * CSSM licence summary for device controllers (INFERRED, FORMATS.md): the real tarball's inner layout is not
 * public, so the reader takes JSON in the shapes of CSSM's public API (accounts, licence summary, devices) from
 * any file of the archive, and the workbench's own `slp-summary/1` layout (manifest.json + one folder per
 * Virtual Account holding licenses.json and devices.json). What it does not recognise it names in warnings.
 */
/** One line of a licence's `license_details`: a purchase (prepaid) or a subscription (postpaid). */
export interface SummaryLicenseDetail {
  billing: string | null;
  quantity: number | null;
  status: string | null;
  licenseType: string | null;
  startDate: string | null;
  endDate: string | null;
  subscriptionId: string | null;
}

export interface SummaryLicense {
  virtualAccount: string | null;
  tag: string | null;
  displayName: string | null;
  /** Sum of the detail lines' quantities (else `prepaid_entitled`). */
  quantity: number | null;
  inUse: number | null;
  /** `prepaid_entitled`, `prepaid_reserved` as CSSM states them. */
  entitled: number | null;
  reserved: number | null;
  details: SummaryLicenseDetail[];
  status: string | null;
  enforced: boolean | null;
  exportRestricted: boolean | null;
  licenseType: string | null;
  billing: string | null;
  subscriptionId: string | null;
  endDate: string | null;
}

export interface SummaryDevice {
  virtualAccount: string | null;
  udi: Udi;
  hostname: string | null;
  lastContact: string | null;
  licenseUsage: Array<{ license: string; quantity: number | null }>;
}

export interface LicenseSummary {
  format: string | null;
  generated: string | null;
  smartAccount: string | null;
  virtualAccounts: string[];
  /** Whether the account's list of Virtual Accounts was given (the accounts JSON): then it is the whole list. */
  accountsListed: boolean;
  licenses: SummaryLicense[];
  devices: SummaryDevice[];
  warnings: string[];
  simulated: boolean;
}

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : null);
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);

/** Reads the JSON files of a summary (path inside the archive → parsed JSON). */
export function readLicenseSummary(files: ReadonlyArray<{ path: string; json: unknown }>): LicenseSummary {
  const out: LicenseSummary = { format: null, generated: null, smartAccount: null, virtualAccounts: [], accountsListed: false, licenses: [], devices: [], warnings: [], simulated: false };
  const addVa = (name: string | null) => {
    if (name && !out.virtualAccounts.includes(name)) out.virtualAccounts.push(name);
  };
  for (const { path, json } of files) {
    const o = obj(json);
    if (!o) {
      out.warnings.push(`${path}: not a JSON object — ignored`);
      continue;
    }
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')).split('/').pop()! : null;
    const vaOfFile = str(obj(o.virtual_account)?.name) ?? str(o.virtual_account) ?? folder;
    let understood = false;
    if (typeof o.format === 'string') {
      out.format = o.format;
      out.generated = str(o.generated);
      out.smartAccount ??= str(obj(o.smart_account)?.name) ?? str(o.smart_account);
      out.simulated ||= typeof o.simulated === 'string' || o.simulated === true;
      understood = true;
    }
    if (Array.isArray(o.accounts)) {
      understood = true;
      out.accountsListed = true;
      for (const a of o.accounts.map(obj)) {
        if (!a) continue;
        out.smartAccount ??= str(a.name);
        for (const va of Array.isArray(a.virtual_accounts) ? a.virtual_accounts.map(obj) : []) addVa(str(va?.name));
      }
    }
    if (Array.isArray(o.summary)) {
      understood = true;
      addVa(vaOfFile);
      for (const l of o.summary.map(obj)) {
        if (!l) continue;
        const details = Array.isArray(l.license_details) ? l.license_details.map(obj).filter((d): d is Json => d !== null) : [];
        const first = details[0];
        out.licenses.push({
          virtualAccount: vaOfFile,
          tag: str(l.tag),
          displayName: str(l.display_name),
          quantity: details.length ? details.reduce((n, d) => n + (num(d.quantity) ?? 0), 0) : num(l.prepaid_entitled),
          inUse: num(l.prepaid_inuse) ?? num(l.in_use),
          status: str(l.compliance_status) ?? str(first?.status),
          enforced: bool(l.enforced),
          exportRestricted: bool(l.export_restricted),
          licenseType: str(first?.license_type),
          billing: str(first?.billing_type),
          subscriptionId: str(first?.subscription_id),
          endDate: str(first?.end_date),
          entitled: num(l.prepaid_entitled),
          reserved: num(l.prepaid_reserved),
          details: details.map((d) => ({
            billing: str(d.billing_type),
            quantity: num(d.quantity),
            status: str(d.status),
            licenseType: str(d.license_type),
            startDate: str(d.start_date),
            endDate: str(d.end_date),
            subscriptionId: str(d.subscription_id),
          })),
        });
      }
    }
    if (Array.isArray(o.devices)) {
      understood = true;
      addVa(vaOfFile);
      for (const d of o.devices.map(obj)) {
        const udi = udiFromJson(d?.sudi) ?? udiFromJson(d);
        if (!d || !udi) continue;
        const usage = Array.isArray(d.licenseUsage) ? d.licenseUsage.map(obj).filter((u): u is Json => u !== null) : [];
        out.devices.push({
          virtualAccount: str(d.virtualAccount) ?? vaOfFile,
          udi,
          hostname: str(d.hostName) ?? str(d.hostname),
          lastContact: str(d.lastContactDate),
          licenseUsage: usage.map((u) => ({ license: str(u.license) ?? '', quantity: num(u.quantity) })),
        });
      }
    }
    if (!understood) out.warnings.push(`${path}: JSON the workbench does not recognise — ignored`);
  }
  return out;
}
