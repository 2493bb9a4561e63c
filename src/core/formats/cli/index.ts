import type { HaRole } from '../../model/types.ts';
import { udiKey, type Udi } from '../../model/udi.ts';
import { newContext, type CommandParser } from './context.ts';
import { parseAirEntities } from './air-entities.ts';
import { parseAuthorization } from './authorization.ts';
import { parseEventlog } from './eventlog.ts';
import { parseHistory } from './history.ts';
import { parseRum } from './rum.ts';
import { parseStatus } from './status.ts';
import { parseSummary } from './summary.ts';
import { parseSyslogLine } from './syslog.ts';
import { parseTechSupport } from './tech-support.ts';
import { PREAMBLE, TIME_SOURCE, cliLines, type CliLine } from './text.ts';
import type { CliEvent, CliFacts, CliPreSlp, CliWarning } from './types.ts';
import { emptyFacts } from './types.ts';
import { parseUdi } from './udi.ts';
import { parseUsage } from './usage.ts';
import { parseVersion } from './version.ts';

export type CommandId =
  | 'status'
  | 'all'
  | 'summary'
  | 'usage'
  | 'udi'
  | 'rum'
  | 'tech-support'
  | 'history'
  | 'eventlog'
  | 'authorization'
  | 'air-entities'
  | 'version'
  | 'syslog'
  | 'other';

interface CommandSpec {
  id: Exclude<CommandId, 'other'>;
  /** How the command is typed, in full; a typed word may be any prefix of two letters or more (`sh lic sum`). */
  words: string[];
  parse: CommandParser;
}

/** Longest patterns first, so that `show license tech rum` is not taken for `show license tech support`. */
const COMMANDS: CommandSpec[] = [
  { id: 'rum', words: ['show', 'license', 'tech', 'rum'], parse: parseRum },
  { id: 'tech-support', words: ['show', 'license', 'tech', 'support'], parse: parseTechSupport },
  { id: 'air-entities', words: ['show', 'license', 'air', 'entities'], parse: parseAirEntities },
  { id: 'status', words: ['show', 'license', 'status'], parse: parseStatus },
  { id: 'all', words: ['show', 'license', 'all'], parse: parseStatus },
  { id: 'summary', words: ['show', 'license', 'summary'], parse: parseSummary },
  { id: 'usage', words: ['show', 'license', 'usage'], parse: parseUsage },
  { id: 'udi', words: ['show', 'license', 'udi'], parse: parseUdi },
  { id: 'rum', words: ['show', 'license', 'rum'], parse: parseRum },
  { id: 'history', words: ['show', 'license', 'history'], parse: parseHistory },
  { id: 'eventlog', words: ['show', 'license', 'eventlog'], parse: parseEventlog },
  { id: 'authorization', words: ['show', 'license', 'authorization'], parse: parseAuthorization },
  { id: 'version', words: ['show', 'version'], parse: parseVersion },
];

const SPEC = new Map<CommandId, CommandSpec>(COMMANDS.map((c) => [c.id, c]));

export const COMMAND_LABELS: Record<CommandId, string> = {
  status: 'show license status',
  all: 'show license all',
  summary: 'show license summary',
  usage: 'show license usage',
  udi: 'show license udi',
  rum: 'show license rum',
  'tech-support': 'show license tech support',
  history: 'show license history message',
  eventlog: 'show license eventlog',
  authorization: 'show license authorization',
  'air-entities': 'show license air entities summary',
  version: 'show version',
  syslog: 'syslog messages',
  other: 'other output',
};

/** The command a typed line means (`sh lic all | begin Policy` → `all`), `other` for anything else. */
export function commandOf(typed: string): CommandId {
  const words = typed.split('|')[0]!.trim().toLowerCase().split(/\s+/);
  for (const spec of COMMANDS) {
    if (words.length < spec.words.length) continue;
    if (spec.words.every((w, i) => words[i]!.length >= Math.min(2, w.length) && w.startsWith(words[i]!))) return spec.id;
  }
  return 'other';
}

