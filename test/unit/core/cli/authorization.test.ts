import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../../../src/core/formats/cli/authorization.ts';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliFacts, CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { crlf, genie, onlyDevice, parse, parserWarnings, reindent, seed } from './_reshape.ts';

const F13 = seed('F13_show_license_authorization_migrated_slr.clean.txt');
const ACTIVE = { pid: 'C9800-CL-K9', sn: '93BBAH93MGS' };
const STANDBY = { pid: 'C9800-CL-K9', sn: '9XECPSUU4XN' };

function direct(text: string) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  parseAuthorization(cliLines(text), ctx);
  return { facts: ctx.facts, warnings: warnings.map((w) => w.message) };
}

/** What F13 says (seed 003 L4128-4186), checked by hand; F11's copy of the same output says it too. */
function expectF13(f: CliFacts) {
  expect(f.authorizations.map((a) => ({ udi: a.udi, role: a.role, status: a.status, at: a.installedAt?.iso, code: a.lastConfirmationCode, rc: a.lastReturnCode }))).toEqual([
    { udi: ACTIVE, role: 'active', status: 'SPECIFIC INSTALLED', at: '2020-11-02T03:16:01+05:30', code: '102fc949', rc: null },
    { udi: STANDBY, role: 'standby', status: 'SPECIFIC INSTALLED', at: '2020-11-02T03:15:45+05:30', code: 'ad4382fe', rc: null },
  ]);
  expect(f.licenses.map((l) => ({ name: l.name, tag: l.tag, description: l.description, count: l.count, enforcement: l.enforcement, type: l.licenseType, reserved: l.reservation?.reservedCount }))).toEqual([
    { name: 'Aironet DNA Advantage Term Licenses', tag: 'AIR-DNA-A', description: 'DNA Advantage for Wireless', count: 20, enforcement: 'NOT ENFORCED', type: 'TERM', reserved: 20 },
    { name: 'AP Perpetual Networkstack Advantage', tag: 'DNA_NWStack', description: 'AP Perpetual Network Stack entitled with DNA-A', count: 20, enforcement: 'NOT ENFORCED', type: 'TERM', reserved: 20 },
  ]);
  for (const l of f.licenses) {
    expect(l.reservation!.terms.map((t) => [t.role, t.udi?.sn, t.authorizationType, t.authorizedAt?.iso, t.licenseType, t.start?.iso, t.end?.iso, t.count])).toEqual([
      ['active', ACTIVE.sn, 'SPECIFIC INSTALLED', '2020-11-02T03:15:45+05:30', 'TERM', '2020-10-14T00:00:00Z', '2021-04-12T00:00:00Z', 5],
      ['active', ACTIVE.sn, 'SPECIFIC INSTALLED', '2020-11-02T03:15:45+05:30', 'TERM', '2020-06-18T00:00:00Z', '2020-12-15T00:00:00Z', 5],
      ['standby', STANDBY.sn, 'SPECIFIC INSTALLED', '2020-11-02T03:15:45+05:30', 'TERM', '2020-10-14T00:00:00Z', '2021-04-12T00:00:00Z', 10],
    ]);
  }
  expect(f.authorizations[1]!.detail).toBe('AIR-DNA-A: TERM 2020-OCT-14 UTC to 2021-APR-12 UTC count 10; DNA_NWStack: TERM 2020-OCT-14 UTC to 2021-APR-12 UTC count 10');
}

