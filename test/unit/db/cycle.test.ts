import { allReportSets } from '../../../src/db/reports.ts';
import { deviceReports, listDevices, getDevice } from '../../../src/db/queries.ts';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { expand, gzip, leaves, writeTar } from '../../../src/core/archive/index.ts';
import { splitAck } from '../../../src/core/bundle/cli-bundle.ts';
import { candidates, cycleDevices, presetSelection } from '../../../src/core/cycle/choose.ts';
import { fleetDeadlines } from '../../../src/core/policy/fleet.ts';
import { simulateCssm } from '../../../src/core/sim/cssm.ts';
import { usageFileOf } from '../../../src/core/sim/files.ts';
import { simulateFleet } from '../../../src/core/sim/fleet.ts';
import { emptyLedger } from '../../../src/core/sim/ledger.ts';
import type { SimFleet } from '../../../src/core/sim/types.ts';
import { udiKey } from '../../../src/core/model/udi.ts';
import { abandonCycle, closeReconcile, createCycle, cyclesAwaiting, listCycles, markDownloaded, markUploaded, verifyCycle } from '../../../src/db/cycles.ts';
import { applyReconcile, buildCycleUpload, exportHandBack, previewReconcile, storeBuilt } from '../../../src/db/cycle-files.ts';
import { storeAnalysis } from '../../../src/db/import.ts';
import { type WorkbenchDb, openWorkbenchDb } from '../../../src/db/schema.ts';

let dbCounter = 0;
const NOW = Date.UTC(2026, 10, 20, 9);
const DAY = 86_400_000;
const encoder = new TextEncoder();

