import { describe, expect, it } from 'vitest';
import { parseAirEntities } from '../../../../src/core/formats/cli/air-entities.ts';
import { parseAuthorization } from '../../../../src/core/formats/cli/authorization.ts';
import { newContext, type CommandParser } from '../../../../src/core/formats/cli/context.ts';
import { parseSummary } from '../../../../src/core/formats/cli/summary.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import { parseUdi } from '../../../../src/core/formats/cli/udi.ts';
import { parseUsage } from '../../../../src/core/formats/cli/usage.ts';
import { parseVersion } from '../../../../src/core/formats/cli/version.ts';
import { genie, parse, seed } from './_reshape.ts';
import { seeded as rng } from '../../helpers.ts';

/** Seeded damage to real outputs: cut anywhere, lines shuffled, dropped, re-indented, glued, garbage added. */


const SOURCES = [
  ...['F01_show_license_summary_in_use_17.7.1', 'F02_show_license_summary_not_in_use_slr', 'F03_show_license_usage_unenforced', 'F04_show_license_usage_slr', 'F12a_show_license_udi_standalone', 'F12b_show_license_udi_ha', 'F13_show_license_authorization_migrated_slr', 'F16a_show_license_air_entities_summary_9800CL_ack_pending', 'F16b_show_license_air_entities_summary_9800L', 'F16c_show_license_air_entities_summary_9800CL_after_ack', 'F24a_show_version_air_level_before', 'F24b_show_version_air_level_change', 'F24c_show_version_air_level_after_reload'].map((n) => seed(`${n}.clean.txt`)),
  ...['genie_ShowLicenseSummary__golden_output1', 'genie_ShowLicenseSummary__golden_output2', 'genie_ShowLicenseUsage__golden_output1', 'genie_ShowLicenseUdi__golden_output1'].map((n) => genie(`${n}.txt`)),
];

const PARSERS: CommandParser[] = [parseSummary, parseUsage, parseUdi, parseAuthorization, parseAirEntities, parseVersion];
const GARBAGE = ['(', '):', ':', '.....:', 'PID:', 'Active:', '&lt;none&gt;', '\t', '...', ' on ', '2020-OCT-', 'UDI: ', '\u0000', '=====', '* '];

function damage(text: string, r: () => number): string {
  let lines = text.split(/\r?\n/);
  const pick = () => Math.floor(r() * Math.max(1, lines.length));
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    switch (Math.floor(r() * 6)) {
      case 0: // shuffle
        for (let i = lines.length - 1; i > 0; i--) {
          const j = Math.floor(r() * (i + 1));
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
        break;
      case 1: // drop lines
        lines = lines.filter(() => r() > 0.3);
        break;
      case 2: // re-indent
        lines = lines.map((l) => ' '.repeat(Math.floor(r() * 3) * 2) + l.trimStart());
        break;
      case 3: // glue two lines
        if (lines.length > 1) {
          const i = pick();
          lines.splice(i, 2, `${lines[i]} ${lines[i + 1] ?? ''}`);
        }
        break;
      case 4: // garbage inside a line
        if (lines.length) {
          const i = pick();
          const l = lines[i]!;
          const at = Math.floor(r() * (l.length + 1));
          lines[i] = l.slice(0, at) + GARBAGE[Math.floor(r() * GARBAGE.length)] + l.slice(at);
        }
        break;
      default: // duplicate a line
        if (lines.length) lines.splice(pick(), 0, lines[pick()]!);
    }
  }
  const joined = lines.join(r() < 0.5 ? '\n' : '\r\n');
  return r() < 0.5 ? joined.slice(0, Math.floor(r() * (joined.length + 1))) : joined;
}

describe('summary / usage / udi / authorization / air entities / version parsers on damaged input', () => {
  it('never throw (directly, or through parseCliText) on 3000 damaged pastes', () => {
    const r = rng(20251108);
    for (let i = 0; i < 3000; i++) {
      const src = SOURCES[i % SOURCES.length]!;
      const text = damage(src, r);
      for (const parser of PARSERS) {
        const ctx = newContext([]);
        try {
          parser(cliLines(text), ctx);
        } catch (e) {
          throw new Error(`parser ${PARSERS.indexOf(parser)} threw on case ${i}: ${(e as Error).message}\n${text}`);
        }
      }
      const p = parse(text);
      expect(p.warnings.filter((w) => /could not be read/.test(w.message)), text).toEqual([]);
    }
  });

  it('truncation at every character of F13 and F04 keeps what came before it', () => {
    for (const name of ['F13_show_license_authorization_migrated_slr', 'F04_show_license_usage_slr']) {
      const src = seed(`${name}.clean.txt`);
      let before = 0;
      for (let cut = 0; cut <= src.length; cut++) {
        const p = parse(src.slice(0, cut));
        expect(p.warnings.filter((w) => /could not be read/.test(w.message))).toEqual([]);
        const found = p.devices.reduce((n, d) => n + d.facts.licenses.length + d.facts.authorizations.length, 0);
        expect(found, `cut at ${cut}`).toBeGreaterThanOrEqual(before);
        before = found;
      }
      expect(before).toBe(name.startsWith('F13') ? 4 : 2);
    }
  });
});
