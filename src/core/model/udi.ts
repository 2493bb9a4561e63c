/**
 * UDI = product ID (PID) + serial number (SN): the key of a product instance. Cisco spells it many ways
 * (FORMATS.md "Identifiers"); every spelling is normalised to one `Udi` and one key string.
 */
export interface Udi {
  pid: string;
  sn: string;
}

/** The one key for a product instance, in Cisco's own `PID:…,SN:…` spelling, upper-cased. */
export function udiKey(udi: Udi): string {
  return `PID:${trimmedUpper(udi.pid)},SN:${trimmedUpper(udi.sn)}`;
}

/**
 * `s.trim().toUpperCase()`, but `s` itself when that would not change it (nearly always: UDIs are upper-case
 * ASCII): keys are spelt for every device of an import, and the two calls cost more than this check.
 */
function trimmedUpper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Anything trim() or toUpperCase() may change is a control or space character, a lower-case letter, or not ASCII.
    if (c <= 0x20 || c >= 0x7f || (c >= 0x61 && c <= 0x7a)) return s.trim().toUpperCase();
  }
  return s;
}

const PID_SN = /(?:UDI_)?P(?:ID)?\s*:\s*([A-Za-z0-9][A-Za-z0-9._/+-]*)\s*[,;]\s*(?:UDI_)?S(?:N)?\s*:\s*([A-Za-z0-9][A-Za-z0-9._/+-]*)/;

/**
 * Finds a UDI in text: `PID:C9300-24UX,SN:FCW2303D16Y`, `Active: PID:…,SN:…`, `P:C9800-CL-K9,S:9KGIXIDOXFE`,
 * `UDI_PID:C9800-CL-K9; UDI_SN:93BBAH93MGS;`, `PID:C9800-CL-K9, SN:9XECPSUU4XN`.
 */
export function parseUdiText(text: string): Udi | null {
  const m = PID_SN.exec(text);
  return m ? { pid: m[1]!, sn: m[2]! } : null;
}

/** A UDI from JSON: device files use `{udi_pid, udi_serial_number}`, CSSM's API `{udiPid, udiSerialNumber}`. */
export function udiFromJson(value: unknown): Udi | null {
  if (!value || typeof value !== 'object') return null;
  const o = value as Record<string, unknown>;
  const pid = o.udi_pid ?? o.udiPid ?? o.pid;
  const sn = o.udi_serial_number ?? o.udiSerialNumber ?? o.serial_number ?? o.sn;
  if (typeof pid !== 'string' || typeof sn !== 'string' || !pid.trim() || !sn.trim()) return null;
  return { pid: pid.trim(), sn: sn.trim() };
}
