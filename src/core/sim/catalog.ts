import type { Rng } from './rng.ts';
import type { ProductFamily, SimUsage } from './types.ts';

/**
 * What the simulator knows of Cisco's product families: PIDs, serial shapes, software IDs and the entitlements
 * each family consumes. Tags come from real device output where known (shared/data/entitlements.json, the
 * Cisco documents, the synthetic samples); the others follow the same `regid.<yyyy-mm>.com.cisco.<NAME>,1.0_<uuid>`
 * shape with made-up UUIDs, and are only ever used in simulated files.
 */

export interface Entitlement {
  tag: string;
  license: string;
  description: string;
  enforcement: SimUsage['enforcement'];
  duration: SimUsage['duration'];
}

const e = (tag: string, license: string, description: string, duration: Entitlement['duration'], enforcement: Entitlement['enforcement'] = 'NOT ENFORCED'): Entitlement => ({
  tag,
  license,
  description,
  enforcement,
  duration,
});

// Switching (real tags from `show license tech support` output, except where marked).
const C9300_24_NA = e('regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', 'network-advantage', 'C9300-24 Network Advantage', 'Perpetual');
const C9300_24_NE = e('regid.2017-03.com.cisco.essentialsk9,1.0_90406ae8-385e-43aa-ac98-91da0ea270e2', 'network-essentials', 'C9300-24 Network Essentials', 'Perpetual');
const C9300_24_DA = e('regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18', 'dna-advantage', 'C9300-24 DNA Advantage', 'Subscription');
const C9300_48_NA = e('regid.2017-05.com.cisco.C9300_48P_NW_Advantagek9,1.0_6a224fe3-c92e-4440-a9c1-5d0e53a54015', 'network-advantage', 'C9300-48 Network Advantage', 'Perpetual');
const C9300_48_DA = e('regid.2017-05.com.cisco.C9300_48P_Dna_Advantage,1.0_60783b06-53ee-484c-b21e-615d3cf6837a', 'dna-advantage', 'C9300-48 DNA Advantage', 'Subscription');
const C9300_24_DE = e('regid.2017-05.com.cisco.c9300_dna_essentials,1.0_0c5a2b5e-1f3d-4b8e-9a47-2d6c8e1f7a10', 'dna-essentials', 'C9300-24 DNA Essentials', 'Subscription'); // made up
const C9200_NE = e('regid.2018-02.com.cisco.C9200_NW_Essentials,1.0_2b8d4f61-7c3e-4a9b-8d52-6e1f0a7c3b94', 'network-essentials', 'C9200 Network Essentials', 'Perpetual'); // made up
const C9200_NA = e('regid.2018-02.com.cisco.C9200_NW_Advantage,1.0_7e4a1c93-5b2d-4f80-b6a1-3c9e8d2f5a17', 'network-advantage', 'C9200 Network Advantage', 'Perpetual'); // made up
const C9200_DE = e('regid.2018-02.com.cisco.C9200_DNA_Essentials,1.0_5f3c9a27-8e1b-4d64-a0c5-1b7d2e9f4c38', 'dna-essentials', 'C9200 DNA Essentials', 'Subscription'); // made up
const C9200_DA = e('regid.2018-02.com.cisco.C9200_DNA_Advantage,1.0_9a1e5d83-2c7f-4b36-8e94-4f0b6a1d7c52', 'dna-advantage', 'C9200 DNA Advantage', 'Subscription'); // made up
const C9400_NA = e('regid.2017-05.com.cisco.advantagek9-C9400,1.0_61a546cd-1037-47cb-bbe6-7cad3217a7b3', 'network-advantage', 'C9400 Network Advantage', 'Perpetual');
const C9400_DA = e('regid.2017-05.com.cisco.dna_advantage-C9400,1.0_6e77dbc1-0da3-466c-8414-97c8ee4d48ce', 'dna-advantage', 'C9400 DNA Advantage', 'Subscription');
const C9500_NA = e('regid.2017-03.com.cisco.advantagek9-Nyquist-C9500,1.0_f1563759-2e03-4a4c-bec5-5feec525a12c', 'network-advantage', 'C9500 Network Advantage', 'Perpetual');
const C9500_DA = e('regid.2018-01.com.cisco.C9500-DNA-32QC-A,1.0_1fd2bf73-201e-472b-a287-65f23ec80f3e', 'dna-advantage', 'C9500 DNA Advantage', 'Subscription');