/** `Device#show license all`, `wlc-1(config)# exit`, `Devide# show license summary` (a typo is still a prompt). */
const PROMPT = /^\s*([A-Za-z][\w.-]*?)(\([\w-]+\))?([#>])\s*(.*)$/;


/**
 * How each command's output begins when it was pasted without its prompt line. Only these split a prompt-less
 * paste; a signature of a command that another one contains (the `License Usage` of `show license all`, the
 * status sections of tech support) does not split the output that contains it.
 */
const SIGNATURES: Array<{ id: Exclude<CommandId, 'other'>; re: RegExp; top: boolean }> = [
  { id: 'tech-support', re: /^\s*Smart Licensing Tech Support info/i, top: true },
  { id: 'status', re: /^\s*Smart Licensing Status\s*$/i, top: true },
  { id: 'status', re: /^\s*Smart Licensing is (?:ENABLED|DISABLED)\b/i, top: true },
  // `show license status` of 17.3+ opens with `Utility:` (genie ShowLicenseStatus, ntc show_license_status2/3).
  { id: 'status', re: /^\s*Smart Licensing Using Policy:\s*$/i, top: true },
  { id: 'history', re: /^\s*Message History \(oldest to newest\)/i, top: true },
  { id: 'eventlog', re: /^\s*\*+\s*Event Log\s*\*+/i, top: true },
  { id: 'version', re: /^\s*Cisco IOS[ -]XE Software, Version/i, top: true },
  { id: 'rum', re: /^\s*Smart Licensing Usage Report(?: Detail)?:/i, top: false },
  { id: 'summary', re: /^\s*License\s+Entitlement [Tt]ag\s+Count\s+Status/, top: false },
  // `show license usage` opens with it (genie ShowLicenseUsage); inside status/all/tech support it is no split.
  { id: 'usage', re: /^\s*License Authorization:\s*$/i, top: false },
  { id: 'udi', re: /^\s*SlotID\s+PID\s+SN\s+UDI/i, top: false },
  { id: 'udi', re: /^\s*(?:UDI:\s*P(?:ID)?:|HA UDI List:)/i, top: false },
  { id: 'status', re: /^\s*Trust Code Installed:/i, top: false },
  { id: 'status', re: /^\s*Usage Report Summary:/i, top: false },
  { id: 'air-entities', re: /^\s*(?:Upcoming license report time|License Ack expected within)\b/i, top: false },
  { id: 'authorization', re: /^\s*Overall status:\s*$/i, top: false },
];

/**
 * The sections each command's output holds that look like another command's first lines: `show license all`
 * prints a UDI, an authorization status, the AIR countdown; RUM detail prints `UDI:` lines. Tech support holds
 * everything. Meeting one of these inside that output does not start a new output.
 */
const CONTAINS: Partial<Record<CommandId, ReadonlySet<CommandId>>> = {
  status: new Set<CommandId>(['status', 'udi', 'authorization', 'air-entities', 'usage']),
  all: new Set<CommandId>(['status', 'udi', 'authorization', 'air-entities', 'usage']),
  rum: new Set<CommandId>(['udi']),
};

const SYSLOG_LINE = /%[A-Z][A-Z0-9_]*-[0-7]-[A-Z0-9_]+\s*:/;

export interface CliCommandOutput {
  command: CommandId;
  /** As typed after the prompt, null when the output was pasted without its prompt. */
  typed: string | null;
  /** The prompt's host name (`Device`, `wlc-1`), null without a prompt. */
  host: string | null;
  firstLine: number;
  lastLine: number;
  facts: CliFacts;
}

export interface CliDeviceFacts {
  /** The product instance, when any output named it (see `identify`). */
  udi: Udi | null;
  role: HaRole;
  /** The prompt's host name the outputs came under. */
  host: string | null;
  /** Everything the outputs of this host say, merged in the order they were printed (later wins). */
  facts: CliFacts;
  /** The commands read, in order. */
  commands: Array<{ command: CommandId; line: number }>;
}

export interface CliParse {
  outputs: CliCommandOutput[];
  devices: CliDeviceFacts[];
  /** Syslog lines that name no device of the paste. */
  events: CliEvent[];
  warnings: CliWarning[];
  lineCount: number;
  /** Output of a release before Smart Licensing Using Policy was seen. */
  preSlp: boolean;
}

interface Segment {
  host: string | null;
  typed: string | null;
  command: CommandId | null;
  lines: CliLine[];
  observed: string | null;
  /** Signatures already met in this output: meeting one again starts a new output. */
  seen: Set<RegExp>;
  /** Typed in configuration mode (`Device(config)#`). */
  config?: boolean;
  /** The line of the prompt that typed the command, when there was one. */
  promptLine?: number;
}

function split(lines: CliLine[], syslog: CliLine[]): Segment[] {
  const segments: Segment[] = [];
  let cur: Segment | null = null;
  const open = (seg: Segment) => {
    segments.push(seg);
    cur = seg;
  };
  for (const line of lines) {
    if (SYSLOG_LINE.test(line.text)) {
      syslog.push(line);
      continue;
    }
    const prompt = PROMPT.exec(line.text);
    if (prompt) {
      const typed = prompt[4]!.trim();
      const config = !!prompt[2];
      open({
        host: prompt[1]!,
        typed: typed || null,
        command: config || !typed ? 'other' : commandOf(typed),
        lines: [],
        observed: null,
        seen: new Set(),
        config,
        promptLine: line.n,
      });
      continue;
    }
    const c = cur as Segment | null;
    // A command echoed without its prompt (`show license tech support` as genieparser's samples start) is typed.
    const echoed = /^\s*sh(?:ow?)?\s+\S/i.test(line.text) ? commandOf(line.text.trim()) : 'other';
    if (echoed !== 'other') {
      open({ host: c?.host ?? null, typed: line.text.trim(), command: echoed, lines: [], observed: null, seen: new Set(), promptLine: line.n });
      continue;
    }
    // A preamble starts a command's output: right under a prompt it is that prompt's; after output, the next one's.
    if (PREAMBLE.test(line.text) && (!c || c.lines.some((l) => l.text.trim() && !PREAMBLE.test(l.text)))) {
      open({ host: c?.host ?? null, typed: null, command: null, lines: [], observed: null, seen: new Set() });
    }
    const seg = cur as Segment | null;
    if (!seg || seg.typed === null) {
      const sig = SIGNATURES.find((s) => s.re.test(line.text));
      if (sig) {
        const fresh = (): Segment => ({ host: seg?.host ?? null, typed: null, command: sig.id, lines: [], observed: null, seen: new Set([sig.re]) });
        if (!seg) open(fresh());
        else if (seg.command === null) {
          seg.command = sig.id;
          seg.seen.add(sig.re);
        } else if (sig.top && seg.seen.has(sig.re)) open(fresh()); // the same command's first line again: a second output
        else if (seg.command === 'tech-support') {
          if (sig.id === 'tech-support') open(fresh());
          else seg.seen.add(sig.re); // tech support holds every other output
        } else if (sig.id === seg.command || CONTAINS[seg.command]?.has(sig.id)) seg.seen.add(sig.re);
        else open(fresh());
      }
    }
    if (!cur) open({ host: null, typed: null, command: null, lines: [], observed: null, seen: new Set() });
    const target = cur as unknown as Segment;
    const t = TIME_SOURCE.exec(line.text);
    if (t && !target.observed) target.observed = t[1]!;
    target.lines.push(line);
  }
  return segments;
}

/** `show license status` pasted without a prompt names itself `Smart Licensing Status`; `all` adds License Usage. */
function statusOrAll(seg: Segment): CommandId {
  return seg.lines.some((l) => /^\s*(Product Information|License Usage)\s*$/.test(l.text)) ? 'all' : 'status';
}

/**
 * Output of a release before Smart Licensing Using Policy (16.x and older): `Registration: Status: REGISTERED`,
 * `EVAL MODE`, `Smart Licensing is ENABLED` with a `Registration:` block and no policy. Its fields look like SLP
 * fields (`Status:`, `Smart Account:`) but mean other things, so they must not be read as SLP facts.
 */
export function detectPreSlp(lines: readonly CliLine[]): CliPreSlp | null {
  let registration: string | null = null;
  let evidence: string | null = null;
  let slp = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.text;
    if (/Smart Licensing Using Policy|^\s*Policy( in use)?:|Reporting ACK required|Usage Reporting:/i.test(t)) slp = true;
    if (/^\s*Registration:\s*$/i.test(t)) {
      const next = lines.slice(i + 1, i + 3).find((l) => /^\s*Status:/i.test(l.text));
      if (next) {
        registration = next.text.replace(/^\s*Status:\s*/i, '').trim();
        evidence ??= `Registration: ${registration}`;
      }
    }
    if (/\bEVAL (MODE|EXPIRED)\b/.test(t)) evidence ??= t.trim();
    if (/^\s*Smart Licensing Status:\s*(UNREGISTERED|REGISTERED|Registration Expired)/i.test(t)) evidence ??= t.trim();
  }
  if (!evidence || slp) return null;
  return { evidence, registration };
}

/**
 * The HA set an output shows when it has no `HA UDI List`: `show license status` names the members only in
 * its Trust Code Installed list, `show license authorization` in Overall status, each with its role.
 */
function haFromRoles(f: CliFacts): CliFacts['ha'] {
  if (f.ha.length) return f.ha;
  const members = new Map<string, { role: HaRole; udi: Udi }>();
  for (const t of [...f.trustCodes, ...f.authorizations]) {
    if (t.udi && t.role && t.role !== 'standalone' && !members.has(udiKey(t.udi))) members.set(udiKey(t.udi), { role: t.role, udi: t.udi });
  }
  return members.size > 1 ? [...members.values()] : [];
}

/** The product instance an output is about. `show license status` alone names it only in its HA lists. */
function identify(f: CliFacts): { udi: Udi | null; role: HaRole } {
  const set = f.ha.length > 1;
  const active = f.ha.find((h) => h.role === 'active');
  if (f.udi) return { udi: f.udi, role: set ? (f.ha.find((h) => udiKey(h.udi) === udiKey(f.udi!))?.role ?? 'active') : 'standalone' };
  if (active) return { udi: active.udi, role: set ? 'active' : 'standalone' };
  const named = [...f.trustCodes, ...f.authorizations].filter((t) => t.udi);
  if (named.length === 1) return { udi: named[0]!.udi, role: 'standalone' };
  const rum = new Set(f.rumReports.filter((r) => r.udi).map((r) => udiKey(r.udi!)));
  if (rum.size === 1) return { udi: f.rumReports.find((r) => r.udi)!.udi, role: 'standalone' };
  return { udi: null, role: 'standalone' };
}

/**
 * Every product instance a parse names, first-seen order, once each: the devices the outputs are about and the
 * members of their HA sets. A device seen standalone in one output and with a role in another keeps the role.
 */
export function cliDevices(parse: CliParse): Array<{ udi: Udi; role: HaRole }> {
  const out = new Map<string, { udi: Udi; role: HaRole }>();
  const add = (udi: Udi, role: HaRole) => {
    const known = out.get(udiKey(udi));
    if (!known) out.set(udiKey(udi), { udi, role });
    else if (known.role === 'standalone') known.role = role;
  };
  for (const d of parse.devices) {
    if (d.udi) add(d.udi, d.role);
    for (const m of d.facts.ha) add(m.udi, d.facts.ha.length > 1 ? m.role : 'standalone');
  }
  return [...out.values()];
}

function keyed<T>(into: T[], from: readonly T[], key: (t: T) => string, mergeItem = false): T[] {
  const out = [...into];
  const at = new Map(out.map((t, i) => [key(t), i]));
  for (const t of from) {
    const k = key(t);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(t);
    } else out[i] = mergeItem ? mergeObject(out[i]!, t) : t;
  }
  return out;
}

