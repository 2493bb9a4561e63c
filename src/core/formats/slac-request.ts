import { ImportError } from '../errors.ts';
import type { SystemInfo } from '../model/types.ts';
import { type Udi, udiFromJson } from '../model/udi.ts';
import { parseJson, readSystemInfo } from './usage-report.ts';
import { parseXml, textOf } from './xml.ts';

/**
 * SLAC request file (KNOWN envelope, FORMATS.md): `license smart authorization request … save <path>` writes
 * `<smartLicense>` with `<smartLicenseSystemInfo>` and `<smartLicenseAuthRequest><data>` holding a JSON array of
 * requests `{sudi?, keys: [{entitlement, count}], confirm_code, remove_code}`. A return has empty keys and a
 * remove code.
 */
export interface SlacRequest {
  udi: Udi | null;
  keys: Array<{ entitlement: string; count: number | null }>;
  isReturn: boolean;
}

export interface SlacRequestFile {
  systemInfo: SystemInfo | null;
  requests: SlacRequest[];
  warnings: string[];
}

export function readSlacRequest(bytes: Uint8Array, where: readonly string[]): SlacRequestFile {
  const doc = parseXml(bytes, where);
  if (doc.root.name !== 'smartLicense') throw new ImportError('wrong-kind', where, `is XML with root <${doc.root.name}>, not a SLAC request`);
  const info = doc.root.children.find((c) => c.name === 'smartLicenseSystemInfo');
  const auth = doc.root.children.find((c) => c.name === 'smartLicenseAuthRequest');
  if (!auth) throw new ImportError('invalid', where, 'has no <smartLicenseAuthRequest>');
  const data = auth.children.find((c) => c.name === 'data') ?? auth;
  const json = parseJson(textOf(doc, data, where).trim(), where, () => 'the authorization request');
  const list = Array.isArray(json) ? json : [json];
  const systemInfo = info ? readSystemInfo(doc, info, where) : null;
  const warnings: string[] = [];
  const requests: SlacRequest[] = list.map((entry, i) => {
    const o = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const keys = Array.isArray(o.keys) ? o.keys : [];
    const parsed = keys.flatMap((k) => {
      const key = (k && typeof k === 'object' ? k : {}) as Record<string, unknown>;
      if (typeof key.entitlement !== 'string') {
        warnings.push(`request ${i + 1}: a key without an entitlement tag was left out`);
        return [];
      }
      const count = typeof key.count === 'number' ? key.count : typeof key.count === 'string' && /^\d+$/.test(key.count) ? Number(key.count) : null;
      return [{ entitlement: key.entitlement, count }];
    });
    return { udi: udiFromJson(o.sudi) ?? systemInfo?.udi ?? null, keys: parsed, isReturn: parsed.length === 0 && typeof o.remove_code === 'string' && o.remove_code !== '' };
  });
  return { systemInfo, requests, warnings };
}
