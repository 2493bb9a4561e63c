import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { compliance } from '../../../src/core/compliance/compliance.ts';
import { writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { activeAssignments, assignLicences, readRuleSettings, releaseAssignments, writeRuleSettings } from '../../../src/db/assignments.ts';
import { storeAnalysis } from '../../../src/db/import.ts';
import { type WorkbenchDb, openWorkbenchDb } from '../../../src/db/schema.ts';
import { listDevices, getDevice } from '../../../src/db/queries.ts';
import { deviceCount } from '../../../src/db/devices.ts';

let counter = 0;
const NOW = Date.UTC(2026, 10, 20, 9);
const encoder = new TextEncoder();
const TAG = 'regid.2018-12.com.cisco.DNA_P_100M_A,1.0_8b3e1d54';
const HSEC = 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab';

async function fleetOfRouters(n: number): Promise<{ db: WorkbenchDb; keys: string[] }> {
  const db = openWorkbenchDb(`assign-${++counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const udi = { pid: 'C8300-1N1S-4T2X', sn: `FGL0000${i}` };
    const text = writeUsageFile({ udi, hostname: `edge-${i}`, softwareVersion: '17.12.04', softwareTag: 'regid.2020-06.com.cisco.C8000,v1_x', savedAt: NOW - 86_400_000, reports: [{ reportId: `${1000 + i}`, entitlementTag: TAG, count: 1, start: 1760000000, end: 1762592000 }] });
    const bytes = encoder.encode(text);
    await storeAnalysis(db, await analyseFile(`edge-${i}.txt`, bytes), new Blob([bytes]), NOW);
    keys.push(`PID:${udi.pid},SN:${udi.sn}`);
  }
  const summary = { virtual_account: { name: 'WAN' }, summary: [
    { tag: TAG, display_name: 'DNA Advantage 100M', prepaid_entitled: 3, prepaid_inuse: 0, license_details: [{ billing_type: 'PREPAID', quantity: 3, license_type: 'TERM', end_date: '2029-12-31' }] },
    { tag: HSEC, display_name: 'HSEC', prepaid_entitled: 5, prepaid_inuse: 0, license_details: [{ billing_type: 'PREPAID', quantity: 5, license_type: 'PERPETUAL' }] },
  ] };
  const bytes = encoder.encode(JSON.stringify(summary));
  await storeAnalysis(db, await analyseFile('wan.json', bytes), new Blob([bytes]), NOW);
  return { db, keys };
}

describe('licence assignments in the store', () => {
  it('assigns what the rules allow, refuses the rest with the rule, releases with history, and compliance follows', async () => {
    const { db, keys } = await fleetOfRouters(4);
    const state = async () => compliance({ summary: (await db.summaries.toArray())[0]!, devices: await listDevices(db), assignments: await activeAssignments(db), lastSync: null, lastUsageReport: null, now: NOW });
    expect((await state()).causes.map((c) => c.cause)).toEqual(['devices-without-licence']);

    // 1000 Mbps without HSEC: every device refused, nothing written.
    const refused = await assignLicences(db, { deviceKeys: keys, virtualAccount: 'WAN', tag: TAG, billing: 'prepaid', msla: false, subscriptionId: null, throughputMbps: 1000 }, NOW, 'Ana');
    expect(refused.assigned).toEqual([]);
    expect(refused.findings.filter((f) => f.rule === 'hsec-above-250')).toHaveLength(4);
    expect(await db.assignments.count()).toBe(0);

    // Postpaid for a licence bought prepaid: refused as a whole.
    const postpaid = await assignLicences(db, { deviceKeys: keys, virtualAccount: 'WAN', tag: TAG, billing: 'postpaid', msla: true, subscriptionId: 'Sub1' }, NOW, 'Ana');
    expect(postpaid.assigned).toEqual([]);
    expect(postpaid.findings.some((f) => f.severity === 'block' && f.deviceKey === null)).toBe(true);

    // Four devices, three bought: all assigned (SD-WAN Manager does not block), over-assignment is a compliance cause.
    const ok = await assignLicences(db, { deviceKeys: keys, virtualAccount: 'WAN', tag: TAG, billing: 'prepaid', msla: false, subscriptionId: null }, NOW, 'Ana');
    expect(ok.assigned).toHaveLength(4);
    expect(ok.assigned[0]).toMatchObject({ deviceKey: keys[0], virtualAccount: 'WAN', tag: TAG, billing: 'prepaid', by: 'Ana', releasedAt: null });
    expect((await state()).causes.map((c) => c.cause)).toEqual(['over-assigned']);
    // One licence per device while multiple entitlement is off.
    const second = await assignLicences(db, { deviceKeys: [keys[0]!], virtualAccount: 'WAN', tag: HSEC, billing: 'prepaid', msla: false, subscriptionId: null, role: 'other' }, NOW, 'Ana');
    expect(second.findings.map((f) => f.rule)).toContain('entitlements-per-device');
    await writeRuleSettings(db, { multipleEntitlement: true }, NOW);
    expect(await readRuleSettings(db)).toEqual({ multipleEntitlement: true });

    const released = await releaseAssignments(db, [ok.assigned[3]!.id], NOW + 1, 'Ben', 'device decommissioned');
    expect(released).toHaveLength(1);
    expect((await db.assignments.get(ok.assigned[3]!.id))).toMatchObject({ releasedAt: NOW + 1, releasedBy: 'Ben', releaseReason: 'device decommissioned' });
    expect(await activeAssignments(db)).toHaveLength(3);
    expect((await state()).causes.map((c) => c.cause)).toEqual(['devices-without-licence']);
    const events = (await db.events.toArray()).filter((e) => e.type === 'assignment').map((e) => e.message);
    expect(events).toEqual(['Assigned DNA Advantage 100M (prepaid) in WAN to 4 devices (by Ana)', 'Released 1 assignment (by Ben: device decommissioned)']);
  });
});

describe('default entitlements before any summary', () => {
  it('can be assigned with a note, and the summary that arrives later says how they compare', async () => {
    const db = openWorkbenchDb(`assign-${++counter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    const udi = { pid: 'C8300-1N1S-4T2X', sn: 'FGL1' };
    const usage = encoder.encode(writeUsageFile({ udi, hostname: 'edge-1', softwareVersion: '17.12.04', softwareTag: 'regid.2020-06.com.cisco.C8000,v1_x', savedAt: NOW, reports: [{ reportId: '1', entitlementTag: TAG, count: 1, start: 1760000000, end: 1762592000 }] }));
    await storeAnalysis(db, await analyseFile('edge.txt', usage), new Blob([usage]), NOW);
    const key = 'PID:C8300-1N1S-4T2X,SN:FGL1';
    const out = await assignLicences(db, { deviceKeys: [key], virtualAccount: 'WAN', tag: HSEC, billing: 'prepaid', msla: false, subscriptionId: null, role: 'other' }, NOW, 'Ana');
    expect(out.assigned).toHaveLength(1);
    expect(out.findings.find((f) => f.rule === 'licence-in-va')?.severity).toBe('warn');
    const summary = encoder.encode(JSON.stringify({ virtual_account: { name: 'WAN' }, summary: [{ tag: TAG, display_name: 'DNA Advantage 100M', prepaid_entitled: 3, license_details: [{ billing_type: 'PREPAID', quantity: 3 }] }] }));
    const imported = await storeAnalysis(db, await analyseFile('wan.json', summary), new Blob([summary]), NOW + 1);
    if (imported.status !== 'imported') throw new Error('not imported');
    expect(imported.summary.summaryChanges).toEqual([`assigned but not in this summary: ${out.assigned[0]!.name} in WAN (1 assigned)`]);
  });
});

