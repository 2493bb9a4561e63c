import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseEventlog } from '../../../../src/core/formats/cli/eventlog.ts';
import { parseHistory } from '../../../../src/core/formats/cli/history.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { parseRum } from '../../../../src/core/formats/cli/rum.ts';
import { parseSyslogLine } from '../../../../src/core/formats/cli/syslog.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';
import { seeded as rng } from '../../helpers.ts';

/** Fuzzing of the rum / history / eventlog / syslog readers: cut and shuffled pastes never make them throw. */

const FILES = [
  ['cli-seed', 'F14_show_license_rum_feature_simple_and_detail.clean.txt'],
  ['cli-seed', 'F15_show_license_rum_save.clean.txt'],
  ['cli-seed', 'F18c_show_license_tech_rum_detail_snippet.clean.txt'],
  ['cli-seed', 'F23_license_smart_save_usage_unreported_dir_copy.clean.txt'],
  ['cli-seed', 'F27_save_usage_all_air_gapped.clean.txt'],
  ['cli', 'genie_ShowLicenseRumIdAll__golden_1.txt'],
  ['cli', 'genie_ShowLicenseRumIdDetail__golden_output.txt'],
  ['cli', 'genie_ShowLicenseHistoryMessage__golden_output.txt'],
  ['cli', 'genie_ShowLicenseEventlog2__golden_output.txt'],
  ['cli-made', 'syslog_smart_lic.txt'],
] as const;


function mutate(text: string, rand: () => number): string {
  let lines = text.split('\n');
  const kind = Math.floor(rand() * 5);
  if (kind === 0) return text.slice(0, Math.floor(rand() * text.length)); // truncated anywhere
  if (kind === 1) {
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
  } else if (kind === 2) lines = lines.filter(() => rand() > 0.3);
  else if (kind === 3) lines = lines.map((l) => (rand() < 0.3 ? l.slice(0, Math.floor(rand() * l.length)) : l));
  else lines = lines.map((l) => (rand() < 0.2 ? l.replace(/[:,"=]/g, () => ' :,"=%'[Math.floor(rand() * 6)]!) : l));
  return lines.join(rand() < 0.5 ? '\n' : '\r\n');
}

describe('rum / history / eventlog / syslog fuzz', () => {
  const texts = FILES.map(([dir, name]) => readFileSync(join(FIXTURES, dir, name), 'utf8'));
  const all = texts.join('\n');

  it('seeded truncations and shuffles through parseCliText never throw nor break a parser', () => {
    const rand = rng(20211118);
    for (let round = 0; round < 400; round++) {
      const base = round % 4 === 3 ? all : texts[round % texts.length]!;
      const text = mutate(base, rand);
      const r = parseCliText(text);
      // index.ts turns a parser's exception into this warning: there must be none.
      expect(r.warnings.filter((w) => w.message.includes('could not be read'))).toEqual([]);
      const lineCount = text.split(/\r\n|\r|\n/).length;
      for (const f of [...r.outputs.map((o) => o.facts), ...r.devices.map((d) => d.facts)]) {
        for (const rep of f.rumReports) expect(rep.reportId).toMatch(/^\d{1,20}$/);
        for (const e of f.events) expect(e.line).toBeGreaterThanOrEqual(1);
        for (const e of f.events) expect(e.line).toBeLessThanOrEqual(lineCount);
      }
      for (const e of r.events) expect(e.severity === null || (e.severity >= 0 && e.severity <= 7)).toBe(true);
    }
  });

  it('each reader on its own, fed any of the outputs, never throws', () => {
    const rand = rng(1638055644);
    for (let round = 0; round < 200; round++) {
      const lines = cliLines(mutate(all, rand));
      const warnings: CliWarning[] = [];
      const ctx = newContext(warnings);
      expect(() => {
        parseRum(lines, ctx);
        parseHistory(lines, ctx);
        parseEventlog(lines, ctx);
        for (const l of lines) parseSyslogLine(l, ctx);
      }).not.toThrow();
    }
  });

  it('garbage never throws', () => {
    const rand = rng(7);
    const alphabet = 'Report Id:0123456789 ,=%"-_SMART_LIC*<>\n\r\tNov 2021 UTC:.regid PID SN';
    for (let round = 0; round < 200; round++) {
      let s = '';
      const len = Math.floor(rand() * 400);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect(() => parseCliText(s)).not.toThrow();
      const ctx = newContext([]);
      expect(() => {
        const lines = cliLines(s);
        parseRum(lines, ctx);
        parseHistory(lines, ctx);
        parseEventlog(lines, ctx);
        for (const l of lines) parseSyslogLine(l, ctx);
      }).not.toThrow();
    }
  });
});
