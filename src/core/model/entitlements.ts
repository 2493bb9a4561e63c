import data from '../data/entitlements.json' with { type: 'json' };

/**
 * Entitlement tags whose enforcement type and duration are known from real device output or the Cisco
 * documents (shared/data/entitlements.json, copied into src/core/data). Facts, not a complete list: every real
 * fleet has tags nobody has catalogued, so lookups return null rather than a guess.
 */
export type Enforcement = 'NOT ENFORCED' | 'ENFORCED' | 'EXPORT RESTRICTED';

export interface KnownEntitlement {
  tag: string | null;
  shortName: string | null;
  license: string | null;
  description: string;
  enforcement: Enforcement | null;
  duration: 'Perpetual' | 'Subscription' | null;
}

function asEnforcement(v: unknown): Enforcement | null {
  return v === 'NOT ENFORCED' || v === 'ENFORCED' || v === 'EXPORT RESTRICTED' ? v : null;
}
function asDuration(v: unknown): KnownEntitlement['duration'] {
  return v === 'Perpetual' || v === 'Subscription' ? v : null;
}

const byTag = new Map<string, KnownEntitlement>();
const byShortName = new Map<string, KnownEntitlement>();

for (const t of data.tags) {
  byTag.set(t.tag.toLowerCase(), {
    tag: t.tag,
    shortName: shortNameOf(t.tag),
    license: t.license ?? null,
    description: t.description,
    enforcement: asEnforcement(t.enforcement),
    duration: asDuration(t.duration),
  });
}
for (const s of data.shortNames as Array<{ shortName: string; license?: string; description: string; enforcement?: string; duration?: string }>) {
  byShortName.set(s.shortName.toLowerCase(), {
    tag: null,
    shortName: s.shortName,
    license: s.license ?? null,
    description: s.description,
    enforcement: asEnforcement(s.enforcement),
    duration: asDuration(s.duration),
  });
}

/**
 * The NAME part of `regid.<yyyy-mm>.com.cisco.<NAME>,<version>_<uuid>` (FORMATS.md), e.g. `DNA_NWStack`,
 * or null when the text is not a regid tag.
 */
export function shortNameOf(tag: string): string | null {
  const m = /^regid\.\d{4}-\d{2}\.com\.cisco\.([^,]+),/.exec(tag.trim());
  return m ? m[1]! : null;
}

/** What is known of an entitlement, by full regid tag or by the short name `show license summary` prints. */
export function lookupEntitlement(tagOrName: string): KnownEntitlement | null {
  const key = tagOrName.trim().toLowerCase();
  const exact = byTag.get(key);
  if (exact) return exact;
  const short = shortNameOf(tagOrName);
  return byShortName.get((short ?? key).toLowerCase()) ?? null;
}

/** A name to show for a tag: the licence name when known, else the tag's short name, else the tag. */
export function entitlementName(tag: string): string {
  return lookupEntitlement(tag)?.license ?? shortNameOf(tag) ?? tag;
}
