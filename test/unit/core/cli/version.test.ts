import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import { parseVersion } from '../../../../src/core/formats/cli/version.ts';
import { crlf, onlyDevice, parse, parserWarnings, reindent, seed } from './_reshape.ts';

const F24a = seed('F24a_show_version_air_level_before.clean.txt');
const F24b = seed('F24b_show_version_air_level_change.clean.txt');
const F24c = seed('F24c_show_version_air_level_after_reload.clean.txt');

describe('show version', () => {
  it('F24a: 17.3.2 C9800-CL on AIR DNA Advantage, SLP', () => {
    const p = parse(F24a);
    expect(p.outputs.map((o) => o.command)).toEqual(['version']);
    const f = onlyDevice(p);
    expect(f.softwareVersion).toBe('17.03.02');
    expect(f.airLevel).toEqual({ current: 'AIR DNA Advantage', nextReload: 'AIR DNA Advantage' });
    expect(f.smartLicensingEnabled).toBe(true);
    expect(f.slpEnabled).toBe(true);
    expect(f.preSlp).toBeNull();
    expect(f.hostname).toBeNull();
    expect(parserWarnings(p)).toEqual([]);
  });

  it('F24b: after `license air level …` the next reload level differs', () => {
    const p = parse(F24b);
    expect(p.outputs.map((o) => o.command)).toContain('version');
    const f = onlyDevice(p);
    expect(f.softwareVersion).toBe('17.03.02');
    expect(f.airLevel).toEqual({ current: 'AIR DNA Advantage', nextReload: 'AIR DNA Essentials' });
  });

  it('F24c: after the reload both levels are AIR DNA Essentials', () => {
    const f = onlyDevice(parse(F24c));
    expect(f.airLevel).toEqual({ current: 'AIR DNA Essentials', nextReload: 'AIR DNA Essentials' });
  });

  it.each([0, 4])('reads F24a indented by %i spaces, with CRLF', (n) => {
    const f = onlyDevice(parse(crlf(reindent(F24a.replace(/^(?!Device#)/gm, '  '), n))));
    expect(f.softwareVersion).toBe('17.03.02');
    expect(f.airLevel?.nextReload).toBe('AIR DNA Advantage');
  });

  it('a Catalyst switch stack: host name, and the UDI of the switch the CLI runs on', () => {
    const text = [
      'access-sw-01# show version',
      'Cisco IOS XE Software, Version 17.09.04a',
      'Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)',
      'access-sw-01 uptime is 3 weeks, 2 days, 4 hours, 11 minutes',
      'Uptime for this control processor is 3 weeks, 2 days, 4 hours, 13 minutes',
      'Smart Licensing Status: Smart Licensing Using Policy',
      'Model Number                       : C9300-24UX',
      'System Serial Number               : FCW2303D16Y',
      'Switch 02',
      '---------',
      'Model Number                       : C9300-48P',
      'System Serial Number               : FOC0000X0AA',
    ].join('\n');
    const p = parse(text);
    expect(p.devices[0]).toMatchObject({ udi: { pid: 'C9300-24UX', sn: 'FCW2303D16Y' }, host: 'access-sw-01' });
    const f = onlyDevice(p);
    expect(f.hostname).toBe('access-sw-01');
    expect(f.softwareVersion).toBe('17.09.04a');
    expect(f.slpEnabled).toBe(true);
  });

  it('classic IOS version line when no IOS XE line; never throws on garbage', () => {
    const ctx = newContext([]);
    parseVersion(cliLines('Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)\nuptime is\n: :\n'), ctx);
    expect(ctx.facts.softwareVersion).toBe('15.2(7)E4');
    expect(ctx.facts.hostname).toBeNull();
  });
});