/** Field by field: a later non-null value wins; a later null (not printed) keeps the earlier one. */
function mergeObject<T>(a: T, b: T): T {
  if (a === null || a === undefined) return b;
  if (b === null || b === undefined) return a;
  const out = { ...a } as Record<string, unknown>;
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    const prev = out[k];
    out[k] = prev && typeof prev === 'object' && !Array.isArray(prev) && typeof v === 'object' && !Array.isArray(v) && !('raw' in (v as object))
      ? mergeObject(prev, v)
      : v;
  }
  return out as T;
}

const udiOr = (u: Udi | null, fallback: string) => (u ? udiKey(u) : fallback);

/** Merges the facts of several outputs of one device, in the order they were printed. */
export function mergeFacts(a: CliFacts, b: CliFacts): CliFacts {
  const scalars = mergeObject(
    { ...a, ha: [], trustCodes: [], licenses: [], authorizations: [], rumReports: [], events: [] },
    { ...b, ha: [], trustCodes: [], licenses: [], authorizations: [], rumReports: [], events: [] },
  );
  return {
    ...scalars,
    ha: keyed(a.ha, b.ha, (h) => udiKey(h.udi)),
    trustCodes: keyed(a.trustCodes, b.trustCodes, (t) => udiOr(t.udi, t.role ?? '')),
    licenses: keyed(a.licenses, b.licenses, (l) => (l.tag ?? l.name).toLowerCase(), true),
    authorizations: keyed(a.authorizations, b.authorizations, (t) => udiOr(t.udi, t.role ?? '')),
    rumReports: keyed(a.rumReports, b.rumReports, (r) => r.reportId, true),
    events: [...a.events, ...b.events],
  };
}

