import { gzip } from '../archive/gzip.ts';
import { writeTar } from '../archive/tar.ts';
import { SIMULATED_MARKER } from '../formats/classify.ts';
import { train } from './catalog.ts';
import { type SimShowContext, showLicenseAll, showLicenseStatus, showLicenseSummary } from './cli-text.ts';
import type { SimFleet, SimReportingUnit } from './types.ts';
import { type SimUsageDevice, systemInfoElement, writeUsageFile } from './usage-file.ts';

/**
 * Renders a simulated fleet into the files an operator would carry (capability 11), each kind in the format of
 * FORMATS.md, each marked as simulated inside the file: an XML comment, a `!` line in CLI text (IOS's comment
 * character), a `#` line in the CSV, a field in JSON.
 */
export interface SimFile {
  /** `<kind folder>/<file name>`, e.g. `usage/lon-acc-001_all_rum.txt`. */
  path: string;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const mark = (fleet: SimFleet) => `${SIMULATED_MARKER}: written by the SLP Offline Workbench simulator (seed ${fleet.seed}), not by a Cisco device`;

/** The unit as the usage-file writer sees it: the active's UDI, the HA set, the saved (non-OPEN) reports. */
export function usageDevice(unit: SimReportingUnit): SimUsageDevice {
  const active = unit.members[0]!;
  return {
    udi: active.udi,
    hostname: unit.hostname,
    softwareVersion: active.softwareVersion,
    softwareTag: active.softwareTag,
    ha: unit.members.length > 1 ? unit.members.map((m) => ({ role: m.role, udi: m.udi })) : [],
    savedAt: unit.savedAt,
    reports: unit.reports.filter((r) => r.state !== 'OPEN').map((r) => ({ reportId: r.reportId, entitlementTag: r.tag, count: r.count, start: r.start, end: r.end, utility: r.utility })),
  };
}

/**
 * `license smart save usage all file …` of one standalone device or HA set. Before 17.9 devices wrote the older
 * payload; from 17.7.1 a device without a trust code adds a trust-code request (its element name is not public:
 * the simulator's is made up, and the workbench keeps it without reading it).
 */
export function usageFileOf(fleet: SimFleet, unit: SimReportingUnit): string {
  const version = train(unit.members[0]!.softwareVersion);
  const needsTrust = version >= 1707 && unit.members.some((m) => m.trustCodeInstalledAt === null);
  const extraXml = needsTrust
    ? `<smartLicenseTrustCodeRequest><data>${JSON.stringify({ sudi_list: unit.members.map((m) => ({ udi_pid: m.udi.pid, udi_serial_number: m.udi.sn })) })}</data></smartLicenseTrustCodeRequest>`
    : undefined;
  return writeUsageFile(usageDevice(unit), { payload: version >= 1709 ? '2.0' : 'legacy', comment: mark(fleet), extraXml });
}

/** `license smart authorization request add <feature> local` then `… save <path>` (17.7.1+), for a unit waiting for a SLAC. */
export function slacRequestOf(fleet: SimFleet, unit: SimReportingUnit): string {
  if (!unit.slacNeeded) throw new Error(`${unit.hostname} needs no SLAC`);
  const active = unit.members[0]!;
  const request = [{ sudi: { udi_pid: active.udi.pid, udi_serial_number: active.udi.sn }, keys: [{ entitlement: unit.slacNeeded, count: '1' }], confirm_code: '', remove_code: '' }];
  return `<?xml version="1.0" encoding="UTF-8"?><!-- ${mark(fleet)} --><smartLicense>${systemInfoElement(usageDevice(unit))}<smartLicenseAuthRequest><data>${JSON.stringify(request)}</data></smartLicenseAuthRequest></smartLicense>`;
}

/** Devices of the Lab print times in IST, like the seed's samples; the rest in UTC. */
function showContext(fleet: SimFleet, unit: SimReportingUnit): SimShowContext {
  const va = fleet.virtualAccounts.find((v) => v.name === unit.virtualAccount)!;
  const acked = unit.lastAckAt !== null;
  return {
    unit,
    policy: va.policy,
    smartAccount: acked ? fleet.smartAccount.name : null,
    virtualAccount: acked ? va.name : null,
    now: fleet.now + unit.clockSkewMs,
    timeZone: unit.virtualAccount === 'Lab' ? { abbreviation: 'IST', offsetMinutes: 330 } : { abbreviation: 'UTC', offsetMinutes: 0 },
  };
}

/** The units whose `show license` output is written: about twenty, spread over the fleet. */
export function cliSample(fleet: SimFleet): SimReportingUnit[] {
  const step = Math.max(1, Math.floor(fleet.units.length / 20));
  return fleet.units.filter((_, i) => i % step === 0).slice(0, 24);
}

export function showOutputsOf(fleet: SimFleet, unit: SimReportingUnit): Record<'all' | 'status' | 'summary', string> {
  const ctx = showContext(fleet, unit);
  const head = (command: string) => `! ${mark(fleet)}\n${unit.hostname}#show license ${command}\n`;
  return {
    all: head('all') + showLicenseAll(ctx),
    status: head('status') + showLicenseStatus(ctx),
    summary: head('summary') + showLicenseSummary(ctx),
  };
}

function csvCell(value: string): string {
  return /[",;\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function inventoryCsvOf(fleet: SimFleet): string {
  const haSets = new Set(fleet.units.filter((u) => u.members.length > 1).map((u) => u.id));
  const rows = fleet.instances.map((i) =>
    [i.hostname, i.udi.pid, i.udi.sn, i.virtualAccount, i.site, haSets.has(i.unitId) ? i.unitId : '', i.role === 'standalone' ? '' : i.role].map(csvCell).join(','),
  );
  return `# ${mark(fleet)}\nhostname,pid,serial,virtual_account,site,ha_group,role\n${rows.join('\n')}\n`;
}

/** The CSSM licence summary as the workbench's own `slp-summary/1` tarball (FORMATS.md). */
export async function licenseSummaryOf(fleet: SimFleet): Promise<Uint8Array> {
  const generated = new Date(fleet.now).toISOString();
  const files = [
    {
      name: 'manifest.json',
      bytes: encoder.encode(
        JSON.stringify(
          { format: 'slp-summary/1', generated, simulated: mark(fleet), smart_account: { name: fleet.smartAccount.name, account_id: fleet.smartAccount.id, domain: fleet.smartAccount.domain } },
          null,
          2,
        ),
      ),
      mtime: fleet.now,
    },
  ];
  for (const va of fleet.virtualAccounts) {
    const folder = va.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    const pools = fleet.pools.filter((p) => p.virtualAccount === va.name);
    const summary = [...new Set(pools.map((p) => p.tag))].map((tag) => {
      const lines = pools.filter((p) => p.tag === tag);
      const first = lines[0]!;
      const prepaid = lines.filter((p) => p.billing === 'PREPAID');
      const entitled = prepaid.reduce((n, p) => n + p.quantity, 0);
      const inUse = lines.reduce((n, p) => n + p.inUse, 0);
      return {
        tag,
        display_name: first.displayName,
        enforced: first.enforced,
        export_restricted: first.exportRestricted,
        compliance_status: prepaid.length && inUse > entitled ? 'Insufficient Licenses' : 'In Compliance',
        prepaid_entitled: entitled,
        prepaid_inuse: prepaid.reduce((n, p) => n + p.inUse, 0),
        prepaid_reserved: 0,
        license_details: lines.map((p) => ({
          billing_type: p.billing,
          quantity: p.quantity,
          status: p.endDate && p.endDate < generated.slice(0, 10) ? 'EXPIRED' : 'ACTIVE',
          license_type: p.licenseType,
          start_date: p.startDate,
          end_date: p.endDate,
          subscription_id: p.subscriptionId,
        })),
      };
    });
    const devices = fleet.units
      .filter((u) => u.virtualAccount === va.name && u.lastAckAt !== null)
      .flatMap((u) =>
        u.members.map((m, i) => ({
          sudi: { udiPid: m.udi.pid, udiSerialNumber: m.udi.sn },
          hostName: u.hostname,
          virtualAccount: va.name,
          // CSSM shows usage under the active only; the standby shows "No Records Found" (seed 003 L1625).
          licenseUsage: i === 0 ? u.usage.map((x) => ({ license: x.description, quantity: x.count })) : [],
          lastContactDate: new Date(u.lastAckAt!).toISOString(),
        })),
      );
    files.push({ name: `${folder}/licenses.json`, bytes: encoder.encode(JSON.stringify({ virtual_account: { name: va.name, id: va.id }, summary }, null, 2)), mtime: fleet.now });
    files.push({ name: `${folder}/devices.json`, bytes: encoder.encode(JSON.stringify({ virtual_account: { name: va.name, id: va.id }, devices }, null, 2)), mtime: fleet.now });
  }
  return gzip(await writeTar(files));
}

/** A file name from a hostname and a suffix, unique among the names in `used`. */
export function uniqueName(used: Set<string>, base: string, suffix: string): string {
  let name = `${base}${suffix}`;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}${suffix}`;
  used.add(name);
  return name;
}

/** Every file of the fleet, in a stable order: usage files, SLAC requests, CLI text, CSSM summary, inventory. */
export async function fleetFiles(fleet: SimFleet, onProgress?: (done: number, total: number) => void): Promise<SimFile[]> {
  const files: SimFile[] = [];
  const used = new Set<string>();
  fleet.units.forEach((unit, i) => {
    if (onProgress && i % 500 === 0) onProgress(i, fleet.units.length);
    files.push({ path: `usage/${uniqueName(used, unit.hostname, '_all_rum.txt')}`, bytes: encoder.encode(usageFileOf(fleet, unit)) });
  });
  for (const unit of fleet.units.filter((u) => u.slacNeeded)) {
    files.push({ path: `slac/${uniqueName(used, unit.hostname, '_slac_request.txt')}`, bytes: encoder.encode(slacRequestOf(fleet, unit)) });
  }
  for (const unit of cliSample(fleet)) {
    const outputs = showOutputsOf(fleet, unit);
    for (const command of ['all', 'status', 'summary'] as const) {
      files.push({ path: `cli/${uniqueName(used, unit.hostname, `_show_license_${command}.txt`)}`, bytes: encoder.encode(outputs[command]) });
    }
  }
  files.push({ path: 'cssm/license_summary.tar.gz', bytes: await licenseSummaryOf(fleet) });
  files.push({ path: 'inventory/inventory.csv', bytes: encoder.encode(inventoryCsvOf(fleet)) });
  onProgress?.(fleet.units.length, fleet.units.length);
  return files;
}
