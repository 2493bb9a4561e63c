import type { HaRole } from '../model/types.ts';

/**
 * The workbench's inventory CSV (OURS, FORMATS.md): a header row with at least `hostname,pid,serial`, optional
 * `virtual_account,site,ha_group,role`. Comma, semicolon or tab separated (spreadsheets in some locales write
 * semicolons); `#` lines are comments; quoted fields follow RFC 4180.
 */
export interface InventoryRow {
  line: number;
  hostname: string;
  pid: string;
  serial: string;
  virtualAccount: string | null;
  site: string | null;
  haGroup: string | null;
  role: HaRole | null;
}

export interface Inventory {
  rows: InventoryRow[];
  warnings: string[];
}

function splitRow(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const HEADER_ALIASES: Record<string, string> = { sn: 'serial', serial_number: 'serial', 'serial number': 'serial', serialnumber: 'serial', va: 'virtual_account', 'virtual account': 'virtual_account' };
const ROLES: Record<string, HaRole> = { active: 'active', standby: 'standby', member: 'member', standalone: 'standalone' };

export function readInventoryCsv(text: string): Inventory {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const warnings: string[] = [];
  const rows: InventoryRow[] = [];
  let header: string[] | null = null;
  let delimiter = ',';
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!header) {
      delimiter = [',', ';', '\t'].reduce((best, d) => (line.split(d).length > line.split(best).length ? d : best), ',');
      header = splitRow(line, delimiter).map((h) => {
        const name = h.toLowerCase();
        return HEADER_ALIASES[name] ?? name;
      });
      return;
    }
    const cells = splitRow(line, delimiter);
    const get = (name: string) => {
      const at = header!.indexOf(name);
      const v = at === -1 ? '' : (cells[at] ?? '');
      return v === '' ? null : v;
    };
    const hostname = get('hostname');
    const pid = get('pid');
    const serial = get('serial');
    if (!pid || !serial) {
      warnings.push(`line ${index + 1}: no ${!pid ? 'PID' : 'serial'} — row left out`);
      return;
    }
    const roleText = get('role')?.toLowerCase() ?? null;
    const role = roleText ? (ROLES[roleText] ?? null) : null;
    if (roleText && !role) warnings.push(`line ${index + 1}: role "${roleText}" is not active, standby, member or standalone`);
    rows.push({ line: index + 1, hostname: hostname ?? '', pid, serial, virtualAccount: get('virtual_account'), site: get('site'), haGroup: get('ha_group'), role });
  });
  return { rows, warnings };
}
