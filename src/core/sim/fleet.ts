import type { HaRole } from '../model/types.ts';
import { type Entitlement, DNA_HSEC, FAMILIES, TIER_MBPS, VERSIONS, dnaTier, entitlementsFor, serialNumber, train } from './catalog.ts';
import { Rng } from './rng.ts';
import { CISCO_DEFAULT_POLICY } from '../policy/cisco-default.ts';
import type {
  ProductFamily,
  SimFleet,
  SimLicensePool,
  SimPolicy,
  SimProductInstance,
  SimReportingUnit,
  SimRumReport,
  SimUsage,
  SimVirtualAccount,
} from './types.ts';

/**
 * A plausible air-gapped estate, deterministic from a seed: several Virtual Accounts, switches, routers and
 * wireless controllers with HA sets, report histories, ACK timelines, a few overdue devices, some that never
 * consumed a licence, a few with clock skew, utility-mode 8000Vs and routers waiting for an HSEC SLAC.
 * Each unit comes from its own generator forked from the seed, so unit 7 is the same in a fleet of 50 or 100,000.
 */
export interface SimulateOptions {
  seed: string | number;
  /** Product instances (distinct UDIs, HA members included). */
  devices: number;
  /** "Now" for the simulated estate (ms). */
  now: number;
}

const DAY = 86_400_000;

/** The custom policy example of seed 003 (L4696-4714): "SLE Policy". */
export function customPolicy(installedAt: number): SimPolicy {
  return {
    name: 'SLE Policy',
    custom: true,
    ackRequired: true,
    classes: {
      unenforcedPerpetual: { firstReportDays: 60, reportingFrequencyDays: 60, reportOnChangeDays: 60 },
      unenforcedSubscription: { firstReportDays: 30, reportingFrequencyDays: 30, reportOnChangeDays: 30 },
      enforced: { firstReportDays: 0, reportingFrequencyDays: 90, reportOnChangeDays: 90 },
      export: { firstReportDays: 0, reportingFrequencyDays: 90, reportOnChangeDays: 90 },
    },
    installedAt,
  };
}

const ACCOUNTS = ['Northwind Utilities', 'Contoso Rail', 'Fabrikam Energy', 'Tailspin Water', 'Litware Grid', 'Adatum Transit'];
const SITES = ['lon', 'man', 'edi', 'par', 'fra', 'ams', 'mad', 'mil', 'sto', 'waw', 'dub', 'zrh'];

const FAMILY_WEIGHTS: ReadonlyArray<readonly [ProductFamily, number]> = [
  ['C9300', 34],
  ['C9200', 20],
  ['C9400', 4],
  ['C9500', 6],
  ['ISR1000', 8],
  ['ISR4000', 7],
  ['C8000', 7],
  ['C8000V', 6],
  ['C9800', 8],
];

const VA_OF_FAMILY: Record<ProductFamily, string> = {
  C9200: 'Campus',
  C9300: 'Campus',
  C9400: 'Data Centre',
  C9500: 'Data Centre',
  ISR1000: 'WAN',
  ISR4000: 'WAN',
  C8000: 'WAN',
  C8000V: 'WAN',
  C9800: 'Wireless',
};

const ROUTER_TIERS: Partial<Record<ProductFamily, readonly string[]>> = {
  ISR1000: ['10M', '25M', '50M', '100M'],
  ISR4000: ['50M', '100M', '250M', '500M', '1G'],
  C8000: ['100M', '250M', '500M', '1G', '2.5G', '5G'],
  C8000V: ['10M', '50M', '100M', '250M', '500M', '1G', '2.5G'],
};

/** How many UDIs the unit has: stacks, StackWise Virtual pairs, wireless HA SSO pairs. */
function haSize(rng: Rng, family: ProductFamily, pid: string): number {
  switch (family) {
    case 'C9300':
      return rng.chance(0.35) ? rng.int(2, 4) : 1;
    case 'C9500':
      return rng.chance(0.5) ? 2 : 1;
    case 'C9400':
      return rng.chance(0.2) ? 2 : 1; // dual supervisors share the chassis UDI; StackWise Virtual pairs do not
    case 'C9800':
      return pid === 'C9800-CL-K9' ? (rng.chance(0.3) ? 2 : 1) : rng.chance(0.55) ? 2 : 1;
    default:
      return 1;
  }
}