function freshDb(): WorkbenchDb {
  return openWorkbenchDb(`cycle-${++dbCounter}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

/** The demo's import: one archive of usage files per Virtual Account. */
async function loadFleet(db: WorkbenchDb, fleet: SimFleet): Promise<void> {
  for (const va of fleet.virtualAccounts) {
    const units = fleet.units.filter((u) => u.virtualAccount === va.name);
    if (!units.length) continue;
    const files = units.map((u, i) => ({ name: `${u.hostname}-${i}_all_rum.txt`, bytes: encoder.encode(usageFileOf(fleet, u)), mtime: NOW }));
    const bytes = gzip(await writeTar(files));
    const name = `demo-${va.name}.tar.gz`;
    await storeAnalysis(db, await analyseFile(name, bytes), new Blob([bytes as Uint8Array<ArrayBuffer>]), NOW);
  }
}

async function snapshot(db: WorkbenchDb) {
  return {
    files: await db.files.toArray(),
    devices: await listDevices(db),
    reports: await allReportSets(db.reportSets),
    cycles: await db.cycles.toArray(),
    events: await db.events.count(),
  };
}

/** A cycle for every device of one Virtual Account with something to upload, built, downloaded and uploaded. */
async function uploadedCycle(db: WorkbenchDb, fleet: SimFleet, va: string) {
  const devices = await listDevices(db);
  const reports = new Map((await allReportSets(db.reportSets)).map((r) => [r.key, r.reports]));
  const deadlines = fleetDeadlines(devices, NOW);
  const inVa = new Set(fleet.units.filter((u) => u.virtualAccount === va).flatMap((u) => u.members.map((m) => udiKey(m.udi))));
  const list = candidates({ devices: devices.filter((d) => inVa.has(d.key)), reportsOf: (k) => reports.get(k) ?? [], deadlines: new Map(deadlines.results.map((r) => [r.key, r])), cycles: await listCycles(db) });
  const chosen = presetSelection(list, 'unreported');
  const cycle = await createCycle(db, { smartAccount: fleet.smartAccount.name, virtualAccount: va, mode: 'bundle', devices: cycleDevices(list, chosen) }, NOW, 'Ana');
  const built = await buildCycleUpload(db, cycle.id, NOW);
  await storeBuilt(db, cycle.id, built, NOW + 1, 'Ana');
  await markDownloaded(db, cycle.id, NOW + 2, 'Ana');
  await markUploaded(db, cycle.id, NOW + DAY, NOW + DAY, 'Ben');
  return { cycle: (await db.cycles.get(cycle.id))!, built, list, deadlines };
}

describe('reporting cycle: the full loop against the simulated CSSM (1,000 devices)', () => {
  const fleet = simulateFleet({ seed: 'cycle-loop', devices: 1000, now: NOW });
  const va = [...fleet.virtualAccounts].sort((a, b) => fleet.units.filter((u) => u.virtualAccount === b.name).length - fleet.units.filter((u) => u.virtualAccount === a.name).length)[0]!.name;
  let db: WorkbenchDb;
  let loop: Awaited<ReturnType<typeof uploadedCycle>>;

  beforeAll(async () => {
    db = freshDb();
    await loadFleet(db, fleet);
    loop = await uploadedCycle(db, fleet, va);
  }, 60_000);

  it('chooses the devices with unreported usage, due ones first, and builds a bundle holding every report byte for byte', async () => {
    const { cycle, built, list } = loop;
    expect(cycle.devices.length).toBeGreaterThan(50);
    expect(cycle.state).toBe('uploaded');
    expect(cycle.audit.map((a) => a.step)).toEqual(['draft', 'built', 'downloaded', 'uploaded']);
    expect(cycle.audit[1]!.files[0]).toMatchObject({ name: built.name, size: built.bytes.length });
    expect(cycle.audit[3]!.by).toBe('Ben');
    // Due or overdue devices come first in the list.
    const firstNotDue = list.findIndex((c) => !['overdue', 'due7', 'due30'].includes(c.status ?? ''));
    expect(list.slice(firstNotDue).every((c) => !['overdue', 'due7', 'due30'].includes(c.status ?? ''))).toBe(true);

    // Byte-exactness: every stored report slice of every device of the cycle is found verbatim in the bundle.
    const tree = await expand(built.name, built.bytes);
    const files = leaves(tree).filter((l) => l.name.startsWith('dev_'));
    expect(files).toHaveLength(cycle.devices.length);
    const text = new Map(files.map((f) => [f.path[f.path.length - 1]!, Buffer.from(f.bytes).toString('latin1')]));
    const originals = new Map<string, string>();
    for (const f of await db.files.toArray()) {
      const blob = (await db.fileBytes.get(f.sha256))!.blob;
      for (const l of leaves(await expand(f.name, new Uint8Array(await blob.arrayBuffer())))) originals.set(`${f.sha256}|${l.path.join('/')}`, Buffer.from(l.bytes).toString('latin1'));
    }
    let checked = 0;
    for (const d of cycle.devices) {
      const stored = (await deviceReports(db, d.key)).filter((r) => d.reportIds.includes(r.reportId));
      expect(stored).toHaveLength(d.reportIds.length);
      const dev = text.get(d.uploadFile!)!;
      for (const r of stored) {
        const slice = originals.get(`${r.source.file}|${r.source.entry.join('/')}`)!.slice(r.source.start, r.source.end);
        expect(slice.startsWith('<RUMReport')).toBe(true);
        expect(dev.includes(slice)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(cycle.devices.reduce((n, d) => n + d.reportIds.length, 0));
    expect(built.verbatim).toBe(cycle.devices.length);
  });

  it('reconciles the ACK bundle: every report acknowledged, every last ACK updated, deadlines moved, then hands back and verifies', async () => {
    const { cycle, built, deadlines } = loop;
    const ackAt = NOW + DAY + 3_600_000;
    const answer = await simulateCssm(built.name, built.bytes, emptyLedger(fleet.smartAccount, fleet.virtualAccounts.map((v) => v.name)), { now: ackAt });
    if (!answer.accepted) throw new Error(answer.reason);
    expect(answer.kind).toBe('ack-bundle');

    const before = await snapshot(db);
    const preview = await previewReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }]);
    expect(preview.plan.matched).toHaveLength(cycle.devices.length);
    expect(preview.plan.unexpected).toEqual([]);
    expect(preview.plan.unmatched).toEqual([]);
    expect(await snapshot(db)).toEqual(before); // a preview writes nothing

    const applied = await applyReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }], NOW + 2 * DAY, 'Ana');
    expect(applied.cycle.state).toBe('reconciled');
    expect(applied.cycle.audit.map((a) => a.step).slice(-2)).toEqual(['ack-imported', 'reconciled']);
    const sha = applied.files[0]!.sha256;
    const after = fleetDeadlines(await listDevices(db), NOW + 2 * DAY);
    const was = new Map(deadlines.results.map((r) => [r.key, r]));
    let moved = 0;
    for (const d of applied.cycle.devices) {
      expect(d.ack).toMatchObject({ file: sha, via: 'udi', at: ackAt });
      expect(d.ack!.name).toBe(`ACK_${d.uploadFile}`);
      const device = (await getDevice(db, d.key))!;
      expect(device.lastAckReceived).toMatchObject({ value: ackAt, file: sha });
      const reports = (await deviceReports(db, d.key)).filter((r) => d.reportIds.includes(r.reportId));
      expect(reports.every((r) => r.acknowledgedBy?.file === sha)).toBe(true);
      const now = after.results.find((r) => r.key === d.key)!;
      if (was.get(d.key)!.status === 'overdue') {
        expect(now.status).not.toBe('overdue');
        moved++;
      }
    }
    expect(moved).toBeGreaterThan(0);
    // The ACK bundle is stored like any original.
    expect((await db.files.get(sha))?.kind).toBe('ack-bundle');

    // Importing the same ACK again into the cycle: refused, nothing new.
    const again = await previewReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }]);
    expect(again.refused[0]!.message).toMatch(/imported into this cycle before/);

    // Hand-back: per device its ACK's original bytes and the commands to install it.
    const handBack = await exportHandBack(db, cycle.id, NOW + 3 * DAY, 'Ana');
    expect(handBack.cycle.state).toBe('exported');
    const split = await splitAck(answer.name, answer.bytes);
    const ackBytes = new Map(split.acks.map((a) => [a.file, Buffer.from(a.bytes).toString('latin1')]));
    const out = new Map(leaves(await expand(handBack.name, handBack.bytes)).map((l) => [l.path.join('/'), Buffer.from(l.bytes).toString('latin1')]));
    expect(out.get('README.txt')).toContain(`reporting cycle ${cycle.number}`);
    const first = handBack.cycle.devices[0]!;
    const folder = [...out.keys()].find((k) => k.endsWith(`/${first.ack!.name}`))!.split('/')[0]!;
    expect(out.get(`${folder}/${first.ack!.name}`)).toBe(ackBytes.get(first.ack!.name));
    const commands = out.get(`${folder}/commands.txt`)!;
    expect(commands).toContain(`copy usbflash0:${folder}/${first.ack!.name} bootflash:${first.ack!.name}`);
    expect(commands).toContain(`license smart import bootflash:${first.ack!.name}`);
    expect(commands).toContain('show license status');
    expect([...out.keys()].filter((k) => k.endsWith('/commands.txt'))).toHaveLength(cycle.devices.length);

    // Verification: a `show license status` pasted afterwards with the new Last ACK received.
    const host = first.hostname!;
    const status = `${host}#show license status\nUsage Reporting:\n  Last ACK received: ${new Date(ackAt + DAY).toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) (\S+) GMT$/, '$2 $1 $4 $3')} UTC\n  Next ACK deadline: Jan 01 00:00:00 2027 UTC\n`;
    const verified = await verifyCycle(db, cycle.id, status, NOW + 4 * DAY, 'Ana');
    expect(verified.verification.verified.map((v) => v.key)).toEqual([first.key]);
    expect(verified.cycle.devices.find((d) => d.key === first.key)!.verifiedAck).toBe(ackAt + DAY);
    expect(verified.cycle.state).toBe(cycle.devices.length === 1 ? 'verified' : 'exported');
    expect(verified.cycle.audit[verified.cycle.audit.length - 1]!.message).toMatch(/^Verified on 1 device/);
  });

  it('a cycle per Virtual Account for the rest of the fleet: afterwards every report of the 1,000 devices is acknowledged', async () => {
    let ledger = emptyLedger(fleet.smartAccount, fleet.virtualAccounts.map((v) => v.name));
    for (const v of fleet.virtualAccounts.filter((x) => x.name !== va)) {
      if (!fleet.units.some((u) => u.virtualAccount === v.name && u.reports.length)) continue;
      const { cycle, built } = await uploadedCycle(db, fleet, v.name);
      const answer = await simulateCssm(built.name, built.bytes, ledger, { now: NOW + 2 * DAY });
      if (!answer.accepted) throw new Error(answer.reason);
      ledger = answer.ledger;
      const applied = await applyReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }], NOW + 2 * DAY, 'Ana');
      expect(applied.plan.unexpected).toEqual([]);
      expect(applied.cycle.state).toBe('reconciled');
    }
    const reports = (await allReportSets(db.reportSets)).flatMap((r) => r.reports);
    expect(reports.length).toBeGreaterThan(1000);
    expect(reports.filter((r) => !r.acknowledgedBy)).toEqual([]);
    const cycles = await listCycles(db);
    expect(cycles.length).toBe(new Set(fleet.units.filter((u) => u.reports.length).map((u) => u.virtualAccount)).size);
  }, 60_000);

  it('leaves already uploaded reports out of the next cycle and says so', async () => {
    const devices = await listDevices(db);
    const reports = new Map((await allReportSets(db.reportSets)).map((r) => [r.key, r.reports]));
    const cycles = await listCycles(db);
    const list = candidates({ devices, reportsOf: (k) => reports.get(k) ?? [], deadlines: new Map(), cycles });
    const inCycle = new Set(cycles[0]!.devices.map((d) => d.key));
    // Every report of the reconciled cycle is acknowledged: nothing of those devices is offered again.
    expect(list.filter((c) => inCycle.has(c.key)).every((c) => c.unreported.length === 0)).toBe(true);
  });
});

