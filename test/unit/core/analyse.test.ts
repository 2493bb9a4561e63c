import { describe, expect, it } from 'vitest';
import { analyseFile } from '../../../src/core/analyse.ts';
import { gzip, writeTar } from '../../../src/core/archive/index.ts';
import { ImportError } from '../../../src/core/errors.ts';
import { inspectionOf } from '../../../src/core/inspect.ts';
import { writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { c9300, c9500Pair, fixture, text } from '../helpers.ts';

const T = 1_700_000_000_000;
const tar = (files: Record<string, Uint8Array>) => writeTar(Object.entries(files).map(([name, bytes]) => ({ name, bytes, mtime: T })));

async function refused(p: Promise<unknown>): Promise<ImportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected a refusal');
}

describe('analysing one input file', () => {
  it('reads a device usage file and inspects it as FORMATS.md describes', async () => {
    const bytes = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
    const analysis = await analyseFile('all_rum.txt', bytes);
    expect(analysis).toMatchObject({ kind: 'usage-report', readable: true, size: bytes.length, warnings: [] });
    expect(analysis.sha256).toMatch(/^[0-9a-f]{64}$/);
    const inspection = inspectionOf(analysis);
    expect(Object.keys(inspection)).toEqual(['file', 'sha256', 'kind', 'devices', 'account', 'policy', 'usageReporting', 'licenses', 'reports', 'acknowledged', 'warnings']);
    expect(inspection.devices).toEqual([{ udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, hostname: 'access-sw-01', role: 'standalone', softwareVersion: '17.12.04' }]);
    expect(inspection.licenses).toEqual([
      { name: 'network-advantage', tag: expect.stringContaining('advantagek9'), count: 1, status: null, enforcement: 'NOT ENFORCED', type: 'Perpetual' },
      { name: 'dna-advantage', tag: expect.stringContaining('c9300_dna_advantage'), count: 1, status: null, enforcement: 'NOT ENFORCED', type: 'Subscription' },
    ]);
    expect(inspection.reports[0]).toEqual({
      reportId: 1760003601,
      udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' },
      entitlementTag: expect.stringContaining('advantagek9'),
      state: null,
      count: 1,
      start: '2025-10-09T08:53:20Z',
      end: '2025-11-08T08:53:20Z',
    });
  });

  it('reads every device file of an upload bundle and says where each came from', async () => {
    const va = gzip(await tar({ 'dev_1_1.txt': text(writeUsageFile(c9300())), 'dev_2_1.txt': text(writeUsageFile(c9500Pair())) }));
    const bundle = gzip(await tar({ 'manifest.mf': text('Manifest-Version: 1.0\n'), 'UD_VA_1.tar.gz': va }));
    const analysis = await analyseFile('UD_SA_1.tar.gz', bundle);
    expect(analysis.kind).toBe('upload-bundle');
    expect(analysis.usage.map((u) => u.path)).toEqual([
      ['UD_VA_1.tar.gz', 'dev_1_1.txt'],
      ['UD_VA_1.tar.gz', 'dev_2_1.txt'],
    ]);
    expect(analysis.warnings).toEqual([]);
    expect(inspectionOf(analysis).devices.map((d) => [d.udi.sn, d.role])).toEqual([
      ['FCW2303D16Y', 'standalone'],
      ['FCW2219L0AA', 'active'],
      ['FCW2219L0BB', 'standby'],
    ]);
  });

  it('reads the good entries of an archive and names each one it could not read', async () => {
    const good = text(writeUsageFile(c9300()));
    const cut = good.subarray(0, 500);
    const archive = await tar({ 'sw1.txt': good, 'sw2.txt': cut, 'readme.txt': text('notes'), 'ack.xml': fixture('made', 'ack_single.xml') });
    const analysis = await analyseFile('collected.tar', archive);
    expect(analysis.kind).toBe('archive');
    expect(analysis.usage).toHaveLength(1);
    expect(analysis.warnings).toEqual([
      expect.stringMatching(/^sw2\.txt: not imported — the XML ends early/),
      'readme.txt: ignored — text that is not Cisco "show license" output, syslog or an inventory CSV',
      'ack.xml: the ACK carries a policy whose encoding is not public: kept in the file, not read',
      'ack.xml: the ACK body is not JSON and its encoding is not public: the file is kept as is, its report IDs could not be read',
    ]);
    expect(analysis.entries.map((e) => e.status)).toEqual(['read', 'error', 'ignored', 'read']);
  });

  it('refuses an archive in which no device file can be read', async () => {
    const cut = text(writeUsageFile(c9300())).subarray(0, 400);
    const e = await refused(analyseFile('bad.tar', await tar({ 'a.txt': cut, 'b.txt': cut })));
    expect(e.message).toMatch(/^bad\.tar: none of its device usage files could be read \(first problem: a\.txt: the XML ends early/);
  });

  it('refuses a single broken file with the parser\'s own sentence', async () => {
    const e = await refused(analyseFile('sw.txt', text(writeUsageFile(c9300())).subarray(0, 400)));
    expect(e.code).toBe('truncated');
    expect(e.where).toEqual(['sw.txt']);
  });

  it('refuses empty and unknown files, naming the file', async () => {
    expect((await refused(analyseFile('empty.txt', new Uint8Array(0)))).message).toBe('empty.txt: is empty (0 bytes) — nothing to import');
    expect((await refused(analyseFile('photo.jpg.tar', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2])))).message).toBe(
      'photo.jpg.tar: is not a file the workbench can read: a PNG image, not a licensing file',
    );
  });

  it('reads a SLAC request: who asks for which authorization, and where the file is', async () => {
    const analysis = await analyseFile('slac.xml', fixture('made', 'slac_request.xml'));
    expect(analysis).toMatchObject({ kind: 'slac-request', readable: true, usage: [] });
    expect(analysis.other.slacRequests).toHaveLength(1);
    expect(analysis.other.slacRequests[0]!.path).toEqual([]);
    expect(analysis.other.slacRequests[0]!.requests[0]!.keys.length).toBeGreaterThan(0);
  });

  it('recognises a kind it cannot read yet and says so without reading it', async () => {
    const analysis = await analyseFile('inventory.csv', new TextEncoder().encode('hostname,pid,serial\nsw1,C9300-24UX,FCW1\n'));
    expect(analysis).toMatchObject({ kind: 'inventory-csv', readable: false, usage: [] });
    expect(analysis.warnings[0]).toMatch(/: importing this kind is not yet supported by this version$/);
  });

  it('reads an ACK: what it acknowledges, leniently, keeping what it cannot read as a warning', async () => {
    const analysis = await analyseFile('ACK_all_rum.txt', fixture('made', 'ack_single.xml'));
    expect(analysis).toMatchObject({ kind: 'ack', readable: true, usage: [] });
    expect(analysis.other.acks).toHaveLength(1);
    expect(analysis.warnings).toEqual([
      'the ACK carries a policy whose encoding is not public: kept in the file, not read',
      'the ACK body is not JSON and its encoding is not public: the file is kept as is, its report IDs could not be read',
    ]);
  });
});