/** Two prompts one letter apart (`Device#`, `Devide#`) in one paste are one device with a typo. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, skip: number) => x.slice(i + skip);
  return rest(a, 1) === rest(b, 1) || rest(a, 1) === rest(b, 0) || rest(a, 0) === rest(b, 1);
}

/**
 * Reads pasted CLI text: any number of `show` outputs and syslog lines, of one or several devices (told apart by
 * their prompts' host names). Never throws; what cannot be read becomes a warning with its line.
 */
export function parseCliText(text: string): CliParse {
  const warnings: CliWarning[] = [];
  const lines = cliLines(text);
  const syslogLines: CliLine[] = [];
  const segments = split(lines, syslogLines);
  const outputs: CliCommandOutput[] = [];
  const ignored = new Set<string>();
  let preSlp = false;
  for (const seg of segments) {
    const content = seg.lines.filter((l) => l.text.trim());
    // A command typed twice (the paste repeats its prompt line) prints once: the empty one is no output.
    if (seg.typed && seg.command !== 'other' && !content.length) continue;
    let command = seg.command ?? 'other';
    if (command === 'status' && seg.typed === null) command = statusOrAll(seg);
    if (command === 'other') {
      // Mode changes and configuration lines print nothing worth a word; anything else that printed is named.
      const quiet = /^(en|ena|enable|conf|configure|exit|end|write|wr|reload|terminal|term)\b/i.test(seg.typed ?? '') || seg.config;
      if (seg.typed && (content.length || !quiet)) ignored.add(seg.typed.split(/\s+/).slice(0, 4).join(' '));
      else if (!seg.typed && content.length) warnings.push({ line: content[0]!.n, message: `lines ${content[0]!.n}–${content[content.length - 1]!.n}: not the output of a command the workbench reads` });
      continue;
    }
    const ctx = newContext(warnings);
    // The output's time first, so that a parser can date what it reads (a countdown, a year-less time).
    if (seg.observed) ctx.facts.observedAt = ctx.date(seg.observed, content[0]?.n ?? null);
    const pre = detectPreSlp(seg.lines);
    if (pre) {
      preSlp = true;
      ctx.facts.preSlp = pre;
      warnings.push({
        line: content[0]?.n ?? null,
        message: `${COMMAND_LABELS[command]} (line ${content[0]?.n ?? '?'}): output of a release before Smart Licensing Using Policy (${pre.evidence}); only its device identity is read`,
      });
      // Only the UDI lines are safe to read from pre-SLP output.
      SPEC.get('udi')!.parse(seg.lines, ctx);
    } else {
      try {
        SPEC.get(command)!.parse(seg.lines, ctx);
      } catch (e) {
        // Parsers must not throw; if one does, the paste still imports what the others read.
        warnings.push({ line: content[0]?.n ?? null, message: `${COMMAND_LABELS[command]}: could not be read (${(e as Error).message})` });
      }
    }
    outputs.push({
      command,
      typed: seg.typed,
      host: seg.host,
      // Where a reader should look: the prompt that typed the command, else the output's first printed line.
      firstLine: seg.promptLine ?? content[0]?.n ?? seg.lines[0]?.n ?? 0,
      lastLine: seg.lines[seg.lines.length - 1]?.n ?? 0,
      facts: ctx.facts,
    });
  }
  if (ignored.size) warnings.push({ line: null, message: `output not read (commands the workbench does not parse): ${[...ignored].join('; ')}` });
  if (!outputs.length && !warnings.length && !syslogLines.length && text.trim()) {
    warnings.push({ line: null, message: 'nothing here is the output of a command the workbench reads (no `show license …` output, no licensing syslog line)' });
  }

  // One picture per prompt host; outputs without a prompt belong to the host before them, or to the paste.
  const groups = new Map<string, CliDeviceFacts>();
  for (const out of outputs) {
    const key = out.host ?? '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { udi: null, role: 'standalone', host: out.host, facts: emptyFacts(), commands: [] }));
    g.facts = mergeFacts(g.facts, out.facts);
    g.commands.push({ command: out.command, line: out.firstLine });
  }
  for (const g of groups.values()) {
    g.facts.ha = haFromRoles(g.facts);
    Object.assign(g, identify(g.facts));
  }
  for (const g of [...groups.values()]) {
    if (g.udi || !g.host) continue;
    const near = [...groups.values()].filter((o) => o.udi && o.host && oneEditApart(o.host, g.host!));
    if (near.length === 1) {
      const o = near[0]!;
      o.facts = mergeFacts(o.facts, g.facts);
      o.commands.push(...g.commands);
      groups.delete(g.host);
      warnings.push({ line: g.commands[0]?.line ?? null, message: `prompt "${g.host}#" taken for "${o.host}#" (one letter apart)` });
    }
  }

  // Syslog: to the device whose host name the line carries, else to the only device of the paste.
  const events: CliEvent[] = [];
  const ctx = newContext(warnings);
  const devices = [...groups.values()];
  // A syslog time without a year takes the year of the outputs' own time (syslog.ts).
  ctx.facts.observedAt = devices.find((d) => d.facts.observedAt)?.facts.observedAt ?? null;
  for (const line of syslogLines) {
    const ev = parseSyslogLine(line, ctx);
    if (!ev) continue;
    // The sender a syslog server names, else the device the message names, else the paste's only device.
    const byHost = ev.host ? devices.find((d) => d.host?.toLowerCase() === ev.host!.toLowerCase()) : undefined;
    const byUdi = ev.udi ? devices.find((d) => d.udi && udiKey(d.udi) === udiKey(ev.udi!)) : undefined;
    const target = byHost ?? byUdi ?? (devices.length === 1 && !ev.host ? devices[0] : undefined);
    if (target) target.facts.events.push(ev);
    else events.push(ev);
  }
  for (const d of devices) {
    if (!d.udi && (d.facts.policy || d.facts.licenses.length || d.facts.usageReporting || d.facts.events.length))
      warnings.push({
        line: d.commands[0]?.line ?? null,
        message: `${d.host ? `output under "${d.host}#"` : 'output'} names no device (no UDI): paste "show license udi" with it to tie these facts to a device`,
      });
  }
  return { outputs, devices, events, warnings, lineCount: lines.length, preSlp };
}