describe('reporting cycle: mismatches are shown and nothing is written', () => {
  const fleet = simulateFleet({ seed: 'cycle-mismatch', devices: 120, now: NOW });
  const vas = fleet.virtualAccounts.map((v) => v.name);
  const va = vas.find((name) => fleet.units.filter((u) => u.virtualAccount === name).length >= 3)!;
  const ledger = () => emptyLedger(fleet.smartAccount, vas);

  it('an ACK from another Virtual Account, for reports of another cycle, for unknown reports, a duplicate, a corrupt bundle', async () => {
    const db = freshDb();
    await loadFleet(db, fleet);
    const { cycle, built } = await uploadedCycle(db, fleet, va);
    const one = cycle.devices[0]!;
    const unit = fleet.units.find((u) => udiKey(u.members[0]!.udi) === one.key)!;
    const usage = encoder.encode(usageFileOf(fleet, unit));
    const otherVa = vas.find((v) => v !== va)!;

    // 1. Another Virtual Account: the same device's file acknowledged for another VA.
    const wrongVa = await simulateCssm('one.txt', usage, ledger(), { now: NOW + DAY, virtualAccount: otherVa });
    // 2. A device not in this cycle.
    const outsider = fleet.units.find((u) => u.virtualAccount !== va && u.reports.length > 0)!;
    const notInCycle = await simulateCssm('other.txt', encoder.encode(usageFileOf(fleet, outsider)), ledger(), { now: NOW + DAY });
    // 3. A corrupt ACK bundle: the real one cut short.
    const good = await simulateCssm(built.name, built.bytes, ledger(), { now: NOW + DAY });
    if (!wrongVa.accepted || !notInCycle.accepted || !good.accepted) throw new Error('the simulated CSSM refused a test upload');
    const corrupt = good.bytes.slice(0, Math.floor(good.bytes.length / 2));

    const before = await snapshot(db);
    const preview = await previewReconcile(db, cycle.id, [
      { name: wrongVa.name, bytes: wrongVa.bytes },
      { name: notInCycle.name, bytes: notInCycle.bytes },
      { name: 'ACK_cut.tar.gz', bytes: corrupt },
    ]);
    expect(preview.plan.matched).toEqual([]);
    expect(preview.plan.unexpected.map((u) => u.reason)).toEqual(['other-account', 'not-in-cycle']);
    expect(preview.plan.unexpected[0]!.message).toContain(`is for Virtual Account "${otherVa}", but this cycle uploaded`);
    expect(preview.plan.unexpected[1]!.message).toContain(`is for ${udiKey(outsider.members[0]!.udi)}, which is not in this cycle`);
    expect(preview.refused).toHaveLength(1);
    expect(preview.refused[0]!.message).toMatch(/^ACK_cut\.tar\.gz.*(truncated|cut short|damaged|corrupt)/i);
    expect(preview.plan.unmatched).toHaveLength(cycle.devices.length);
    await expect(applyReconcile(db, cycle.id, [{ name: wrongVa.name, bytes: wrongVa.bytes }, { name: 'ACK_cut.tar.gz', bytes: corrupt }], NOW + DAY, 'Ana')).rejects.toThrow(/Nothing to reconcile: .*Virtual Account/);
    expect(await snapshot(db)).toEqual(before);

    // 4. The real ACK is applied; then a second, different ACK for the same reports is a duplicate.
    await applyReconcile(db, cycle.id, [{ name: good.name, bytes: good.bytes }], NOW + DAY, 'Ana');
    const second = await simulateCssm('again.txt', usage, ledger(), { now: NOW + 2 * DAY, virtualAccount: va });
    if (!second.accepted) throw new Error(second.reason);
    const dup = await previewReconcile(db, cycle.id, [{ name: second.name, bytes: second.bytes }]);
    expect(dup.plan.unexpected.map((u) => u.reason)).toEqual(['duplicate']);
    expect(dup.plan.unexpected[0]!.message).toMatch(/second ACK for/);

    // 5. ACK for reports this cycle did not upload: the device's reports with other IDs.
    const text = new TextDecoder().decode(second.bytes).replace(/"report_id":(\d+)/g, (_m, id: string) => `"report_id":${id}9`);
    const otherReports = await previewReconcile(db, cycle.id, [{ name: 'ACK_other.txt', bytes: encoder.encode(text) }]);
    expect(otherReports.plan.unexpected.map((u) => u.reason)).toEqual(['other-reports']);
  });

  it('refuses steps out of order, keeps abandoned cycles with their reason, and a partial ACK can be closed', async () => {
    const db = freshDb();
    await loadFleet(db, fleet);
    const devices = await listDevices(db);
    const reports = new Map((await allReportSets(db.reportSets)).map((r) => [r.key, r.reports]));
    const list = candidates({ devices, reportsOf: (k) => reports.get(k) ?? [], deadlines: new Map(), cycles: [] });
    const picked = cycleDevices(list, new Set(list.filter((c) => c.unreported.length).slice(0, 2).map((c) => c.key)));
    const draft = await createCycle(db, { smartAccount: null, virtualAccount: va, mode: 'bundle', devices: picked }, NOW, 'Ana');
    // Choosing the same devices again while the draft exists is warned, not hidden.
    const twice = candidates({ devices, reportsOf: (k) => reports.get(k) ?? [], deadlines: new Map(), cycles: await listCycles(db) });
    expect(twice.find((c) => c.key === picked[0]!.key)!.warnings).toContain('is also in cycle 1, not downloaded yet: send its reports in one cycle only (abandon the other), or CSSM rejects the second upload');
    await expect(markUploaded(db, draft.id, NOW, NOW, 'Ana')).rejects.toThrow(/cannot go to "Uploaded to CSSM"/);
    await expect(abandonCycle(db, draft.id, '  ', NOW, 'Ana')).rejects.toThrow(/Say why/);
    const gone = await abandonCycle(db, draft.id, 'wrong devices', NOW + 1, 'Ana');
    expect(gone).toMatchObject({ state: 'abandoned', abandoned: { reason: 'wrong devices' } });
    // An abandoned draft never reached CSSM: its reports are offered again.
    const again = candidates({ devices, reportsOf: (k) => reports.get(k) ?? [], deadlines: new Map(), cycles: await listCycles(db) });
    expect(again.find((c) => c.key === picked[0]!.key)!.unreported).toEqual(picked[0]!.reportIds);

    // Two drafts for the same devices: once one is downloaded, the other's build leaves those reports out.
    const twinA = await createCycle(db, { smartAccount: null, virtualAccount: va, mode: 'bundle', devices: picked }, NOW + 2, 'Ana');
    const twinB = await createCycle(db, { smartAccount: null, virtualAccount: va, mode: 'bundle', devices: picked }, NOW + 2, 'Ben');
    await storeBuilt(db, twinB.id, await buildCycleUpload(db, twinB.id, NOW + 2), NOW + 2, 'Ben');
    await storeBuilt(db, twinA.id, await buildCycleUpload(db, twinA.id, NOW + 2), NOW + 2, 'Ana');
    await markDownloaded(db, twinA.id, NOW + 2, 'Ana');
    await expect(markDownloaded(db, twinB.id, NOW + 2, 'Ben')).rejects.toThrow(/Another cycle carried reports of .* rebuild it/);
    await expect(buildCycleUpload(db, twinB.id, NOW + 3)).rejects.toThrow(/has nothing left to upload/);
    await abandonCycle(db, twinB.id, 'twin of another cycle', NOW + 3, 'Ben');
    await abandonCycle(db, twinA.id, 'test only: never uploaded', NOW + 3, 'Ana');

    // A second cycle: only one of its two devices gets an ACK; the operator closes reconciliation.
    const second = await createCycle(db, { smartAccount: null, virtualAccount: va, mode: 'per-device', devices: picked }, NOW + 2, 'Ana');
    expect(second.number).toBe(4);
    const built = await buildCycleUpload(db, second.id, NOW + 3);
    await storeBuilt(db, second.id, built, NOW + 3, 'Ana');
    await markDownloaded(db, second.id, NOW + 4, 'Ana');
    await markUploaded(db, second.id, NOW + 5, NOW + 5, 'Ana');
    const files = leaves(await expand(built.name, built.bytes));
    expect(files.map((f) => f.name).sort()).toEqual(built.devices.map((d) => d.uploadFile).sort());
    const first = files.find((f) => f.name === built.devices[0]!.uploadFile)!;
    const ack = await simulateCssm(first.name, first.bytes, ledger(), { now: NOW + DAY, virtualAccount: va });
    if (!ack.accepted) throw new Error(ack.reason);
    expect(ack.name).toBe(`ACK_${first.name}`);
    expect(await cyclesAwaiting(db, [built.devices[0]!.key])).toEqual([4]);
    const partial = await applyReconcile(db, second.id, [{ name: ack.name, bytes: ack.bytes }], NOW + DAY, 'Ana');
    expect(await cyclesAwaiting(db, [built.devices[0]!.key])).toEqual([]);
    expect(await cyclesAwaiting(db, [built.devices[1]!.key])).toEqual([4]);
    expect(partial.cycle.state).toBe('ack-imported');
    expect(partial.plan.unmatched.map((u) => u.key)).toEqual([built.devices[1]!.key]);
    const closed = await closeReconcile(db, second.id, NOW + DAY, 'Ana');
    expect(closed.state).toBe('reconciled');
    expect(closed.audit[closed.audit.length - 1]!.message).toMatch(/1 device still without an ACK/);

    // The missing ACK turns up after all: recorded as a late ACK, the cycle stays reconciled.
    const other = files.find((f) => f.name === built.devices[1]!.uploadFile)!;
    const lateAck = await simulateCssm(other.name, other.bytes, ledger(), { now: NOW + 2 * DAY, virtualAccount: va });
    if (!lateAck.accepted) throw new Error(lateAck.reason);
    const late = await applyReconcile(db, second.id, [{ name: lateAck.name, bytes: lateAck.bytes }], NOW + 2 * DAY, 'Ana');
    expect(late.cycle.state).toBe('reconciled');
    expect(late.cycle.devices.every((d) => d.ack)).toBe(true);
    expect(late.cycle.audit[late.cycle.audit.length - 1]).toMatchObject({ step: 'note', message: expect.stringMatching(/^Late ACK imported: /) });
  });
});

