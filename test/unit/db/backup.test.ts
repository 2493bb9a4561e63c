import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzip, ungzip } from 'pako';
import { MANIFEST_NAME, type BackupManifest } from '../../../src/core/backup/format.ts';
import { gzipTarEntries, tarHeader, tarPadding, TAR_END } from '../../../src/core/backup/tar-stream.ts';
import { sha256Hex } from '../../../src/core/hash.ts';
import { APP_VERSION } from '../../../src/core/version.ts';
import { LAST_BACKUP_KEY, restoreBackup, verifyBackup, writeBackup } from '../../../src/db/backup.ts';
import { SCHEMA_VERSION, TABLES, type WorkbenchDb } from '../../../src/db/schema.ts';
import { allReportSets, bucketise } from '../../../src/db/reports.ts';
import type { DeviceReports } from '../../../src/core/model/fleet.ts';
import { NOW, dump, freshDb, populatedWorkspace } from './workspace.ts';
import { listDevices } from '../../../src/db/queries.ts';

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

/** The entries of a backup as name → bytes, in order. */
function entriesOf(gz: Uint8Array): Array<{ name: string; data: Uint8Array }> {
  return [...gzipTarEntries(gz, 1 << 30)];
}

/** Writes entries back into a tar.gz exactly as a backup is laid out. */
function repack(entries: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const e of entries) chunks.push(tarHeader(e.name, e.data.length, NOW), e.data, tarPadding(e.data.length));
  chunks.push(TAR_END);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return gzip(all);
}

async function withManifest(gz: Uint8Array, change: (m: BackupManifest) => void): Promise<Uint8Array> {
  const entries = entriesOf(gz);
  const manifest = JSON.parse(new TextDecoder().decode(entries[0]!.data)) as BackupManifest;
  change(manifest);
  entries[0] = { name: MANIFEST_NAME, data: new TextEncoder().encode(JSON.stringify(manifest)) };
  return repack(entries);
}

