import { type FileAnalysis, analyseFile } from '../analyse.ts';
import { expand, leaves } from '../archive/expand.ts';
import { gzip } from '../archive/gzip.ts';
import { readControllerManifest } from '../entitlements/controller-report.ts';
import { writeTar } from '../archive/tar.ts';
import { readBundleManifest } from '../bundle/upload.ts';
import { describeError } from '../errors.ts';
import { KIND_LABELS, SIMULATED_MARKER } from '../formats/classify.ts';
import type { UsageFile } from '../formats/usage-report.ts';
import { udiKey } from '../model/udi.ts';
import type { CssmLedger } from './ledger.ts';
import { Rng } from './rng.ts';
import type { SimPolicy } from './types.ts';

/**
 * The simulated CSSM (capability 11), for demos and tests only: it takes what an operator would upload on the
 * "Usage Data Files" page (one device usage file, or an upload bundle), checks it as CSSM would — readable,
 * no report uploaded before (CSSM rejects duplicates, and uploads cannot be deleted there), a Virtual Account
 * that exists — and answers with an ACK (`slp-sim-ack/1` in `<data>`, FORMATS.md) or an ACK bundle.
 * Everything it writes says it is simulated. Real parsers must not depend on these shapes.
 */
export interface CssmOptions {
  now: number;
  /** Where a single device file is uploaded (the page's Virtual Account selector); default: the first. */
  virtualAccount?: string;
  /** The policy to send with an ACK for a Virtual Account (CSSM sends the one that applies), or null for none. */
  policyFor?: (virtualAccount: string) => SimPolicy | null;
}

export type CssmOutcome =
  | { accepted: true; name: string; bytes: Uint8Array; kind: 'ack' | 'ack-bundle'; devices: number; acknowledged: number; ledger: CssmLedger }
  | { accepted: false; reason: string };

function reject(reason: string): CssmOutcome {
  return { accepted: false, reason };
}

