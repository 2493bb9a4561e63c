import type { HaRole } from '../../model/types.ts';
import { parseUdiText, udiKey, type Udi } from '../../model/udi.ts';

/** A product instance a `show license …` capture names, with its HA role when the capture gives one. */
export interface CliDevice {
  udi: Udi;
  role: HaRole;
}

/**
 * Every UDI spelling of model/udi.ts, anywhere on a line (the Cisco documents collapse whole blocks into one
 * line), optionally after an HA role: `UDI: PID:…,SN:…`, `Active:PID:…` (HA UDI List), `Standby: PID:…`
 * (Trust Code Installed, Overall status), `P:…,S:…` (tech support trust store), `PID:…, SN:…`. The look-behind
 * keeps `P:` from matching inside a longer word.
 */
const UDI_ON_LINE =
  /(?:\b(Active|Standby|Member)\s*:\s*)?(?<![A-Za-z0-9])((?:UDI_)?P(?:ID)?\s*:\s*[A-Za-z0-9][A-Za-z0-9._/+-]*\s*[,;]\s*(?:UDI_)?S(?:N)?\s*:\s*[A-Za-z0-9][A-Za-z0-9._/+-]*)/g;

/** A device prompt with a command (`Device# show license all`, `Device(config)# exit`): where one command's output ends. */
const PROMPT = /^\s*[A-Za-z][\w.-]*(?:\([\w-]+\))?[#>]\s*\S/;

/** `show license udi` on releases that print a table (genie ShowLicenseUdi: `SlotID   PID  SN  UDI`, tabs included). */
const UDI_TABLE_HEADER = /^\s*SlotID\s+PID\s+SN\s+UDI\s*$/i;
const HA_LIST = /^\s*HA UDI List\s*:/im;

const ROLES: Record<string, HaRole> = { active: 'active', standby: 'standby', member: 'member' };

interface Sighting {
  udi: Udi;
  role: HaRole | null;
}

/**
 * A row of the `show license udi` table: `*  ASR1006  NWG1512050G  ASR1006:NWG1512050G`. The last column must
 * be the two before it joined by `:`, which tells a row from anything else whatever the slot column holds.
 */
function udiTableRow(line: string): Udi | null {
  const cells = line.trim().split(/\s+/);
  for (let i = cells.length - 1; i >= 2; i--) {
    const pid = cells[i - 2]!;
    const sn = cells[i - 1]!;
    if (cells[i]!.toUpperCase() === `${pid}:${sn}`.toUpperCase()) return { pid, sn };
  }
  return null;
}

function sightingsIn(lines: readonly string[]): Sighting[] {
  const found: Sighting[] = [];
  let inTable = false;
  for (const line of lines) {
    if (UDI_TABLE_HEADER.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable) {
      if (/^\s*-+\s*$/.test(line)) continue;
      const row = udiTableRow(line);
      if (row) {
        found.push({ udi: row, role: null });
        continue;
      }
      inTable = false;
    }
    for (const m of line.matchAll(UDI_ON_LINE)) {
      const udi = parseUdiText(m[2]!);
      if (udi) found.push({ udi, role: m[1] ? (ROLES[m[1].toLowerCase()] ?? null) : null });
    }
  }
  return found;
}

/** One command's output per part, so that roles printed for one device do not leak onto another's capture. */
function commandOutputs(text: string): string[][] {
  const parts: string[][] = [[]];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (PROMPT.test(line)) parts.push([]);
    parts[parts.length - 1]!.push(line);
  }
  return parts;
}

/**
 * Every product instance a CLI capture names, first-seen order, one per PID+SN (case-insensitive).
 *
 * A role comes from `Active:`/`Standby:`/`Member:` before a UDI, but only in an output that shows an HA set: one
 * with an `HA UDI List:` or a standby or member. A standalone device prints `Active: PID:…` in its own
 * `Overall status:` too, and a set of one is no HA set, so a lone `Active:` leaves the device `standalone`.
 * A device seen as standalone in one output and with a role in another keeps the role; the first role wins.
 */
export function devicesFromCliText(text: string): CliDevice[] {
  const devices = new Map<string, CliDevice>();
  for (const lines of commandOutputs(text)) {
    const sightings = sightingsIn(lines);
    const haSet = HA_LIST.test(lines.join('\n')) || sightings.some((s) => s.role === 'standby' || s.role === 'member');
    for (const s of sightings) {
      const role: HaRole = haSet && s.role ? s.role : 'standalone';
      const key = udiKey(s.udi);
      const known = devices.get(key);
      if (!known) devices.set(key, { udi: { pid: s.udi.pid.trim(), sn: s.udi.sn.trim() }, role });
      else if (known.role === 'standalone' && role !== 'standalone') known.role = role;
    }
  }
  return [...devices.values()];
}