describe('show license authorization', () => {
  it('F13: migrated SLR on an HA pair, two reserved term licences', () => {
    const p = parse(F13);
    expect(p.outputs.map((o) => o.command)).toEqual(['authorization']);
    expectF13(onlyDevice(p));
    // index.ts names the device after the active of Overall status.
    expect(p.devices[0]).toMatchObject({ udi: ACTIVE, role: 'active' });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('the same output with its indentation lost and markdown escapes (seed 003 F11 L110-170)', () => {
    const lines = seed('F11_show_license_all_slr_transport_off.clean.txt').split('\n');
    const from = lines.findIndex((l) => l.startsWith('Overall status:'));
    const { facts, warnings } = direct(lines.slice(from).join('\n'));
    expectF13(facts);
    expect(warnings).toEqual([]);
  });

  it.each([0, 4])('reads F13 re-indented by %i spaces, with CRLF', (n) => {
    const f = onlyDevice(parse(crlf(reindent(F13, n))));
    expectF13(f);
  });

  it('reads the Reservation Info of tech support: three members, NOT INSTALLED, <none> codes', () => {
    const lines = genie('genie_ShowLicenseTechSupport__golden_output.txt').split('\n');
    const from = lines.findIndex((l) => l.startsWith('Reservation Info'));
    const to = lines.findIndex((l, i) => i > from && l.startsWith('Purchased Licenses:'));
    const { facts, warnings } = direct(lines.slice(from + 2, to + 2).join('\n'));
    expect(facts.authorizations.map((a) => [a.role, a.udi?.sn, a.status, a.lastConfirmationCode, a.lastReturnCode, a.detail])).toEqual([
      ['active', 'FCW2134L00C', 'NOT INSTALLED', null, null, null],
      ['standby', 'FOC2129Z02H', 'NOT INSTALLED', null, null, null],
      ['member', 'FCW2125L07Y', 'NOT INSTALLED', null, null, null],
    ]);
    expect(facts.licenses).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('a standalone SLAC: `Authorizations:`, Total available count, `&lt;none&gt;`, `Label.....: value`', () => {
    const text = [
      'Router# show license authorization',
      'Overall status:',
      '  Active: PID:C8300-1N1S-4T2X,SN:FDO0000A0AA',
      '    Status: SMART AUTHORIZATION INSTALLED on Mar 11 09:12:49 2022 UTC',
      '    Last Confirmation code.....: 418b11b3',
      '    Last return code: &lt;none&gt;',
      '    Request code: CB-ZC8300-1N1S-4T2X:FDO0000A0AA-AK9A6sMHr-AB',
      '',
      'Authorizations:',
      '  Router US Export Lic. for DNA (DNA_HSEC):',
      '    Description: U.S. Export Restriction Compliance license for DNA based Routers',
      '    Total available count: 1',
      '    Enforcement type: EXPORT RESTRICTED',
      '    Term information:',
      '      Active: PID:C8300-1N1S-4T2X,SN:FDO0000A0AA',
      '        Authorization type: SMART AUTHORIZATION INSTALLED on Mar 11 09:12:49 2022 UTC',
      '        License type: PERPETUAL',
      '          Term Count: 1',
      '',
      'Purchased Licenses:',
      '  No Purchase Information Available',
    ].join('\n');
    const p = parse(text);
    expect(p.devices[0]).toMatchObject({ udi: { pid: 'C8300-1N1S-4T2X', sn: 'FDO0000A0AA' }, role: 'standalone' });
    const f = onlyDevice(p);
    expect(f.authorizations).toHaveLength(1);
    expect(f.authorizations[0]).toMatchObject({
      role: 'active',
      status: 'SMART AUTHORIZATION INSTALLED',
      lastConfirmationCode: '418b11b3',
      lastReturnCode: null,
      detail: 'Request code: CB-ZC8300-1N1S-4T2X:FDO0000A0AA-AK9A6sMHr-AB; DNA_HSEC: PERPETUAL count 1',
    });
    expect(f.authorizations[0]!.installedAt?.iso).toBe('2022-03-11T09:12:49Z');
    expect(f.licenses).toHaveLength(1);
    expect(f.licenses[0]).toMatchObject({ name: 'Router US Export Lic. for DNA', tag: 'DNA_HSEC', count: 1, enforcement: 'EXPORT RESTRICTED', licenseType: 'PERPETUAL' });
    expect(f.licenses[0]!.reservation).toMatchObject({ reservedCount: null, terms: [{ authorizationType: 'SMART AUTHORIZATION INSTALLED', licenseType: 'PERPETUAL', count: 1 }] });
    expect(parserWarnings(p)).toEqual([]);
  });

  it('warns on a purchased licence list and on lines it cannot read, and never throws on fragments', () => {
    const { warnings } = direct('Purchased Licenses:\n  Network Advantage (NW_A):\n    Count: 3\nthis is not it\n');
    expect(warnings).toEqual(['show license authorization: Purchased Licenses list not read', 'show license authorization: line not understood: "this is not it"']);
    for (const t of ['Term information:\n  Start Date: 2020', 'Active: PID:X,SN:Y\nTerm Count: 3', 'Status: NOT INSTALLED', 'Specified license reservations:\n  Active: PID:A,SN:B\n  End Date: junk']) {
      expect(() => direct(t)).not.toThrow();
    }
    expect(direct('Specified license reservations:\n  X (T):\n  Term information:\n  End Date: sometime').facts.licenses[0]!.reservation!.terms[0]!.end).toEqual({ raw: 'sometime', iso: null, epochMs: null, zone: null });
  });
});