/** A trust code is opaque to the workbench; the simulator makes a deterministic one per UDI. */
function trustCode(key: string, now: number): string {
  return new Rng(`trust|${key}|${now}`).chars(64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
}

function subscriptionId(virtualAccount: string, tag: string): string {
  return `Sub${new Rng(`sub|${virtualAccount}|${tag}`).int(10_000_000, 99_999_999)}`;
}

function ackXml(usage: UsageFile, virtualAccount: string, smartAccount: string, options: CssmOptions): string {
  const active = usage.systemInfo?.udi ?? usage.reports[0]?.udi ?? usage.devices[0]?.udi;
  const asked = usage.unknownElements.some((e) => /trust/i.test(e.name));
  const utilityTags = [...new Set(usage.reports.filter((r) => r.utility && r.entitlementTag).map((r) => r.entitlementTag!))];
  const body: Record<string, unknown> = {
    format: 'slp-sim-ack/1',
    simulated: `${SIMULATED_MARKER}: written by the SLP Offline Workbench simulator, not by Cisco`,
    sudi: active ? { udi_pid: active.pid, udi_serial_number: active.sn } : null,
    timestamp: options.now,
    smart_account: smartAccount,
    virtual_account: virtualAccount,
    acknowledgements: usage.reports.map((r) => ({ report_id: { __raw: r.reportId }, status: 'ACKED' })),
  };
  if (utilityTags.length) body.subscription_ids = Object.fromEntries(utilityTags.map((t) => [t, subscriptionId(virtualAccount, t)]));
  if (asked && active) body.trust_code = trustCode(udiKey(active), options.now);
  const json = JSON.stringify(body, (_k, v: unknown) => (v && typeof v === 'object' && '__raw' in v ? `\u0000${(v as { __raw: string }).__raw}` : v)).replace(/"\\u0000(\d+)"/g, '$1');
  const chosen = options.policyFor?.(virtualAccount) ?? null;
  const policy = chosen ? `<smartLicensePolicy><data>${JSON.stringify({ format: 'slp-sim-policy/1', simulated: SIMULATED_MARKER, ...chosen })}</data></smartLicensePolicy>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><!-- ${SIMULATED_MARKER}: simulated CSSM acknowledgement --><smartLicense><smartLicenseRumAck><data>${json}</data></smartLicenseRumAck>${policy}</smartLicense>`;
}

export async function simulateCssm(name: string, bytes: Uint8Array, ledger: CssmLedger, options: CssmOptions): Promise<CssmOutcome> {
  let analysis;
  try {
    analysis = await analyseFile(name, bytes);
  } catch (e) {
    return reject(`CSSM could not read ${describeError(e, [name])}`);
  }
  if (analysis.kind === 'slac-request') return answerSlac(name, analysis.other.slacRequests, analysis.sha256, ledger, options);
  if (analysis.kind === 'controller-report') return answerController(name, bytes, analysis.sha256, ledger, options);
  if (analysis.kind !== 'usage-report' && analysis.kind !== 'upload-bundle') {
    const what = analysis.kind === 'archive' ? 'an archive without a bundle manifest' : `${KIND_LABELS[analysis.kind]} (${analysis.kindReason})`;
    return reject(`CSSM's Usage Data Files page takes a device usage file, an upload bundle, a SLAC request or a controller usage report; ${name} is ${what}`);
  }
  const broken = analysis.entries.find((e) => e.status === 'error');
  if (broken) return reject(`CSSM could not read ${[name, ...broken.path].join(' › ')}: ${broken.note}`);
  if (analysis.usage.length === 0 || analysis.usage.every((u) => u.usage.reports.length === 0)) return reject(`${name} holds no RUM reports: there is nothing to acknowledge`);

  // Which Virtual Account each device file goes to.
  const vaOfEntry = new Map<string, string>();
  if (analysis.kind === 'upload-bundle') {
    const manifest = readBundleManifest(analysis.bundleManifest ?? '');
    if (manifest.smartAccount && manifest.smartAccount !== ledger.smartAccount.name) {
      return reject(`${name} is for Smart Account "${manifest.smartAccount}", not "${ledger.smartAccount.name}"`);
    }
    for (const { path } of analysis.usage) {
      const va = manifest.virtualAccounts.get(path[0] ?? '');
      if (!va) return reject(`${name}: the manifest names no Virtual Account for ${path[0]}`);
      if (!ledger.virtualAccounts.includes(va)) return reject(`${name}: Virtual Account "${va}" does not exist in Smart Account "${ledger.smartAccount.name}"`);
      vaOfEntry.set(path.join('/'), va);
    }
  } else {
    const va = options.virtualAccount ?? ledger.virtualAccounts[0];
    if (!va || !ledger.virtualAccounts.includes(va)) return reject(`Virtual Account "${va ?? ''}" does not exist in Smart Account "${ledger.smartAccount.name}"`);
    vaOfEntry.set('', va);
  }

  // CSSM rejects a report it has received before.
  for (const { usage } of analysis.usage) {
    for (const r of usage.reports) {
      const key = udiKey(r.udi);
      if (ledger.received[key]?.includes(r.reportId)) {
        return reject(`report ${r.reportId} of ${key} was uploaded to CSSM before: CSSM rejects usage reports it has already received (and uploads cannot be deleted there)`);
      }
    }
  }

  const next: CssmLedger = { ...ledger, received: { ...ledger.received }, uploads: [...ledger.uploads] };
  let acknowledged = 0;
  for (const { usage } of analysis.usage) {
    for (const r of usage.reports) {
      const key = udiKey(r.udi);
      next.received[key] = [...(next.received[key] ?? []), r.reportId];
      acknowledged++;
    }
  }

  const encoder = new TextEncoder();
  let out: { name: string; bytes: Uint8Array; kind: 'ack' | 'ack-bundle' };
  if (analysis.kind === 'usage-report') {
    const [only] = analysis.usage;
    out = { name: `ACK_${name}`, bytes: encoder.encode(ackXml(only!.usage, vaOfEntry.get('')!, ledger.smartAccount.name, options)), kind: 'ack' };
  } else {
    const byVaFile = new Map<string, Array<{ name: string; bytes: Uint8Array; mtime: number }>>();
    for (const { path, usage } of analysis.usage) {
      const [vaFile = '', devFile = ''] = path;
      const list = byVaFile.get(vaFile) ?? [];
      list.push({ name: `ACK_${devFile}`, bytes: encoder.encode(ackXml(usage, vaOfEntry.get(path.join('/'))!, ledger.smartAccount.name, options)), mtime: options.now });
      byVaFile.set(vaFile, list);
    }
    const inner = [];
    for (const [vaFile, acks] of byVaFile) inner.push({ name: `ACK_${vaFile}`, bytes: gzip(await writeTar(acks)), mtime: options.now });
    out = { name: `ACK_${name}`, bytes: gzip(await writeTar(inner), 0), kind: 'ack-bundle' };
  }
  next.uploads.push({ name, sha256: analysis.sha256, at: options.now, virtualAccounts: [...new Set(vaOfEntry.values())], reports: acknowledged, ack: out.name });
  return { accepted: true, ...out, devices: analysis.usage.length, acknowledged, ledger: next };
}

/**
 * A SLAC request or return uploaded "as you would a RUM report" (seed 004 L658-662): the answer is a file installed
 * on the device like an ACK. The simulator writes it in its ACK envelope with `authorization_codes` (one opaque
 * code per requested entitlement) or, for a return, `returned: true`.
 */
function answerSlac(name: string, files: FileAnalysis['other']['slacRequests'], sha256: string, ledger: CssmLedger, options: CssmOptions): CssmOutcome {
  const va = options.virtualAccount ?? ledger.virtualAccounts[0];
  if (!va || !ledger.virtualAccounts.includes(va)) return reject(`Virtual Account "${va ?? ''}" does not exist in Smart Account "${ledger.smartAccount.name}"`);
  const requests = files.flatMap((f) => f.requests);
  const [first] = requests;
  if (!first?.udi) return reject(`${name} holds no SLAC request naming a device`);
  const isReturn = requests.every((r) => r.isReturn);
  const codes = isReturn ? [] : requests.flatMap((r) => r.keys.map((k) => `SLAC-${new Rng(`slac|${udiKey(r.udi ?? first.udi!)}|${k.entitlement}|${options.now}`).chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`));
  const body = {
    format: 'slp-sim-ack/1',
    simulated: `${SIMULATED_MARKER}: written by the SLP Offline Workbench simulator, not by Cisco`,
    sudi: { udi_pid: first.udi.pid, udi_serial_number: first.udi.sn },
    timestamp: options.now,
    smart_account: ledger.smartAccount.name,
    virtual_account: va,
    acknowledgements: [],
    ...(isReturn ? { returned: true } : { authorization_codes: codes }),
  };
  const xml = `<?xml version="1.0" encoding="UTF-8"?><!-- ${SIMULATED_MARKER}: simulated CSSM answer to a SLAC ${isReturn ? 'return' : 'request'} --><smartLicense><smartLicenseRumAck><data>${JSON.stringify(body)}</data></smartLicenseRumAck></smartLicense>`;
  const next: CssmLedger = { ...ledger, uploads: [...ledger.uploads, { name, sha256, at: options.now, virtualAccounts: [va], reports: 0, ack: `ACK_${name}` }] };
  return { accepted: true, name: `ACK_${name}`, bytes: new TextEncoder().encode(xml), kind: 'ack', devices: 1, acknowledged: 0, ledger: next };
}

/**
 * SD-WAN Manager's usage report uploaded on the same page (seed 000 L800-817): the simulator reads the workbench's
 * own `slp-controller-usage/1` report and answers with an ACK naming it (`controller_report_id`).
 */
async function answerController(name: string, bytes: Uint8Array, sha256: string, ledger: CssmLedger, options: CssmOptions): Promise<CssmOutcome> {
  const tree = await expand(name, bytes);
  const manifest = leaves(tree).find((l) => l.name === 'manifest.json' && l.path.length === 1);
  if (!manifest) return reject(`${name} has no manifest.json`);
  let facts;
  try {
    facts = readControllerManifest(JSON.parse(new TextDecoder().decode(manifest.bytes)), [name, 'manifest.json']);
  } catch (e) {
    return reject(`CSSM could not read ${describeError(e, [name])}`);
  }
  if (facts.smartAccount && facts.smartAccount !== ledger.smartAccount.name) return reject(`${name} is for Smart Account "${facts.smartAccount}", not "${ledger.smartAccount.name}"`);
  if (ledger.uploads.some((u) => u.sha256 === sha256)) return reject(`${name} was uploaded to CSSM before`);
  const unknownVa = facts.virtualAccounts.find((v) => !ledger.virtualAccounts.includes(v));
  if (unknownVa) return reject(`${name}: Virtual Account "${unknownVa}" does not exist in Smart Account "${ledger.smartAccount.name}"`);
  const body = {
    format: 'slp-sim-ack/1',
    simulated: `${SIMULATED_MARKER}: written by the SLP Offline Workbench simulator, not by Cisco`,
    timestamp: options.now,
    smart_account: ledger.smartAccount.name,
    controller_report_id: facts.reportId,
    virtual_accounts: facts.virtualAccounts,
    acknowledgements: [],
  };
  const xml = `<?xml version="1.0" encoding="UTF-8"?><!-- ${SIMULATED_MARKER}: simulated CSSM acknowledgement of a controller usage report --><smartLicense><smartLicenseRumAck><data>${JSON.stringify(body)}</data></smartLicenseRumAck></smartLicense>`;
  const next: CssmLedger = { ...ledger, uploads: [...ledger.uploads, { name, sha256, at: options.now, virtualAccounts: facts.virtualAccounts, reports: facts.assignments, ack: `ACK_${name}` }] };
  return { accepted: true, name: `ACK_${name}`, bytes: new TextEncoder().encode(xml), kind: 'ack', devices: 0, acknowledged: facts.assignments, ledger: next };
}
