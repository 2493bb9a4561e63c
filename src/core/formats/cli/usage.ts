import type { CommandParser, CliContext } from './context.ts';
import { PREAMBLE, intOf, keyValue, type CliLine } from './text.ts';
import type { CliAuthorization, CliLicense, CliReservation } from './types.ts';

/**
 * `show license usage` (seed 003 §4.2, L4880-4995, Table 15): an optional `License Authorization: Status:` and
 * one block per licence, `<name> (<tag>):` followed by its fields and, for a reserved licence (SLR), a
 * `Reservation:` sub-block. Documents lose the indentation mid-block (F04 after a page break), so the block a
 * field belongs to is told by the order of the lines, never by indentation: every field after a heading belongs
 * to that heading's licence until the next heading.
 */

/** `Load for five secs: …` / `Time source is …` that `terminal exec prompt timestamp` prints before the output. */

/** Upper-cased, single-spaced enumeration (`Not Applicable` → `NOT APPLICABLE`); null stays null. */
export const upper = (v: string | null): string | null => (v === null ? null : v.replace(/\s+/g, ' ').toUpperCase());

export interface LicenseHeading {
  name: string;
  tag: string | null;
  /** The text in parentheses when it is a description rather than a tag (`C9300-24 Network Advantage`). */
  description: string | null;
  truncated: boolean;
}

/**
 * `air-dna-essentials (AIR-DNA-E)`, `Aironet DNA Advantag... (AIR-DNA-A)`, `network-advantage (C9300-24 Network
 * Advantage)`. What is in parentheses is a tag when it is one word (`DNA_NWSTACK_E`, a full `regid.…` tag), and
 * then the name is the text before it; text with spaces is a display name that Catalyst switches print there
 * (genie ShowLicenseUsage), and then the whole heading is the name, so that two products' licences of the same
 * name (`network-advantage` of a C9300-24 and of a C9300-48) stay two licences. `DNA\_NWStack` (markdown escape
 * in the documents, seed 003 F11) reads as `DNA_NWStack`.
 */
export function licenseHeading(text: string): LicenseHeading | null {
  const t = text.trim().replace(/:\s*$/, '').replace(/\\_/g, '_').trim();
  if (!t) return null;
  const m = /^(.*?)\s*\(([^()]*)\)$/.exec(t);
  if (!m) return { name: t, tag: null, description: null, truncated: t.endsWith('...') };
  const before = m[1]!.trim();
  const inner = m[2]!.trim();
  const truncated = before.endsWith('...') || inner.endsWith('...');
  if (!before) return { name: t, tag: inner && !/\s/.test(inner) ? inner : null, description: null, truncated };
  if (inner && !/\s/.test(inner)) return { name: before, tag: inner, description: null, truncated };
  return { name: inner ? `${before} (${inner})` : before, tag: null, description: inner || null, truncated };
}

export function newLicense(h: LicenseHeading): CliLicense {
  return {
    name: h.name,
    tag: h.tag,
    description: h.description,
    count: null,
    version: null,
    status: null,
    exportStatus: null,
    featureName: null,
    featureDescription: null,
    enforcement: null,
    licenseType: null,
    truncated: h.truncated,
  };
}

export function newReservation(): CliReservation {
  return { status: null, reservedCount: null, terms: [] };
}

/** The fields of a licence block, shared by every command that prints them (usage, all, tech support). */
const LICENSE_FIELDS = new Set([
  'description',
  'count',
  'version',
  'status',
  'export status',
  'feature name',
  'feature description',
  'enforcement type',
  'license type',
  'reservation status',
  'total reserved count',
  'utility subscription id',
  'subscription id',
]);