describe('backup and restore', () => {
  let db: WorkbenchDb;
  let before: Record<string, unknown[]>;
  let backup: Uint8Array;
  let name: string;

  it('round trip: demo fleet → backup → wipe → restore gives every table and every byte back', async () => {
    db = await populatedWorkspace();
    // Records per table, devices and report sets counted one each (a backup lists them one per line, whatever
    // holds them here).
    const count = async (t: string) => (t === 'deviceSets' ? (['devices', (await listDevices(db)).length] as const) : t === 'reportSets' ? (['reports', (await allReportSets(db.reportSets)).length] as const) : ([t, await db.table(t).count()] as const));
    const counts = Object.fromEntries(await Promise.all(TABLES.map(count)));
    const written = await writeBackup(db, { workspace: 'real', now: NOW + 4 * 86_400_000 });
    before = await dump(db);
    backup = await bytesOf(written.blob);
    name = written.name;
    expect(name).toMatch(/^slp-backup-real-\d{8}-\d{4}\.tar\.gz$/);
    expect(written.sha256).toBe(await sha256Hex(backup));
    const { manifest } = written;
    expect(manifest).toMatchObject({ format: 'slp-backup/1', appVersion: APP_VERSION, schemaVersion: SCHEMA_VERSION, workspace: 'real' });
    expect(manifest.counts).toEqual(counts);
    // The backup records itself, after its snapshot: the recorded name and hash are the file's.
    const last = (await db.kv.get(LAST_BACKUP_KEY))?.value;
    expect(last).toEqual({ at: NOW + 4 * 86_400_000, name, sha256: written.sha256, bytes: backup.length });
    expect((await db.events.orderBy('id').last())?.type).toBe('backup');

    // Wipe: a new, empty database, then restore into it.
    const target = freshDb('restored');
    const result = await restoreBackup(target, name, backup, { now: NOW + 5 * 86_400_000 });
    expect(result.counts).toEqual(Object.fromEntries(Object.entries(manifest.counts).filter(([, n]) => n > 0)));
    const after = await dump(target);
    for (const table of TABLES) {
      if (table === 'events' || table === 'kv') continue;
      expect(after[table], table).toEqual(before[table]);
    }
    // The events and state the backup held, then what happened since: its own record and the restore.
    const beforeEvents = before.events!.slice(0, -1);
    expect(after.events!.slice(0, beforeEvents.length)).toEqual(beforeEvents);
    expect(after.events!.slice(beforeEvents.length).map((e) => (e as { type: string }).type)).toEqual(['restore']);
    const kv = (rows: unknown[]) => rows.filter((r) => (r as { key: string }).key !== LAST_BACKUP_KEY);
    expect(kv(after.kv!)).toEqual(kv(before.kv!));
    expect((await target.kv.get(LAST_BACKUP_KEY))?.value).toMatchObject({ name, sha256: written.sha256, restoredAt: NOW + 5 * 86_400_000 });
    // Original files byte for byte, Blob types kept.
    const files = await target.fileBytes.toArray();
    for (const f of files) expect(await sha256Hex(await bytesOf(f.blob))).toBe(f.sha256);
    expect(files.length).toBe(manifest.counts.files);
  }, 120_000);

  it('replaces what the workspace held, in one step', async () => {
    const other = await populatedWorkspace(10);
    await restoreBackup(other, name, backup, { now: NOW });
    const after = await dump(other);
    expect(after.deviceSets).toEqual(before.deviceSets);
    expect(after.files).toEqual(before.files);
  }, 60_000);

  it('shows what a backup holds before restoring, and reads it once', async () => {
    const contents = await verifyBackup('copy.tar.gz', backup);
    expect(contents).toMatchObject({ name: 'copy.tar.gz', bytes: backup.length, sha256: await sha256Hex(backup) });
    expect(contents.manifest.counts.devices).toBe(before.deviceSets!.length);
  });

  describe('refuses a damaged or foreign backup, naming it and changing nothing', () => {
    const cases: Array<[string, () => Promise<Uint8Array> | Uint8Array, RegExp]> = [
      ['truncated', () => backup.subarray(0, Math.floor(backup.length * 0.6)), /cut short/],
      ['cut after its last entry', () => backup.subarray(0, backup.length - 4), /cut short/],
      ['corrupt gzip', () => Uint8Array.from(backup, (b, i) => (i > 200 && i < 260 ? b ^ 0x5a : b)), /damaged|checksum|cut short|does not match/],
      ['not gzip', () => new TextEncoder().encode('hello'), /not gzip-compressed/],
      ['a tar.gz of something else', () => repack([{ name: 'readme.txt', data: new TextEncoder().encode('hi') }]), /does not start with a backup manifest/],
      ['a newer format', () => withManifest(backup, (m) => ((m as { format: string }).format = 'slp-backup/2')), /slp-backup\/2 backup, which this version cannot read/],
      ['a newer schema', () => withManifest(backup, (m) => ((m.schemaVersion = 99), (m.appVersion = '9.0.0'))), /newer version of the workbench \(9\.0\.0, database schema 99/],
      ['a file altered after it was written', async () => {
        const entries = entriesOf(backup);
        const i = entries.findIndex((e) => e.name.startsWith('tables/devices/'));
        const text = new TextDecoder().decode(entries[i]!.data).replace('"key":"PID:', '"key":"PIX:');
        expect(text).toContain('PIX:');
        entries[i] = { name: entries[i]!.name, data: new TextEncoder().encode(text) };
        return repack(entries);
      }, /tables\/devices\/00001\.jsonl does not match its SHA-256/],
      ['an entry missing', () => repack(entriesOf(backup).filter((e) => e.name !== 'blobs/0')), /blobs\/0, listed in its manifest, is missing|points at stored file 0/],
      ['an entry not in its manifest', () => repack([...entriesOf(backup), { name: 'blobs/999', data: new Uint8Array(3) }]), /holds blobs\/999, which its manifest does not list/],
      ['counts that disagree', () => withManifest(backup, (m) => (m.counts.devices = (m.counts.devices ?? 0) + 1)), /records of devices where its manifest says/],
      ['an unknown table', () => withManifest(backup, (m) => (m.counts.secrets = 1)), /table "secrets" this version does not know/],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        const target = await populatedWorkspace(10);
        const held = await dump(target);
        const bad = await make();
        await expect(restoreBackup(target, 'bad-backup.tar.gz', bad, { now: NOW })).rejects.toThrow(message);
        await expect(restoreBackup(target, 'bad-backup.tar.gz', bad, { now: NOW })).rejects.toThrow(/^bad-backup\.tar\.gz: .*Nothing was changed\.$/);
        expect(await dump(target)).toEqual(held);
      }, 60_000);
    }
  });

  it('a backup of an older schema gets the upgrades a database of that version gets', async () => {
    const old = await withManifest(backup, (m) => (m.schemaVersion = 3));
    // Devices written by schema 3 had no usage history: take it out of the records, keeping the hashes right.
    const entries = entriesOf(old);
    const manifest = JSON.parse(new TextDecoder().decode(entries[0]!.data)) as BackupManifest;
    for (const e of entries) {
      if (!e.name.startsWith('tables/devices/')) continue;
      const lines = new TextDecoder().decode(e.data).split('\n').filter(Boolean).map((l) => {
        const { usage: _usage, ...rest } = JSON.parse(l);
        return JSON.stringify(rest);
      });
      e.data = new TextEncoder().encode(lines.join('\n') + '\n');
      const listed = manifest.entries.find((x) => x.path === e.name)!;
      listed.size = e.data.length;
      listed.sha256 = await sha256Hex(e.data);
    }
    entries[0] = { name: MANIFEST_NAME, data: new TextEncoder().encode(JSON.stringify(manifest)) };
    const target = freshDb('old');
    await restoreBackup(target, 'old.tar.gz', repack(entries), { now: NOW });
    const devices = await listDevices(target);
    const withUsage = (before.deviceSets as Array<{ usage?: unknown }>).filter((d) => d.usage).length;
    expect(withUsage).toBeGreaterThan(0);
    expect(devices.filter((d) => d.usage).length).toBe(withUsage);
    expect(devices).toEqual(before.deviceSets);
  }, 60_000);

  it("a backup written by schema v8 (report buckets by hash, table \"reportSets\") restores with each set beside its device", async () => {
    const entries = entriesOf(backup);
    const manifest = JSON.parse(new TextDecoder().decode(entries[0]!.data)) as BackupManifest;
    // The v8 layout: the sets of tables/reports/ as v8's hash buckets in tables/reportSets/.
    const sets: DeviceReports[] = [];
    const kept = entries.slice(1).filter((e) => {
      if (!e.name.startsWith('tables/reports/')) return true;
      for (const line of new TextDecoder().decode(e.data).split('\n').filter(Boolean)) sets.push(JSON.parse(line) as DeviceReports);
      return false;
    });
    expect(sets.length).toBeGreaterThan(20);
    const buckets = bucketise(sets);
    const part = { name: 'tables/reportSets/00000.jsonl', data: new TextEncoder().encode(buckets.map((x) => JSON.stringify(x)).join('\n') + '\n') };
    manifest.schemaVersion = 8;
    manifest.entries = [...manifest.entries.filter((e) => !e.path.startsWith('tables/reports/')), { path: part.name, size: part.data.length, sha256: await sha256Hex(part.data) }];
    const { reports: _sets, ...counts } = manifest.counts;
    manifest.counts = { ...counts, reportSets: buckets.length };
    const old = repack([{ name: MANIFEST_NAME, data: new TextEncoder().encode(JSON.stringify(manifest)) }, ...kept, part]);
    const target = freshDb('v8');
    const result = await restoreBackup(target, 'v8.tar.gz', old, { now: NOW });
    expect(result.counts.reportSets).toBe(buckets.length);
    // dump checks that every set sits with its device.
    const after = await dump(target);
    expect(after.reportSets).toEqual(before.reportSets);
    expect(after.deviceSets).toEqual(before.deviceSets);
  }, 60_000);

  it('the backup is a tar.gz any tool reads, with the manifest first and the files byte for byte', () => {
    const raw = ungzip(backup);
    expect(new TextDecoder().decode(raw.subarray(257, 262))).toBe('ustar');
    const entries = entriesOf(backup);
    expect(entries[0]!.name).toBe('manifest.json');
    expect(entries.filter((e) => e.name.startsWith('blobs/')).length).toBeGreaterThan(0);
  });

  it('keeps the app version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });
});

