import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDevices, parseCliText } from '../../../src/core/formats/cli/index.ts';

const devicesFromCliText = (text: string) => cliDevices(parseCliText(text));
import { FIXTURES } from '../helpers.ts';

/** `role PID SN`, to keep the expectations readable. */
const dev = (spec: string) => {
  const [role, pid, sn] = spec.split(' ');
  return { udi: { pid: pid!, sn: sn! }, role: role as 'standalone' | 'active' | 'standby' | 'member' };
};

// Written down by reading each fixture; every file not listed here names no product instance.
const C9300_STACK_A = ['active C9300-24UX FCW2303D16Y', 'standby C9300-24U FHH2043P09E', 'member C9300-48T FCW2139L056'];
const C9300_STACK_B = ['active C9300-24UX FCW2134L00C', 'standby C9300-24U FOC2129Z02H', 'member C9300-24T FCW2125L07Y'];
const WLC_SLE = ['active C9800-CL-K9 93BBAH93MGS', 'standby C9800-CL-K9 9XECPSUU4XN'];
const WLC_1771 = ['active C9800-CL-K9 9KGIXIDOXFE', 'standby C9800-CL-K9 9UBKZU955E4'];

const EXPECTED: Record<string, string[]> = {
  // HA UDI List of a 3-switch stack, then the same UDIs under Overall status.
  'cli/genie_ShowLicenseAll__golden_output.txt': C9300_STACK_A,
  // A C9407R with two supervisors: Active and Standby print the same chassis UDI, so one instance, and a set
  // of one product instance is no HA set.
  'cli/genie_ShowLicenseAll__golden_output_2.txt': ['standalone C9407R FXS2119Q2U7'],
  // RUM detail: `UDI: PID:…` of the reporting device, no HA information.
  'cli/genie_ShowLicenseRumIdDetail__golden_output.txt': ['standalone C9300-24UX FCW2303D16Y'],
  // Only the Trust Code Installed list names the stack here.
  'cli/genie_ShowLicenseStatus__golden_output1.txt': C9300_STACK_A,
  'cli/genie_ShowLicenseTechSupport__golden_output.txt': C9300_STACK_B,
  'cli/genie_ShowLicenseTechSupport__golden_output_2.txt': C9300_STACK_B,
  'cli/genie_ShowLicenseTechSupport__golden_output_3.txt': C9300_STACK_B,
  'cli/genie_ShowLicenseTechSupport__golden_output_4.txt': ['active C9300-48U FCW2133G09T', 'standby C9300-48P FCW2132L0WA', 'member C9300-24UX FOC2537Y0HL'],
  'cli/genie_ShowLicenseTechSupport__golden_output_5.txt': ['standalone C9410R FXS2228026X'],
  'cli/genie_ShowLicenseTechSupport__golden_output_6.txt': ['active C9500X-28C8D FDO2446000P', 'standby C9500X-28C8D FDO25200FUB'],
  'cli/genie_ShowLicenseTechSupport__golden_output_7.txt': ['active C9300-48S FOC2517L8KW', 'standby C9300-24S FOC2517L9RJ'],
  'cli/genie_ShowLicenseTechSupport__golden_output_8_proxy.txt': ['standalone C9407R FXS2119Q2U7'],
  // The old table form: `*  ASR1006  NWG1512050G  ASR1006:NWG1512050G`, tabs in the header.
  'cli/genie_ShowLicenseUdi__golden_output1.txt': ['standalone ASR1006 NWG1512050G'],
  'cli-seed/F07_show_license_status_custom_policy_ha_trust.clean.txt': WLC_SLE,
  'cli-seed/F10_show_license_all_9800CL_17.7.1.clean.txt': WLC_1771,
  'cli-seed/F11_show_license_all_slr_transport_off.clean.txt': WLC_SLE,
  'cli-seed/F12a_show_license_udi_standalone.clean.txt': ['standalone C9800-L-F-K9 FCW2323W016'],
  'cli-seed/F12b_show_license_udi_ha.clean.txt': WLC_SLE,
  'cli-seed/F13_show_license_authorization_migrated_slr.clean.txt': WLC_SLE,
  'cli-seed/F14_show_license_rum_feature_simple_and_detail.clean.txt': ['standalone C9800-CL-K9 93SZ7RXN93Y'],
  // Tech support: HA UDI List plus the `P:…,S:…` trust-store lines of the same two controllers.
  'cli-seed/F17_show_license_tech_support_9800CL_17.7.1.clean.txt': WLC_1771,
  'cli-seed/F18c_show_license_tech_rum_detail_snippet.clean.txt': ['standalone C9800-CL-K9 93SZ7RXN93Y'],
  // HA UDI List with its indentation lost and a blank line after the heading.
  'cli-seed/F19_show_license_tech_support_slr_legacy.clean.txt': WLC_SLE,
  // Overall status (roles), then the return codes' bare `UDI:` lines of the same two.
  'cli-seed/F21_license_smart_authorization_return_and_show_license_all.clean.txt': WLC_SLE,
  'cli-seed/F22_license_smart_trust_idtoken_and_status.clean.txt': WLC_SLE,
};

