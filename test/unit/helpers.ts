import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Rng } from '../../src/core/sim/rng.ts';
import type { SimUsageDevice } from '../../src/core/sim/usage-file.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export function fixture(...path: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, ...path)));
}

export function fixtureNames(dir: string): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((n) => n.endsWith('.txt'))
    .sort();
}

export const text = (s: string) => new TextEncoder().encode(s);
export const decode = (b: Uint8Array) => new TextDecoder().decode(b);

export const C9300 = { pid: 'C9300-24UX', sn: 'FCW2303D16Y' };
export const C9300_SW = 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72';
export const NW_ADV = 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53';
export const DNA_ADV = 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18';

/** A standalone C9300 with two reports, the shape of the synthetic fixture. */
export function c9300(overrides: Partial<SimUsageDevice> = {}): SimUsageDevice {
  return {
    udi: C9300,
    hostname: 'access-sw-01',
    softwareVersion: '17.12.04',
    softwareTag: C9300_SW,
    savedAt: 1762592000000,
    reports: [
      { reportId: '1760003601', entitlementTag: NW_ADV, count: 1, start: 1760000000, end: 1762592000 },
      { reportId: '1760003602', entitlementTag: DNA_ADV, count: 1, start: 1760000000, end: 1762592000 },
    ],
    ...overrides,
  };
}

/** A StackWise Virtual pair of C9500s: the active reports for both. */
export function c9500Pair(): SimUsageDevice {
  const active = { pid: 'C9500-48Y4C', sn: 'FCW2219L0AA' };
  const standby = { pid: 'C9500-48Y4C', sn: 'FCW2219L0BB' };
  return {
    udi: active,
    hostname: 'core-sw-01',
    softwareVersion: '17.09.04',
    softwareTag: 'regid.2017-05.com.cisco.C9500,v1_d5c2b1a4-0000-4000-8000-000000009500',
    savedAt: 1762592000000,
    ha: [
      { role: 'active', udi: active },
      { role: 'standby', udi: standby },
    ],
    reports: [
      { reportId: '1760200001', entitlementTag: 'regid.2017-03.com.cisco.advantagek9-Nyquist-C9500,1.0_f1563759-2e03-4a4c-bec5-5feec525a12c', count: 2, start: 1760000000, end: 1762592000 },
    ],
  };
}

/** A seeded generator of numbers in [0, 1) (the simulator's sfc32): fuzz tests damage input the same way every run. */
export function seeded(seed: string | number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** Runs the `slp` command line as a user would (`npm run -s slp -- …`), returning its exit code and output. */
export async function slp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
