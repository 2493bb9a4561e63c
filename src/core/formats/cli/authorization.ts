import type { HaRole } from '../../model/types.ts';
import { udiKey, type Udi } from '../../model/udi.ts';
import type { CliContext, CommandParser } from './context.ts';
import { PREAMBLE, intOf, keyValue } from './text.ts';
import type { CliAuthorization, CliDate, CliLicense, CliLicenseTerm } from './types.ts';
import { roleUdis } from './udi.ts';
import { licenseHeading, newLicense, newReservation, upper } from './usage.ts';

/**
 * `show license authorization` (seed 003 §4.8, L4071-4186, Table 10), also the `License Authorizations` section
 * of `show license all` and the `Reservation Info` of tech support:
 * - `Overall status:` → one authorization per `Active:/Standby:/Member: PID:…` with `Status:` (or `Reservation
 *   status:`) `SPECIFIC INSTALLED on <date>`, `Last Confirmation code:`, `Last return code:`;
 * - `Specified license reservations:` (or `Authorizations:`) → one licence per `<name> (<tag>):` with the reserved
 *   count and its `Term information:` per UDI;
 * - `Purchased Licenses:`.
 * The seed's copy of this output lost its indentation (F11 L110-170), so blocks are told by label order only.
 */

type Mode = 'top' | 'overall' | 'licenses' | 'terms' | 'purchased';

/** A role + UDI at the start of a line: `Active: PID:…`, `Standby:PID:…`. */
const OWNER_LINE = /^\s*(?:Active|Standby|Member)\s*:\s*(?:UDI_)?PID\s*:/i;

const TERM_FIELDS: Record<string, keyof CliLicenseTerm> = {
  'authorization type': 'authorizationType',
  'license type': 'licenseType',
  'start date': 'start',
  'end date': 'end',
  'term count': 'count',
  'subscription id': 'subscriptionId',
};

/** Labels that are fields even when printed bare (`Subscription ID:`), never a licence heading. */
const FIELDS = new Set([
  ...Object.keys(TERM_FIELDS),
  'status',
  'reservation status',
  'last confirmation code',
  'last return code',
  'request code',
  'reservation authorization code',
  'export-controlled functionality',
  'description',
  'total reserved count',
  'total available count',
  'enforcement type',
  'error',
  'license reservation',
  'last data push',
  'last file export',
]);

/** Codes printed per UDI that no field of ours holds: kept in `detail`. */
const DETAIL_FIELDS = new Set(['request code', 'reservation authorization code', 'export-controlled functionality', 'error']);

/** `SPECIFIC INSTALLED on Nov 02 03:16:01 2020 IST` → status and date; `NOT INSTALLED` → status only. */
function statusOn(ctx: CliContext, value: string | null, line: number): { status: string | null; at: CliDate | null } {
  if (!value) return { status: null, at: null };
  const m = /^(.*?)\s+on\s+(.+)$/i.exec(value);
  const at = m ? ctx.date(m[2], line) : null;
  return at ? { status: upper(m![1]!.trim()), at } : { status: upper(value), at: null };
}

/** A term date (`2020-OCT-14 UTC`); a form dates.ts does not know is kept as printed rather than lost. */
function dateOrRaw(ctx: CliContext, value: string | null, line: number): CliDate | null {
  if (!value) return null;
  return ctx.date(value, line) ?? { raw: value, iso: null, epochMs: null, zone: null };
}

function newTerm(owner: { udi: Udi; role: HaRole } | null): CliLicenseTerm {
  return {
    udi: owner?.udi ?? null,
    role: owner?.role ?? null,
    authorizationType: null,
    authorizedAt: null,
    licenseType: null,
    start: null,
    end: null,
    count: null,
    subscriptionId: null,
  };
}

const filled = (x: CliLicenseTerm): boolean =>
  [x.authorizationType, x.licenseType, x.start, x.end, x.count, x.subscriptionId].some((v) => v !== null);

const termSummary = (lic: CliLicense, t: CliLicenseTerm): string => {
  const period = t.start || t.end ? ` ${t.start?.raw ?? '?'} to ${t.end?.raw ?? '?'}` : '';
  const count = t.count !== null ? ` count ${t.count}` : '';
  return `${lic.tag ?? lic.name}: ${t.licenseType ?? 'term'}${period}${count}`;
};

