import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newContext } from '../../../../src/core/formats/cli/context.ts';
import { parseHistory } from '../../../../src/core/formats/cli/history.ts';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { cliLines } from '../../../../src/core/formats/cli/text.ts';
import type { CliWarning } from '../../../../src/core/formats/cli/types.ts';
import { FIXTURES } from '../../helpers.ts';

const cli = (name: string) => readFileSync(join(FIXTURES, 'cli', name), 'utf8');

function history(text: string) {
  const warnings: CliWarning[] = [];
  const ctx = newContext(warnings);
  parseHistory(cliLines(text), ctx);
  return { events: ctx.facts.events, warnings };
}

// genie ShowLicenseHistoryMessage golden_output: the six message types and the six import types, none ever used.
const GENIE = [
  ['Trust Establishment', 'No past history', 5],
  ['Usage Reporting', 'No past history', 7],
  ['Result Polling', 'No past history', 9],
  ['Authorization Request', 'No past history', 11],
  ['Authorization Return', 'No past history', 13],
  ['Trust Sync', 'No past history', 15],
  ['Import POLICY', 'No past Import history', 20],
  ['Import AUTH', 'No past Import history', 23],
  ['Import TRUST CODE', 'No past Import history', 26],
  ['Import RUM ACK', 'No past Import history', 29],
  ['Import CONVERSION ACK', 'No past Import history', 32],
  ['Import ACCOUNT INFO', 'No past Import history', 35],
];

describe('show license history message', () => {
  it('genie golden_output: one event per message type, with its line', () => {
    const r = parseCliText(cli('genie_ShowLicenseHistoryMessage__golden_output.txt'));
    expect(r.outputs.map((o) => [o.command, o.typed])).toEqual([['history', null]]);
    // The only warning is index.ts saying the paste names no device.
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('names no device')]);
    const events = r.outputs[0]!.facts.events;
    expect(events.map((e) => [e.name, e.message, e.line])).toEqual(GENIE);
    for (const e of events) expect(e).toMatchObject({ facility: 'HISTORY', severity: null, at: null, meaning: null, daysLeft: null, udi: null });
  });

  it('reads the same with indentation removed, 4-space indentation and CRLF', () => {
    const text = cli('genie_ShowLicenseHistoryMessage__golden_output.txt');
    for (const t of [text.replace(/^ +/gm, ''), text.replace(/^ {2}/gm, '    '), text.replace(/\r?\n/g, '\r\n')]) {
      const { events, warnings } = history(t);
      expect(warnings).toEqual([]);
      expect(events.map((e) => [e.name, e.message])).toEqual(GENIE.map(([n, m]) => [n, m]));
    }
  });

  it('reads a type and `No past history` collapsed onto one line', () => {
    const { events, warnings } = history('Message History (oldest to newest):\nTrust Establishment: No past history\nUsage Reporting:   No past history\n');
    expect(warnings).toEqual([]);
    expect(events.map((e) => [e.name, e.message, e.line])).toEqual([
      ['Trust Establishment', 'No past history', 2],
      ['Usage Reporting', 'No past history', 3],
    ]);
  });

  it('entries: each line under a type is an event, dated when it prints a time; a deeper undated line continues it', () => {
    const t = `Device# show license history message
Message History (oldest to newest):
====================================================
Trust Establishment:
  Nov 10 11:32:02 2021 UTC: Trust code requested for PID:C9800-CL-K9,SN:93SZ7RXN93Y
Usage Reporting:
  Request sent (2021-11-17 03:31:32 UTC), 2 reports
  Response (Nov 18 10:45:23 2021 UTC): ACK received
      with policy and account information
Import Message History (oldest to newest):
====================================================
Import RUM ACK:
  Imported on Jan 11 20:21:12 2022 IST`;
    const r = parseCliText(t);
    expect(r.outputs.map((o) => o.command)).toEqual(['history']);
    const events = r.outputs[0]!.facts.events;
    expect(events.map((e) => [e.name, e.at?.iso ?? null, e.line])).toEqual([
      ['Trust Establishment', '2021-11-10T11:32:02Z', 5],
      ['Usage Reporting', '2021-11-17T03:31:32Z', 7],
      ['Usage Reporting', '2021-11-18T10:45:23Z', 8],
      ['Import RUM ACK', '2022-01-11T20:21:12+05:30', 13],
    ]);
    expect(events[0]!.udi).toEqual({ pid: 'C9800-CL-K9', sn: '93SZ7RXN93Y' });
    expect(events[0]!.message).toBe('Nov 10 11:32:02 2021 UTC: Trust code requested for PID:C9800-CL-K9,SN:93SZ7RXN93Y');
    expect(events[2]!.message).toBe('Response (Nov 18 10:45:23 2021 UTC): ACK received with policy and account information');
    expect(r.warnings.filter((w) => w.message.includes('history'))).toEqual([]);
  });

  it('a line before any heading or type is a warning, not an event; garbage never throws', () => {
    const { events, warnings } = history('something odd\n&lt;none&gt;\n');
    expect(events).toEqual([]);
    expect(warnings.map((w) => w.line)).toEqual([1, 2]);
    expect(warnings[0]!.message).toContain('outside any message type');
    // An entry under the top heading but no type takes the heading's name.
    const top = history('Message History (oldest to newest):\n  Nov 10 11:32:02 2021 UTC sent\n');
    expect(top.events.map((e) => e.name)).toEqual(['Message History']);
  });
});
