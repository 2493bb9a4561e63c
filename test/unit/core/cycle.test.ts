import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { StoredEntries, deviceFile } from '../../../src/core/cycle/build.ts';
import { guideLines, handBackScript, verifyFromCli } from '../../../src/core/cycle/handback.ts';
import { type Cycle, type CycleDevice, CycleError, abandon, advance, authRequestState, canMove, holdsReports, newCycle } from '../../../src/core/cycle/model.ts';
import { parseCliText } from '../../../src/core/formats/cli/index.ts';
import { mergeUsage, type DeviceReports, type ProductInstance } from '../../../src/core/model/fleet.ts';
import { writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { C9300, NW_ADV, c9300, decode, text } from '../helpers.ts';

const KEY = 'PID:C9300-24UX,SN:FCW2303D16Y';

function device(over: Partial<CycleDevice> = {}): CycleDevice {
  return { key: KEY, udi: C9300, hostname: 'access-sw-01', handBack: 'device', reportIds: ['1'], request: null, uploadFile: 'dev_1_1.txt', n: 1, verbatim: true, ack: null, verifiedAck: null, ...over };
}

function cycle(over: Partial<Cycle> = {}): Cycle {
  return { ...newCycle({ id: 'c1', number: 7, smartAccount: 'ACME', virtualAccount: 'Campus', mode: 'bundle', devices: [device()], at: 1, by: 'Ana' }), ...over };
}

describe('cycle states', () => {
  it('moves step by step, allows a rebuild until the upload is downloaded, and refuses the rest with the reason', () => {
    expect(canMove('draft', 'built')).toBe(true);
    expect(canMove('built', 'built')).toBe(true);
    expect(canMove('downloaded', 'built')).toBe(false);
    expect(canMove('uploaded', 'built')).toBe(false);
    expect(canMove('draft', 'uploaded')).toBe(false);
    const c = cycle();
    const built = advance(c, 'built', { at: 2, by: 'Ben', message: 'built', files: [] });
    expect(built.audit.map((a) => [a.step, a.by])).toEqual([
      ['draft', 'Ana'],
      ['built', 'Ben'],
    ]);
    // The same state again is a note in the history, not a new step.
    expect(advance(built, 'built', { at: 3, by: 'Ben', message: 'rebuilt', files: [] }).audit[2]!.step).toBe('note');
    expect(() => advance(c, 'reconciled', { at: 2, by: 'Ana', message: '', files: [] })).toThrow(new CycleError('Cycle 7 is draft: it cannot go to "Reconciled" from there'));
    const gone = abandon(c, 'wrong devices', 3, 'Ana');
    expect(gone).toMatchObject({ state: 'abandoned', abandoned: { at: 3, reason: 'wrong devices' } });
    expect(gone.audit[gone.audit.length - 1]).toEqual({ at: 3, by: 'Ana', step: 'abandoned', message: 'Abandoned: wrong devices', files: [] });
    expect(() => abandon(gone, 'again', 4, 'Ana')).toThrow(new CycleError('Cycle 7 is abandoned: there is nothing to abandon'));
    expect(() => abandon(cycle({ state: 'verified' }), 'late', 4, 'Ana')).toThrow(CycleError);
    // Nothing may follow an abandoned cycle.
    expect(() => advance(gone, 'built', { at: 5, by: 'Ana', message: '', files: [] })).toThrow(CycleError);
  });

  it('holds its reports from the moment the upload may have reached CSSM', () => {
    expect(holdsReports(cycle())).toBe(false);
    expect(holdsReports(cycle({ state: 'downloaded' }))).toBe(true);
    expect(holdsReports(abandon(cycle({ state: 'built' }), 'wrong VA', 2, 'Ana'))).toBe(false);
    expect(holdsReports(abandon(cycle({ state: 'uploaded', uploadedOn: 5 }), 'CSSM rejected it', 6, 'Ana'))).toBe(true);
  });

  it('refuses a cycle without devices, without a Virtual Account, or a bundle of SLAC requests', () => {
    expect(() => newCycle({ id: 'x', number: 1, smartAccount: null, virtualAccount: ' ', mode: 'bundle', devices: [device()], at: 1, by: 'a' })).toThrow(/Virtual Account/);
    expect(() => newCycle({ id: 'x', number: 1, smartAccount: null, virtualAccount: 'V', mode: 'bundle', devices: [], at: 1, by: 'a' })).toThrow(/at least one device/);
    expect(() => newCycle({ id: 'x', number: 1, smartAccount: null, virtualAccount: 'V', mode: 'single', devices: [device(), device({ key: 'k2' })], at: 1, by: 'a' })).toThrow(/one device/);
    const request = { id: 'r', file: 'f', entry: [], kind: 'request' as const, entitlements: ['HSEC'] };
    expect(() => newCycle({ id: 'x', number: 1, kind: 'authorization', smartAccount: null, virtualAccount: 'V', mode: 'bundle', devices: [device({ request })], at: 1, by: 'a' })).toThrow(/one file per device/);
  });

  it('follows a SLAC request through its cycles: requested, uploaded, code received, installed; an abandoned draft puts it back', () => {
    const request = { id: 'r1', file: 'f', entry: [], kind: 'request' as const, entitlements: ['HSEC'] };
    const base = cycle({ kind: 'authorization', devices: [device({ reportIds: [], request })] });
    expect(authRequestState('r1', 'request', [base]).state).toBe('requested');
    expect(authRequestState('r1', 'request', [{ ...base, state: 'uploaded', uploadedOn: 2 }])).toEqual({ state: 'uploaded', cycle: 7 });
    const ack = { file: 'a', fileName: 'ACK_x', entry: [], name: 'ACK_x', at: 3, via: 'udi' as const };
    expect(authRequestState('r1', 'request', [{ ...base, state: 'reconciled', uploadedOn: 2, devices: [device({ request, ack })] }]).state).toBe('code-received');
    expect(authRequestState('r1', 'request', [{ ...base, state: 'verified', uploadedOn: 2, devices: [device({ request, ack, verifiedAck: 4 })] }]).state).toBe('installed');
    expect(authRequestState('r1', 'return', [{ ...base, state: 'reconciled', uploadedOn: 2, devices: [device({ request: { ...request, kind: 'return' }, ack })] }]).state).toBe('returned');
    expect(authRequestState('r1', 'request', [abandon(base, 'not needed', 2, 'Ana')]).state).toBe('requested');
  });
});

describe('building a device file', () => {
  it('passes a stored file through when it holds exactly the reports to send, else assembles the exact report bytes', async () => {
    const older = text(writeUsageFile(c9300()));
    const newer = text(writeUsageFile(c9300({ savedAt: 1765000000000, reports: [{ reportId: '1760003603', entitlementTag: NW_ADV, count: 2, start: 1762592000, end: 1765000000 }] })));
    const stored = new Map<string, Uint8Array>([
      ['A', older],
      ['B', newer],
    ]);
    const devices = new Map<string, ProductInstance>();
    const reports = new Map<string, DeviceReports>();
    for (const [file, bytes] of stored) {
      const merged = mergeUsage({ file, importedAt: 1, usage: (await analyseFile(file, bytes)).usage }, devices, reports);
      for (const d of merged.devices) devices.set(d.key, d);
      for (const r of merged.reports) reports.set(r.key, r);
    }
    const all = reports.get(KEY)!.reports;
    const reader = new StoredEntries(async (file) => ({ name: file, bytes: stored.get(file)! }));
    const whole = await deviceFile({ key: KEY, reportIds: ['1760003601', '1760003602'] }, all, reader);
    expect(whole.verbatim).toBe(true);
    expect(whole.bytes).toEqual(older);

    // One report of the older file (the other went up before) and the newer file's: assembled, each report exact.
    const mixed = await deviceFile({ key: KEY, reportIds: ['1760003603', '1760003602'] }, all, reader);
    expect(mixed.verbatim).toBe(false);
    const out = decode(mixed.bytes);
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?><smartLicense><RUMReport>')).toBe(true);
    expect(out.endsWith('</RUMReport></smartLicense>')).toBe(true);
    for (const id of ['1760003602', '1760003603']) {
      const r = all.find((x) => x.reportId === id)!;
      expect(out).toContain(decode(stored.get(r.source.file)!.subarray(r.source.start, r.source.end)));
    }
    expect(out).not.toContain('1760003601');
    // Oldest report first, as a device lists them.
    expect(out.indexOf('1760003602')).toBeLessThan(out.indexOf('1760003603'));
    // A composed file reads back as a usage file with exactly those reports.
    const again = await analyseFile('dev.txt', mixed.bytes);
    expect(again.usage[0]!.usage.reports.map((r) => r.reportId).sort()).toEqual(['1760003602', '1760003603']);

    await expect(deviceFile({ key: KEY, reportIds: ['999'] }, all, reader)).rejects.toThrow(/Report 999 of PID:C9300-24UX,SN:FCW2303D16Y is not stored any more/);
  });
});

describe('guide, hand-back and verification', () => {
  const ack = { file: 'a', fileName: 'ACK_UD_SA_1.tar.gz', entry: ['ACK_UD_VA_1.tar.gz', 'ACK_dev_1_1.txt'], name: 'ACK_dev_1_1.txt', at: Date.UTC(2026, 10, 20), via: 'udi' as const };

  it('names the file to carry and the ACK to expect for each upload shape', () => {
    const c = cycle({ upload: { name: 'UD_SA_1.tar.gz', sha256: 'ab'.repeat(32), size: 2048 } });
    const lines = guideLines(c);
    expect(lines).toContain('[ ] 4. When asked, choose the Smart Account "ACME", then the Virtual Account "Campus".');
    expect(lines.some((l) => l.includes('expect ACK_UD_SA_1.tar.gz — an ACK bundle'))).toBe(true);
    expect(lines).toContain(`File to carry: UD_SA_1.tar.gz (2.0 KiB) SHA-256 ${'ab'.repeat(32)}`);
    const perDevice = guideLines(cycle({ mode: 'per-device', devices: [device({ uploadFile: 'sw1_FCW_usage.txt' })], upload: { name: 'u.tar.gz', sha256: 'cd', size: 10 } }));
    expect(perDevice.some((l) => l.includes('ACK_<the file\'s name> (e.g. ACK_sw1_FCW_usage.txt)'))).toBe(true);
  });

  it('gives a device the commands to install its ACK, and a device behind CSLU or SSM On-Prem their steps instead', () => {
    const c = cycle();
    const direct = handBackScript(c, device({ ack }), 'ff'.repeat(32));
    expect(direct).toContain('copy usbflash0:access-sw-01_FCW2303D16Y/ACK_dev_1_1.txt bootflash:ACK_dev_1_1.txt');
    expect(direct).toContain('license smart import bootflash:ACK_dev_1_1.txt');
    expect(direct).toContain(`SHA-256 ${'ff'.repeat(32)}`);
    expect(direct.split('\n').filter((l) => l && !l.startsWith('!'))).toEqual(['copy usbflash0:access-sw-01_FCW2303D16Y/ACK_dev_1_1.txt bootflash:ACK_dev_1_1.txt', 'license smart import bootflash:ACK_dev_1_1.txt', 'show license status']);
    const cslu = handBackScript(c, device({ ack, handBack: 'cslu' }), null);
    expect(cslu).toContain('This device reports through CSLU: the ACK goes to CSLU, not to the device.');
    expect(cslu).not.toContain('license smart import');
    expect(handBackScript(c, device({ ack, handBack: 'on-prem' }), null)).toContain('In SSM On-Prem (disconnected mode), upload the ACK file');
    expect(handBackScript(c, device(), null)).toBe('! access-sw-01: no ACK has arrived for this device yet.\n');
  });

  it('verifies a device whose Last ACK received is at or after its ACK, and says which are not there yet', () => {
    const c = cycle({ devices: [device({ ack }), device({ key: 'PID:C9300-24UX,SN:OTHER', udi: { pid: 'C9300-24UX', sn: 'OTHER' }, hostname: 'sw-2', ack })] });
    const paste = [
      'access-sw-01#show license status',
      'Usage Reporting:',
      '  Last ACK received: Nov 21 08:00:00 2026 UTC',
      'sw-2#show license status',
      'Usage Reporting:',
      '  Last ACK received: Oct 01 08:00:00 2026 UTC',
      'sw-9#show license status',
      'Usage Reporting:',
      '  Last ACK received: Nov 21 08:00:00 2026 UTC',
    ].join('\n');
    const v = verifyFromCli(c, parseCliText(paste));
    expect(v.verified).toEqual([{ key: KEY, lastAck: Date.UTC(2026, 10, 21, 8) }]);
    expect(v.notYet).toEqual([{ key: 'PID:C9300-24UX,SN:OTHER', lastAck: Date.UTC(2026, 9, 1, 8), expected: ack.at }]);
    expect(v.other).toEqual(['sw-9']);
  });
});