describe('the controller usage report through a cycle', () => {
  it('reports the assignments, and its ACK clears the 48-hour alert', async () => {
    const { simulateCssm } = await import('../../../src/core/sim/cssm.ts');
    const { emptyLedger } = await import('../../../src/core/sim/ledger.ts');
    const { createCycle, markDownloaded, markUploaded, listCycles } = await import('../../../src/db/cycles.ts');
    const { buildCycleUpload, storeBuilt, previewReconcile, applyReconcile } = await import('../../../src/db/cycle-files.ts');
    const { lastControllerReport } = await import('../../../src/core/model/fleet-index.ts');
    const { expand, leaves } = await import('../../../src/core/archive/index.ts');
    const { keys, db } = await fleetOfRouters(3);
    await assignLicences(db, { deviceKeys: keys, virtualAccount: 'WAN', tag: TAG, billing: 'prepaid', msla: false, subscriptionId: null }, NOW, 'Ana');
    const cycle = await createCycle(db, { kind: 'controller', smartAccount: 'ACME', virtualAccount: 'WAN', mode: 'single', devices: [] }, NOW, 'Ana');
    const built = await buildCycleUpload(db, cycle.id, NOW + 1);
    expect(built.controller).toMatchObject({ virtualAccounts: ['WAN'], assignments: 3 });
    const files = new Map(leaves(await expand(built.name, built.bytes)).map((l) => [l.path.join('/'), JSON.parse(new TextDecoder().decode(l.bytes))]));
    expect(files.get('manifest.json')).toMatchObject({ format: 'slp-controller-usage/1', smart_account: 'ACME', report_id: built.controller!.reportId });
    expect(files.get('WAN/assignments.json').assignments.map((a: { udi: { sn: string }; billing_type: string }) => [a.udi.sn, a.billing_type])).toEqual([
      ['FGL00000', 'PREPAID'],
      ['FGL00001', 'PREPAID'],
      ['FGL00002', 'PREPAID'],
    ]);
    await storeBuilt(db, cycle.id, built, NOW + 1, 'Ana');
    await markDownloaded(db, cycle.id, NOW + 2, 'Ana');
    await markUploaded(db, cycle.id, NOW + 3, NOW + 3, 'Ana');
    const pending = lastControllerReport(await listCycles(db));
    expect(pending).toEqual({ generatedAt: NOW + 1, acknowledgedAt: null });
    const state = async (now: number) => compliance({ summary: (await db.summaries.toArray())[0]!, devices: await listDevices(db), assignments: await activeAssignments(db), lastSync: null, lastUsageReport: lastControllerReport(await listCycles(db)), now });
    expect((await state(NOW + 49 * 3_600_000)).causes.map((c) => c.cause)).toContain('usage-report-unacknowledged');

    const answer = await simulateCssm(built.name, built.bytes, emptyLedger({ name: 'ACME', id: '1' }, ['WAN']), { now: NOW + 4 });
    if (!answer.accepted) throw new Error(answer.reason);
    // Imported on the Import page instead, it is sent to its cycle with nothing written.
    await expect(storeAnalysis(db, await analyseFile(answer.name, answer.bytes), new Blob([answer.bytes as Uint8Array<ArrayBuffer>]), NOW + 5)).rejects.toThrow(`is the ACK of controller usage report ${built.controller!.reportId}`);
    const preview = await previewReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }]);
    expect(preview.plan.matched).toHaveLength(1);
    expect(preview.plan.matched[0]!.notes).toEqual([`names report ${built.controller!.reportId}`]);
    const applied = await applyReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }], NOW + 5, 'Ana');
    expect(applied.cycle.state).toBe('reconciled');
    expect(lastControllerReport(await listCycles(db))).toEqual({ generatedAt: NOW + 1, acknowledgedAt: NOW + 5 });
    expect((await state(NOW + 49 * 3_600_000)).causes.map((c) => c.cause)).not.toContain('usage-report-unacknowledged');
    // A second ACK for the same report is shown as a duplicate.
    const again = await simulateCssm(built.name, built.bytes, emptyLedger({ name: 'ACME', id: '1' }, ['WAN']), { now: NOW + 6 });
    if (!again.accepted) throw new Error(again.reason);
    await expect(applyReconcile(db, cycle.id, [{ name: again.name, bytes: again.bytes }], NOW + 7, 'Ana')).rejects.toThrow(/cannot go to|second ACK|Nothing to reconcile/);
  });
});

