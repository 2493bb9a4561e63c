import { gzip } from '../archive/gzip.ts';
import { writeTar, writeTarGz } from '../archive/tar.ts';

/**
 * A CSSM upload bundle the way CSLU and SSM On-Prem export them (INFERRED, FORMATS.md): `UD_SA_<ts>.tar.gz`
 * holding a JAR-style `manifest.mf` and one `UD_VA_<ts>.tar.gz` per Virtual Account, each holding one
 * `dev_<n>_<ts>.txt` per device file, passed through byte for byte. The `<n>` is how ACKs map back to devices
 * (Cisco's own sample tool matches by it alone), so the caller gets the mapping back.
 */
export interface BundleDevice {
  /** The device file's bytes, verbatim (a `<smartLicense>` document). */
  bytes: Uint8Array;
  /** Caller's key for this device (a UDI key), returned in the mapping. */
  key: string;
}

export interface BundleVirtualAccount {
  name: string;
  id: string;
  devices: BundleDevice[];
}

export interface UploadBundleInput {
  smartAccount: { name: string; id: string };
  virtualAccounts: BundleVirtualAccount[];
  /** ms; names the files and dates the archive entries, so the same input gives the same bytes. */
  timestamp: number;
  createdBy: string;
}

export interface UploadBundle {
  name: string;
  bytes: Uint8Array;
  /** Per device: the Virtual Account file and the `dev_<n>_…` entry it went into. */
  entries: Array<{ key: string; virtualAccount: string; vaFile: string; devFile: string; n: number }>;
}

export async function writeUploadBundle(input: UploadBundleInput): Promise<UploadBundle> {
  const ts = Math.floor(input.timestamp / 1000);
  const lines = ['Manifest-Version: 1.0', `Created-By: ${input.createdBy}`, `Smart-Account: ${input.smartAccount.name}`, `Smart-Account-ID: ${input.smartAccount.id}`, ''];
  const files = [];
  const entries: UploadBundle['entries'] = [];
  let n = 0;
  for (const [i, va] of input.virtualAccounts.entries()) {
    // One second apart per Virtual Account keeps the inner names distinct, as CSLU's timestamps are.
    const vaFile = `UD_VA_${ts + i}.tar.gz`;
    const devs = va.devices.map((d) => {
      n += 1;
      const devFile = `dev_${n}_${ts + i}.txt`;
      entries.push({ key: d.key, virtualAccount: va.name, vaFile, devFile, n });
      return { name: devFile, bytes: d.bytes, mtime: input.timestamp };
    });
    files.push({ name: vaFile, bytes: await writeTarGz(devs), mtime: input.timestamp });
    lines.push(`Name: /${vaFile}`, `Specification-VA: ${va.name}`, `Specification-VA-ID: ${va.id}`, '');
  }
  const manifest = { name: 'manifest.mf', bytes: new TextEncoder().encode(lines.join('\n')), mtime: input.timestamp };
  // The outer layer holds already compressed UD_VA files: stored, not deflated again.
  return { name: `UD_SA_${ts}.tar.gz`, bytes: gzip(await writeTar([manifest, ...files]), 0), entries };
}

/** The Virtual Account each `UD_VA_…` file of a bundle belongs to, from its manifest.mf. */
export function readBundleManifest(text: string): { smartAccount: string | null; smartAccountId: string | null; virtualAccounts: Map<string, string> } {
  const vas = new Map<string, string>();
  let smartAccount: string | null = null;
  let smartAccountId: string | null = null;
  let section: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw.trim());
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'Smart-Account') smartAccount = value;
    else if (key === 'Smart-Account-ID') smartAccountId = value;
    else if (key === 'Name') section = value.replace(/^\//, '');
    else if (key === 'Specification-VA' && section) vas.set(section, value);
  }
  return { smartAccount, smartAccountId, virtualAccounts: vas };
}