function roleOf(index: number, size: number): HaRole {
  if (size === 1) return 'standalone';
  return index === 0 ? 'active' : index === 1 ? 'standby' : 'member';
}

function usageOf(ent: Entitlement, count: number, billing: SimUsage['billing'] = 'PREPAID', subscriptionId: string | null = null): SimUsage {
  return { tag: ent.tag, license: ent.license, description: ent.description, count, enforcement: ent.enforcement, duration: ent.duration, billing, subscriptionId };
}

export function simulateFleet(options: SimulateOptions): SimFleet {
  const { devices, now } = options;
  if (!Number.isInteger(devices) || devices < 1) throw new Error('devices must be a whole number of at least 1');
  if (!Number.isFinite(now)) throw new Error('now must be a time in ms');
  const seed = String(options.seed);
  const root = new Rng(seed);
  const accountRng = root.fork('account');
  const accountName = accountRng.pick(ACCOUNTS);
  const smartAccount = {
    id: String(accountRng.int(100000, 999999)),
    name: accountName,
    domain: `${accountName.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
  };
  const customInstalled = now - accountRng.int(20, 200) * DAY;
  const virtualAccounts: SimVirtualAccount[] = ['Campus', 'Data Centre', 'WAN', 'Wireless', 'Lab'].map((name, i) => ({
    id: String(accountRng.int(10000, 99999) * 10 + i),
    name,
    isDefault: name === 'Campus',
    policy: name === 'Lab' ? customPolicy(customInstalled) : CISCO_DEFAULT_POLICY,
  }));
  const policyOf = new Map(virtualAccounts.map((va) => [va.name, va.policy]));

  const units: SimReportingUnit[] = [];
  const instances: SimProductInstance[] = [];
  const hostnameCounters = new Map<string, number>();

  for (let u = 0; instances.length < devices; u++) {
    const rng = root.fork(`unit-${u}`);
    const family = rng.weighted(FAMILY_WEIGHTS);
    const model = FAMILIES[family];
    const pid = rng.pick(model.pids);
    const site = rng.pick(SITES);
    const size = Math.min(haSize(rng, family, pid), devices - instances.length);
    const virtualAccount = rng.chance(0.05) ? 'Lab' : VA_OF_FAMILY[family];
    const policy = policyOf.get(virtualAccount)!;
    const counterKey = `${site}-${model.hostnamePart}`;
    const seq = (hostnameCounters.get(counterKey) ?? 0) + 1;
    hostnameCounters.set(counterKey, seq);
    const hostname = `${counterKey}-${String(seq).padStart(3, '0')}`;
    const version = pid === 'C9800-CL-K9' ? rng.pick(VERSIONS.slice(3)) : rng.pick(VERSIONS);
    const unitId = `unit-${u}`;

    // Timeline: deployment, then ACKs on a cadence the operator mostly keeps, with a few lagging far behind.
    const deployedAt = now - rng.int(45, 900) * DAY;
    const scenario = rng.weighted([
      ['current', 70],
      ['lagging', 10],
      ['overdue', 8],
      ['never', 12],
    ] as const);
    let lastAckAt: number | null =
      scenario === 'current' ? now - rng.int(1, 25) * DAY : scenario === 'lagging' ? now - rng.int(30, 80) * DAY : scenario === 'overdue' ? now - rng.int(100, 300) * DAY : null;
    if (lastAckAt !== null && lastAckAt < deployedAt + 7 * DAY) lastAckAt = null;
    lastAckAt = lastAckAt === null ? null : lastAckAt - rng.int(0, 86_399) * 1000;
    const clockSkewMs = rng.chance(0.015) ? (rng.chance(0.5) ? 1 : -1) * rng.int(90, 540) * 60_000 : 0;
    const savedAt = now - rng.int(0, 3 * 24 * 60) * 60_000 + clockSkewMs;

    // What the unit consumes.
    const usage: SimUsage[] = [];
    let utility = false;
    let slacNeeded: string | null = null;
    let throughputMbps: number | null = null;
    let accessPoints: number | null = null;
    const neverConsumed = family !== 'C9800' && rng.chance(0.03);
    const tiers = ROUTER_TIERS[family];
    if (!neverConsumed && tiers) {
      const tier = rng.pick(tiers);
      throughputMbps = TIER_MBPS[tier]!;
      utility = family === 'C8000V' && rng.chance(0.4);
      const billing = utility ? 'POSTPAID' : 'PREPAID';
      const subscription = utility ? `Sub${rng.int(10_000_000, 99_999_999)}` : null;
      usage.push(usageOf(dnaTier(tier, rng.chance(0.6) ? 'A' : 'E'), 1, billing, subscription));
      if (throughputMbps > 250) {
        // Above 250 Mbps the router needs an HSEC authorization (seed 004 Table 5); some still wait for theirs.
        if (rng.chance(0.7)) usage.push(usageOf(DNA_HSEC, 1));
        else slacNeeded = DNA_HSEC.tag;
      }
    } else if (!neverConsumed) {
      const level = rng.chance(0.7) ? 'advantage' : 'essentials';
      const ents = entitlementsFor(family, pid, level);
      if (family === 'C9800') {
        accessPoints = pid === 'C9800-40-K9' ? rng.int(150, 2000) : pid === 'C9800-CL-K9' ? rng.int(10, 800) : rng.int(25, 250);
        for (const ent of ents) usage.push(usageOf(ent, accessPoints));
      } else {
        for (const ent of ents) usage.push(usageOf(ent, size));
      }
    }

    // Report history: one report per entitlement per period, up to the save; the device keeps at most one
    // acknowledged report per entitlement (it deletes the rest), so files stay the size real ones are.
    const periodDays = utility ? 7 : 30;
    const reports: SimRumReport[] = [];
    const lastAckSec = lastAckAt === null ? null : Math.floor(lastAckAt / 1000);
    const saveSec = Math.floor(savedAt / 1000);
    const firstStart = Math.max(Math.floor(deployedAt / 1000), (lastAckSec ?? saveSec) - periodDays * 86_400);
    usage.forEach((use, index) => {
      const spans: Array<[number, number]> = [];
      for (let start = firstStart; start + periodDays * 86_400 <= saveSec; start += periodDays * 86_400) spans.push([start, start + periodDays * 86_400]);
      if (spans.length === 0) spans.push([firstStart, saveSec]);
      const kept = spans.slice(-4);
      for (const [start, end] of kept) {
        const acked = lastAckSec !== null && end <= lastAckSec;
        // AP counts drift a little from period to period; both AIR licences count the same APs, so the drift
        // belongs to the period, not to the licence.
        const jitter = family === 'C9800' ? Math.round(use.count * (root.fork(`${unitId}/aps/${start}`).next() - 0.5) * 0.1) : 0;
        reports.push({ reportId: String(start + index), tag: use.tag, count: Math.max(1, use.count + jitter), start, end, state: acked ? 'ACK' : 'CLOSED', utility });
      }
      // The report still collecting usage: OPEN on the device, not in saved files until it closes.
      const openStart = kept[kept.length - 1]![1];
      if (openStart < saveSec) reports.push({ reportId: String(openStart + index), tag: use.tag, count: use.count, start: openStart, end: saveSec, state: 'OPEN', utility });
    });
    const ackedKeep = new Set<string>();
    for (let i = reports.length - 1; i >= 0; i--) {
      const r = reports[i]!;
      if (r.state !== 'ACK') continue;
      if (ackedKeep.has(r.tag)) reports.splice(i, 1);
      else ackedKeep.add(r.tag);
    }
    reports.sort((a, b) => a.end - b.end || a.reportId.localeCompare(b.reportId));

    const hasSubscription = usage.some((x) => x.duration === 'Subscription');
    const frequencyDays = utility ? 30 : hasSubscription ? policy.classes.unenforcedSubscription.reportingFrequencyDays || 90 : policy.classes.unenforcedPerpetual.reportOnChangeDays || 90;
    const firstDays = hasSubscription ? policy.classes.unenforcedSubscription.firstReportDays : policy.classes.unenforcedPerpetual.firstReportDays;
    const nextAckDeadline = neverConsumed ? null : lastAckAt !== null ? lastAckAt + frequencyDays * DAY : deployedAt + (firstDays || 90) * DAY;
    const lastReportPush = null; // transport off: nothing is ever pushed; the operator saves files instead
    const nextReportPush = neverConsumed ? null : Math.floor((lastAckAt ?? deployedAt) / DAY) * DAY + periodDays * DAY + 43_200_000;

    const members: SimProductInstance[] = [];
    for (let m = 0; m < size; m++) {
      const instance: SimProductInstance = {
        udi: { pid, sn: serialNumber(rng, model, pid) },
        hostname,
        family,
        softwareVersion: version,
        softwareTag: model.softwareTag,
        virtualAccount,
        site,
        role: roleOf(m, size),
        unitId,
        // Trust codes arrive in an ACK from 17.7.1 on (seed 004 §4.6).
        trustCodeInstalledAt: train(version) >= 1707 && lastAckAt !== null ? lastAckAt : null,
      };
      members.push(instance);
      instances.push(instance);
    }

    units.push({
      id: unitId,
      hostname,
      family,
      members,
      virtualAccount,
      site,
      utility,
      transport: 'off',
      usage,
      reports,
      lastAckAt,
      nextAckDeadline,
      lastReportPush,
      nextReportPush,
      savedAt,
      clockSkewMs,
      neverConsumed,
      overdue: nextAckDeadline !== null && nextAckDeadline < now,
      slacNeeded,
      throughputMbps,
      accessPoints,
    });
  }

  return { seed, now, smartAccount, virtualAccounts, units, instances, pools: licensePools(root.fork('pools'), units, now) };
}

/** What CSSM would show as bought per Virtual Account: mostly enough, a few pools short, some terms ending. */
function licensePools(rng: Rng, units: readonly SimReportingUnit[], now: number): SimLicensePool[] {
  const byKey = new Map<string, { va: string; use: SimUsage; inUse: number }>();
  for (const unit of units) {
    for (const use of unit.usage) {
      const key = `${unit.virtualAccount}\u0000${use.tag}\u0000${use.billing}\u0000${use.subscriptionId ?? ''}`;
      const entry = byKey.get(key);
      if (entry) entry.inUse += use.count;
      else byKey.set(key, { va: unit.virtualAccount, use, inUse: use.count });
    }
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return [...byKey.values()]
    .sort((a, b) => a.va.localeCompare(b.va) || a.use.tag.localeCompare(b.use.tag) || (a.use.subscriptionId ?? '').localeCompare(b.use.subscriptionId ?? ''))
    .map(({ va, use, inUse }) => {
      const term = use.duration === 'Subscription';
      const start = now - rng.int(60, 1000) * DAY;
      const years = rng.chance(0.5) ? 3 : 5;
      const short = rng.chance(0.06);
      return {
        virtualAccount: va,
        tag: use.tag,
        displayName: use.description,
        billing: use.billing,
        quantity: use.billing === 'POSTPAID' ? inUse : short ? Math.max(0, Math.floor(inUse * 0.9)) : Math.ceil(inUse * (1 + rng.next() * 0.3)),
        inUse,
        licenseType: term ? 'TERM' : 'PERPETUAL',
        startDate: term ? day(start) : null,
        endDate: term ? day(rng.chance(0.08) ? now + rng.int(-20, 45) * DAY : start + years * 365 * DAY) : null,
        subscriptionId: use.subscriptionId,
        enforced: use.enforcement !== 'NOT ENFORCED',
        exportRestricted: use.enforcement === 'EXPORT RESTRICTED',
      };
    });
}