export const parseAuthorization: CommandParser = (lines, ctx) => {
  const f = ctx.facts;
  let mode: Mode = 'top';
  let auth: CliAuthorization | null = null;
  let lic: CliLicense | null = null;
  let owner: { udi: Udi; role: HaRole } | null = null;
  let term: CliLicenseTerm | null = null;
  const extra = new Map<CliAuthorization, string[]>();
  const unknown = new Set<string>();
  let purchasedWarned = false;

  for (const line of lines) {
    const t = line.text.trim();
    if (!t || PREAMBLE.test(t)) continue;

    if (OWNER_LINE.test(t)) {
      const found = roleUdis(t)[0];
      if (!found) {
        ctx.warn(line.n, `show license authorization: UDI not understood: "${t}"`);
        continue;
      }
      if (lic && (mode === 'licenses' || mode === 'terms')) {
        // A UDI inside a reserved licence heads that UDI's terms (seed 003 L4143, L4154).
        mode = 'terms';
        owner = found;
        term = null;
        continue;
      }
      mode = 'overall';
      const key = udiKey(found.udi);
      auth = f.authorizations.find((a) => a.udi && udiKey(a.udi) === key) ?? null;
      if (!auth) {
        auth = { udi: found.udi, role: found.role, status: null, installedAt: null, lastConfirmationCode: null, lastReturnCode: null, detail: null };
        f.authorizations.push(auth);
      }
      continue;
    }

    const kv = keyValue(t);
    if (!kv) {
      if (/^No Purchase Information Available$/i.test(t)) continue;
      if (/^License reservation:?\s*(ENABLED|DISABLED)$/i.test(t)) continue;
      ctx.warn(line.n, `show license authorization: line not understood: "${t}"`);
      continue;
    }

    if (!kv.raw && !FIELDS.has(kv.key)) {
      // A bare `Label:`: a section, or the heading of a reserved licence.
      if (kv.key === 'overall status') {
        mode = 'overall';
        auth = null;
      } else if (kv.key === 'specified license reservations' || kv.key === 'authorizations') {
        mode = 'licenses';
        lic = null;
      } else if (kv.key === 'term information') {
        if (lic) mode = 'terms';
        owner = null;
        term = null;
      } else if (kv.key === 'purchased licenses') {
        mode = 'purchased';
        lic = null;
      } else if (/^(active|standby|member)$/.test(kv.key)) {
        ctx.warn(line.n, `show license authorization: "${t}" names no UDI`);
      } else if (mode === 'licenses' || mode === 'terms') {
        const h = licenseHeading(t);
        if (h) {
          lic = newLicense(h);
          lic.reservation = newReservation();
          f.licenses.push(lic);
          mode = 'licenses';
          owner = null;
          term = null;
        }
      } else if (mode === 'purchased') {
        if (!purchasedWarned) ctx.warn(line.n, 'show license authorization: Purchased Licenses list not read');
        purchasedWarned = true;
      } else ctx.warn(line.n, `show license authorization: "${kv.label}" not read`);
      continue;
    }

    if (mode === 'purchased') {
      if (!purchasedWarned) ctx.warn(line.n, 'show license authorization: Purchased Licenses list not read');
      purchasedWarned = true;
      continue;
    }

    // Own keys only: a pasted `constructor:` or `__proto__:` line must not reach Object.prototype.
    const termField = Object.hasOwn(TERM_FIELDS, kv.key) ? TERM_FIELDS[kv.key] : undefined;
    if (lic && termField && (mode === 'licenses' || mode === 'terms')) {
      mode = 'terms';
      // A new term starts at `Authorization type:` or at a field the current term already has (the collapsed
      // `show license reservation` sample has no Authorization type, seed 003 L1718).
      if (!term || term[termField] !== null || (termField === 'authorizationType' && filled(term))) {
        term = newTerm(owner);
        lic.reservation!.terms.push(term);
      }
      switch (termField) {
        case 'authorizationType': {
          const s = statusOn(ctx, kv.value, line.n);
          term.authorizationType = s.status;
          term.authorizedAt = s.at;
          break;
        }
        case 'licenseType':
          term.licenseType = kv.value;
          break;
        case 'start':
          term.start = dateOrRaw(ctx, kv.value, line.n);
          break;
        case 'end':
          term.end = dateOrRaw(ctx, kv.value, line.n);
          break;
        case 'count':
          term.count = intOf(kv.value);
          break;
        case 'subscriptionId':
          term.subscriptionId = kv.value;
          break;
      }
      continue;
    }

    if (lic && (mode === 'licenses' || mode === 'terms')) {
      if (kv.key === 'description') {
        lic.description = kv.value;
        if (kv.value?.endsWith('...')) lic.truncated = true;
        continue;
      }
      if (kv.key === 'total reserved count' || kv.key === 'total available count') {
        // The brief's model: a reserved licence's count is what is reserved for the device (seed 003 L4140).
        lic.count = intOf(kv.value);
        if (kv.key === 'total reserved count') lic.reservation!.reservedCount = lic.count;
        continue;
      }
      if (kv.key === 'enforcement type') {
        lic.enforcement = upper(kv.value);
        continue;
      }
    }

    if (auth && mode === 'overall') {
      if (kv.key === 'status' || kv.key === 'reservation status') {
        const s = statusOn(ctx, kv.value, line.n);
        auth.status = s.status;
        auth.installedAt = s.at;
        continue;
      }
      if (kv.key === 'last confirmation code') {
        auth.lastConfirmationCode = kv.value;
        continue;
      }
      if (kv.key === 'last return code') {
        auth.lastReturnCode = kv.value;
        continue;
      }
      if (DETAIL_FIELDS.has(kv.key)) {
        if (kv.value) {
          const list = extra.get(auth) ?? [];
          list.push(`${kv.label}: ${kv.value}`);
          extra.set(auth, list);
        }
        continue;
      }
    }

    // Printed above Overall status in `show license all` (genie ShowLicenseAll 2) and tech support: no fact of ours.
    if (kv.key === 'license reservation' || kv.key === 'last data push' || kv.key === 'last file export') continue;
    if (!unknown.has(kv.key)) {
      unknown.add(kv.key);
      ctx.warn(line.n, `show license authorization: "${kv.label}" not read here`);
    }
  }

  for (const l of f.licenses) {
    const terms = l.reservation?.terms ?? [];
    if (!l.licenseType) l.licenseType = terms.find((x) => x.licenseType)?.licenseType ?? null;
  }
  // Each UDI's detail: the codes no field holds, then the terms reserved for it.
  for (const a of f.authorizations) {
    if (!a.udi) continue;
    const key = udiKey(a.udi);
    const parts = [...(extra.get(a) ?? [])];
    for (const l of f.licenses) {
      for (const x of l.reservation?.terms ?? []) if (x.udi && udiKey(x.udi) === key) parts.push(termSummary(l, x));
    }
    if (parts.length) a.detail = parts.join('; ');
  }
};
