import { gzip } from '../archive/gzip.ts';
import { writeTar } from '../archive/tar.ts';
import type { Assignment } from '../compliance/assignments.ts';
import { safeName } from '../words.ts';
import { ImportError } from '../errors.ts';
import type { ProductInstance } from '../model/fleet.ts';

/**
 * The controller usage report (OURS, FORMATS.md; issue 7): what SD-WAN Manager's offline mode sends CSSM — the
 * licence assignments made here, per Virtual Account — so CSSM's counts follow them. Its real layout is not public,
 * so the workbench writes its own, labelled as such: `slp-controller-usage/1`, a tar.gz holding `manifest.json`
 * and one `<Virtual Account>/assignments.json` per Virtual Account. It goes to CSSM through a cycle of kind
 * `controller` (generated → uploaded → ACK), like device reports.
 */
export const CONTROLLER_FORMAT = 'slp-controller-usage/1';

export interface ControllerReportInput {
  smartAccount: string | null;
  assignments: readonly Assignment[];
  devices: ReadonlyMap<string, ProductInstance>;
  /** The period the report covers (ms): from the last report (or the first assignment) to now. */
  period: { from: number; to: number };
  now: number;
}

export interface ControllerReport {
  name: string;
  bytes: Uint8Array;
  /** Stable identifier written in the manifest, for matching the ACK. */
  reportId: string;
  virtualAccounts: string[];
  assignments: number;
}

const folder = (name: string) => safeName(name);

const iso = (ms: number) => new Date(ms).toISOString();

export async function writeControllerReport(input: ControllerReportInput): Promise<ControllerReport> {
  const active = input.assignments.filter((a) => a.releasedAt === null || a.releasedAt > input.period.from);
  if (active.length === 0) throw new ImportError('invalid', ['controller usage report'], 'has no licence assignment to report: assign licences first');
  const reportId = `${Math.floor(input.now / 1000)}`;
  const byVa = new Map<string, Assignment[]>();
  for (const a of active) byVa.set(a.virtualAccount, [...(byVa.get(a.virtualAccount) ?? []), a]);
  const vas = [...byVa.keys()].sort();
  const encoder = new TextEncoder();
  const manifest = {
    format: CONTROLLER_FORMAT,
    workbench: 'SLP Offline Workbench — a workbench format, not Cisco\'s',
    report_id: reportId,
    generated: iso(input.now),
    smart_account: input.smartAccount,
    period: { start: iso(input.period.from), end: iso(input.period.to) },
    virtual_accounts: vas.map((name) => ({ name, file: `${folder(name)}/assignments.json`, assignments: byVa.get(name)!.length })),
  };
  const files = [{ name: 'manifest.json', bytes: encoder.encode(JSON.stringify(manifest, null, 2)), mtime: input.now }];
  for (const va of vas) {
    const list = byVa.get(va)!.map((a) => {
      const d = input.devices.get(a.deviceKey);
      return {
        udi: d ? { pid: d.udi.pid, sn: d.udi.sn } : { key: a.deviceKey },
        hostname: d?.hostname?.value ?? null,
        entitlement_tag: a.tag,
        name: a.name,
        count: a.count,
        billing_type: a.billing === 'postpaid' ? 'POSTPAID' : 'PREPAID',
        msla: a.msla,
        subscription_id: a.subscriptionId,
        period_start: iso(Math.max(a.assignedAt, input.period.from)),
        period_end: iso(a.releasedAt !== null ? Math.min(a.releasedAt, input.period.to) : input.period.to),
      };
    });
    files.push({ name: `${folder(va)}/assignments.json`, bytes: encoder.encode(JSON.stringify({ virtual_account: va, assignments: list }, null, 2)), mtime: input.now });
  }
  return { name: `controller_usage_${reportId}.tar.gz`, bytes: gzip(await writeTar(files)), reportId, virtualAccounts: vas, assignments: active.length };
}

export interface ControllerReportFacts {
  reportId: string;
  generated: string | null;
  smartAccount: string | null;
  virtualAccounts: string[];
  assignments: number;
}

/** Reads a controller usage report's manifest (already parsed JSON); throws an ImportError naming the file when it is not one. */
export function readControllerManifest(json: unknown, where: readonly string[]): ControllerReportFacts {
  const o = json as Record<string, unknown> | null;
  if (!o || o.format !== CONTROLLER_FORMAT || typeof o.report_id !== 'string') throw new ImportError('wrong-kind', where, `is not a workbench controller usage report (format "${CONTROLLER_FORMAT}")`);
  const vas = Array.isArray(o.virtual_accounts) ? (o.virtual_accounts as Array<Record<string, unknown>>) : [];
  return {
    reportId: o.report_id,
    generated: typeof o.generated === 'string' ? o.generated : null,
    smartAccount: typeof o.smart_account === 'string' ? o.smart_account : null,
    virtualAccounts: vas.map((v) => String(v?.name ?? '')).filter(Boolean),
    assignments: vas.reduce((n, v) => n + (typeof v?.assignments === 'number' ? v.assignments : 0), 0),
  };
}
