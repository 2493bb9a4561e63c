import type { CliContext, CommandParser } from './context.ts';
import { PREAMBLE, intOf, keyValue } from './text.ts';
import { licenseHeading, newLicense, upper } from './usage.ts';

/**
 * `show license summary` (seed 003 §4.1, L4742-4830, Table 14): `Account Information:` (17.7.1+) and the
 * `License Usage:` table `License  Entitlement Tag  Count Status`. The table's columns are not at fixed places
 * (F01, F02 and the genie samples all differ, and names are cut to 20 characters + `...`), so a row is read from
 * its right: the status words, the count before them, the tag in parentheses, the name.
 */

const TABLE_HEADER = /^\s*License\s+Entitlement\s+tag\s+Count\s+Status\s*$/i;
/** `air-network-essentials (DNA_NWSTACK_E)   1 IN USE`; `Aironet DNA Advantag... (AIR-DNA-A)   0 NOT IN USE`. */
const ROW = /^\s*(.+?)\s+(\d+)\s+([A-Za-z][A-Za-z _/-]*?)\s*$/;

/** `BU Production Test As of Dec 18 11:02:51 2023 PDT` (genie ShowLicenseAll 2) → account and date. */
export function readAccountLine(ctx: CliContext, key: string, raw: string | null, line: number): boolean {
  if (key !== 'smart account' && key !== 'virtual account') return false;
  const account = (ctx.facts.account ??= { smartAccount: null, virtualAccount: null, asOf: null });
  if (key === 'virtual account') {
    account.virtualAccount = raw;
    return true;
  }
  const m = raw ? /^(.*?)\s+As of\s+(.+)$/i.exec(raw) : null;
  account.smartAccount = m ? m[1]!.trim() || null : raw;
  if (m) account.asOf = ctx.date(m[2], line);
  return true;
}

export const parseSummary: CommandParser = (lines, ctx) => {
  let inTable = false;
  for (const line of lines) {
    const t = line.text.trim();
    if (!t || PREAMBLE.test(t)) continue;
    if (TABLE_HEADER.test(t)) {
      inTable = true;
      continue;
    }
    if (/^-{3,}$/.test(t)) continue;
    // Migrated SLR prints it above the table (seed 003 L4819); show license authorization says more.
    if (/^License Reservation is (ENABLED|DISABLED)$/i.test(t)) continue;
    if (/^No licenses in use$/i.test(t)) continue;
    const kv = keyValue(t);
    if (kv) {
      if (kv.key === 'account information' || kv.key === 'license usage') {
        if (kv.key === 'license usage') inTable = true;
        continue;
      }
      if (readAccountLine(ctx, kv.key, kv.value, line.n)) continue;
    }
    const row = ROW.exec(t);
    // Outside the table a row must at least show its tag in parentheses to be taken for one.
    if (row && (inTable || /\)\s*$/.test(row[1]!))) {
      const h = licenseHeading(row[1]!);
      if (h) {
        const lic = newLicense(h);
        lic.count = intOf(row[2]);
        lic.status = upper(row[3]!.trim());
        ctx.facts.licenses.push(lic);
        continue;
      }
    }
    ctx.warn(line.n, `show license summary: line not understood: "${t}"`);
  }
};
