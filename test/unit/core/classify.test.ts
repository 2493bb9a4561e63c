import { describe, expect, it } from 'vitest';
import { expand, gzip, writeTar } from '../../../src/core/archive/index.ts';
import { classifyLeaf, classifyTree } from '../../../src/core/formats/classify.ts';
import { writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { c9300, fixture, fixtureNames, text } from '../helpers.ts';

describe('classifier on the real CLI samples', () => {
  it.each(fixtureNames('cli'))('names cli/%s "cli"', (name) => {
    const c = classifyLeaf(fixture('cli', name));
    expect(c.kind, c.reason).toBe('cli');
  });
  it.each(fixtureNames('cli-seed'))('names cli-seed/%s "cli"', (name) => {
    const c = classifyLeaf(fixture('cli-seed', name));
    expect(c.kind, c.reason).toBe('cli');
  });
  it.each(fixtureNames('formats'))('names formats/%s "usage-report"', (name) => {
    expect(classifyLeaf(fixture('formats', name)).kind).toBe('usage-report');
  });
});

describe('classifier on every other kind, by content alone', () => {
  it.each([
    ['ack_single.xml', 'ack'],
    ['policy.xml', 'policy'],
    ['slac_request.xml', 'slac-request'],
    ['syslog.txt', 'syslog'],
    ['inventory.csv', 'inventory-csv'],
    ['cssm_accounts.json', 'license-summary'],
    ['cssm_licenses.json', 'license-summary'],
    ['cssm_devices.json', 'license-summary'],
  ])('names made/%s "%s"', (name, kind) => {
    expect(classifyLeaf(fixture('made', name)).kind).toBe(kind);
  });

  it('recognises the usage file variants and a backup', () => {
    expect(classifyLeaf(text(writeUsageFile(c9300(), { bare: true }))).kind).toBe('usage-report');
    expect(classifyLeaf(text(writeUsageFile(c9300(), { pretty: true, crlf: true }))).kind).toBe('usage-report');
    expect(classifyLeaf(text('\ufeff' + writeUsageFile(c9300()))).kind).toBe('usage-report');
    expect(classifyLeaf(text('{"format": "slp-backup/1", "files": []}')).kind).toBe('backup');
  });

  it('marks simulated files', () => {
    expect(classifyLeaf(text(writeUsageFile(c9300(), { comment: 'slp-simulated fleet' }))).simulated).toBe(true);
    expect(classifyLeaf(fixture('formats', 'rum-save-usage_c9300_standalone.txt')).simulated).toBe(false);
  });

  it.each([
    [new Uint8Array(0), /empty/],
    [text('   \n\n'), /blank/],
    [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), /ZIP archive/],
    [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), /PNG image/],
    [new Uint8Array([0xff, 0xfe, 0x3c, 0x00]), /UTF-16/],
    [text('<html><body>CSSM</body></html>'), /HTML page/],
    [text('<!DOCTYPE foo [<!ENTITY x SYSTEM "file:///etc/passwd">]><foo>&x;</foo>'), /DTD/],
    [text('<other/>'), /root <other>/],
    [text('{"hello": "world"}'), /JSON that is neither/],
    [text('Dear operator,\nplease find attached.'), /not Cisco "show license" output/],
  ])('names unknown input and says why (%#)', (bytes, why) => {
    const c = classifyLeaf(bytes);
    expect(c.kind).toBe('unknown');
    expect(c.reason).toMatch(why);
  });
});

describe('classifier on archives', () => {
  const T = 1_700_000_000_000;
  const tar = (files: Record<string, Uint8Array>) => writeTar(Object.entries(files).map(([name, bytes]) => ({ name, bytes, mtime: T })));
  const dev = text(writeUsageFile(c9300()));

  it('names a CSLU-style upload bundle (manifest.mf + per-VA tar.gz of device files)', async () => {
    const va = gzip(await tar({ 'dev_1_1700000000.txt': dev }));
    const manifest = text('Manifest-Version: 1.0\nCreated-By: CSLU\nSmart-Account: Example\n\nName: /UD_VA_1.tar.gz\nSpecification-VA: Campus\n');
    const tree = await expand('UD_SA_1.tar.gz', gzip(await tar({ 'manifest.mf': manifest, 'UD_VA_1.tar.gz': va })));
    const c = classifyTree(tree);
    expect(c.kind).toBe('upload-bundle');
    expect(c.leaves.map((l) => [l.leaf.path.join('/'), l.classification.kind])).toEqual([
      ['manifest.mf', 'unknown'],
      ['UD_VA_1.tar.gz/dev_1_1700000000.txt', 'usage-report'],
    ]);
  });

  it('names an ACK bundle, a summary tarball and a plain archive', async () => {
    const ack = fixture('made', 'ack_single.xml');
    const ackBundle = await expand('ack.tar.gz', gzip(await tar({ 'ACK_UD_VA_1.tar.gz': gzip(await tar({ ACK_dev_1_1: ack, ACK_dev_2_1: ack })) })));
    expect(classifyTree(ackBundle).kind).toBe('ack-bundle');
    const summary = await expand('summary.tar.gz', gzip(await tar({ 'manifest.json': text('{"format": "slp-summary/1", "generated": "2026-11-01T00:00:00Z"}'), 'Campus/licenses.json': fixture('made', 'cssm_licenses.json') })));
    expect(classifyTree(summary).kind).toBe('license-summary');
    const plain = await expand('mine.tar', await tar({ 'sw1.txt': dev, 'notes.txt': text('hello') }));
    expect(classifyTree(plain).kind).toBe('archive');
    const junk = await expand('junk.tar', await tar({ 'a.bin': new Uint8Array([0, 1, 2]) }));
    expect(classifyTree(junk)).toMatchObject({ kind: 'unknown', reason: 'an archive of 1 file, none of them a licensing file' });
  });
});