describe('authorization cycle: a SLAC request through the same machinery', () => {
  it('imports the request, uploads it as is, reconciles the code, hands it back and verifies the install', async () => {
    const { slacRequestOf } = await import('../../../src/core/sim/files.ts');
    const { authCandidates, authCycleDevices } = await import('../../../src/core/cycle/choose.ts');
    const { authRequestState } = await import('../../../src/core/cycle/model.ts');
    const { slacNeeds } = await import('../../../src/core/policy/slac.ts');
    const fleet = simulateFleet({ seed: 'cycle-slac', devices: 400, now: NOW });
    const unit = fleet.units.find((u) => u.slacNeeded)!;
    const key = udiKey(unit.members[0]!.udi);
    const db = freshDb();
    await loadFleet(db, fleet);
    const lastAckBefore = (await getDevice(db, key))!.lastAckReceived ?? null;
    const request = encoder.encode(slacRequestOf(fleet, unit));
    const stored = await storeAnalysis(db, await analyseFile('hsec_request.txt', request), new Blob([request]), NOW);
    expect(stored).toMatchObject({ status: 'imported', summary: { authRequests: 1 } });
    expect((await getDevice(db, key))!.authRequests).toEqual([expect.objectContaining({ kind: 'request', file: stored.file.sha256, entry: [], fileName: 'hsec_request.txt' })]);

    const list = authCandidates(await listDevices(db), []);
    expect(list.map((c) => c.key)).toEqual([key]);
    await expect(createCycle(db, { kind: 'authorization', smartAccount: null, virtualAccount: unit.virtualAccount, mode: 'bundle', devices: authCycleDevices(list, new Set([key])) }, NOW, 'Ana')).rejects.toThrow(/one file, or one file per device/);
    const cycle = await createCycle(db, { kind: 'authorization', smartAccount: null, virtualAccount: unit.virtualAccount, mode: 'single', devices: authCycleDevices(list, new Set([key])) }, NOW, 'Ana');
    const requestId = cycle.devices[0]!.request!.id;
    expect(authRequestState(requestId, 'request', await listCycles(db)).state).toBe('requested');
    const built = await buildCycleUpload(db, cycle.id, NOW);
    expect(Buffer.from(built.bytes).equals(Buffer.from(request))).toBe(true); // the file the device saved, as is
    await storeBuilt(db, cycle.id, built, NOW, 'Ana');
    await markDownloaded(db, cycle.id, NOW, 'Ana');
    await markUploaded(db, cycle.id, NOW, NOW, 'Ana');
    expect(authRequestState(requestId, 'request', await listCycles(db)).state).toBe('uploaded');
    // A request already in a cycle is not offered again.
    expect(authCandidates(await listDevices(db), await listCycles(db))).toEqual([]);

    const answer = await simulateCssm(built.name, built.bytes, emptyLedger(fleet.smartAccount, fleet.virtualAccounts.map((v) => v.name)), { now: NOW + DAY, virtualAccount: unit.virtualAccount });
    if (!answer.accepted) throw new Error(answer.reason);
    const preview = await previewReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }]);
    expect(preview.plan.matched).toHaveLength(1);
    expect(preview.plan.matched[0]!.notes).toEqual(["carries 1 authorization code"]);
    const applied = await applyReconcile(db, cycle.id, [{ name: answer.name, bytes: answer.bytes }], NOW + DAY, 'Ana');
    expect(applied.cycle.state).toBe('reconciled');
    const device = (await getDevice(db, key))!;
    expect(device.fromAck?.value.authorizationCodes).toHaveLength(1);
    expect(device.lastAckReceived ?? null).toEqual(lastAckBefore); // a SLAC answer is no usage ACK
    expect(slacNeeds(device).onRecord.map((e) => e.source)).toContain('ack');
    expect(authRequestState(requestId, 'request', await listCycles(db)).state).toBe('code-received');

    const handBack = await exportHandBack(db, cycle.id, NOW + DAY, 'Ana');
    const out = new Map(leaves(await expand(handBack.name, handBack.bytes)).map((l) => [l.path.join('/'), new TextDecoder().decode(l.bytes)]));
    const commands = [...out].find(([k]) => k.endsWith('/commands.txt'))![1];
    expect(commands).toContain(`license smart import bootflash:${answer.name}`);
    expect(commands).toContain('show license authorization');

    const paste = `${unit.hostname}#show license authorization\nOverall status:\n  Active: PID:${unit.members[0]!.udi.pid},SN:${unit.members[0]!.udi.sn}\n      Status: SMART AUTHORIZATION INSTALLED on Nov 21 10:00:00 2026 UTC\n      Last Confirmation code: 0c8d2a1e\n`;
    const verified = await verifyCycle(db, cycle.id, paste, NOW + 2 * DAY, 'Ana');
    expect(verified.verification.verified.map((v) => v.key)).toEqual([key]);
    expect(verified.cycle.state).toBe('verified');
    expect(authRequestState(requestId, 'request', await listCycles(db)).state).toBe('installed');
  });
});
