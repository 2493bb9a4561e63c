import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/core/errors.ts';
import { type UsageFile, readUsageFile } from '../../../src/core/formats/usage-report.ts';
import { type SimUsageDevice, type UsageFileStyle, writeUsageFile } from '../../../src/core/sim/usage-file.ts';
import { C9300, DNA_ADV, NW_ADV, c9300, c9500Pair, decode, fixture, text } from '../helpers.ts';

function read(bytes: Uint8Array, name = 'usage.txt'): UsageFile {
  return readUsageFile(bytes, [name]);
}

/** Every report's range must be exactly one `<RUMReport>…</RUMReport>` of the original, readable on its own. */
function expectByteExact(bytes: Uint8Array, file: UsageFile) {
  const source = decode(bytes);
  // Independent of the parser: where the elements are, by plain string search (ASCII files: chars = bytes).
  const starts = [...source.matchAll(/<RUMReport>/g)].map((m) => m.index);
  const ends = [...source.matchAll(/<\/RUMReport>/g)].map((m) => m.index + '</RUMReport>'.length);
  expect(file.reports.map((r) => r.range)).toEqual(starts.map((start, i) => ({ start, end: ends[i] })));
  for (const r of file.reports) {
    const slice = bytes.subarray(r.range.start, r.range.end);
    const alone = read(slice, 'slice');
    expect(alone.reports).toHaveLength(1);
    expect({ ...alone.reports[0], range: null, fingerprint: null }).toEqual({ ...r, range: null, fingerprint: null });
  }
}

describe('device usage file: the synthetic samples', () => {
  it('reads the standalone C9300 (one line, two entitlements)', () => {
    const bytes = fixture('formats', 'rum-save-usage_c9300_standalone.txt');
    const file = read(bytes);
    expect(file.root).toBe('smartLicense');
    expect(file.warnings).toEqual([]);
    expect(file.systemInfo).toMatchObject({ udi: C9300, hostname: 'access-sw-01', timestamp: 1762592000000 });
    expect(file.reports.map((r) => [r.reportId, r.entitlementTag, r.count, r.start, r.end, r.utility, r.payloadFormat])).toEqual([
      ['1760003601', NW_ADV, 1, 1760000000000, 1762592000000, false, '2.0'],
      ['1760003602', DNA_ADV, 1, 1760000000000, 1762592000000, false, '2.0'],
    ]);
    expect(file.devices).toEqual([
      { udi: C9300, hostname: 'access-sw-01', softwareVersion: '17.12.04', softwareTag: expect.stringContaining('C9300,v1'), role: 'standalone', activeUdi: null, observedAt: 1762592000000 },
    ]);
    expectByteExact(bytes, file);
  });

  it('reads the C8000V in utility mode (one element per line)', () => {
    const bytes = fixture('formats', 'rum-save-usage_c8000v_utility.txt');
    const file = read(bytes);
    expect(file.reports).toHaveLength(2);
    expect(file.reports.every((r) => r.utility)).toBe(true);
    expect(file.reports.map((r) => r.entitlementTag)).toEqual([
      expect.stringContaining('DNA_P_50M_A'),
      expect.stringContaining('DNA_HSEC'),
    ]);
    expect(file.devices[0]).toMatchObject({ udi: { pid: 'C8000V', sn: '9ABCDEF1234' }, hostname: 'wan-edge-07', softwareVersion: '17.09.05' });
    expectByteExact(bytes, file);
  });
});

