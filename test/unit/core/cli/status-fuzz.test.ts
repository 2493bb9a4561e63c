import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { parseStatus } from '../../../../src/core/formats/cli/status.ts';
import { parseTechSupport } from '../../../../src/core/formats/cli/tech-support.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import { cliText, mulberry32, seedText } from './_status.ts';

/** The samples of show license status / all / tech support. */
const SAMPLES: Array<[string, string]> = [
  ...[
    'F05_show_license_status_account_info_17.7.1.clean.txt',
    'F06_show_license_status_cisco_default_policy.clean.txt',
    'F07_show_license_status_custom_policy_ha_trust.clean.txt',
    'F08_show_license_status_usage_interval_30_to_20.clean.txt',
    'F10_show_license_all_9800CL_17.7.1.clean.txt',
    'F11_show_license_all_slr_transport_off.clean.txt',
    'F16d_show_license_status_usage_reporting_none_truncated.clean.txt',
    'F17_show_license_tech_support_9800CL_17.7.1.clean.txt',
    'F18a_show_license_tech_support_license_usage_snippet.clean.txt',
    'F18b_show_license_tech_support_usage_report_summary_snippet.clean.txt',
    'F19_show_license_tech_support_slr_legacy.clean.txt',
    'F21_license_smart_authorization_return_and_show_license_all.clean.txt',
    'F22_license_smart_trust_idtoken_and_status.clean.txt',
    'F26a_privacy_all_show_license_status.clean.txt',
    'F26b_privacy_hostname_version_show_license_all.clean.txt',
    'F26c_transport_cslu_show_license_all.clean.txt',
    'F26d_transport_smart_show_license_all.clean.txt',
  ].map((n): [string, string] => [n, seedText(n)]),
  ...[
    'genie_ShowLicenseAll__golden_output.txt',
    'genie_ShowLicenseAll__golden_output_2.txt',
    'genie_ShowLicenseStatus__golden_output1.txt',
    'genie_ShowLicenseTechSupport__golden_output.txt',
    'genie_ShowLicenseTechSupport__golden_output_2.txt',
    'genie_ShowLicenseTechSupport__golden_output_3.txt',
    'genie_ShowLicenseTechSupport__golden_output_4.txt',
    'genie_ShowLicenseTechSupport__golden_output_5.txt',
    'genie_ShowLicenseTechSupport__golden_output_6.txt',
    'genie_ShowLicenseTechSupport__golden_output_7.txt',
    'genie_ShowLicenseTechSupport__golden_output_8_proxy.txt',
    'ntc_show_license_status1.txt',
    'ntc_show_license_status2.txt',
    'ntc_show_license_status3.txt',
  ].map((n): [string, string] => [n, cliText(n)]),
];

/** Both parsers on the damaged text directly (index.ts would catch a throw and only warn), then the whole import. */
function readAll(text: string): void {
  for (const parse of [parseStatus, parseTechSupport]) parse(cliLines(text), newContext([]));
  const p = parseCliText(text);
  // index.ts turns a parser's exception into this warning: there must be none.
  expect(p.warnings.filter((w) => /could not be read/.test(w.message))).toEqual([]);
}

describe('status / all / tech-support samples cut and shuffled at random never make a parser throw', () => {
  it.each(SAMPLES)('%s: 50 truncations, 20 line shuffles', (name, text) => {
    let seed = 0;
    for (const ch of name) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
    const random = mulberry32(seed);
    for (let i = 0; i < 50; i++) {
      const cut = text.slice(0, Math.floor(random() * (text.length + 1)));
      expect(() => readAll(cut), `${name}, cut at ${cut.length}`).not.toThrow();
    }
    const lines = text.split('\n');
    for (let i = 0; i < 20; i++) {
      // Fisher-Yates with the seeded generator.
      const shuffled = [...lines];
      for (let j = shuffled.length - 1; j > 0; j--) {
        const k = Math.floor(random() * (j + 1));
        [shuffled[j], shuffled[k]] = [shuffled[k]!, shuffled[j]!];
      }
      expect(() => readAll(shuffled.join('\n')), `${name}, shuffle ${i}`).not.toThrow();
    }
  });
});

describe('labels named like Object.prototype members', () => {
  it('`constructor:`, `toString: x`, a `hasOwnProperty` heading are ordinary unknown lines', () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf'];
    const lines: string[] = ['Smart Licensing Tech Support info'];
    for (const n of names) lines.push(`${n}:`, `  ${n}: x`, n, '=====', `${n} (${n}):`, `  Status: ${n}`, 'Overall status:', `  Active: PID:${n},SN:${n}`, `  ${n}: 1`);
    lines.push('Usage Report Summary:', '=====', 'constructor: 1, toString: 2', 'License Usage', '=====', 'Handle: 1', '  constructor: x', '  License: toString');
    const text = lines.join('\n');
    expect(() => readAll(text)).not.toThrow();
    expect(() => readAll(text.replace('Smart Licensing Tech Support info', 'Smart Licensing Status\n====='))).not.toThrow();
  });
});

