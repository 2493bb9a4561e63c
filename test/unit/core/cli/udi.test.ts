import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import { parseUdi } from '../../../../src/core/formats/cli/udi.ts';
import { crlf, genie, onlyDevice, parse, reindent, seed } from './_reshape.ts';

const F12a = seed('F12a_show_license_udi_standalone.clean.txt');
const F12b = seed('F12b_show_license_udi_ha.clean.txt');
const ACTIVE = { pid: 'C9800-CL-K9', sn: '93BBAH93MGS' };
const STANDBY = { pid: 'C9800-CL-K9', sn: '9XECPSUU4XN' };

function direct(text: string) {
  const warnings: Array<{ line: number | null; message: string }> = [];
  const ctx = newContext(warnings);
  parseUdi(cliLines(text), ctx);
  return { facts: ctx.facts, warnings };
}

describe('show license udi', () => {
  it('F12a: a standalone 9800-L', () => {
    const p = parse(F12a);
    expect(p.devices).toHaveLength(1);
    expect(p.devices[0]).toMatchObject({ udi: { pid: 'C9800-L-F-K9', sn: 'FCW2323W016' }, role: 'standalone', host: 'Device' });
    expect(p.devices[0]!.facts.ha).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('F12b: an HA pair (`Active:PID:` without a space)', () => {
    const p = parse(F12b);
    expect(p.devices[0]).toMatchObject({ udi: ACTIVE, role: 'active' });
    expect(p.devices[0]!.facts.ha).toEqual([
      { role: 'active', udi: ACTIVE },
      { role: 'standby', udi: STANDBY },
    ]);
  });

  it('genie golden 1: the SlotID table (tabs, no trailing newline, no prompt)', () => {
    // genie: slotid '*', pid ASR1006, sn NWG1512050G, udi ASR1006:NWG1512050G.
    const p = parse(genie('genie_ShowLicenseUdi__golden_output1.txt'));
    expect(p.outputs.map((o) => o.command)).toEqual(['udi']);
    expect(p.devices[0]).toMatchObject({ udi: { pid: 'ASR1006', sn: 'NWG1512050G' }, role: 'standalone' });
    expect(p.devices[0]!.facts.ha).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('a table of several slots: the starred one is the active, the others members', () => {
    const { facts } = direct(
      'SlotID   PID                    SN              UDI\n' +
        '-----------------------------------------------------------\n' +
        ' 1       WS-C3850-24P           FOC1111X0AA     WS-C3850-24P:FOC1111X0AA\n' +
        '*2       WS-C3850-24P           FOC2222X0BB     WS-C3850-24P:FOC2222X0BB\n',
    );
    expect(facts.udi).toEqual({ pid: 'WS-C3850-24P', sn: 'FOC2222X0BB' });
    expect(facts.ha).toEqual([
      { role: 'active', udi: { pid: 'WS-C3850-24P', sn: 'FOC2222X0BB' } },
      { role: 'member', udi: { pid: 'WS-C3850-24P', sn: 'FOC1111X0AA' } },
    ]);
  });

  it('a stack of four with members (genie golden 2 layout) and the list ending at the next line', () => {
    const { facts } = direct(
      [
        'UDI: PID:C9350-24U,SN:FOC0000AAA1',
        '',
        'HA UDI List:',
        '    Active:PID:C9350-24U,SN:FOC0000AAA1',
        '    Standby:PID:C9350-24U,SN:FOC0000AAA2',
        '    Member:PID:C9350-24U,SN:FOC0000AAA3',
        '    Member:PID:C9350-24U,SN:FOC0000AAA4',
        'Agent Version',
        '  Active: PID:C9350-24U,SN:FOC0000ZZZ9',
      ].join('\n'),
    );
    expect(facts.udi).toEqual({ pid: 'C9350-24U', sn: 'FOC0000AAA1' });
    expect(facts.ha.map((h) => `${h.role} ${h.udi.sn}`)).toEqual(['active FOC0000AAA1', 'standby FOC0000AAA2', 'member FOC0000AAA3', 'member FOC0000AAA4']);
  });

  it.each([0, 4])('reads F12b re-indented by %i spaces, with CRLF and `Active: PID:` with a space', (n) => {
    const text = crlf(reindent(F12b, n)).replace(/(Active|Standby):PID/g, '$1: PID');
    const p = parse(text);
    expect(p.devices[0]).toMatchObject({ udi: ACTIVE, role: 'active' });
    expect(p.devices[0]!.facts.ha.map((h) => h.role)).toEqual(['active', 'standby']);
  });

  it('finds the identity anywhere in output of a release before Smart Licensing Using Policy', () => {
    const text = [
      'Switch# show license all',
      'Smart Licensing Status',
      '======================',
      'Smart Licensing is ENABLED',
      'Registration:',
      '  Status: REGISTERED',
      '  Smart Account: ACME',
      'License Authorization:',
      '  Status: AUTHORIZED on Aug 22 18:58:17 2022 UTC',
      'License Usage',
      '==============',
      'C9300 48P DNA Advantage (C9300-48 DNA Advantage):',
      '  Status: AUTHORIZED',
      'Product Information',
      '===================',
      'UDI: PID:C9300-48P,SN:FCW0000L0AA',
      'HA UDI List:',
      '    Active:PID:C9300-48P,SN:FCW0000L0AA',
      '    Standby:PID:C9300-48P,SN:FCW0000L0BB',
    ].join('\n');
    const p = parse(text);
    expect(p.preSlp).toBe(true);
    const f = onlyDevice(p);
    expect(f.preSlp?.registration).toBe('REGISTERED');
    expect(f.udi).toEqual({ pid: 'C9300-48P', sn: 'FCW0000L0AA' });
    expect(f.ha.map((h) => h.role)).toEqual(['active', 'standby']);
    // Its licences and account are not SLP facts and are not read.
    expect(f.licenses).toEqual([]);
    expect(f.account).toBeNull();
    expect(f.authorizations).toEqual([]);
  });

  it('takes Model Number / System Serial Number when no UDI line is printed (older show version)', () => {
    const p = parse(
      'sw1# show version\nCisco IOS XE Software, Version 16.12.05b\nsw1 uptime is 1 day\nModel Number                       : C9300-24UX\n' +
        'System Serial Number               : FCW2303D16Y\nSmart Licensing Status: UNREGISTERED/EVAL MODE\n',
    );
    expect(p.preSlp).toBe(true);
    expect(p.devices[0]!.udi).toEqual({ pid: 'C9300-24UX', sn: 'FCW2303D16Y' });
  });

  it('passes over garbage without facts or throwing, and warns on a UDI it cannot read', () => {
    expect(direct('nothing\n\t\t\n:::\nPID:\n').facts.udi).toBeNull();
    const { facts, warnings } = direct('UDI: PID:C9800-CL-K9,');
    expect(facts.udi).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});