// Wireless (seed 003: AIR licences; AIR-DNA-A and DNA_NWStack tags are real).
const AIR_NA = e('regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896', 'air-network-advantage', 'DNA_NWStack', 'Perpetual');
const AIR_DA = e('regid.2017-08.com.cisco.AIR-DNA-A,1.0_b6308627-3ab0-4a11-a3d9-586911a0d790', 'air-dna-advantage', 'AIR-DNA-A', 'Subscription');
const AIR_NE = e('regid.2018-06.com.cisco.DNA_NWSTACK_E,1.0_3d9b6f20-4a8c-4e15-9b73-8c2e5a1f6d04', 'air-network-essentials', 'DNA_NWSTACK_E', 'Perpetual'); // made up
const AIR_DE = e('regid.2017-08.com.cisco.AIR-DNA-E,1.0_c4e8a2f6-9d1b-4c37-a5e0-7b3f9d2c8e61', 'air-dna-essentials', 'AIR-DNA-E', 'Subscription'); // made up

/** DNA_HSEC: the export-controlled HSECK9 entitlement routers need above 250 Mbps (seed 004 Table 4/5). Real tag. */
export const DNA_HSEC = e('regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844', 'hseck9', 'DNA_HSEC', 'Perpetual', 'EXPORT RESTRICTED');

/** Router DNA throughput tiers (the 50M Advantage tag is the one in the synthetic C8000V sample). */
const TIER_UUIDS: Record<string, string> = {
  '10M': '4c1e7a93-0b2d-4f56-8e31-9a6d2c5b7f08',
  '25M': 'd2a5f817-3c6e-4b90-a1d4-5e8f2b7c9a63',
  '50M': '100fb8b2-5d8f-4a16-8f9a-2c5b1e3d7a41',
  '100M': '8b3e1d54-6a9c-4f27-b0e5-1d7c3a8f2e96',
  '250M': 'f6c2a9e1-7d4b-4a38-9c15-3e8b1f6d2a70',
  '500M': '2e9d7b36-1f5a-4c84-a6e2-9b3d5c1f8e27',
  '1G': '5a7c3e92-8b1d-4f60-9d34-6c2a8e5b1f49',
  '2.5G': 'b1f4d8a6-2e9c-4b73-8a51-7d3f6c9e2b05',
  '5G': '9e2b6c41-5d8a-4e17-b3f9-2a6d1c8e5f34',
  '10G': '3f8a1d75-9c2e-4b46-a7d3-8e5b2f1c6a98',
};
export const TIER_MBPS: Record<string, number> = { '10M': 10, '25M': 25, '50M': 50, '100M': 100, '250M': 250, '500M': 500, '1G': 1000, '2.5G': 2500, '5G': 5000, '10G': 10000 };

export function dnaTier(tier: string, level: 'E' | 'A'): Entitlement {
  const uuid = TIER_UUIDS[tier];
  if (!uuid) throw new Error(`unknown throughput tier ${tier}`);
  const name = `DNA_P_${tier}_${level}`;
  return e(`regid.2018-12.com.cisco.${name},1.0_${uuid}`, level === 'A' ? 'dna-advantage' : 'dna-essentials', name, 'Subscription');
}

export interface FamilyModel {
  family: ProductFamily;
  label: string;
  pids: readonly string[];
  softwareTag: string;
  /** Virtual appliances have 11-character serials and no YYWW date code. */
  virtual: boolean;
  serialPrefixes: readonly string[];
  hostnamePart: string;
}