/** Sets one field of a licence block; false when the label is not one. */
export function setLicenseField(lic: CliLicense, key: string, value: string | null): boolean {
  switch (key) {
    case 'description':
      lic.description = value;
      if (value?.endsWith('...')) lic.truncated = true;
      return true;
    case 'count':
      lic.count = intOf(value);
      return true;
    case 'version':
      lic.version = value;
      return true;
    case 'status':
      lic.status = upper(value);
      return true;
    case 'export status':
      lic.exportStatus = upper(value);
      return true;
    case 'feature name':
      lic.featureName = value;
      return true;
    case 'feature description':
      lic.featureDescription = value;
      return true;
    case 'enforcement type':
      lic.enforcement = upper(value);
      return true;
    case 'license type':
      lic.licenseType = value;
      return true;
    case 'reservation status':
      (lic.reservation ??= newReservation()).status = upper(value);
      return true;
    case 'total reserved count':
      (lic.reservation ??= newReservation()).reservedCount = intOf(value);
      return true;
    case 'utility subscription id':
    case 'subscription id':
      return true; // Utility mode only (seed 003 Table 15): no fact of ours holds it.
    default:
      return false;
  }
}

/** A bare `Label:` that opens a licence block, not one of the block's own fields or sub-blocks. */
function headingOf(line: CliLine): LicenseHeading | null {
  const t = line.text.trim();
  if (!t.endsWith(':')) return null;
  const kv = keyValue(t);
  if (kv && kv.raw) return null;
  if (kv && (LICENSE_FIELDS.has(kv.key) || kv.key === 'reservation' || kv.key === 'license authorization')) return null;
  if (!kv && !/\)\s*:$/.test(t)) return null;
  return licenseHeading(t);
}

export const parseUsage: CommandParser = (lines, ctx) => {
  readLicenseBlocks(lines, ctx);
};

/**
 * Reads licence blocks into `ctx.facts.licenses`; the `License Authorization: Status:` before them becomes an
 * authorization of the device as a whole (no UDI: the output does not say which), so that an SLR device's
 * `AUTHORIZED - RESERVED` or a plain `Not Applicable` is kept.
 */
export function readLicenseBlocks(lines: readonly CliLine[], ctx: CliContext): void {
  const f = ctx.facts;
  let lic: CliLicense | null = null;
  let inAuthorization = false;
  const unknown = new Set<string>();
  for (const line of lines) {
    const t = line.text.trim();
    if (!t || PREAMBLE.test(t)) continue;
    if (/^No licenses in use$/i.test(t)) continue;
    const heading = headingOf(line);
    if (heading) {
      lic = newLicense(heading);
      f.licenses.push(lic);
      inAuthorization = false;
      continue;
    }
    const kv = keyValue(t);
    if (!kv) {
      ctx.warn(line.n, `show license usage: line not understood: "${t}"`);
      continue;
    }
    if (kv.key === 'license authorization') {
      inAuthorization = true;
      lic = null;
      if (kv.value) setAuthorization(ctx, kv.value); // collapsed onto one line
      continue;
    }
    if (kv.key === 'reservation' && !kv.raw) continue; // its two fields have labels of their own
    if (inAuthorization && !lic && kv.key === 'status') {
      setAuthorization(ctx, kv.value);
      continue;
    }
    if (!lic) {
      if (LICENSE_FIELDS.has(kv.key)) ctx.warn(line.n, `show license usage: "${kv.label}" before any licence heading, skipped`);
      else if (!unknown.has(kv.key)) {
        unknown.add(kv.key);
        ctx.warn(line.n, `show license usage: "${kv.label}" not read`);
      }
      continue;
    }
    if (!setLicenseField(lic, kv.key, kv.value) && !unknown.has(kv.key)) {
      unknown.add(kv.key);
      ctx.warn(line.n, `show license usage: field "${kv.label}" not read`);
    }
  }
}

function setAuthorization(ctx: CliContext, value: string | null): void {
  const status = upper(value);
  const existing = ctx.facts.authorizations.find((a) => !a.udi && !a.role);
  if (existing) {
    existing.status = status;
    return;
  }
  const a: CliAuthorization = {
    udi: null,
    role: null,
    status,
    installedAt: null,
    lastConfirmationCode: null,
    lastReturnCode: null,
    detail: 'License Authorization status of the device (show license usage)',
  };
  ctx.facts.authorizations.push(a);
}
