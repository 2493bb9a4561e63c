import type { SummaryLicense } from '../formats/license-summary.ts';
import { entitlementName, shortNameOf } from '../model/entitlements.ts';
import type { ProductInstance } from '../model/fleet.ts';
import { familyOf } from '../model/fleet-view.ts';
import { day } from '../policy/deadlines.ts';
import { table5Family } from '../policy/slac.ts';
import { plural } from '../words.ts';
import { endOf, licenceLabel, type StoredSummary } from '../entitlements/summary.ts';

/**
 * Licence assignment as SD-WAN Manager does it in offline mode (issue 7, PRODUCT.md capability 4; seed 000
 * "Assign Licenses to Devices" L577-690, restrictions L247-299, multitenancy L240-245, L596-611). Pure: the
 * rules are named functions over the request, the fleet, the licence summary and the assignments already active;
 * each violation is one sentence citing the seed line. The store keeps the assignments, released ones included.
 *
 * Decisions where the seed is vague (each repeated where it is made):
 * - "Same DNA entitlement type" (L295) is the same entitlement: the regid tag's NAME part (`DNA_P_50M_A`), or the
 *   name as given when it is not a regid tag, case-insensitive; the overlay is the whole workspace. Applied to
 *   every entitlement SD-WAN Manager manages (DNA and HSEC, L54-57), not only those whose name says DNA.
 * - The "up to three licences" limit (L538, L560, L638) counts DNA licences (roles base and other): an HSEC licence
 *   is "in addition to the typical type of device license" (L273) and tenant licences are the multitenant pane's
 *   own area (L591, L600); neither counts.
 * - "One postpaid subscription per instance" (L291): every active postpaid assignment of the workspace must carry
 *   the same subscription ID.
 * - A postpaid assignment needs a subscription ID once a summary lists the licence's subscriptions (L636, L658);
 *   before any summary it is allowed with a warning.
 * - HSEC above 250 Mbps (L273): the devices named there by PID, and those of seed 004 Table 5 (policy/slac.ts).
 */

export type BillingMode = 'prepaid' | 'postpaid';

