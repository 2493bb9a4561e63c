import { lookupEntitlement } from '../model/entitlements.ts';
import type { LicenceClass } from '../model/policy.ts';

/**
 * The policy class of a licence (seed 004 L194-221, L287-295): export-controlled and enforced licences have a
 * class of their own whatever their duration; unenforced ones split by duration. Known from the built-in
 * catalogue (src/core/data/entitlements.json: what real devices print), else from what the device printed
 * (`Enforcement type`, `License type`). An unknown licence is taken as unenforced subscription — the strictest
 * common class (90/90/90 under the Cisco default) — and flagged, so the operator is never told too late.
 */
export interface ClassOf {
  cls: LicenceClass;
  /** False when neither the catalogue nor the device said: the class is the cautious guess. */
  known: boolean;
  why: string;
}

export const CLASS_NAMES: Record<LicenceClass, string> = {
  unenforcedPerpetual: 'unenforced perpetual',
  unenforcedSubscription: 'unenforced subscription',
  enforced: 'enforced',
  export: 'export-controlled',
};

function fromTerms(enforcement: string | null, duration: string | null): LicenceClass | null {
  const e = enforcement?.toUpperCase() ?? null;
  if (e && /EXPORT/.test(e)) return 'export';
  if (e && /^ENFORCED/.test(e)) return 'enforced';
  const d = duration?.toLowerCase() ?? null;
  if (e && /NOT ENFORCED/.test(e) && d) {
    if (/perpetual/.test(d)) return 'unenforcedPerpetual';
    if (/subscription|term/.test(d)) return 'unenforcedSubscription';
  }
  return null;
}

/**
 * Families of licences the Cisco documents name, recognised in any tag or name that carries them: the catalogue
 * lists what real devices printed, but every platform has its own DNA and Network tags (`c9300_dna_advantage`,
 * `DNA_P_100M_A`, `air-network-essentials`).
 */
const NAMED: Array<[RegExp, LicenceClass, string]> = [
  [/HSEC/i, 'export', 'HSECK9 / DNA_HSEC: export-controlled, seed 004 Table 4'],
  [/(^|[._-])MRP[._-]?(client|manager)?/i, 'enforced', 'MRP licences: enforced, seed 004 Table 4'],
  [/(^|[^a-z])(air[-_])?dna([-_]|$)|DNA_P_|[._-]dna[._-]/i, 'unenforcedSubscription', 'DNA licences are subscriptions, seed 003 §1.13'],
  [/network[-_ ]?(essentials|advantage|premier|stack)|NWStack|(advantage|essentials|premier)k9/i, 'unenforcedPerpetual', 'Network Essentials/Advantage licences are perpetual, seed 003 §1.13'],
];

export function classOf(tag: string, printed: { enforcement?: string | null; licenseType?: string | null } = {}): ClassOf {
  const known = lookupEntitlement(tag);
  const fromCatalogue = known ? fromTerms(known.enforcement, known.duration) : null;
  if (fromCatalogue) return { cls: fromCatalogue, known: true, why: `${CLASS_NAMES[fromCatalogue]} (built-in catalogue)` };
  const byName = NAMED.find(([re]) => re.test(tag));
  if (byName) return { cls: byName[1], known: true, why: `${CLASS_NAMES[byName[1]]} (${byName[2]})` };
  const fromDevice = fromTerms(printed.enforcement ?? null, printed.licenseType ?? null);
  if (fromDevice) return { cls: fromDevice, known: true, why: `${CLASS_NAMES[fromDevice]} (as the device prints it)` };
  // Half known: an enforcement type without a duration still rules out the enforced classes.
  return { cls: 'unenforcedSubscription', known: false, why: 'not in the catalogue and not printed by the device: taken as unenforced subscription, the strictest common class' };
}
