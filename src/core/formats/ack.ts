import { ImportError } from '../errors.ts';
import { type Udi, parseUdiText, udiFromJson } from '../model/udi.ts';
import { parseXml, textOf } from './xml.ts';
import { LICENCE_CLASSES as CLASSES, type Policy } from '../model/policy.ts';

/** The simulated policy body (`slp-sim-policy/1`, docs/formats.md); null for anything else. */
function policyOf(text: string): Policy | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!o || o.format !== 'slp-sim-policy/1' || typeof o.name !== 'string' || typeof o.classes !== 'object' || !o.classes) return null;
  const classes = {} as Policy['classes'];
  for (const c of CLASSES) {
    const v = (o.classes as Record<string, Record<string, unknown> | undefined>)[c];
    const n = (k: string) => (typeof v?.[k] === 'number' && Number.isInteger(v[k]) && (v[k] as number) >= 0 ? (v[k] as number) : null);
    const first = n('firstReportDays');
    const freq = n('reportingFrequencyDays');
    const change = n('reportOnChangeDays');
    if (first === null || freq === null || change === null) return null;
    classes[c] = { firstReportDays: first, reportingFrequencyDays: freq, reportOnChangeDays: change };
  }
  return { name: o.name, custom: o.custom !== false, ackRequired: o.ackRequired !== false, classes, installedAt: null };
}

/**
 * ACK from CSSM (INFERRED, FORMATS.md): `<smartLicense><smartLicenseRumAck><data>…</data></smartLicenseRumAck>`,
 * maybe followed by `<smartLicensePolicy>`s. The encoding of `<data>` is not public, so this reader is lenient:
 * it takes report IDs and UDIs wherever a JSON body puts them, SA/VA names and a timestamp when present, and
 * says what it could not understand. It depends on no particular layout (the simulator's included).
 */
export interface AckFile {
  acknowledged: Array<{ reportId: string; udi: Udi | null }>;
  /** A policy that came with the ACK, when its body could be read (the workbench's simulated `slp-sim-policy/1`). */
  policy: Policy | null;
  smartAccount: string | null;
  virtualAccount: string | null;
  timestamp: number | null;
  udi: Udi | null;
  policies: number;
  /** Trust codes the ACK returns (17.7.1+ answers a trust-code request in the usage file), per UDI when it says. */
  trustCodes: Array<{ udi: Udi | null; code: string }>;
  /** Authorization codes (SLAC) the ACK carries. */
  authorizationCodes: Array<{ udi: Udi | null; code: string }>;
  /** Utility mode: subscription ID per entitlement tag (or per position when the ACK lists bare IDs). */
  subscriptionIds: Record<string, string>;
  /** The controller usage report an ACK answers, when it names it (the simulator's `controller_report_id`). */
  reportRef: string | null;
  simulated: boolean;
  warnings: string[];
}

type Json = Record<string, unknown>;

function walk(value: unknown, inherited: Udi | null, out: AckFile): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, inherited, out);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const o = value as Json;
  const here = udiFromJson(o.sudi) ?? udiFromJson(o) ?? inherited;
  for (const [key, v] of Object.entries(o)) {
    if (/^report_?id$/i.test(key) && (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) {
      out.acknowledged.push({ reportId: String(v), udi: here });
    } else if (/^smart_?account$/i.test(key) && typeof v === 'string') out.smartAccount ??= v;
    else if (/^virtual_?account$/i.test(key) && typeof v === 'string') out.virtualAccount ??= v;
    else if (key === 'timestamp' && typeof v === 'number') out.timestamp ??= v;
    else if (/^controller_?report_?id$/i.test(key) && (typeof v === 'string' || typeof v === 'number')) out.reportRef ??= String(v);
    else if (/^trust_?code$/i.test(key) && typeof v === 'string' && v) out.trustCodes.push({ udi: here, code: v });
    else if (/^(auth(orization)?_?codes?|slac)$/i.test(key) && (typeof v === 'string' || Array.isArray(v))) {
      for (const code of Array.isArray(v) ? v : [v]) if (typeof code === 'string' && code) out.authorizationCodes.push({ udi: here, code });
    } else if (/^subscription_?ids?$/i.test(key) && v && typeof v === 'object') {
      for (const [k, id] of Object.entries(v as Json)) if (typeof id === 'string') out.subscriptionIds[Array.isArray(v) ? String(Object.keys(out.subscriptionIds).length) : k] = id;
    }
    else if (key === 'format' && typeof v === 'string' && v.startsWith('slp-sim-')) out.simulated = true;
    else walk(v, here, out);
  }
}

export function readAck(bytes: Uint8Array, where: readonly string[]): AckFile {
  const doc = parseXml(bytes, where);
  const container = doc.root.name === 'smartLicense' ? doc.root : null;
  const ackNode = doc.root.name === 'smartLicenseRumAck' ? doc.root : container?.children.find((c) => c.name === 'smartLicenseRumAck');
  if (!ackNode) throw new ImportError('wrong-kind', where, 'holds no <smartLicenseRumAck>: not an ACK');
  const out: AckFile = { acknowledged: [], policy: null, smartAccount: null, virtualAccount: null, timestamp: null, udi: null, policies: 0, trustCodes: [], authorizationCodes: [], subscriptionIds: {}, reportRef: null, simulated: false, warnings: [] };
  const policies = container ? container.children.filter((c) => c.name === 'smartLicensePolicy') : [];
  out.policies = policies.length;
  for (const node of policies) {
    const body = textOf(doc, node.children.find((c) => c.name === 'data') ?? node, where).trim();
    out.policy ??= policyOf(body);
    if (!out.policy) out.warnings.push('the ACK carries a policy whose encoding is not public: kept in the file, not read');
  }
  const data = ackNode.children.find((c) => c.name === 'data') ?? ackNode;
  const text = textOf(doc, data, where).trim();
  let json: unknown = undefined;
  try {
    // Report IDs go up to 2^64-1, beyond a JSON number's exact range: read them as text.
    json = JSON.parse(text.replace(/("report_?id"\s*:\s*)(\d{16,})/gi, '$1"$2"'));
  } catch {
    // Not JSON: the real encoding is not public. Keep the file; say what could not be read.
  }
  if (json !== undefined) {
    out.udi = udiFromJson((json as Json | null)?.sudi) ?? null;
    walk(json, out.udi, out);
  } else {
    const udi = parseUdiText(text);
    out.udi = udi;
    out.warnings.push('the ACK body is not JSON and its encoding is not public: the file is kept as is, its report IDs could not be read');
  }
  return out;
}
