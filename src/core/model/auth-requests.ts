import type { SlacRequestFile } from '../formats/slac-request.ts';
import { type AuthRequest, type ProductInstance, blankDevice, newer } from './fleet.ts';
import { udiKey } from './udi.ts';

/**
 * SLAC request and return files (issue 6, "Authorizations and trust"): each becomes a request on the device that
 * saved it, pointing at its stored bytes — an authorization cycle uploads the file to CSSM as is and tracks it
 * (requested → uploaded → code received → installed / returned). Pure; the store calls it inside the import.
 */
export interface AuthRequestInput {
  file: string;
  fileName: string;
  importedAt: number;
  slac: ReadonlyArray<SlacRequestFile & { path: string[] }>;
}

export interface AuthRequestMerge {
  devices: ProductInstance[];
  newDevices: number;
  /** Requests recorded now (a file imported again adds none). */
  requests: number;
  warnings: string[];
}

/** Every device key the SLAC files name: what the store must read before merging. */
export function authRequestKeys(slac: AuthRequestInput['slac']): string[] {
  const keys = new Set<string>();
  for (const f of slac) for (const r of f.requests) if (r.udi) keys.add(udiKey(r.udi));
  return [...keys];
}

export function mergeAuthRequests(input: AuthRequestInput, existing: ReadonlyMap<string, ProductInstance>): AuthRequestMerge {
  const devices = new Map<string, ProductInstance>();
  let created = 0;
  let requests = 0;
  const warnings: string[] = [];
  for (const f of input.slac) {
    const at = f.systemInfo?.timestamp ?? null;
    f.requests.forEach((r, i) => {
      if (!r.udi) {
        warnings.push(`${[input.fileName, ...f.path].join(' › ')}: request ${i + 1} names no device (no UDI in it or in its system information) — left out`);
        return;
      }
      const key = udiKey(r.udi);
      let d = devices.get(key);
      if (!d) {
        const old = existing.get(key);
        if (!old) created++;
        d = old ? { ...old, files: [...old.files] } : blankDevice(key, r.udi, input.importedAt);
        devices.set(key, d);
      }
      if (!d.files.includes(input.file)) d.files.push(input.file);
      d.updatedAt = input.importedAt;
      const own = f.systemInfo?.udi && udiKey(f.systemInfo.udi) === key;
      if (own && f.systemInfo?.hostname) d.hostname = newer(d.hostname, f.systemInfo.hostname, input.file, at ?? input.importedAt);
      const id = `${input.file}/${f.path.join('/')}#${i}`;
      if (d.authRequests?.some((x) => x.id === id)) return;
      const request: AuthRequest = {
        id,
        file: input.file,
        fileName: input.fileName,
        entry: f.path,
        kind: r.isReturn ? 'return' : 'request',
        entitlements: r.keys.map((k) => ({ tag: k.entitlement, count: k.count })),
        savedAt: at,
        importedAt: input.importedAt,
      };
      d.authRequests = [...(d.authRequests ?? []), request];
      requests++;
    });
  }
  return { devices: [...devices.values()], newDevices: created, requests, warnings };
}
