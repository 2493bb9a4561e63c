import { allReportSets } from '../../../src/db/reports.ts';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { extractEntry, gzip, writeTar } from '../../../src/core/archive/index.ts';
import { writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { customPolicy } from '../../../src/core/sim/fleet.ts';
import { storeAnalysis } from '../../../src/db/import.ts';
import { deviceReports, fileBlob, listDevices, getDevice } from '../../../src/db/queries.ts';
import { type WorkbenchDb, openWorkbenchDb } from '../../../src/db/schema.ts';
import { c9300, c9500Pair, decode, fixture, text } from '../helpers.ts';

let dbCounter = 0;
function freshDb(configure?: (db: WorkbenchDb) => void): WorkbenchDb {
  const db = openWorkbenchDb(`test-${++dbCounter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  configure?.(db);
  return db;
}

async function importBytes(db: WorkbenchDb, name: string, bytes: Uint8Array, now = 1_800_000_000_000) {
  const analysis = await analyseFile(name, bytes);
  return storeAnalysis(db, analysis, new Blob([bytes as Uint8Array<ArrayBuffer>]), now);
}

async function snapshot(db: WorkbenchDb) {
  return {
    files: await db.files.toArray(),
    bytes: (await db.fileBytes.toArray()).map((b) => [b.sha256, b.blob.size]),
    devices: await listDevices(db),
    reports: await allReportSets(db.reportSets),
    events: await db.events.toArray(),
  };
}

describe('store: importing usage files', () => {
  it('stores the original bytes, the devices and their reports', async () => {
    const db = freshDb();
    const bytes = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
    const outcome = await importBytes(db, 'all_rum.txt', bytes);
    expect(outcome).toMatchObject({ status: 'imported', summary: { devices: 1, newDevices: 1, reports: 2, newReports: 2 } });
    const blob = await fileBlob(db, outcome.file.sha256);
    expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(bytes);
    const [device] = await listDevices(db);
    expect(device).toMatchObject({
      key: 'PID:C9300-24UX,SN:FCW2303D16Y',
      hostname: { value: 'access-sw-01', file: outcome.file.sha256, at: 1762592000000 },
      softwareVersion: { value: '17.12.04' },
      ha: { value: { role: 'standalone', activeKey: null } },
      reportCount: 2,
      lastReportEnd: 1762592000000,
      files: [outcome.file.sha256],
    });
    expect(device!.licenses.map((l) => [l.entitlementTag.split(',')[0], l.count])).toEqual([
      ['regid.2017-03.com.cisco.advantagek9', 1],
      ['regid.2017-05.com.cisco.c9300_dna_advantage', 1],
    ]);
    expect((await db.events.toArray()).map((e) => e.message)).toEqual([
      'Imported all_rum.txt (Device usage file): 1 device (1 new), 2 reports (2 new)',
    ]);
  });

  it('is a no-op that says so when the same bytes come again, whatever their name', async () => {
    const db = freshDb();
    const bytes = fixture('formats', 'rum-save-usage_c8000v_utility.txt');
    await importBytes(db, 'first.txt', bytes);
    const before = await snapshot(db);
    const again = await importBytes(db, 'renamed-copy.xml', bytes, 1_900_000_000_000);
    expect(again).toMatchObject({ status: 'duplicate', file: { name: 'first.txt' } });
    expect(await snapshot(db)).toEqual(before);
  });

  it('is all or nothing: a write failing in the middle leaves the database as it was', async () => {
    let failReports = false;
    const db = freshDb((d) =>
      d.use({
        stack: 'dbcore',
        name: 'fail-on-reports',
        create: (down) => ({
          ...down,
          table: (name) => {
            const table = down.table(name);
            return name === 'reportSets' ? { ...table, mutate: (req) => (failReports ? Promise.reject(new Error('QuotaExceededError: disk full')) : table.mutate(req)) } : table;
          },
        }),
      }),
    );
    await importBytes(db, 'first.txt', fixture('formats', 'rum-save-usage_c9300_standalone.txt'));
    const before = await snapshot(db);
    failReports = true;
    const next = text(writeUsageFile(c9300({ savedAt: 1_770_000_000_000, reports: [{ reportId: '1770000001', entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 2, start: 1762592000, end: 1770000000 }] })));
    await expect(importBytes(db, 'second.txt', next)).rejects.toThrow(/disk full/);
    // Files, bytes and devices were written before the failing write: none of it may remain.
    expect(await snapshot(db)).toEqual(before);
  });

  it('merges files: newer facts win, each fact names its file, byte-identical reports are noted once', async () => {
    const db = freshDb();
    const older = await importBytes(db, 'old.txt', text(writeUsageFile(c9300({ hostname: 'old-name', savedAt: 1_762_000_000_000 }))));
    const newer = await importBytes(db, 'new.txt', text(writeUsageFile(c9300({ hostname: 'new-name', savedAt: 1_763_000_000_000 }), { pretty: true })));
    expect(newer).toMatchObject({ status: 'imported', summary: { newDevices: 0, reports: 2, newReports: 0 } });
    const [device] = await listDevices(db);
    expect(device!.hostname).toEqual({ value: 'new-name', file: newer.file.sha256, at: 1_763_000_000_000 });
    expect(device!.files).toEqual([older.file.sha256, newer.file.sha256]);
    // Same report IDs, same payloads: the pretty file's elements are byte-identical to the one-line file's.
    const reports = await deviceReports(db, device!.key);
    expect(reports.map((r) => [r.source.file, r.alsoIn])).toEqual([
      [older.file.sha256, [newer.file.sha256]],
      [older.file.sha256, [newer.file.sha256]],
    ]);
    // An older file arriving later does not overwrite newer facts.
    await importBytes(db, 'oldest.txt', text(writeUsageFile(c9300({ hostname: 'oldest-name', savedAt: 1_700_000_000_000, reports: [] }))));
    expect((await listDevices(db))[0]!.hostname?.value).toBe('new-name');
  });

  it('stores an HA pair as two product instances with their roles', async () => {
    const db = freshDb();
    await importBytes(db, 'core.txt', text(writeUsageFile(c9500Pair())));
    const devices = (await listDevices(db)).sort((a, b) => a.key.localeCompare(b.key));
    expect(devices.map((d) => [d.udi.sn, d.ha?.value.role, d.ha?.value.activeKey, d.reportCount])).toEqual([
      ['FCW2219L0AA', 'active', 'PID:C9500-48Y4C,SN:FCW2219L0AA', 1],
      ['FCW2219L0BB', 'standby', 'PID:C9500-48Y4C,SN:FCW2219L0AA', 0],
    ]);
  });
});

describe('store: byte-exactness', () => {
  it('every stored report points at exactly its <RUMReport> element in the stored original, also inside archives', async () => {
    const db = freshDb();
    const devFiles = {
      'dev_1_1.txt': text(writeUsageFile(c9300(), { pretty: true, crlf: true })),
      'dev_2_1.txt': text(writeUsageFile(c9500Pair(), { escaped: true })),
      'dev_3_1.txt': fixture('formats', 'rum-save-usage_c8000v_utility.txt'),
    };
    const va = gzip(await writeTar(Object.entries(devFiles).map(([name, bytes]) => ({ name, bytes, mtime: 0 }))));
    const bundle = gzip(await writeTar([{ name: 'UD_VA_1.tar.gz', bytes: va, mtime: 0 }]));
    await importBytes(db, 'UD_SA_1.tar.gz', bundle);
    await importBytes(db, 'plain.txt', fixture('formats', 'rum-save-usage_c9300_standalone.txt'));

    let checked = 0;
    for (const { reports } of await allReportSets(db.reportSets)) {
      for (const r of reports) {
        const stored = await db.files.get(r.source.file);
        const original = new Uint8Array(await (await fileBlob(db, r.source.file))!.arrayBuffer());
        const entry = await extractEntry(stored!.name, original, r.source.entry);
        const slice = decode(entry.subarray(r.source.start, r.source.end));
        // The element, whole: starts and ends where the element does, and holds this report's ID.
        expect(slice.startsWith('<RUMReport>') && slice.endsWith('</RUMReport>')).toBe(true);
        expect(slice.slice(11, -12)).not.toContain('RUMReport>');
        expect(slice).toMatch(new RegExp(`report_id(\\\\&quot;|\\\\"|&quot;|")?\\s*:\\s*${r.reportId}\\b`));
        checked++;
      }
    }
    expect(checked).toBe(2 + 1 + 2 + 2 - 2); // c9300 in the bundle and plain.txt share report IDs: one record each
  });
});

describe('store: importing show output', () => {
  const all9800 = () => fixture('cli-seed', 'F10_show_license_all_9800CL_17.7.1.clean.txt');

  it('creates the HA pair a pasted "show license all" names and keeps the output as an observation', async () => {
    const db = freshDb();
    const outcome = await importBytes(db, 'pasted.txt', all9800());
    expect(outcome).toMatchObject({ status: 'imported', summary: { devices: 2, newDevices: 2, reports: 0, observations: 1 } });
    const devices = await listDevices(db);
    const active = devices.find((d) => d.key === 'PID:C9800-CL-K9,SN:9KGIXIDOXFE')!;
    expect(active).toMatchObject({ smartAccount: { value: 'Eg-SA' }, virtualAccount: { value: 'Eg-VA' }, transport: { value: 'Smart' }, policyName: { value: 'Cisco default' }, ha: { value: { role: 'active' } } });
    expect(devices.find((d) => d.key === 'PID:C9800-CL-K9,SN:9UBKZU955E4')?.ha?.value).toEqual({ role: 'standby', activeKey: 'PID:C9800-CL-K9,SN:9KGIXIDOXFE' });
    const rec = await db.cli.get(active.key);
    expect(rec?.observations).toHaveLength(1);
    expect(rec?.observations[0]?.source).toMatchObject({ file: outcome.file.sha256, fileName: 'pasted.txt', command: 'all', line: 1, atFromDevice: false });
    expect(rec?.observations[0]?.facts.policy?.classes.unenforcedPerpetual?.firstReportDays).toEqual({ days: 365, source: 'cisco-default' });
  });

  it('ties output without a UDI to the device with that host name', async () => {
    const db = freshDb();
    await importBytes(db, 'all_rum.txt', fixture('formats', 'rum-save-usage_c9300_standalone.txt'));
    const paste = text('access-sw-01#show license status\nAccount Information:\n  Smart Account: ACME\n  Virtual Account: Campus\n');
    const outcome = await importBytes(db, 'pasted.txt', paste);
    expect(outcome).toMatchObject({ status: 'imported', summary: { devices: 1, newDevices: 0, observations: 1 } });
    const [device] = await listDevices(db);
    expect(device?.virtualAccount?.value).toBe('Campus');
    expect(outcome.status === 'imported' && outcome.warnings).toContain('output under "access-sw-01#" names no UDI: tied to PID:C9300-24UX,SN:FCW2303D16Y, the one known device with host name "access-sw-01"');
  });

  it('refuses output that names no device it can tie to, and stores nothing', async () => {
    const db = freshDb();
    const before = await snapshot(db);
    await expect(importBytes(db, 'pasted.txt', text('nobody#show license status\nAccount Information:\n  Smart Account: ACME\n  Virtual Account: Campus\n'))).rejects.toThrow(
      /pasted\.txt: names no device the workbench can tie its facts to/,
    );
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('store: importing syslog', () => {
  it('gives a server-logged message to the device with the sender host name, and one naming a UDI to that device', async () => {
    const db = freshDb();
    await importBytes(db, 'all_rum.txt', fixture('formats', 'rum-save-usage_c9300_standalone.txt'));
    const log = text(
      [
        '<190>Nov 10 11:40:00 access-sw-01 124: Nov 10 2025 11:39:59.870 UTC: %SMART_LIC-6-REPORTING_REQUIRED: A Usage report acknowledgement will be required in 30 days.',
        'Dec  1 2025 10:00:00.000 UTC: %SMART_LIC-6-TRUST_CODE_INSTALL_SUCCESS: A new licensing trust code was successfully installed on P:C9800-CL-K9,S:93SZ7RXN93Y.',
        '<190>Nov 10 11:41:00 unknown-host 125: Nov 10 2025 11:40:59.000 UTC: %SMART_LIC-3-POLICY_REMOVED: The licensing policy has been removed.',
      ].join('\n'),
    );
    const outcome = await importBytes(db, 'syslog.txt', log);
    expect(outcome).toMatchObject({ status: 'imported', file: { kind: 'syslog' }, summary: { observations: 2, newDevices: 1 } });
    expect(outcome.status === 'imported' && outcome.warnings).toContain('1 syslog message names no device the workbench knows (no UDI, no known sender host name): not stored');
    const sw = await db.cli.get('PID:C9300-24UX,SN:FCW2303D16Y');
    expect(sw?.observations.map((o) => [o.source.command, o.source.at, o.facts.events.map((e) => [e.name, e.daysLeft])])).toEqual([
      ['syslog', Date.UTC(2025, 10, 10, 11, 39, 59, 870), [['REPORTING_REQUIRED', 30]]],
    ]);
    const wlc = await db.cli.get('PID:C9800-CL-K9,SN:93SZ7RXN93Y');
    expect(wlc?.observations[0]?.facts.events[0]?.name).toBe('TRUST_CODE_INSTALL_SUCCESS');
  });
});

describe('schema upgrades', () => {
  it('v4 gives devices written by v3 their usage history, computed from their reports', async () => {
    const { Dexie } = await import('dexie');
    const indexedDB = new IDBFactory();
    const name = `upgrade-${++dbCounter}`;
    // The v3 schema as it was, written with a device and its reports (no usage history).
    const old = new Dexie(name, { indexedDB, IDBKeyRange });
    old.version(1).stores({ files: 'sha256, importedAt', fileBytes: 'sha256', devices: 'key', reports: 'key', events: '++id, at' });
    old.version(2).stores({ kv: 'key' });
    old.version(3).stores({ cli: 'key' });
    const analysis = await analyseFile('all_rum.txt', fixture('formats', 'rum-save-usage_c9300_standalone.txt'));
    const fresh = freshDb();
    await storeAnalysis(fresh, analysis, new Blob([]), 1);
    const [device] = await listDevices(fresh);
    const [reports] = await allReportSets(fresh.reportSets);
    const { usage, ...withoutUsage } = device!;
    expect(usage?.lines.length).toBeGreaterThan(0);
    await old.table('devices').put(withoutUsage);
    await old.table('reports').put(reports);
    old.close();

    const db = openWorkbenchDb(name, { indexedDB, IDBKeyRange });
    const upgraded = await getDevice(db, device!.key);
    expect(upgraded?.usage).toEqual(usage);
    // …and v8 carries the report set over into its bucket.
    expect(await allReportSets(db.reportSets)).toEqual([reports]);
    db.close();
  });
});

describe('store: importing ACKs from CSSM', () => {
  // The custom policy example of seed 003 (L4696-4714), as the simulator has it.
  const SLE = customPolicy(0);

  it('marks the reports acknowledged, records the last ACK and the policy, and moves the deadline', async () => {
    const { simulateCssm } = await import('../../../src/core/sim/cssm.ts');
    const { emptyLedger } = await import('../../../src/core/sim/ledger.ts');
    const { deviceDeadlines } = await import('../../../src/core/policy/deadlines.ts');
    const db = freshDb();
    const usage = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
    await importBytes(db, 'all_rum.txt', usage);
    const key = 'PID:C9300-24UX,SN:FCW2303D16Y';
    const before = deviceDeadlines((await getDevice(db, key))!, { now: Date.UTC(2025, 11, 1) });
    expect(before.next?.rule).toBe('first-report');

    const ackAt = Date.UTC(2025, 11, 1, 10);
    const outcome = await simulateCssm('all_rum.txt', usage, emptyLedger({ name: 'ACME', id: '1' }, ['Campus']), { now: ackAt, policyFor: () => SLE });
    if (!outcome.accepted) throw new Error(outcome.reason);
    const imported = await importBytes(db, outcome.name, outcome.bytes);
    expect(imported).toMatchObject({ status: 'imported', file: { kind: 'ack' }, summary: { devices: 1, acknowledged: 2 } });

    const device = (await getDevice(db, key))!;
    expect(device.lastAckReceived).toEqual({ value: ackAt, file: imported.file.sha256, at: ackAt });
    expect(device.virtualAccount?.value).toBe('Campus');
    expect(device.policy?.value).toMatchObject({ name: 'SLE Policy', classes: SLE.classes, installedAt: ackAt });
    const reports = (await deviceReports(db, key));
    expect(reports.map((r) => r.acknowledgedBy)).toEqual([
      { file: imported.file.sha256, at: ackAt },
      { file: imported.file.sha256, at: ackAt },
    ]);
    // Acknowledged: the next report is due one reporting period (SLE: 30 days for its subscription) after the ACK.
    const after = deviceDeadlines(device, { now: Date.UTC(2025, 11, 2) });
    expect(after.next).toMatchObject({ rule: 'reporting-frequency', dueAt: ackAt + 30 * 86_400_000 });

    // The same ACK again changes nothing.
    expect((await importBytes(db, 'copy.txt', outcome.bytes)).status).toBe('duplicate');
  });

  it('refuses an ACK for devices it does not know, and stores nothing', async () => {
    const { simulateCssm } = await import('../../../src/core/sim/cssm.ts');
    const { emptyLedger } = await import('../../../src/core/sim/ledger.ts');
    const db = freshDb();
    const usage = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
    const outcome = await simulateCssm('all_rum.txt', usage, emptyLedger({ name: 'ACME', id: '1' }, ['Campus']), { now: 1 });
    if (!outcome.accepted) throw new Error(outcome.reason);
    const before = await snapshot(db);
    await expect(importBytes(db, outcome.name, outcome.bytes)).rejects.toThrow(/is an ACK for no device the workbench knows \(PID:C9300-24UX,SN:FCW2303D16Y\)/);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('store: the loop through the simulated CSSM with a bundle', () => {
  it('an ACK bundle for an upload bundle acknowledges every report of every device in it', async () => {
    const { simulateCssm } = await import('../../../src/core/sim/cssm.ts');
    const { emptyLedger } = await import('../../../src/core/sim/ledger.ts');
    const { writeUploadBundle } = await import('../../../src/core/bundle/upload.ts');
    const db = freshDb();
    const files = [fixture('formats', 'rum-save-usage_c9300_standalone.txt'), fixture('formats', 'rum-save-usage_c8000v_utility.txt')];
    for (const [i, f] of files.entries()) await importBytes(db, `dev${i}.txt`, f);
    const bundle = await writeUploadBundle({
      smartAccount: { name: 'ACME', id: '1' },
      virtualAccounts: [{ name: 'Campus', id: '2', devices: files.map((bytes, i) => ({ bytes, key: `d${i}` })) }],
      timestamp: Date.UTC(2025, 11, 1),
      createdBy: 'test',
    });
    const outcome = await simulateCssm(bundle.name, bundle.bytes, emptyLedger({ name: 'ACME', id: '1' }, ['Campus']), { now: Date.UTC(2025, 11, 1, 12) });
    if (!outcome.accepted) throw new Error(outcome.reason);
    expect(outcome.kind).toBe('ack-bundle');
    const imported = await importBytes(db, outcome.name, outcome.bytes);
    expect(imported).toMatchObject({ status: 'imported', file: { kind: 'ack-bundle' }, summary: { devices: 2, acknowledged: 4 } });
    const all = await allReportSets(db.reportSets);
    expect(all.flatMap((r) => r.reports).every((r) => r.acknowledgedBy?.file === imported.file.sha256)).toBe(true);
    expect((await listDevices(db)).map((d) => d.lastAckReceived?.value)).toEqual([Date.UTC(2025, 11, 1, 12), Date.UTC(2025, 11, 1, 12)]);
  });
});

describe('store: trust and clocks', () => {
  const device = {
    udi: { pid: 'C9300-24UX', sn: 'FCW2401Z0AB' },
    hostname: 'lab-sw-01',
    softwareVersion: '17.12.04',
    softwareTag: 'regid.2017-05.com.cisco.C9300,v1_727af1d9-6c39-4444-b301-863f81445b72',
    reports: [{ reportId: '1762500001', entitlementTag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53', count: 1, start: 1_760_000_000, end: 1_762_592_000 }],
  };

  it('records a trust-code request found in a usage file, and warns when the file is dated ahead of the operator\'s clock', async () => {
    const db = freshDb();
    const now = 1_762_600_000_000;
    const text = writeUsageFile({ ...device, savedAt: now + 3 * 3_600_000 }, { extraXml: '<smartLicenseTrustCodeRequest><data>{}</data></smartLicenseTrustCodeRequest>' });
    const outcome = await importBytes(db, 'ahead.txt', new TextEncoder().encode(text), now);
    if (outcome.status !== 'imported') throw new Error('not imported');
    expect(outcome.warnings.find((w) => w.startsWith('ahead.txt (lab-sw-01): The device\'s clock is at least 3 h ahead'))).toBeDefined();
    const d = (await getDevice(db, 'PID:C9300-24UX,SN:FCW2401Z0AB'))!;
    expect(d.trustRequest).toMatchObject({ value: 'smartLicenseTrustCodeRequest', file: outcome.file.sha256 });

    // A file dated behind the operator's clock says nothing: an old file looks the same.
    const db2 = freshDb();
    const behind = await importBytes(db2, 'old.txt', new TextEncoder().encode(writeUsageFile({ ...device, savedAt: now - 30 * 86_400_000 })), now);
    expect(behind.status === 'imported' && behind.warnings.some((w) => /clock/.test(w))).toBe(false);
  });
});

describe('store: the answer to a SLAC request imported on the Import page', () => {
  it('records the code without moving the device\'s last ACK', async () => {
    const { simulateCssm } = await import('../../../src/core/sim/cssm.ts');
    const { emptyLedger } = await import('../../../src/core/sim/ledger.ts');
    const db = freshDb();
    const request = fixture('made', 'slac_request.xml');
    expect(await importBytes(db, 'hsec_request.xml', request)).toMatchObject({ status: 'imported', summary: { authRequests: 1 } });
    const answer = await simulateCssm('hsec_request.xml', request, emptyLedger({ name: 'ACME', id: '1' }, ['WAN']), { now: 1_800_000_100_000 });
    if (!answer.accepted) throw new Error(answer.reason);
    expect(await importBytes(db, answer.name, answer.bytes)).toMatchObject({ status: 'imported' });
    const d = (await getDevice(db, 'PID:ISR4451-X/K9,SN:FOC21437XYZ'))!;
    expect(d.lastAckReceived ?? null).toBeNull();
    expect(d.fromAck?.value.authorizationCodes).toHaveLength(1);
  });
});
