import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseSummary } from '../../../../src/core/formats/cli/summary.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { crlf, genie, onlyDevice, parse, parserWarnings, reindent, seed } from './_reshape.ts';

const F01 = seed('F01_show_license_summary_in_use_17.7.1.clean.txt');
const F02 = seed('F02_show_license_summary_not_in_use_slr.clean.txt');

const brief = (l: { name: string; tag: string | null; count: number | null; status: string | null; truncated: boolean }) => ({
  name: l.name,
  tag: l.tag,
  count: l.count,
  status: l.status,
  truncated: l.truncated,
});

describe('show license summary', () => {
  it('F01: account (Virtual Account at column 0) and the two AIR licences of 17.7.1', () => {
    const p = parse(F01);
    expect(p.outputs.map((o) => o.command)).toEqual(['summary']);
    expect(p.devices[0]!.host).toBe('Devide');
    const f = onlyDevice(p);
    expect(f.account).toEqual({ smartAccount: 'Eg-SA', virtualAccount: 'Eg-VA', asOf: null });
    expect(f.licenses.map(brief)).toEqual([
      { name: 'air-network-essentials', tag: 'DNA_NWSTACK_E', count: 1, status: 'IN USE', truncated: false },
      { name: 'air-dna-essentials', tag: 'AIR-DNA-E', count: 1, status: 'IN USE', truncated: false },
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F02: migrated SLR, truncated names, NOT IN USE, no account block', () => {
    const p = parse(F02);
    const f = onlyDevice(p);
    expect(f.account).toBeNull();
    expect(f.licenses.map(brief)).toEqual([
      { name: 'Aironet DNA Advantag...', tag: 'AIR-DNA-A', count: 0, status: 'NOT IN USE', truncated: true },
      { name: 'AP Perpetual Network...', tag: 'DNA_NWStack', count: 0, status: 'NOT IN USE', truncated: true },
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('genie golden 1: a display name in the tag column, truncated, no prompt, no trailing newline', () => {
    // genie: license network-advantage / entitlement "C9300-48 Network Advan..." / count 1 / IN USE, and dna-advantage.
    const p = parse(genie('genie_ShowLicenseSummary__golden_output1.txt'));
    expect(p.outputs.map((o) => o.command)).toEqual(['summary']);
    const f = onlyDevice(p);
    expect(f.licenses.map((l) => ({ ...brief(l), description: l.description }))).toEqual([
      { name: 'network-advantage (C9300-48 Network Advan...)', tag: null, description: 'C9300-48 Network Advan...', count: 1, status: 'IN USE', truncated: true },
      { name: 'dna-advantage (C9300-48 DNA Advantage)', tag: null, description: 'C9300-48 DNA Advantage', count: 1, status: 'IN USE', truncated: false },
    ]);
    expect(parserWarnings(p)).toEqual([]);
  });

  it('genie golden 2: indented table, short tags', () => {
    const f = onlyDevice(parse(genie('genie_ShowLicenseSummary__golden_output2.txt')));
    expect(f.licenses.map(brief)).toEqual([
      { name: 'network-premier_5G', tag: 'ESR_P_5G_P', count: 1, status: 'IN USE', truncated: false },
      { name: 'dna-premier_5G', tag: 'DNA_P_5G_P', count: 1, status: 'IN USE', truncated: false },
      { name: 'hseck9', tag: 'DNA_HSEC', count: 1, status: 'IN USE', truncated: false },
    ]);
  });

  it('splits `As of <date>` off the smart account; <none> accounts read as null', () => {
    const text = [
      'Device# show license summary',
      'Account Information:',
      '  Smart Account: BU Production Test As of Dec 18 11:02:51 2023 PDT',
      '  Virtual Account: Cat9K-FranklinDT',
      '',
      'License Usage:',
      '  License                 Entitlement Tag               Count Status',
      '  -----------------------------------------------------------------------------',
      '  network-advantage       (C9300-24 Network Advan...)       2 IN USE',
      '  dna-advantage           (C9300-24 DNA Advantage)          0 NOT AUTHORIZED',
    ].join('\n');
    const f = onlyDevice(parse(text));
    expect(f.account?.smartAccount).toBe('BU Production Test');
    expect(f.account?.virtualAccount).toBe('Cat9K-FranklinDT');
    expect(f.account?.asOf?.iso).toBe('2023-12-18T11:02:51-07:00');
    expect(f.licenses.map((l) => [l.count, l.status])).toEqual([
      [2, 'IN USE'],
      [0, 'NOT AUTHORIZED'],
    ]);
    const none = onlyDevice(parse('Device# show license summary\nAccount Information:\n  Smart Account: &lt;none&gt;\n  Virtual Account: <none>\n'));
    expect(none.account).toEqual({ smartAccount: null, virtualAccount: null, asOf: null });
  });

  it.each([0, 2, 4])('reads F01 re-indented by %i spaces, and with CRLF', (n) => {
    for (const text of [reindent(F01, n), crlf(reindent(F01, n))]) {
      const f = onlyDevice(parse(text));
      expect(f.account?.virtualAccount).toBe('Eg-VA');
      expect(f.licenses.map((l) => l.tag)).toEqual(['DNA_NWSTACK_E', 'AIR-DNA-E']);
    }
  });

  it('reads `Label.....: value` account lines and warns on a row it cannot read', () => {
    const warnings: CliWarning[] = [];
    const ctx = newContext(warnings);
    parseSummary(
      cliLines('Smart Account.....: Eg-SA\nVirtual Account.....: Eg-VA\nLicense Usage:\nLicense  Entitlement Tag  Count Status\nair-dna-essentials (AIR-DNA-E) 1 IN USE\nsomething odd here (\n'),
      ctx,
    );
    expect(ctx.facts.account).toMatchObject({ smartAccount: 'Eg-SA', virtualAccount: 'Eg-VA' });
    expect(ctx.facts.licenses).toHaveLength(1);
    expect(warnings).toEqual([{ line: 6, message: 'show license summary: line not understood: "something odd here ("' }]);
  });
});