describe('device usage file: variants devices write', () => {
  const variants: Array<[string, UsageFileStyle]> = [
    ['pretty-printed', { pretty: true }],
    ['CRLF line ends', { pretty: true, crlf: true }],
    ['escaped text instead of CDATA', { escaped: true }],
    ['with "header": {"type": "rum"}', { header: true }],
    ['the older 17.6 payload', { payload: 'legacy' }],
    ['a payload object spread over lines (NX-OS)', { payload: 'object', pretty: true }],
    ['a comment after the declaration', { comment: 'saved by hand' }],
  ];
  it.each(variants)('reads %s', (_name, style) => {
    const bytes = text(writeUsageFile(c9300(), style));
    const file = read(bytes);
    expect(file.reports.map((r) => [r.reportId, r.entitlementTag, r.count])).toEqual([
      ['1760003601', NW_ADV, 1],
      ['1760003602', DNA_ADV, 1],
    ]);
    expect(file.reports[0]!.payloadFormat).toBe(style.payload ?? '2.0');
    expect(file.devices).toHaveLength(1);
    expect(file.devices[0]).toMatchObject({ udi: C9300, hostname: 'access-sw-01', softwareVersion: '17.12.04', role: 'standalone' });
    expect(file.warnings).toEqual([]);
    expectByteExact(bytes, file);
  });

  it('reads a bare <RUMReport> file (one report, no system info)', () => {
    const bytes = text(writeUsageFile(c9300(), { bare: true, pretty: true }));
    const file = read(bytes);
    expect(file.root).toBe('RUMReport');
    expect(file.systemInfo).toBeNull();
    expect(file.reports.map((r) => r.reportId)).toEqual(['1760003601']);
    expect(file.devices).toEqual([expect.objectContaining({ udi: C9300, hostname: null, softwareVersion: '17.12.04', observedAt: 1762592000000 })]);
    expectByteExact(bytes, file);
  });

  it('reads an HA pair: both UDIs, their roles, the reports under the active', () => {
    const bytes = text(writeUsageFile(c9500Pair(), { pretty: true }));
    const file = read(bytes);
    expect(file.devices.map((d) => [d.udi.sn, d.role, d.activeUdi?.sn, d.hostname])).toEqual([
      ['FCW2219L0AA', 'active', 'FCW2219L0AA', 'core-sw-01'],
      ['FCW2219L0BB', 'standby', 'FCW2219L0AA', 'core-sw-01'],
    ]);
    expect(file.reports[0]!.udi.sn).toBe('FCW2219L0AA');
    expect(file.reports[0]!.ha.map((m) => m.role)).toEqual(['active', 'standby']);
    expect(file.reports[0]!.count).toBe(2);
    expectByteExact(bytes, file);
  });

  it('ignores an HA member whose role is not a role, even one named like a property of every object', () => {
    const good = text(writeUsageFile(c9500Pair(), { pretty: true }));
    for (const odd of ['constructor', '__proto__', 'toString']) {
      const bytes = new TextEncoder().encode(new TextDecoder().decode(good).replaceAll('\\"role\\":\\"Standby\\"', `\\"role\\":\\"${odd}\\"`));
      expect(bytes).not.toEqual(good);
      const file = read(bytes);
      expect(file.reports[0]!.ha.map((m) => m.role), odd).toEqual(['active']);
      expect(() => structuredClone(file)).not.toThrow();
    }
  });

  it('keeps report IDs beyond 2^53 digit for digit', () => {
    const device = c9300({ reports: [{ reportId: '18446744073709551615', entitlementTag: NW_ADV, count: 1, start: 1760000000, end: 1760003600 }] });
    expect(read(text(writeUsageFile(device))).reports[0]!.reportId).toBe('18446744073709551615');
  });

  it('keeps an element it does not understand and says so (17.7.1+ trust-code request)', () => {
    const extraXml = '<smartLicenseTrustRequest><data>opaque</data></smartLicenseTrustRequest>';
    const bytes = text(writeUsageFile(c9300(), { extraXml }));
    const file = read(bytes);
    expect(file.unknownElements).toHaveLength(1);
    expect(decode(bytes.subarray(file.unknownElements[0]!.range.start, file.unknownElements[0]!.range.end))).toBe(extraXml);
    expect(file.warnings).toEqual([expect.stringMatching(/^kept <smartLicenseTrustRequest> \(line 1\) without reading it/)]);
  });

  it('ignores a second identical copy of a report and warns', () => {
    const device = c9300();
    const xml = writeUsageFile({ ...device, reports: [device.reports[0]!, device.reports[0]!] });
    const file = read(text(xml));
    expect(file.reports).toHaveLength(1);
    expect(file.warnings).toEqual(['report 1760003601 appears twice (identical): the second copy is ignored']);
  });

  it('warns when a file holds reports of another device', () => {
    const other: SimUsageDevice = c9300({ udi: { pid: 'C9300-48P', sn: 'FOC0000ZZZZ' } });
    const xml = writeUsageFile(c9300()).replace('</smartLicense>', '') + writeUsageFile(other).replace(/^.*?<smartLicense>/, '').replace(/<smartLicenseSystemInfo>.*$/, '</smartLicense>');
    const file = read(text(xml));
    expect(file.warnings).toContain('reports from PID:C9300-48P,SN:FOC0000ZZZZ are in a file saved by PID:C9300-24UX,SN:FCW2303D16Y');
  });
});

describe('device usage file: broken input', () => {
  const good = writeUsageFile(c9300(), { pretty: true });
  function refused(xml: string): ImportError {
    try {
      read(text(xml), 'dev.txt');
    } catch (e) {
      expect(e).toBeInstanceOf(ImportError);
      return e as ImportError;
    }
    throw new Error('expected the file to be refused');
  }

  it('says a file cut in the middle of a report was cut short', () => {
    const e = refused(good.slice(0, good.indexOf('</RUMReport>') - 30));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/^dev\.txt: the XML ends early/);
  });

  it('says a report with broken JSON is broken, naming the report and its line', () => {
    const e = refused(good.replace('"payload":', '"payload"'));
    expect(e.code).toBe('json');
    expect(e.message).toMatch(/^dev\.txt: RUM report 1 \(line 3\) is not valid JSON/);
  });

  it('refuses a report without report_id or without any UDI', () => {
    expect(refused(good.replaceAll('report_id', 'rid')).message).toMatch(/RUM report 1 \(line 3\) has no report_id/);
    const noUdi = writeUsageFile(c9300(), { bare: true }).replace(/\\"udi_pid\\":\\"[^\\]*\\",|"udi_pid":"[^"]*",/g, '');
    expect(refused(noUdi).message).toMatch(/does not say which device \(UDI\)/);
  });

  it('refuses other XML and an empty <smartLicense>', () => {
    expect(refused('<html><body/></html>').code).toBe('wrong-kind');
    expect(refused('<smartLicense></smartLicense>').message).toBe('dev.txt: holds neither RUM reports nor system information — nothing to import');
  });

  it('reads a hostname with markup in it as plain text (it is only ever rendered as text)', () => {
    const file = read(text(writeUsageFile(c9300({ hostname: '<img src=x onerror=alert(1)>' }))));
    expect(file.devices[0]!.hostname).toBe('<img src=x onerror=alert(1)>');
  });
});