export const FAMILIES: Record<ProductFamily, FamilyModel> = {
  C9200: { family: 'C9200', label: 'Catalyst 9200', pids: ['C9200-24P', 'C9200-48P', 'C9200L-24P-4G', 'C9200L-48P-4X'], softwareTag: 'regid.2018-01.com.cisco.C9200,v1_1b3d6f80-2a4c-4e79-b815-9c2d7e4a6f13', virtual: false, serialPrefixes: ['JAE', 'FOC'], hostnamePart: 'acc' },
  C9300: { family: 'C9300', label: 'Catalyst 9300', pids: ['C9300-24UX', 'C9300-48P', 'C9300-24P', 'C9300-48UXM', 'C9300L-48P-4G'], softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72', virtual: false, serialPrefixes: ['FCW', 'FOC'], hostnamePart: 'acc' },
  C9400: { family: 'C9400', label: 'Catalyst 9400', pids: ['C9407R', 'C9410R', 'C9404R'], softwareTag: 'regid.2017-05.com.cisco.C9400,v1_6d2f8b41-0c7e-4a95-b3d6-2e9a1f5c7b80', virtual: false, serialPrefixes: ['FXS', 'FOX'], hostnamePart: 'dist' },
  C9500: { family: 'C9500', label: 'Catalyst 9500', pids: ['C9500-48Y4C', 'C9500-32C', 'C9500-24Y4C'], softwareTag: 'regid.2017-05.com.cisco.C9500,v1_8e4a2c17-5b9d-4f3e-a6c0-1d7b9e3f5a24', virtual: false, serialPrefixes: ['FDO', 'CAT'], hostnamePart: 'core' },
  ISR1000: { family: 'ISR1000', label: 'ISR 1000', pids: ['C1111-8P', 'C1121-8P', 'C1161-8P'], softwareTag: 'regid.2017-11.com.cisco.ISR1100,v1_4a9c2e65-7d1b-4f83-9e06-3b5d8a2c1f47', virtual: false, serialPrefixes: ['FGL', 'FCZ'], hostnamePart: 'br-rtr' },
  ISR4000: { family: 'ISR4000', label: 'ISR 4000', pids: ['ISR4331/K9', 'ISR4351/K9', 'ISR4451-X/K9', 'ISR4461/K9'], softwareTag: 'regid.2014-05.com.cisco.ISR4400,v1_0aa6d1a5-3e8f-4c29-b74d-9f1e6c2a5d83', virtual: false, serialPrefixes: ['FDO', 'FLM'], hostnamePart: 'wan-rtr' },
  C8000: { family: 'C8000', label: 'Catalyst 8000 Edge', pids: ['C8200-1N-4T', 'C8300-1N1S-6T', 'C8300-2N2S-4T2X', 'C8500-12X'], softwareTag: 'regid.2020-06.com.cisco.C8000,v1_7c1f4b92-6e3a-4d58-8b20-5a9e3d7c1f64', virtual: false, serialPrefixes: ['FGL', 'FDO'], hostnamePart: 'edge' },
  C8000V: { family: 'C8000V', label: 'Catalyst 8000V', pids: ['C8000V'], softwareTag: 'regid.2019-10.com.cisco.C8000V,1.0_e361c3dc-7d6c-4b06-9f3e-8d4c5b8c2f10', virtual: true, serialPrefixes: [''], hostnamePart: 'vedge' },
  C9800: { family: 'C9800', label: 'Catalyst 9800', pids: ['C9800-40-K9', 'C9800-L-F-K9', 'C9800-L-C-K9', 'C9800-CL-K9'], softwareTag: 'regid.2018-05.com.cisco.WLC_9500C,1.0_85665885-b865-4e32-8184-5510412fcb54', virtual: false, serialPrefixes: ['TTM', 'FCW', 'FOX'], hostnamePart: 'wlc' },
};

/** IOS XE releases devices run, 17.3 to 17.15, as payloads print them. */
export const VERSIONS = ['17.03.08', '17.06.06', '17.06.07', '17.09.04', '17.09.05', '17.12.03', '17.12.04', '17.12.05', '17.15.01', '17.15.02'] as const;

/**
 * `17.09.05` → 1709: the release train as an integer, for "17.7.1 and later" style release gates (integers, so
 * no floating-point edge at a gate). A string that is not a version counts as a current release (17.12).
 */
export function train(version: string | undefined): number {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) * 100 + Number(m[2]) : 1712;
}

/** A serial: physical boxes `FCW2303D16Y` (plant, YYWW, 4 characters), virtual ones 11 characters. */
export function serialNumber(rng: Rng, model: FamilyModel, pid: string): string {
  if (model.virtual || pid === 'C9800-CL-K9') return rng.chars(11);
  const year = rng.int(19, 25);
  const week = rng.int(1, 52);
  return `${rng.pick(model.serialPrefixes)}${year}${String(week).padStart(2, '0')}${rng.chars(4)}`;
}

/** The entitlements a unit of this family consumes (counts are filled in by the fleet). */
export function entitlementsFor(family: ProductFamily, pid: string, level: 'essentials' | 'advantage'): Entitlement[] {
  const adv = level === 'advantage';
  switch (family) {
    case 'C9200':
      return adv ? [C9200_NA, C9200_DA] : [C9200_NE, C9200_DE];
    case 'C9300':
      if (!adv) return [C9300_24_NE, C9300_24_DE];
      return pid.includes('48') ? [C9300_48_NA, C9300_48_DA] : [C9300_24_NA, C9300_24_DA];
    case 'C9400':
      return [C9400_NA, C9400_DA];
    case 'C9500':
      return [C9500_NA, C9500_DA];
    case 'C9800':
      return adv ? [AIR_NA, AIR_DA] : [AIR_NE, AIR_DE];
    default:
      return [];
  }
}
