import { parseUdiText, udiKey } from '../../model/udi.ts';
import type { CliContext, CommandParser } from './context.ts';
import { readAuthorizations, readOutput, type SectionReader } from './sections.ts';
import { readStatusPart } from './status.ts';
import { keyValue, type CliLine } from './text.ts';

/**
 * `show license tech support` (seed 003 §4.6, L5020-5780): the status part and the sections of `show license all`
 * (read as there, the licences in their `Handle:` form), and sections of its own. Of those, what our model holds:
 * `Upcoming Scheduled Jobs` → `Current time:` (the time of the output when no `Time source is` line was pasted);
 * `Reservation Info` → authorizations, like `License Authorizations`; `Other Info` → the trust data per UDI.
 * Communication statistics, certificates, HA roles of the agent and the platform mapping table are passed over.
 */

/** `Current time: Oct 06 00:38:46 2021 UTC` (F17 L133). */
const readJobs: SectionReader = (lines, ctx) => {
  for (const l of lines) {
    const kv = keyValue(l.text);
    if (kv?.key !== 'current time') continue;
    const at = ctx.date(kv.value, l.n);
    if (!at) ctx.warn(l.n, `Upcoming Scheduled Jobs: current time "${kv.raw}" not understood`);
    ctx.facts.observedAt ??= at; // a `Time source is` line, when pasted, was read first and wins
  }
};

/**
 * `P:C9300-24UX,S:FCW2134L00C: No Trust Data` (F17 L335) or `P:C9410R,S:FXS2228026X: P:C9410R,S:FXS2228026X,
 * state[2], Trust Data INSTALLED  TrustId:827` (genie golden_output_5 L349). A trust code `Trust Code Installed:`
 * already gave for the UDI (with its date) is kept.
 */
const TRUST_DATA = /^\s*((?:UDI_)?P(?:ID)?\s*:\s*[^,\s]+\s*,\s*(?:UDI_)?S(?:N)?\s*:\s*[^:\s]+)\s*:\s*(.*\bTrust Data\b.*)$/i;

function readTrustLine(line: CliLine, ctx: CliContext): boolean {
  const m = TRUST_DATA.exec(line.text);
  if (!m) return false;
  const udi = parseUdiText(m[1]!);
  if (!udi) return false;
  const what = m[2]!;
  const status = /\bNo Trust Data\b/i.test(what)
    ? 'NOT INSTALLED'
    : (/\bTrust Data\s+([A-Z][A-Z ]*[A-Z])\b/.exec(what)?.[1]?.trim() ?? what.trim().toUpperCase());
  const f = ctx.facts;
  if (!f.trustCodes.some((t) => t.udi && udiKey(t.udi) === udiKey(udi))) f.trustCodes.push({ udi, role: null, status, installedAt: null });
  return true;
}

const readOtherInfo: SectionReader = (lines, ctx) => {
  for (const l of lines) readTrustLine(l, ctx);
};

/** Sections only tech support prints; those not listed here and not in `show license all` are warned about. */
const TECH_SECTIONS: Record<string, SectionReader | 'skip'> = {
  'upcoming scheduled jobs': readJobs,
  'reservation info': readAuthorizations,
  'other info': readOtherInfo,
  'communication statistics': 'skip',
  'license certificates': 'skip',
  'ha info': 'skip',
  'platform provided mapping table': 'skip',
  'telemetry report summary': 'skip',
  'device telemetry report summary': 'skip',
};

export const parseTechSupport: CommandParser = (lines, ctx) => {
  readOutput(lines, ctx, { status: readStatusPart, sections: TECH_SECTIONS });
};