describe('removing a device from the inventory', () => {
  it('keeps its record, releases its licences with the reason, and leaves it out of compliance; it can be put back', async () => {
    const { retireDevice, restoreDevice } = await import('../../../src/db/assignments.ts');
    const { managedCompliance } = await import('../../../src/core/model/fleet-index.ts');
    const { keys, db } = await fleetOfRouters(2);
    await assignLicences(db, { deviceKeys: [keys[0]!], virtualAccount: 'WAN', tag: TAG, billing: 'prepaid', msla: false, subscriptionId: null }, NOW, 'Ana');
    const check = async () => managedCompliance({ summaries: await db.summaries.toArray(), devices: await listDevices(db), assignments: await activeAssignments(db), cycles: [] }, NOW)!;
    expect((await check()).causes.map((c) => c.devices)).toEqual([[keys[1]]]);

    await expect(retireDevice(db, keys[1]!, NOW, 'Ana', ' ')).rejects.toThrow(/Say why/);
    // The unlicensed one leaves: compliant again.
    await retireDevice(db, keys[1]!, NOW, 'Ana', 'RMA');
    expect((await check()).compliant).toBe(true);
    // The licensed one leaves: its licence is released with the reason.
    const released = await retireDevice(db, keys[0]!, NOW + 1, 'Ben', 'decommissioned');
    expect(released).toEqual([expect.objectContaining({ deviceKey: keys[0], releasedBy: 'Ben', releaseReason: 'removed from the inventory: decommissioned' })]);
    expect(await activeAssignments(db)).toEqual([]);
    expect((await getDevice(db, keys[0]!))!.retired).toEqual({ at: NOW + 1, by: 'Ben', reason: 'decommissioned' });
    expect(await deviceCount(db.deviceSets)).toBe(2);

    await restoreDevice(db, keys[1]!, NOW + 2, 'Ana');
    expect((await getDevice(db, keys[1]!))!.retired).toBeNull();
    expect((await check()).causes.map((c) => c.cause)).toEqual(['devices-without-licence']);
  });
});