describe('merging a backup into a workspace', () => {
  it('imports the files it lacks by the import rules, adds cycles and assignments, and says what conflicts', async () => {
    const { mergeBackup } = await import('../../../src/db/backup.ts');
    const { analyseFile } = await import('../../../src/core/analyse.ts');
    const { storeAnalysis } = await import('../../../src/db/import.ts');
    const { writeRuleSettings } = await import('../../../src/db/assignments.ts');
    const source = await populatedWorkspace(30);
    const written = await writeBackup(source, { workspace: 'real', now: NOW });
    const bytes = await bytesOf(written.blob);
    const held = await dump(source);

    // A workspace with a device of its own and another rule setting.
    const target = freshDb('merge');
    const own = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'formats', 'rum-save-usage_c9300_standalone.txt'));
    await storeAnalysis(target, await analyseFile('own.txt', new Uint8Array(own)), new Blob([own]), NOW);
    const ownDevice = (await listDevices(target))[0]!;
    const settings = held.kv!.find((r) => (r as { key: string }).key === 'sdwan-settings') as { value: { multipleEntitlement: boolean } } | undefined;
    await writeRuleSettings(target, { multipleEntitlement: !(settings?.value.multipleEntitlement ?? false) }, NOW);

    const merged = await mergeBackup(target, 'source.tar.gz', bytes, { now: NOW + 1 });
    expect(merged.imported).toHaveLength(held.files!.length);
    expect(merged.alreadyHere).toBe(0);
    expect(merged.added).toMatchObject({ cycles: held.cycles!.length, outputs: held.outputs!.length, assignments: held.assignments!.length });
    if (settings) expect(merged.conflicts).toContain('Setting "sdwan-settings" differs here and in the backup: this workspace\'s kept');
    // Every device and report of the backup, as the source had them (ACKs included), and the workspace's own.
    const after = await dump(target);
    const byKey = (rows: unknown[]) => new Map(rows.map((r) => [(r as { key: string }).key, r]));
    const reports = byKey(after.reportSets!);
    for (const r of held.reportSets as DeviceReports[]) expect(reports.get(r.key)).toEqual(r);
    expect(byKey(after.deviceSets!).has(ownDevice.key)).toBe(true);
    expect(after.deviceSets!.length).toBe(held.deviceSets!.length + 1);
    expect(after.cycles).toEqual(held.cycles);

    // Merging it again changes nothing but the audit trail.
    const again = await mergeBackup(target, 'source.tar.gz', bytes, { now: NOW + 2 });
    expect(again).toMatchObject({ imported: [], alreadyHere: held.files!.length, added: {} });
    const twice = await dump(target);
    for (const table of TABLES) if (table !== 'events') expect(twice[table], table).toEqual(after[table]);
  }, 120_000);

  it('refuses a damaged backup before merging anything', async () => {
    const { mergeBackup } = await import('../../../src/db/backup.ts');
    const source = await populatedWorkspace(10);
    const bytes = await bytesOf((await writeBackup(source, { workspace: 'real', now: NOW })).blob);
    const target = freshDb('merge-bad');
    await expect(mergeBackup(target, 'cut.tar.gz', bytes.subarray(0, bytes.length - 100), { now: NOW })).rejects.toThrow(/^cut\.tar\.gz: the file ends early .*Nothing was changed\.$/);
    expect(await target.files.count()).toBe(0);
    expect(await target.events.count()).toBe(0);
  }, 60_000);
});

