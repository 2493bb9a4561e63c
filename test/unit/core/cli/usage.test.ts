import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliLicense, CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { licenseHeading, parseUsage } from '../../../../src/core/formats/cli/usage.ts';
import { crlf, genie, onlyDevice, parse, parserWarnings, reindent, seed } from './_reshape.ts';

const F03 = seed('F03_show_license_usage_unenforced.clean.txt');
const F04 = seed('F04_show_license_usage_slr.clean.txt');

const air = (name: string, tag: string, extra: Partial<CliLicense> = {}): CliLicense => ({
  name,
  tag,
  description: name,
  count: 1,
  version: '1.0',
  status: 'IN USE',
  exportStatus: 'NOT RESTRICTED',
  featureName: name,
  featureDescription: name,
  enforcement: 'NOT ENFORCED',
  licenseType: 'Perpetual',
  truncated: false,
  ...extra,
});

describe('show license usage', () => {
  it('F03: two unenforced AIR licences and the License Authorization status', () => {
    const p = parse(F03);
    const f = onlyDevice(p);
    expect(f.licenses).toEqual([air('air-network-essentials', 'DNA_NWSTACK_E'), air('air-dna-essentials', 'AIR-DNA-E')]);
    expect(f.authorizations).toHaveLength(1);
    expect(f.authorizations[0]).toMatchObject({ udi: null, role: null, status: 'NOT APPLICABLE', installedAt: null });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F04: SLR reservation sub-blocks, indentation lost after a page break', () => {
    const p = parse(F04);
    const f = onlyDevice(p);
    const reservation = { status: 'SPECIFIC INSTALLED', reservedCount: 20, terms: [] };
    expect(f.licenses).toEqual([
      air('air-network-advantage', 'DNA_NWStack', { reservation }),
      air('air-dna-advantage', 'AIR-DNA-A', { reservation }),
    ]);
    expect(f.authorizations).toEqual([]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('genie golden 1 (CRLF, timestamp preamble, no prompt): the same facts as genie', () => {
    const p = parse(genie('genie_ShowLicenseUsage__golden_output1.txt'));
    expect(p.outputs.map((o) => o.command)).toEqual(['usage']);
    const f = onlyDevice(p);
    expect(f.observedAt?.iso).toBe('2021-11-16T12:19:01.163Z');
    expect(f.authorizations.map((a) => a.status)).toEqual(['NOT APPLICABLE']);
    const c = (model: string, kind: 'Network' | 'DNA', count: number): CliLicense => {
      const feature = kind === 'Network' ? 'network-advantage' : 'dna-advantage';
      const description = `${model} ${kind} Advantage`;
      return {
        name: `${feature} (${description})`,
        tag: null,
        description,
        count,
        version: '1.0',
        status: 'IN USE',
        exportStatus: 'NOT RESTRICTED',
        featureName: feature,
        featureDescription: description,
        enforcement: 'NOT ENFORCED',
        licenseType: kind === 'Network' ? 'Perpetual' : 'Subscription',
        truncated: false,
      };
    };
    // Four licences: same feature names on two products stay apart.
    expect(f.licenses).toEqual([c('C9300-24', 'Network', 2), c('C9300-24', 'DNA', 2), c('C9300-48', 'Network', 1), c('C9300-48', 'DNA', 1)]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it.each([0, 4])('reads F03 and F04 re-indented by %i spaces, with CRLF', (n) => {
    for (const src of [F03, F04]) {
      const f = onlyDevice(parse(crlf(reindent(src, n))));
      expect(f.licenses).toHaveLength(2);
      expect(f.licenses.every((l) => l.enforcement === 'NOT ENFORCED' && l.licenseType === 'Perpetual' && l.count === 1)).toBe(true);
    }
    const f04 = onlyDevice(parse(reindent(F04, n)));
    expect(f04.licenses.map((l) => l.reservation?.reservedCount)).toEqual([20, 20]);
  });

  it('reads `&lt;none&gt;`, `Label.....: value`, full regid tags, and warns on what it cannot read', () => {
    const warnings: CliWarning[] = [];
    const ctx = newContext(warnings);
    const text = [
      'hseck9 (regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844):',
      '  Description: hseck9',
      '  Count.....: 1',
      '  Status: in use',
      '  Feature Description: &lt;none&gt;',
      '  Enforcement type: export restricted - allowed',
      '  Brand new field: 5',
      '  a line without a label',
    ].join('\n');
    parseUsage(cliLines(text), ctx);
    expect(ctx.facts.licenses).toEqual([
      {
        name: 'hseck9',
        tag: 'regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844',
        description: 'hseck9',
        count: 1,
        version: null,
        status: 'IN USE',
        exportStatus: null,
        featureName: null,
        featureDescription: null,
        enforcement: 'EXPORT RESTRICTED - ALLOWED',
        licenseType: null,
        truncated: false,
      },
    ]);
    expect(warnings.map((w) => w.line)).toEqual([7, 8]);
  });

  it('tells a tag from a display name in parentheses', () => {
    expect(licenseHeading('air-dna-advantage (AIR-DNA-A):')).toEqual({ name: 'air-dna-advantage', tag: 'AIR-DNA-A', description: null, truncated: false });
    expect(licenseHeading('AP Perpetual Networkstack Advantage (DNA\\_NWStack):')?.tag).toBe('DNA_NWStack');
    expect(licenseHeading('network-advantage (C9300-24 Network Advan...)')).toEqual({
      name: 'network-advantage (C9300-24 Network Advan...)',
      tag: null,
      description: 'C9300-24 Network Advan...',
      truncated: true,
    });
    expect(licenseHeading('hseck9:')).toEqual({ name: 'hseck9', tag: null, description: null, truncated: false });
  });
});
