import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommandOutput, CliParse } from '../../../../src/core/formats/cli/index.ts';
import type { CliDate, CliPolicy } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';

/** Helpers of the status / all / tech-support tests. */

export const seedText = (name: string) => readFileSync(join(FIXTURES, 'cli-seed', name), 'utf8');
export const cliText = (name: string) => readFileSync(join(FIXTURES, 'cli', name), 'utf8');

/** The only output of a paste that is `command` (fails when there is not exactly one). */
export function only(p: CliParse, command: CliCommandOutput['command']): CliCommandOutput {
  const outs = p.outputs.filter((o) => o.command === command);
  if (outs.length !== 1) throw new Error(`expected one ${command} output, got ${outs.length} (${p.outputs.map((o) => o.command).join(', ')})`);
  return outs[0]!;
}

/** Warnings a parser gave (not the index's advice about pasting `show license udi` or commands it does not read). */
export const parserWarnings = (p: CliParse) =>
  p.warnings.filter((w) => !/names no device|output not read \(commands/.test(w.message)).map((w) => w.message);

/** A date as `raw → iso`, short enough to compare in one line. */
export const d = (x: CliDate | null | undefined) => (x ? `${x.raw} → ${x.iso}` : null);

/** The four policy classes as `days source` triples, in the printed order (first report, frequency, on change). */
export function classes(p: CliPolicy | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, c] of Object.entries(p?.classes ?? {})) {
    out[k] = [c.firstReportDays, c.reportingFrequencyDays, c.reportOnChangeDays]
      .map((v) => (v ? `${v.days} ${v.source}` : 'null'))
      .join(' / ');
  }
  return out;
}

/** Cisco's default policy as printed (seed 003 §2.2, FORMATS.md): 365/0/90, 90/90/90, 0/0/0, 0/0/0. */
export const CISCO_DEFAULT = {
  unenforcedPerpetual: '365 cisco-default / 0 cisco-default / 90 cisco-default',
  unenforcedSubscription: '90 cisco-default / 90 cisco-default / 90 cisco-default',
  enforced: '0 cisco-default / 0 cisco-default / 0 cisco-default',
  export: '0 cisco-default / 0 cisco-default / 0 cisco-default',
};

const PROMPT = /^\s*[A-Za-z][\w.-]*(?:\([\w-]+\))?[#>]/;

/** The same text with every indented line re-indented to `n` spaces per level (0: indentation lost). */
export function reindent(text: string, n: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => (PROMPT.test(l) ? l : l.replace(/^ +/, (m) => ' '.repeat(n * Math.max(1, Math.round(m.length / 2))))))
    .join('\n');
}

/** Seeded damage (see helpers.ts). */
export { seeded as mulberry32 } from '../../helpers.ts';