describe('what a backup leaves out', () => {
  it('leaves out the journal of running jobs, which belongs to the page that runs them', async () => {
    const { beginJob } = await import('../../../src/db/journal.ts');
    const db = freshDb('journal');
    await db.kv.put({ key: 'settings-x', value: 1 });
    await beginJob(db, { id: 'j1', kind: 'import', label: 'Import', files: ['a.txt'], startedAt: NOW });
    const written = await writeBackup(db, { workspace: 'real', now: NOW });
    expect(written.manifest.counts.kv).toBe(1);
    const target = freshDb('journal-restored');
    await restoreBackup(target, written.name, await bytesOf(written.blob), { now: NOW });
    expect((await target.kv.toArray()).map((r) => r.key).sort()).toEqual(['last-backup', 'settings-x']);
  });
});

describe('values a backup cannot carry stop it, saying where', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a Map', new Map([[1, 2]]), /^kv: record\.value\.inner is a Map, which a backup cannot hold$/],
    ['a Date', new Date(0), /^kv: record\.value\.inner is a Date, which a backup cannot hold$/],
    ['NaN', Number.NaN, /^kv: record\.value\.inner is NaN, which a backup cannot hold$/],
    ['a "$blob" key', { $blob: 1 }, /^kv: record\.value\.inner has a "\$blob" key, which a backup reserves$/],
    ['an array holding a Set', [1, new Set()], /^kv: record\.value\.inner\[1\] is a Set, which a backup cannot hold$/],
  ];
  for (const [what, inner, message] of cases) {
    it(what, async () => {
      const db = freshDb('odd');
      await db.kv.put({ key: 'odd', value: { inner } });
      await expect(writeBackup(db, { workspace: 'real', now: NOW })).rejects.toThrow(message);
      expect(await db.kv.get(LAST_BACKUP_KEY)).toBeUndefined();
    });
  }
});