function allFixtures(): string[] {
  return ['cli', 'cli-seed'].flatMap((dir) => readdirSync(join(FIXTURES, dir)).sort().map((name) => `${dir}/${name}`));
}

describe('the devices a paste names (cliDevices) on every real sample', () => {
  const files = allFixtures();

  it('the expectations name only files that exist', () => {
    for (const name of Object.keys(EXPECTED)) expect(files).toContain(name);
  });

  it.each(files)('%s', (name) => {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    expect(devicesFromCliText(text)).toEqual((EXPECTED[name] ?? []).map(dev));
  });
});

describe('the devices a paste names (cliDevices) on damaged and unusual text', () => {
  const haAll = ['UDI: PID:C9800-CL-K9,SN:93BBAH93MGS', '', 'HA UDI List:', '    Active:PID:C9800-CL-K9,SN:93BBAH93MGS', '    Standby:PID:C9800-CL-K9,SN:9XECPSUU4XN', ''];

  it('reads CRLF line ends and lost indentation alike', () => {
    const crlf = haAll.join('\r\n');
    const flat = haAll.map((l) => l.trim()).join('\n');
    expect(devicesFromCliText(crlf)).toEqual(WLC_SLE.map(dev));
    expect(devicesFromCliText(flat)).toEqual(WLC_SLE.map(dev));
  });

  it('accepts `, SN:` with a space, `Active: PID:` with one, and the CSSM `UDI_PID:…; UDI_SN:…;` spelling', () => {
    const text = ['Trust Code Installed:', '  Active: PID:C9800-CL-K9, SN:93BBAH93MGS', '    INSTALLED on Nov 02 05:09:31 2020 IST', '  Standby:PID:C9800-CL-K9 , SN:9XECPSUU4XN'].join('\n');
    expect(devicesFromCliText(text)).toEqual(WLC_SLE.map(dev));
  });

  it('reads a Trust Code Installed block collapsed onto one line (the seed HTML cell at L1613)', () => {
    const text = 'Trust Code Installed:   Active: PID:C9800-CL-K9,SN:93BBAH93MGS   INSTALLED on Nov 02 08:59:26 2020 IST   Standby: PID:C9800-CL-K9,SN:9XECPSUU4XN   INSTALLED on Nov 02 09:00:45 2020 IST';
    expect(devicesFromCliText(text)).toEqual(WLC_SLE.map(dev));
  });

  it('keeps a standalone device standalone although Overall status calls it Active', () => {
    const text = ['UDI: PID:ISR4331/K9,SN:FDO21520TGH', '', 'Overall status:', '  Active: PID:ISR4331/K9,SN:FDO21520TGH', '      Status: NOT INSTALLED'].join('\n');
    expect(devicesFromCliText(text)).toEqual([dev('standalone ISR4331/K9 FDO21520TGH')]);
  });

  it('dedupes PID+SN case-insensitively, keeping the first spelling', () => {
    const text = 'UDI: PID:C9300-24UX,SN:FCW2303D16Y\nP:c9300-24ux,S:fcw2303d16y: No Trust Data\n';
    expect(devicesFromCliText(text)).toEqual([dev('standalone C9300-24UX FCW2303D16Y')]);
  });

  it('does not carry one device’s HA roles onto another capture in the same file', () => {
    const text = [
      'wlc-01# show license udi',
      ...haAll,
      'isr-01# show license all',
      'UDI: PID:ISR4331/K9,SN:FDO21520TGH',
      'Overall status:',
      '  Active: PID:ISR4331/K9,SN:FDO21520TGH',
    ].join('\n');
    expect(devicesFromCliText(text)).toEqual([...WLC_SLE, 'standalone ISR4331/K9 FDO21520TGH'].map(dev));
  });

  it('reads every row of a show license udi table and stops at its end', () => {
    const text = [
      'SlotID   PID                    SN              UDI',
      '--------------------------------------------------------------------------------',
      '*        ISR4451-X/K9           FOC1234X0AB     ISR4451-X/K9:FOC1234X0AB',
      '1        ISR4451-X/K9           FOC1234X0AC     ISR4451-X/K9:FOC1234X0AC',
      '',
      'Device# show clock',
      '09:00:00 UTC ASR1006 NWG1512050G ASR1006-NWG1512050G',
    ].join('\n');
    // The `*` slot is the active; other rows are members of its set (udi.ts).
    expect(devicesFromCliText(text)).toEqual([dev('active ISR4451-X/K9 FOC1234X0AB'), dev('member ISR4451-X/K9 FOC1234X0AC')]);
  });

  it('does not read P: inside a longer word, and names nothing in empty text', () => {
    expect(devicesFromCliText('HTTP:proxy,S:none')).toEqual([]);
    expect(devicesFromCliText('')).toEqual([]);
  });
});
