import type { CliContext } from './context.ts';
import type { CliLine } from './text.ts';
import type { CliEvent } from './types.ts';

/** STUB — to be written: one `%FACILITY-SEV-NAME: text` line → an event, or null when the line is not one. */
export function parseSyslogLine(_line: CliLine, _ctx: CliContext): CliEvent | null {
  return null;
}
