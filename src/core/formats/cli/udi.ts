import type { HaRole } from '../../model/types.ts';
import { parseUdiText, udiKey, type Udi } from '../../model/udi.ts';
import type { CommandParser } from './context.ts';
import { keyValue, type CliLine } from './text.ts';

/**
 * `show license udi` (seed 003 §4.7, L4832-4878): `UDI: PID:…,SN:…` and, on an HA set, `HA UDI List:` with one
 * `Active:`/`Standby:`/`Member:` line per product instance; older releases print a table instead
 * (`SlotID  PID  SN  UDI`, genie ShowLicenseUdi). index.ts also runs this parser on the output of releases before
 * Smart Licensing Using Policy to learn only which device it is, so it looks for these lines anywhere and passes
 * over everything else silently.
 */

const ROLES: Record<string, HaRole> = { active: 'active', standby: 'standby', member: 'member' };

/**
 * `Active:PID:C9800-CL-K9,SN:93BBAH93MGS` (no space: HA UDI List, seed 003 L4875), `Standby: PID:…` (Overall
 * status, Term information). Global: a document that collapsed a block puts several on one line.
 */
const ROLE_UDI = /\b(Active|Standby|Member)\s*:\s*((?:UDI_)?PID\s*:\s*[A-Za-z0-9][\w./+-]*\s*[,;]\s*(?:UDI_)?SN\s*:\s*[A-Za-z0-9][\w./+-]*)/gi;

/** Every `Role: PID:…,SN:…` on a line, in order. */
export function roleUdis(text: string): Array<{ role: HaRole; udi: Udi }> {
  const out: Array<{ role: HaRole; udi: Udi }> = [];
  for (const m of text.matchAll(ROLE_UDI)) {
    const udi = parseUdiText(m[2]!);
    const role = ROLES[m[1]!.toLowerCase()];
    if (udi && role) out.push({ role, udi });
  }
  return out;
}

/** `UDI: PID:…,SN:…` anywhere on a line (also `Product Information: UDI: PID:…` collapsed onto one line). */
const UDI_LABEL = /(?:^|\s)UDI\s*:\s*((?:UDI_)?PID\s*:.*)$/i;
const TABLE_HEADER = /^\s*SlotID\s+PID\s+SN\s+UDI\s*$/i;

/**
 * A table row `*  ASR1006  NWG1512050G  ASR1006:NWG1512050G`: the last cell must be the two before it joined by
 * `:`, which tells a row from anything else. Returns the slot cell too (`*` marks the slot the CLI runs on).
 */
function tableRow(text: string): { slot: string; udi: Udi } | null {
  const cells = text.trim().split(/\s+/);
  if (cells.length < 3) return null;
  const [pid, sn, joined] = cells.slice(-3) as [string, string, string];
  if (joined.toUpperCase() !== `${pid}:${sn}`.toUpperCase()) return null;
  return { slot: cells.length > 3 ? cells.slice(0, -3).join(' ') : '', udi: { pid, sn } };
}

/**
 * `Model Number : C9300-24UX` and `System Serial Number : FCW2303D16Y` of `show version` on a Catalyst switch:
 * the UDI of the switch the CLI runs on (the first of each; a stack repeats them per member further down).
 */
export function modelSerialUdi(lines: readonly CliLine[]): Udi | null {
  let pid: string | null = null;
  let sn: string | null = null;
  for (const line of lines) {
    if (!/Number/i.test(line.text)) continue;
    const kv = keyValue(line.text);
    if (kv?.key === 'model number') pid ??= kv.value;
    else if (kv?.key === 'system serial number') sn ??= kv.value;
    if (pid && sn) break;
  }
  return pid && sn && !/\s/.test(pid + sn) ? { pid, sn } : null;
}

export const parseUdi: CommandParser = (lines, ctx) => {
  const f = ctx.facts;
  const addHa = (role: HaRole, udi: Udi) => {
    if (!f.ha.some((h) => udiKey(h.udi) === udiKey(udi))) f.ha.push({ role, udi });
  };
  let inHaList = false;
  let inTable = false;
  const rows: Array<{ slot: string; udi: Udi; n: number }> = [];
  for (const line of lines) {
    const t = line.text;
    if (!t.trim()) continue;
    if (TABLE_HEADER.test(t)) {
      inTable = true;
      inHaList = false;
      continue;
    }
    if (inTable) {
      if (/^\s*-{3,}\s*$/.test(t)) continue;
      const row = tableRow(t);
      if (row) {
        rows.push({ ...row, n: line.n });
        continue;
      }
      inTable = false;
    }
    const label = UDI_LABEL.exec(t);
    if (label) {
      const udi = parseUdiText(label[1]!);
      if (udi && !f.udi) f.udi = udi;
      else if (!udi) ctx.warn(line.n, `UDI not understood: "${t.trim()}"`);
    }
    const head = /^\s*HA UDI List\s*:(.*)$/i.exec(t);
    if (head) {
      inHaList = true;
      for (const h of roleUdis(head[1]!)) addHa(h.role, h.udi);
      continue;
    }
    if (inHaList) {
      const members = roleUdis(t);
      if (members.length) {
        for (const h of members) addHa(h.role, h.udi);
        continue;
      }
      // The list ends at the first line that names no member.
      inHaList = false;
    }
  }
  if (rows.length) {
    // One row per slot; `*` marks the one the CLI runs on (genie ShowLicenseUdi). With several rows we take the
    // starred one for the active and the others for members: the table says no more about their roles.
    const star = rows.find((r) => r.slot.includes('*')) ?? rows[0]!;
    f.udi ??= star.udi;
    if (rows.length > 1) {
      addHa('active', star.udi);
      for (const r of rows) if (r !== star) addHa('member', r.udi);
    }
  }
  // Output of an older release's `show version` names its device only this way.
  f.udi ??= modelSerialUdi(lines);
};