export interface Assignment {
  id: string;
  deviceKey: string;
  virtualAccount: string;
  /** The entitlement tag as the summary spells it (or as given, before any summary). */
  tag: string;
  /** The licence's name to show. */
  name: string;
  billing: BillingMode;
  /** MSLA-U (postpaid); false for a la carte and EA (prepaid), seed 000 L676-678. */
  msla: boolean;
  subscriptionId: string | null;
  /** 1, or the number of tenant licences for a multitenant device. */
  count: number;
  role: 'base' | 'tenant' | 'hsec' | 'other';
  /** The throughput tier chosen, in Mbps, when it says. */
  throughputMbps: number | null;
  assignedAt: number;
  by: string;
  releasedAt: number | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

export interface AssignRequest {
  deviceKeys: string[];
  virtualAccount: string;
  tag: string;
  billing: BillingMode;
  msla: boolean;
  subscriptionId: string | null;
  /** Tenant licences (multitenant, role `tenant`): n − 1 for n tenants; defaults to that. Other roles count 1. */
  count?: number;
  /** Default: `hsec` when the licence's tag or name says HSEC, `base` when it says DNA, else `other`. */
  role?: Assignment['role'];
  throughputMbps?: number | null;
  /** How many tenants use the device (multitenant when ≥ 2). */
  tenants?: number | null;
}

export interface RuleSettings {
  /** SD-WAN Manager's "Multiple Entitlement" (seed 000 L538, L560): up to three licences per device when on. */
  multipleEntitlement: boolean;
}

export interface RuleContext {
  devices: ReadonlyMap<string, ProductInstance>;
  summary: StoredSummary | null;
  /** The workspace's active assignments (released ones are ignored if given). */
  active: readonly Assignment[];
  settings: RuleSettings;
  now: number;
}

export type RuleName =
  | 'virtual-account'
  | 'licence-in-va'
  | 'postpaid-msla-u'
  | 'subscription-postpaid-only'
  | 'subscription-known'
  | 'entitlements-per-device'
  | 'no-prepaid-and-postpaid-mix'
  | 'one-postpaid-subscription'
  | 'hsec-above-250'
  | 'multitenant-base'
  | 'multitenant-tenants'
  | 'family-applicability'
  | 'unknown-device'
  | 'duplicate';

export interface RuleFinding {
  rule: RuleName;
  /** The device the finding is about; null when it is about the whole request (then a block blocks every device). */
  deviceKey: string | null;
  /** One sentence, citing the seed line. */
  message: string;
  severity: 'block' | 'warn';
}

// ——— helpers, exported for the views ———

const norm = (s: string) => s.trim().toLowerCase();

/** The "DNA entitlement type" of a tag (L295): its regid NAME part, else the text as given, lower-cased. */
export function entitlementType(tag: string): string {
  return norm(shortNameOf(tag) ?? tag);
}

/** A summary licence is the requested one when its tag, or (for names given before a summary) its name, matches. */
function sameLicence(l: Pick<SummaryLicense, 'tag' | 'displayName'>, tag: string): boolean {
  const t = norm(tag);
  return (l.tag !== null && norm(l.tag) === t) || (l.displayName !== null && norm(l.displayName) === t);
}

/** The licences of the summary for this Virtual Account and tag. */
export function summaryLicences(summary: Pick<StoredSummary, 'licenses'>, virtualAccount: string, tag: string): SummaryLicense[] {
  return summary.licenses.filter((l) => l.virtualAccount === virtualAccount && sameLicence(l, tag));
}

/**
 * Everything a licence is called: its tag's NAME part (never the whole regid tag, whose hexadecimal UUID could read
 * as `c8200` or `c9300`), the catalogue's name, the display name.
 */
function textOf(tag: string, name: string | null): string {
  return [shortNameOf(tag) ?? tag, entitlementName(tag), name].filter(Boolean).join(' ');
}

const isHsec = (text: string) => /hsec/i.test(text);

/** The role a request gives its licence: as asked, else HSEC / DNA (base) / other by its tag and name. */
export function roleOf(req: Pick<AssignRequest, 'tag' | 'role'>, name: string | null = null): Assignment['role'] {
  if (req.role) return req.role;
  const text = textOf(req.tag, name);
  if (isHsec(text)) return 'hsec';
  return /dna/i.test(text) ? 'base' : 'other';
}

/** An assignment that is an HSEC licence, by role or by name. */
const hsecAssignment = (a: Assignment) => a.role === 'hsec' || isHsec(textOf(a.tag, a.name));

/** Roles that count towards "up to three licences per device" (L538, L638): DNA licences, not HSEC nor tenant ones. */
const countsTowardsLimit = (role: Assignment['role']) => role === 'base' || role === 'other';

/** A licence's billing from its detail lines (as entitlementRows reads it). */
function billingsOf(l: SummaryLicense): Set<BillingMode> {
  const out = new Set<BillingMode>();
  for (const d of l.details) {
    const b = d.billing?.toUpperCase();
    if (b === 'PREPAID') out.add('prepaid');
    if (b === 'POSTPAID') out.add('postpaid');
  }
  if (!out.size) {
    const b = l.billing?.toUpperCase();
    if (b === 'PREPAID' || (b === null && l.entitled !== null)) out.add('prepaid');
    if (b === 'POSTPAID') out.add('postpaid');
  }
  return out;
}

/** The postpaid subscriptions of a licence: ID and when it ends (ms, or null when the summary gives no end). */
function postpaidSubscriptions(licences: readonly SummaryLicense[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const l of licences) {
    const lines = l.details.length ? l.details : [{ billing: l.billing, subscriptionId: l.subscriptionId, endDate: l.endDate }];
    for (const d of lines) {
      if (!d.subscriptionId || d.billing?.toUpperCase() !== 'POSTPAID') continue;
      const end = endOf(d.endDate);
      const was = out.get(d.subscriptionId);
      out.set(d.subscriptionId, was === undefined ? end : was === null || end === null ? null : Math.max(was, end));
    }
  }
  return out;
}

/** The routers seed 000 L273 names by series: ISR 1000, ISR 4000, Catalyst 8000, Catalyst 8000V. */
const L273: Array<{ pid: RegExp; family: string }> = [
  { pid: /^(C11\d\d|ISR11\d\d|ISR1K)/i, family: 'Cisco ISR 1000 Series' },
  { pid: /^ISR4\d{3}/i, family: 'Cisco ISR 4000 Series' },
  { pid: /^C8000V/i, family: 'Cisco Catalyst 8000V' },
  { pid: /^C8[2-5]\d\d/i, family: 'Cisco Catalyst 8000 Series' },
];

/** Whether a device needs an HSEC licence for a throughput above 250 Mbps, and where that is said; null if not. */
export function hsecFamily(pid: string): { family: string; source: string } | null {
  const row = L273.find((r) => r.pid.test(pid.trim()));
  if (row) return { family: row.family, source: 'seed 000 L273' };
  const t5 = table5Family(pid);
  return t5 ? { family: t5.family, source: `seed 004 Table 5 ${t5.line}` } : null;
}

/**
 * Whether a licence is a DNA Advantage licence of tier 1 to 5 (L244, L599), from its tag and name: it must say DNA,
 * say Advantage (the word, or an `A` between dashes or underscores as in `DNA-C-T1-A-3Y`), and name a tier (`Tier 2`, `T2`). Returns what was
 * matched, so the reason can say it. Throughput-named licences (`DNA_P_50M_A`) name no tier and do not qualify.
 */
export function dnaAdvantageTier(tag: string, name: string | null = null): { ok: boolean; tier: number | null; matched: string } {
  const text = textOf(tag, name);
  const dna = /dna/i.test(text);
  const adv = /advantage/i.exec(text) ?? /(?:^|[_-])A(?=$|[_-])/.exec(text);
  const tierM = /tier\s*[-_:]?\s*(\d+)/i.exec(text) ?? /(?:^|[^A-Za-z0-9])T(\d+)(?=$|[^A-Za-z0-9])/i.exec(text);
  const tier = tierM ? Number(tierM[1]) : null;
  const what = name ?? shortNameOf(tag) ?? tag;
  const trim = (s: string) => s.replace(/^[^A-Za-z0-9]/, '');
  const found = [dna ? '"DNA"' : null, adv ? `"${trim(adv[0])}"` : null, tierM ? `"${trim(tierM[0])}"` : null].filter(Boolean);
  const missing = [dna ? null : '"DNA"', adv ? null : '"Advantage"', tierM ? null : 'a tier'].filter(Boolean);
  const matched = `${found.length ? `found ${found.join(', ')}` : 'found nothing'}${missing.length ? `, not ${missing.join(' nor ')}` : ''} in "${what}"`;
  return { ok: dna && !!adv && tier !== null && tier >= 1 && tier <= 5, tier, matched };
}

/** A product family a licence's name or tag names (`C9300-24 DNA Advantage` → C9300), for the applicability hint. */
function licenceFamily(text: string): string | null {
  const m = /(C9[0-9]00|C8000V|C8[2-5]00|ISR[\s_-]?4\d00|ISR[\s_-]?1\d00|C11\d\d|ASR[\s_-]?1\d{3}|CSR1000V|AIR-)/i.exec(text);
  return m ? seriesOf(m[1]!.replace(/[\s_-]/g, '')) : null;
}

/** Families compared at the level licences are sold: ISR and ASR by series, wireless as one. */
function seriesOf(family: string): string {
  const f = family.toUpperCase();
  if (/^ISR4/.test(f)) return 'ISR4000';
  if (/^(ISR1|C11)/.test(f)) return 'ISR1000';
  if (/^ASR1/.test(f)) return 'ASR1000';
  if (/^(AIR|C9800)/.test(f)) return 'wireless';
  return f;
}

const label = (d: ProductInstance) => d.hostname?.value ?? d.key;

// ——— the rules: each returns its findings ———

type Finding = Omit<RuleFinding, 'rule'>;
const block = (message: string, deviceKey: string | null = null): Finding => ({ deviceKey, message, severity: 'block' });
const warn = (message: string, deviceKey: string | null = null): Finding => ({ deviceKey, message, severity: 'warn' });

/** L261, L635, L646: a licence is assigned from a Virtual Account, one the summary knows when there is one. */
function virtualAccountRule(req: AssignRequest, ctx: RuleContext): Finding[] {
  if (!req.virtualAccount.trim()) return [block('Choose the Virtual Account the licence is assigned from (seed 000 L635).')];
  const s = ctx.summary;
  if (s && s.virtualAccounts.length && !s.virtualAccounts.includes(req.virtualAccount)) {
    return [block(`Virtual Account ${req.virtualAccount} is not in the licence summary of ${s.smartAccount}, whose Virtual Accounts are ${s.virtualAccounts.join(', ')} (seed 000 L261, L635).`)];
  }
  return [];
}

/**
 * L648: "Select a license that belongs to the Virtual Account you have selected", offered only when it meets the
 * billing criteria (L659). Before any summary, default entitlements may be assigned; they are reconciled when the
 * summary arrives (L100).
 */
function licenceInVaRule(req: AssignRequest, ctx: RuleContext, licences: SummaryLicense[]): Finding[] {
  if (!req.tag.trim()) return [block('Choose the licence to assign (seed 000 L638).')];
  if (!ctx.summary) {
    return [warn(`No licence summary has been imported yet: ${entitlementName(req.tag)} is assigned as a default entitlement and will be reconciled with what CSSM has when a summary arrives (seed 000 L100).`)];
  }
  if (!req.virtualAccount.trim()) return [];
  if (!licences.length) return [block(`${entitlementName(req.tag)} is not a licence of Virtual Account ${req.virtualAccount} in the summary: select a licence that belongs to the Virtual Account selected (seed 000 L638).`)];
  const bills = new Set(licences.flatMap((l) => [...billingsOf(l)]));
  if (bills.size && !bills.has(req.billing)) {
    return [block(`${licenceLabel(licences[0]!)} has only ${[...bills].join(' and ')} lines in Virtual Account ${req.virtualAccount}, none ${req.billing} (seed 000 L659).`)];
  }
  return [];
}

/** L12, L297-299, L633, L656: postpaid licences only as MSLA-U (MSLA-C is unsupported); MSLA is postpaid only (L41-42, L676-678). */
function postpaidMslaRule(req: AssignRequest): Finding[] {
  if (req.billing === 'postpaid' && !req.msla) return [block('A postpaid licence is assigned as MSLA-U only: MSLA-C is no longer supported, so choose MSLA Type MSLA-U (seed 000 L297-299, L633).')];
  if (req.billing === 'prepaid' && req.msla) return [block('MSLA is a postpaid billing model: a prepaid (a la carte or EA) licence is assigned with MSLA false (seed 000 L38-42, L676-678).')];
  return [];
}

/** L636, L649, L686: a subscription ID is chosen for postpaid licences only; prepaid ones have none. */
function subscriptionPostpaidOnlyRule(req: AssignRequest): Finding[] {
  if (req.billing === 'prepaid' && req.subscriptionId) return [block(`Subscription ID ${req.subscriptionId} cannot go with a prepaid licence: a subscription ID is chosen only for postpaid licences (seed 000 L636, L686).`)];
  return [];
}

/**
 * L636, L658: a postpaid licence's subscription ID is one of its subscriptions in the summary (one that has not
 * ended). A postpaid licence without one: blocked once the summary lists the licence's subscriptions, a warning
 * before any summary (its subscriptions are not known yet).
 */
function subscriptionKnownRule(req: AssignRequest, ctx: RuleContext, licences: SummaryLicense[]): Finding[] {
  if (req.billing !== 'postpaid') return [];
  const subs = ctx.summary ? postpaidSubscriptions(licences) : null;
  const list = subs ? [...subs.keys()].join(', ') : '';
  if (!req.subscriptionId) {
    if (!ctx.summary) return [warn('No subscription ID chosen for this postpaid licence: choose one once the licence summary shows its subscriptions (seed 000 L636, L658).')];
    if (subs!.size) return [block(`Choose the subscription ID that tracks this postpaid licence's consumption, one of ${list} (seed 000 L636, L658).`)];
    return [];
  }
  if (!subs || !licences.length) return [];
  if (!subs.has(req.subscriptionId)) {
    return [block(`Subscription ${req.subscriptionId} is not one of ${licenceLabel(licences[0]!)}'s postpaid subscriptions in Virtual Account ${req.virtualAccount}${subs.size ? ` (${list})` : ' (it has none)'} (seed 000 L636, L658).`)];
  }
  const end = subs.get(req.subscriptionId) ?? null;
  if (end !== null && end < ctx.now) return [block(`Subscription ${req.subscriptionId} ended on ${day(end)}: an expired postpaid subscription puts the network out of compliance (seed 000 L188).`)];
  return [];
}

/** L295: never prepaid and postpaid for the same DNA entitlement type among the devices of one overlay (the workspace). */
function mixRule(req: AssignRequest, active: readonly Assignment[]): Finding[] {
  const type = entitlementType(req.tag);
  const other = active.filter((a) => a.billing !== req.billing && entitlementType(a.tag) === type);
  if (!other.length) return [];
  return [
    block(
      `${entitlementName(req.tag)} is already assigned ${other[0]!.billing} to ${plural(other.length, 'device')} of this overlay: do not assign both prepaid and postpaid licences for the same DNA entitlement type (seed 000 L293-295).`,
    ),
  ];
}

/** L289-291: one postpaid subscription within a single SD-WAN Manager instance (the workspace). */
function onePostpaidSubscriptionRule(req: AssignRequest, active: readonly Assignment[]): Finding[] {
  if (req.billing !== 'postpaid' || !req.subscriptionId) return [];
  const others = [...new Set(active.filter((a) => a.billing === 'postpaid' && a.subscriptionId && a.subscriptionId !== req.subscriptionId).map((a) => a.subscriptionId!))];
  if (!others.length) return [];
  return [block(`Postpaid licences here already use subscription ${others.join(', ')}: do not assign multiple subscriptions for postpaid licences within a single SD-WAN Manager instance, so use ${others.length === 1 ? 'that one' : 'one of them'} (seed 000 L289-291).`)];
}

/** L240-245, L596-611: a multitenant device's base licence is DNA Advantage tier 1-5; n tenants need n − 1 tenant licences. */
function multitenantRequestRules(req: AssignRequest, role: Assignment['role'], name: string | null): { rule: RuleName; f: Finding }[] {
  const out: { rule: RuleName; f: Finding }[] = [];
  const n = req.tenants ?? null;
  if (role === 'tenant') {
    if (n === null || n < 2) {
      out.push({ rule: 'multitenant-tenants', f: block(`Tenant licences are for a device used by 2 or more tenants (the base licence accommodates one), and ${n === null ? 'no number of tenants was given' : `${plural(n, 'tenant')} was given`} (seed 000 L245, L603).`) });
    } else if (req.count !== undefined && req.count !== n - 1) {
      out.push({ rule: 'multitenant-tenants', f: block(`${n} tenants need ${n - 1} tenant licence${n - 1 === 1 ? '' : 's'}, not ${req.count}: the base licence accommodates one tenant, so for n tenants enter n − 1 (seed 000 L603, L611).`) });
    }
  } else if (n !== null && n >= 2 && role !== 'hsec') {
    const t = dnaAdvantageTier(req.tag, name);
    if (!t.ok) {
      out.push({
        rule: 'multitenant-base',
        f: block(`${name ?? entitlementName(req.tag)} cannot be the base licence of a device used by ${n} tenants: it must be DNA Advantage tier 1 to 5 (${t.matched}) (seed 000 L244, L599).`),
      });
    }
  }
  return out;
}

/** L244, L599: tenant licences go on a device whose active base licence is DNA Advantage tier 1-5. */
function tenantBaseRule(d: ProductInstance, mine: readonly Assignment[]): Finding | null {
  const bases = mine.filter((a) => a.role === 'base');
  if (bases.some((a) => dnaAdvantageTier(a.tag, a.name).ok)) return null;
  if (!bases.length) return block(`${label(d)} has no base licence: assign a DNA Advantage tier 1 to 5 base licence before its tenant licences (seed 000 L244, L598-599).`, d.key);
  const t = dnaAdvantageTier(bases[0]!.tag, bases[0]!.name);
  return block(`${label(d)}'s base licence ${bases[0]!.name} is not DNA Advantage tier 1 to 5 (${t.matched}), so it cannot take tenant licences (seed 000 L244, L599).`, d.key);
}

/** L538, L560, L638: up to three licences per device with Multiple Entitlement on, one when off (the request counted). */
function perDeviceRule(d: ProductInstance, mine: readonly Assignment[], role: Assignment['role'], settings: RuleSettings): Finding | null {
  if (!countsTowardsLimit(role)) return null;
  const limit = settings.multipleEntitlement ? 3 : 1;
  const held = mine.filter((a) => countsTowardsLimit(a.role)).length;
  if (held + 1 <= limit) return null;
  return block(
    settings.multipleEntitlement
      ? `${label(d)} already has ${plural(held, 'licence')}: with Multiple Entitlement on a device takes up to three (seed 000 L638).`
      : `${label(d)} already has ${plural(held, 'licence')}: with Multiple Entitlement off a device takes only one (seed 000 L538, L560).`,
    d.key,
  );
}

/** L273: above 250 Mbps, ISR 1000/4000, Catalyst 8000 and 8000V need an HSEC licence besides the device licence. */
function hsecRule(d: ProductInstance, mine: readonly Assignment[], role: Assignment['role'], mbps: number | null): Finding | null {
  if (role === 'hsec' || mbps === null || mbps <= 250) return null;
  const fam = hsecFamily(d.udi.pid);
  if (!fam || mine.some(hsecAssignment)) return null;
  return block(`${label(d)} (${d.udi.pid}, ${fam.family}) needs an HSEC licence for a throughput tier of ${mbps} Mbps, above 250 Mbps: assign one first, else its throughput stays limited to 250 Mbps (${fam.source}).`, d.key);
}

/**
 * L648, L659: "check the device license applicability matrix … If you apply an incompatible license, the license may
 * have no effect". A cautious heuristic, so a warning: the licence's tag or name names a product family (C9300, C8300,
 * ISR 4000, AIR…) other than the device's.
 */
function familyRule(d: ProductInstance, lic: string | null, tag: string, name: string | null): Finding | null {
  if (!lic) return null;
  const dev = seriesOf(familyOf(d.udi.pid));
  if (lic === dev) return null;
  return warn(`${name ?? entitlementName(tag)} names ${lic === 'wireless' ? 'a wireless product' : lic}, and ${label(d)} is a ${familyOf(d.udi.pid)} (a guess from the names): check the applicability matrix, an incompatible licence may have no effect yet is still counted (seed 000 L648).`, d.key);
}

// ——— the API ———

interface Checked {
  allowed: string[];
  findings: RuleFinding[];
  role: Assignment['role'];
  name: string;
  tag: string;
}

function check(req: AssignRequest, ctx: RuleContext): Checked {
  const findings: RuleFinding[] = [];
  const add = (rule: RuleName, fs: Array<Finding | null>) => {
    for (const f of fs) if (f) findings.push({ rule, ...f });
  };
  const active = ctx.active.filter((a) => a.releasedAt === null);
  const licences = ctx.summary ? summaryLicences(ctx.summary, req.virtualAccount, req.tag) : [];
  const name = licences[0] ? licenceLabel(licences[0]) : null;
  const tag = licences[0]?.tag ?? req.tag;
  const role = roleOf(req, name);
  const mbps = req.throughputMbps ?? null;

  add('virtual-account', virtualAccountRule(req, ctx));
  add('licence-in-va', licenceInVaRule(req, ctx, licences));
  add('postpaid-msla-u', postpaidMslaRule(req));
  add('subscription-postpaid-only', subscriptionPostpaidOnlyRule(req));
  add('subscription-known', subscriptionKnownRule(req, ctx, licences));
  add('no-prepaid-and-postpaid-mix', mixRule(req, active));
  add('one-postpaid-subscription', onePostpaidSubscriptionRule(req, active));
  for (const { rule, f } of multitenantRequestRules(req, role, name)) add(rule, [f]);
  const blockedAll = findings.some((f) => f.severity === 'block');

  const byDevice = new Map<string, Assignment[]>();
  for (const a of active) {
    const list = byDevice.get(a.deviceKey);
    if (list) list.push(a);
    else byDevice.set(a.deviceKey, [a]);
  }
  const allowed: string[] = [];
  const tenantsGiven = (req.tenants ?? 0) >= 2;
  // The family a licence's name points at is the same for every device of the request: read it once.
  const licFamily = licenceFamily(textOf(tag, name));
  for (const key of new Set(req.deviceKeys)) {
    const d = ctx.devices.get(key);
    if (!d) {
      add('unknown-device', [block(`Device ${key} is not in the fleet: only devices in the inventory can be assigned a licence (seed 000 L582).`, key)]);
      continue;
    }
    const mine = byDevice.get(key) ?? [];
    const before = findings.length;
    const dup = mine.find((a) => norm(a.tag) === norm(tag) || norm(a.tag) === norm(req.tag));
    if (dup) add('duplicate', [block(`${label(d)} already has ${dup.name} (assigned ${day(dup.assignedAt)}): release it first to assign it again (seed 000 L688-704).`, key)]);
    add('entitlements-per-device', [perDeviceRule(d, mine, role, ctx.settings)]);
    add('hsec-above-250', [hsecRule(d, mine, role, mbps)]);
    if (role === 'tenant' && tenantsGiven) add('multitenant-base', [tenantBaseRule(d, mine)]);
    add('family-applicability', [familyRule(d, licFamily, tag, name)]);
    if (!blockedAll && !findings.slice(before).some((f) => f.severity === 'block')) allowed.push(key);
  }
  return { allowed, findings, role, name: name ?? entitlementName(req.tag), tag };
}

/** Which of the request's devices may be assigned the licence (those passing every blocking rule), and why not. */
export function checkAssignment(req: AssignRequest, ctx: RuleContext): { allowed: string[]; findings: RuleFinding[] } {
  const { allowed, findings } = check(req, ctx);
  return { allowed, findings };
}

/** The assignments the request makes: one per allowed device (the others are in the findings). */
export function assign(req: AssignRequest, ctx: RuleContext, at: number, by: string, newId: () => string): { assignments: Assignment[]; findings: RuleFinding[] } {
  const c = check(req, ctx);
  const count = c.role === 'tenant' ? (req.count ?? Math.max(1, (req.tenants ?? 2) - 1)) : 1;
  const assignments = c.allowed.map(
    (deviceKey): Assignment => ({
      id: newId(),
      deviceKey,
      virtualAccount: req.virtualAccount,
      tag: c.tag,
      name: c.name,
      billing: req.billing,
      msla: req.msla,
      subscriptionId: req.billing === 'postpaid' ? req.subscriptionId : null,
      count,
      role: c.role,
      throughputMbps: req.throughputMbps ?? null,
      assignedAt: at,
      by,
      releasedAt: null,
      releasedBy: null,
      releaseReason: null,
    }),
  );
  return { assignments, findings: c.findings };
}

/**
 * Releases assignments (L688-704): returns the released records only (new objects, `releasedAt` set), for the store
 * to write; history is kept, nothing is deleted. Ids not found or already released are ignored.
 */
export function release(active: readonly Assignment[], ids: readonly string[], at: number, by: string, reason: string): Assignment[] {
  const wanted = new Set(ids);
  return active.filter((a) => a.releasedAt === null && wanted.has(a.id)).map((a) => ({ ...a, releasedAt: at, releasedBy: by, releaseReason: reason }));
}

export const REMOVED_BY = 'workbench';
export const REMOVED_REASON = 'device removed from the inventory: its licences are released automatically (seed 000 L200)';

/** L200: a device removed from the inventory releases its licences. Returns the released records only. */
export function releaseForRemovedDevices(active: readonly Assignment[], presentKeys: ReadonlySet<string>, at: number): Assignment[] {
  return active.filter((a) => a.releasedAt === null && !presentKeys.has(a.deviceKey)).map((a) => ({ ...a, releasedAt: at, releasedBy: REMOVED_BY, releaseReason: REMOVED_REASON }));
}
