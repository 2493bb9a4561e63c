import { describe, expect, it } from 'vitest';
import { readAck } from '../../../src/core/formats/ack.ts';
import { mergeAcks } from '../../../src/core/model/acks.ts';
import type { DeviceReports, ProductInstance, StoredReport } from '../../../src/core/model/fleet.ts';
import { text } from '../helpers.ts';

const UDI = { pid: 'C9300-24UX', sn: 'FCW2303D16Y' };
const KEY = 'PID:C9300-24UX,SN:FCW2303D16Y';
const BIG = '18446744073709551615';

function ackXml(body: object, policy = ''): Uint8Array {
  return text(`<smartLicense><smartLicenseRumAck><data>${JSON.stringify(body).replace(`"${BIG}"`, BIG)}</data></smartLicenseRumAck>${policy}</smartLicense>`);
}

const device: ProductInstance = { key: KEY, udi: UDI, hostname: null, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 1, lastReportEnd: null, files: ['u'], firstSeen: 0, updatedAt: 0 };
const report = (reportId: string): StoredReport => ({ reportId, udi: UDI, softwareTag: null, entitlementTag: null, count: 1, start: 0, end: 1, utility: false, softwareVersion: null, payloadFormat: '2.0', measurementCount: 1, fingerprint: 0, source: { file: 'u', entry: [], start: 0, end: 1 }, alsoIn: [] });

describe('ACK reading and merging', () => {
  it('keeps report IDs beyond 2^53 exact, and reads a simulated policy', () => {
    const policy = `<smartLicensePolicy><data>${JSON.stringify({ format: 'slp-sim-policy/1', name: 'P', custom: true, ackRequired: true, classes: Object.fromEntries(['unenforcedPerpetual', 'unenforcedSubscription', 'enforced', 'export'].map((c) => [c, { firstReportDays: 1, reportingFrequencyDays: 2, reportOnChangeDays: 3 }])) })}</data></smartLicensePolicy>`;
    const ack = readAck(ackXml({ sudi: { udi_pid: UDI.pid, udi_serial_number: UDI.sn }, timestamp: 1_700_000_000_000, acknowledgements: [{ report_id: BIG }] }, policy), ['a.xml']);
    expect(ack.acknowledged).toEqual([{ reportId: BIG, udi: UDI }]);
    expect(ack.policy).toMatchObject({ name: 'P', classes: { export: { reportOnChangeDays: 3 } } });
    expect(ack.warnings).toEqual([]);
  });

  it('marks known reports once, counts unknown ones, names unknown devices, scales a timestamp in seconds', () => {
    const ack = readAck(ackXml({ sudi: { udi_pid: UDI.pid, udi_serial_number: UDI.sn }, timestamp: 1_700_000_000, acknowledgements: [{ report_id: BIG }, { report_id: 42 }] }), ['a.xml']);
    const other = readAck(ackXml({ sudi: { udi_pid: 'X', udi_serial_number: 'Y' }, acknowledgements: [{ report_id: 7 }] }), ['b.xml']);
    const reports = new Map<string, DeviceReports>([[KEY, { key: KEY, reports: [report(BIG)] }]]);
    const r = mergeAcks({ file: 'ack', importedAt: 5, acks: [ack, other] }, new Map([[KEY, device]]), reports);
    expect([r.acknowledged, r.unknownReports, r.unknownDevices]).toEqual([1, 1, ['PID:X,SN:Y']]);
    expect(r.devices[0]!.lastAckReceived).toEqual({ value: 1_700_000_000_000, file: 'ack', at: 1_700_000_000_000 });
    expect(r.reports[0]!.reports[0]!.acknowledgedBy).toEqual({ file: 'ack', at: 1_700_000_000_000 });
    expect(r.warnings).toEqual([
      'the ACK names 1 device the workbench does not know (PID:X,SN:Y): nothing recorded for it',
      '1 acknowledged report is not among the stored reports (their usage files were not imported here)',
    ]);
    // The input maps are not changed.
    expect(reports.get(KEY)!.reports[0]!.acknowledgedBy).toBeUndefined();
    // Merging the same ACK again acknowledges nothing new.
    const again = mergeAcks({ file: 'ack', importedAt: 6, acks: [ack] }, new Map([[KEY, r.devices[0]!]]), new Map([[KEY, r.reports[0]!]]));
    expect(again.acknowledged).toBe(0);
  });
});

describe('what ACKs grant', () => {
  it('keeps authorization codes, trust codes and subscription IDs per device, whichever ACK comes first, the newer trust code winning', () => {
    const older = readAck(ackXml({ sudi: { udi_pid: UDI.pid, udi_serial_number: UDI.sn }, timestamp: 1000, authorization_codes: ['SLAC-A'], trust_code: 'T-old', subscription_ids: { tagA: 'Sub1' } }), ['older']);
    const newer = readAck(ackXml({ sudi: { udi_pid: UDI.pid, udi_serial_number: UDI.sn }, timestamp: 2000, trust_code: 'T-new' }), ['newer']);
    expect(older).toMatchObject({ authorizationCodes: [{ code: 'SLAC-A' }], trustCodes: [{ code: 'T-old' }], subscriptionIds: { tagA: 'Sub1' } });
    const devices = new Map([[KEY, device]]);
    const first = mergeAcks({ file: 'n', importedAt: 5000, acks: [newer] }, devices, new Map());
    // The older ACK imported after the newer one: its codes are kept, the newer trust code stays.
    const second = mergeAcks({ file: 'o', importedAt: 6000, acks: [older] }, new Map([[KEY, first.devices[0]!]]), new Map());
    expect(second.devices[0]!.fromAck).toEqual({ value: { trustCode: 'T-new', authorizationCodes: ['SLAC-A'], subscriptionIds: { tagA: 'Sub1' } }, file: 'n', at: 2_000_000 });
  });

  it('an answer to a SLAC request (codes, no report) does not move the last ACK when usageAck is false', () => {
    const answer = readAck(ackXml({ sudi: { udi_pid: UDI.pid, udi_serial_number: UDI.sn }, timestamp: 3000, acknowledgements: [], authorization_codes: ['SLAC-B'] }), ['answer']);
    const out = mergeAcks({ file: 'a', importedAt: 9000, acks: [answer], usageAck: false }, new Map([[KEY, device]]), new Map());
    expect(out.devices[0]!.lastAckReceived ?? null).toBeNull();
    expect(out.devices[0]!.fromAck?.value.authorizationCodes).toEqual(['SLAC-B']);
  });
});
