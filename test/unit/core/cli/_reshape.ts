import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliText, type CliParse } from '../../../../src/core/formats/cli/index.ts';
import type { CliFacts } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';

/** Test helpers of the summary / usage / udi / authorization / air entities / version parser tests. */

export const seed = (name: string) => readFileSync(join(FIXTURES, 'cli-seed', name), 'utf8');
export const genie = (name: string) => readFileSync(join(FIXTURES, 'cli', name), 'utf8');

const PROMPT = /^\s*[A-Za-z][\w.-]*(?:\([\w-]+\))?[#>]/;

/** The same output with every indented line re-indented by `n` spaces (0 = indentation lost); prompts kept. */
export function reindent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => (PROMPT.test(l) ? l : l.replace(/^[ \t]+/, (m) => (m.length ? ' '.repeat(n * Math.max(1, Math.round(m.length / 2))) : ''))))
    .join('\n');
}

export const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/** The facts of the one device of a paste (fails the test when there is not exactly one). */
export function onlyDevice(p: CliParse): CliFacts {
  if (p.devices.length !== 1) throw new Error(`expected one device, got ${p.devices.length}`);
  return p.devices[0]!.facts;
}

/** Warnings other than the index's "names no device" advice. */
export const parserWarnings = (p: CliParse) => p.warnings.filter((w) => !/names no device/.test(w.message)).map((w) => w.message);

export const parse = parseCliText;
