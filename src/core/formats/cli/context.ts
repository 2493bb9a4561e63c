import { noZone, parseCliDate, unknownZone } from './dates.ts';
import type { CliLine } from './text.ts';
import { emptyFacts, type CliDate, type CliFacts, type CliWarning } from './types.ts';

/** What a command parser writes into: the facts of one command's output, and the warnings of the whole parse. */
export interface CliContext {
  facts: CliFacts;
  warn(line: number | null, message: string): void;
  /** Parses a time (dates.ts); warns, naming the line, when its zone is unknown. `null` in → `null` out. */
  date(text: string | null | undefined, line: number | null): CliDate | null;
}

/** A parser of one command's output. It must not throw on any input: what it cannot read becomes a warning. */
export type CommandParser = (lines: CliLine[], ctx: CliContext) => void;

export function newContext(warnings: CliWarning[], facts: CliFacts = emptyFacts()): CliContext {
  const seenZones = new Set<string>();
  return {
    facts,
    warn(line, message) {
      warnings.push({ line, message });
    },
    date(text, line) {
      const d = parseCliDate(text);
      if (unknownZone(d) && !seenZones.has(d!.zone!.toUpperCase())) {
        seenZones.add(d!.zone!.toUpperCase());
        warnings.push({
          line,
          message: `unknown time zone "${d!.zone}" in "${d!.raw}": kept as the device's local time, not converted`,
        });
      } else if (noZone(d) && !seenZones.has('')) {
        seenZones.add('');
        warnings.push({ line, message: `no time zone in "${d!.raw}": kept as the device's local time, not converted` });
      }
      return d;
    },
  };
}
