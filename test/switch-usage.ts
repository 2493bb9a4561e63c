import { writeUsageFile } from '../src/core/sim/usage-file.ts';

const encoder = new TextEncoder();

/**
 * The usage file of one simulated standalone Catalyst 9300 with one RUM report: what the unit, e2e and hostile
 * tests generate by the thousand when they need many small device files. Serial number and host name default to
 * ones derived from `i`.
 */
export function switchUsage(i: number, who: { sn?: string; hostname?: string } = {}): Uint8Array {
  return encoder.encode(
    writeUsageFile({
      udi: { pid: 'C9300-24UX', sn: who.sn ?? `FCW${String(i).padStart(8, '0')}` },
      hostname: who.hostname ?? `sw-${i}`,
      softwareVersion: '17.12.04',
      softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72',
      savedAt: 1_762_592_000_000,
      reports: [{ reportId: String(1_760_000_000 + i), entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 1, start: 1_760_000_000, end: 1_762_592_000 }],
    }),
  );
}
