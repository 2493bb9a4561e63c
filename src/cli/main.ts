#!/usr/bin/env node
/**
 * `npm run -s slp -- <command>`: the workbench's command line, over the same core code the app runs in its
 * workers. Output is JSON on stdout; every failure is one line on stderr and a non-zero exit.
 */
import { lstat, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type FileAnalysis, analyseFile } from '../core/analyse.ts';
import { describeError, isImportError } from '../core/errors.ts';
import { classifyLeaf } from '../core/formats/classify.ts';
import { emptyInspection, inspectionOf, type Inspection } from '../core/inspect.ts';
import { sha256Hex } from '../core/hash.ts';
import { readBundleManifest } from '../core/bundle/upload.ts';
import { type SplitAck, type UsageSource, bundleFromSources, clashingFiles, duplicateDevices, readUsageSource, splitAck } from '../core/bundle/cli-bundle.ts';
import { simulateCssm } from '../core/sim/cssm.ts';
import { type CssmLedger, emptyLedger, parseLedger } from '../core/sim/ledger.ts';
import { fleetFiles } from '../core/sim/files.ts';
import { simulateFleet } from '../core/sim/fleet.ts';
import { fleetFromAnalyses } from '../core/model/memory-fleet.ts';
import { fleetDeadlines } from '../core/policy/fleet.ts';

const HELP: Record<string, string> = {
  '': `slp — SLP Offline Workbench command line

Usage: npm run -s slp -- <command> [options]

Commands:
  inspect FILE…                  name the kind of each file and print what it holds, as JSON (FORMATS.md)
  demo --devices N --seed S --out DIR [--now ISO]
                                 write a simulated fleet's files into DIR
  cssm-ack UPLOAD_FILE --out DIR play the simulated CSSM: answer an upload with an ACK
  deadlines [--now ISO] FILE…    read the files and print each device's reporting and ACK deadlines, as JSON
  bundle --va NAME --out FILE USAGE_FILE…
                                 build a CSSM upload bundle from device usage files
  split-ack --out DIR ACK_FILE…  split what CSSM returned (an ACK or ACK bundle) into one ACK file per device

Run "npm run -s slp -- <command> --help" for a command's options.`,
  inspect: `Usage: npm run -s slp -- inspect FILE…

Reads each file (device usage files, archives of them, CSSM bundles…), detects its kind from the content,
and prints a JSON array with one inspection object per file, in the order given.
Exit status: 0 when every file was read, 2 when any could not be (one line per such file on stderr),
1 on a usage error.`,
  demo: `Usage: npm run -s slp -- demo --devices N --seed S --out DIR [--now ISO]

Writes the files of a simulated fleet of N product instances (HA members included) into DIR, which must be
new or empty, one folder per kind:
  usage/      one "license smart save usage all" file per standalone device or HA set
  slac/       SLAC request files of routers waiting for an HSEC authorization
  cli/        "show license all|status|summary" of about twenty devices
  cssm/       the CSSM licence summary (slp-summary/1 tar.gz)
  inventory/  inventory.csv
The same seed and --now give byte-identical files. --now defaults to today, 00:00 UTC.
Everything written is marked as simulated inside the file. Prints a JSON summary.`,
  'cssm-ack': `Usage: npm run -s slp -- cssm-ack UPLOAD_FILE --out DIR [--state FILE] [--virtual-account NAME]
                                  [--smart-account NAME] [--virtual-accounts A,B,…] [--now ISO]

Plays the simulated CSSM: reads a device usage file or an upload bundle, checks it as CSSM would (readable,
no report uploaded before, a Virtual Account that exists) and writes the ACK (or ACK bundle) into DIR.
The simulated CSSM remembers what it received in its state file (default DIR/simulated-cssm.json), so
uploading the same reports twice is rejected. A new state file is created for --smart-account (default: the
bundle's, else "Simulated Smart Account") with --virtual-accounts (default: the bundle's, else "DEFAULT").
--virtual-account chooses where a single device file is uploaded. Exit 2 when the upload is rejected.`,
  deadlines: `Usage: npm run -s slp -- deadlines [--now ISO] FILE…

Reads each file (device usage files, archives and bundles of them, "show license …" output, syslog) as
inspect does, merges what they say about each device in the order given, and prints a JSON array with one
object per device, soonest next deadline first (devices without one last, then by UDI):
  { "udi": {"pid","sn"}, "hostname", "status",
    "deadlines": [ { "kind": "report"|"ack"|"sync", "dueAt", "rule", "source": "device"|"computed", "reason" } ],
    "nextDue", "noRequirement", "note" }
"deadlines" lists the dates in force, soonest first; "nextDue" is the first of them. Dates are ISO 8601, UTC.
source "device" is a date the device printed itself (its "Next ACK deadline", a REPORTING_REQUIRED message,
the 9800-CL ACK countdown); "computed" is an estimate from the reporting policy in use (the device's own, its
Virtual Account's, else the Cisco default) and the usage the files show. A date the device printed replaces
the estimates when it is at least as new as the facts they use.
--now ISO is the moment the deadlines are measured from (default: the current time); a date or date-time
without an offset is taken as UTC.
status, measured from --now:
  overdue   the next deadline has passed
  due7      due within 7 days
  due30     due within 30 days
  due90     due within 90 days
  later     due in more than 90 days
  none      no reporting requirement (never consumed a licence, a standby or member reported by its active,
            or a policy that asks nothing for its licences); "noRequirement" is then true
  unknown   not enough facts to say (no usage known); "note" says what is missing
Exit status: 0 when every file was read, 2 when any could not be (one line per such file on stderr; the
others still count), 1 on a usage error.`,
  bundle: `Usage: npm run -s slp -- bundle --va NAME [--sa NAME] [--sa-id ID] [--va-id ID] [--now ISO] --out FILE
                                USAGE_FILE…

Builds the upload bundle CSSM takes on its "Usage Data Files" page, the way CSLU and SSM On-Prem export one
(INFERRED, FORMATS.md): UD_SA_<ts>.tar.gz holding manifest.mf and UD_VA_<ts>.tar.gz, which holds one
dev_<n>_<ts>.txt per device usage file. Each USAGE_FILE must be one device's usage file ("license smart save
usage …"); it goes into the bundle byte for byte (its reports are signed: CSSM refuses a changed byte). One
file per device (UDI).
  --va NAME      the Virtual Account the devices report to (required)
  --sa NAME      the Smart Account (default "Smart Account"); --sa-id, --va-id their IDs (default "0")
  --now ISO      the time that names the bundle and its files (default: the current time); the same files
                 and --now give a byte-identical bundle
  --out FILE     where to write the bundle; an existing file is never overwritten
Prints JSON { "file", "name", "devices": [ { "udi": {"pid","sn"}, "input", "entry" } ] }: "name" is the
bundle's own name (UD_SA_<ts>.tar.gz), "entry" the UD_VA_…/dev_<n>_….txt each input became, which is how
the ACKs CSSM returns map back to devices.
Exit status: 0 when written; 2 when an input is not a device usage file, cannot be read, or repeats a device
(one line per such file on stderr; nothing is written); 1 on a usage error or when FILE exists.`,
  'split-ack': `Usage: npm run -s slp -- split-ack --out DIR ACK_FILE…

Takes what CSSM returned for an upload — a single ACK, or an ACK bundle (a tar.gz of ACK_UD_VA_….tar.gz holding
one ACK_dev_… per device file) — and writes one ACK file per device into DIR (created if missing), each the
exact bytes CSSM wrote, under its own file name, ready for "license smart import" on the device.
Prints a JSON array, inputs in the order given and each in archive order:
  [ { "udi": {"pid","sn"} | null, "file": "<name written in DIR>", "reportIds": ["…"] } ]
Exit status: 0 when every input was split; 2 when any is not an ACK or ACK bundle, or is damaged or cut short
(one line per such input on stderr; nothing of it is written, the others are); 1 on a usage error, or when a
file to write exists in DIR or two ACKs have one name (then nothing is written).`,
};

class UsageError extends Error {}

async function inspect(args: string[]): Promise<number> {
  const files = options(args, []).positional;
  if (files.length === 0) throw new UsageError('inspect: give at least one FILE');
  const results: Inspection[] = [];
  let failed = 0;
  for (const path of files) {
    const name = basename(path);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a directory' : describeError(e);
      process.stderr.write(`slp inspect: ${path}: ${reason}\n`);
      results.push({ ...emptyInspection(name, null, 'unknown'), error: reason });
      failed++;
      continue;
    }
    try {
      results.push(inspectionOf(await analyseFile(name, bytes)));
    } catch (e) {
      const message = describeError(e, [name]);
      process.stderr.write(`slp inspect: ${message}\n`);
      const kind = isImportError(e) && e.code !== 'unknown-kind' ? classifyLeaf(bytes).kind : 'unknown';
      results.push({ ...emptyInspection(name, await sha256Hex(bytes), kind), warnings: [message], error: message });
      failed++;
    }
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return failed ? 2 : 0;
}

/** `--name value` options and positional arguments; unknown options are a usage error. */
function options(args: string[], known: readonly string[]): { values: Map<string, string>; positional: string[] } {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const name = flag.slice(2);
    if (!known.includes(name)) throw new UsageError(`unknown option ${flag}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    values.set(name, value);
  }
  return { values, positional };
}

function parseNow(text: string | undefined): number {
  if (text === undefined) {
    const today = new Date();
    return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`--now: "${text}" is not an ISO 8601 date or time`);
  return ms;
}

/**
 * A strict ISO 8601 date or date-time (`2026-11-30`, `2026-11-30T08:00Z`, `2026-11-30T08:00:00+02:00`), taken as
 * UTC when it names no offset. Stricter than Date.parse, which accepts "1" (as 2001) and 30 February.
 */
function isoInstant(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  const bad = () => new UsageError(`--now: "${text}" is not an ISO 8601 date or time (e.g. 2026-11-30 or 2026-11-30T08:00:00Z)`);
  if (!m) throw bad();
  const [, y, mo, d, h = '00', mi = '00', sec = '00', zone] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) throw bad();
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) throw bad();
  const ms = Date.parse(m[4] === undefined ? `${text}T00:00:00Z` : zone === undefined ? `${text}Z` : text);
  if (!Number.isFinite(ms)) throw bad();
  return ms;
}

async function demo(args: string[]): Promise<number> {
  const { values, positional } = options(args, ['devices', 'seed', 'out', 'now']);
  if (positional.length) throw new UsageError(`demo: unexpected argument ${positional[0]}`);
  const devicesText = values.get('devices');
  const seed = values.get('seed');
  const out = values.get('out');
  if (!devicesText || !seed || !out) throw new UsageError('demo: --devices, --seed and --out are required (see --help)');
  if (!/^\d+$/.test(devicesText) || Number(devicesText) < 1 || Number(devicesText) > 250_000) throw new UsageError('demo: --devices must be a whole number from 1 to 250000');
  const now = parseNow(values.get('now'));
  const existing = await readdir(out).catch(() => [] as string[]);
  if (existing.length) throw new UsageError(`demo: ${out} is not empty — choose a new or empty folder`);
  const fleet = simulateFleet({ seed, devices: Number(devicesText), now });
  const files = await fleetFiles(fleet);
  const perFolder: Record<string, number> = {};
  for (const file of files) {
    const target = join(out, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.bytes);
    const folder = file.path.split('/')[0]!;
    perFolder[folder] = (perFolder[folder] ?? 0) + 1;
  }
  const summary = {
    format: 'slp-demo-summary/1',
    simulated: true,
    seed,
    now: new Date(now).toISOString(),
    devices: fleet.instances.length,
    reportingUnits: fleet.units.length,
    smartAccount: fleet.smartAccount.name,
    virtualAccounts: fleet.virtualAccounts.map((v) => ({ name: v.name, policy: v.policy.name })),
    files: perFolder,
    out,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

async function cssmAck(args: string[]): Promise<number> {
  const { values, positional } = options(args, ['out', 'state', 'virtual-account', 'smart-account', 'virtual-accounts', 'now']);
  const [upload, ...extra] = positional;
  const out = values.get('out');
  if (!upload || !out) throw new UsageError('cssm-ack: give UPLOAD_FILE and --out DIR (see --help)');
  if (extra.length) throw new UsageError(`cssm-ack: one upload at a time (got ${extra.length + 1} files)`);
  const now = values.has('now') ? parseNow(values.get('now')) : Date.now();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(upload));
  } catch (e) {
    throw new UsageError(`cssm-ack: ${upload}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describeError(e)}`);
  }
  const statePath = values.get('state') ?? join(out, 'simulated-cssm.json');
  let ledger: CssmLedger;
  const saved = await readFile(statePath, 'utf8').catch(() => null);
  if (saved !== null) {
    try {
      ledger = parseLedger(JSON.parse(saved));
    } catch (e) {
      throw new UsageError(`cssm-ack: ${statePath}: ${describeError(e)}`);
    }
  } else {
    // A new simulated CSSM: its Smart Account and Virtual Accounts from the options, else from the bundle.
    let manifest: ReturnType<typeof readBundleManifest> | null = null;
    try {
      const text = (await analyseFile(basename(upload), bytes)).bundleManifest;
      if (text) manifest = readBundleManifest(text);
    } catch {
      // An unreadable upload is rejected by the simulated CSSM below, with its reason.
    }
    const vas = values.get('virtual-accounts')?.split(',').map((v) => v.trim()).filter(Boolean) ?? (manifest ? [...new Set(manifest.virtualAccounts.values())] : []);
    const single = values.get('virtual-account');
    if (single && !vas.includes(single)) vas.push(single);
    ledger = emptyLedger({ name: values.get('smart-account') ?? manifest?.smartAccount ?? 'Simulated Smart Account', id: manifest?.smartAccountId ?? '0' }, vas.length ? vas : ['DEFAULT']);
  }
  const outcome = await simulateCssm(basename(upload), bytes, ledger, { now, virtualAccount: values.get('virtual-account') });
  if (!outcome.accepted) {
    process.stderr.write(`slp cssm-ack: rejected: ${outcome.reason}\n`);
    return 2;
  }
  await mkdir(out, { recursive: true });
  const ackPath = join(out, outcome.name);
  await writeFile(ackPath, outcome.bytes);
  await mkdir(dirname(statePath), { recursive: true });
  await writeFile(statePath, `${JSON.stringify(outcome.ledger, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ accepted: true, simulated: true, ack: ackPath, kind: outcome.kind, devices: outcome.devices, acknowledged: outcome.acknowledged, state: statePath }, null, 2)}\n`);
  return 0;
}

/** ISO 8601 in UTC, to the second: `2026-11-30T00:00:00Z`. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function deadlines(args: string[]): Promise<number> {
  const { values, positional: files } = options(args, ['now']);
  if (files.length === 0) throw new UsageError('deadlines: give at least one FILE');
  const nowText = values.get('now');
  const now = nowText === undefined ? Date.now() : isoInstant(nowText);
  const analyses: FileAnalysis[] = [];
  const failed = await eachInput('deadlines', files, async (name, bytes) => void analyses.push(await analyseFile(name, bytes)));
  const { devices } = fleetFromAnalyses(analyses, now);
  const { results } = fleetDeadlines(devices, now);
  const rows = devices.map((d, i) => {
    const r = results[i]!;
    const live = r.deadlines.filter((x) => !x.superseded);
    return {
      udi: { pid: d.udi.pid, sn: d.udi.sn },
      hostname: d.hostname?.value ?? null,
      status: r.status,
      deadlines: live.map((x) => ({ kind: x.kind, dueAt: isoSeconds(x.dueAt), rule: x.rule, source: x.source, reason: x.reason })),
      nextDue: r.next ? isoSeconds(r.next.dueAt) : null,
      noRequirement: r.status === 'none',
      note: r.note,
      due: r.next?.dueAt ?? Infinity,
    };
  });
  rows.sort((a, b) => a.due - b.due || compareText(a.udi.pid, b.udi.pid) || compareText(a.udi.sn, b.udi.sn));
  process.stdout.write(`${JSON.stringify(rows.map(({ due: _, ...row }) => row), null, 2)}\n`);
  return failed ? 2 : 0;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Reads an input file, or says on stderr why it cannot (one line) and returns null. */
/**
 * Reads each input file and hands it to `read` (under its base name). A file that cannot be read, or that `read`
 * refuses, is one line on stderr naming it; the others go on. Returns how many failed.
 */
async function eachInput(command: string, paths: readonly string[], read: (name: string, bytes: Uint8Array) => Promise<void>): Promise<number> {
  let failed = 0;
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      process.stderr.write(`slp ${command}: ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : describeError(e)}\n`);
      failed++;
      continue;
    }
    try {
      await read(basename(path), bytes);
    } catch (e) {
      process.stderr.write(`slp ${command}: ${describeError(e, [basename(path)])}\n`);
      failed++;
    }
  }
  return failed;
}

/** Whether anything (a file, a folder, a dangling link) is at `path`. */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

async function bundle(args: string[]): Promise<number> {
  const { values, positional: files } = options(args, ['va', 'sa', 'sa-id', 'va-id', 'now', 'out']);
  const va = values.get('va');
  const out = values.get('out');
  if (!va || !out) throw new UsageError('bundle: --va NAME and --out FILE are required (see --help)');
  if (files.length === 0) throw new UsageError('bundle: give at least one USAGE_FILE');
  const nowText = values.get('now');
  const now = nowText === undefined ? Date.now() : isoInstant(nowText);
  if (await exists(out)) throw new UsageError(`bundle: ${out} exists — a bundle is never written over a file`);
  const sources: UsageSource[] = [];
  let failed = await eachInput('bundle', files, async (name, bytes) => void sources.push(await readUsageSource(name, bytes)));
  for (const problem of duplicateDevices(sources)) {
    process.stderr.write(`slp bundle: ${problem}\n`);
    failed++;
  }
  if (failed) return 2;
  const built = await bundleFromSources(sources, {
    smartAccount: { name: values.get('sa') ?? 'Smart Account', id: values.get('sa-id') ?? '0' },
    virtualAccount: { name: va, id: values.get('va-id') ?? '0' },
    now,
  });
  await mkdir(dirname(out), { recursive: true });
  try {
    await writeFile(out, built.bytes, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`bundle: ${out} exists — a bundle is never written over a file`);
    throw e;
  }
  process.stdout.write(`${JSON.stringify({ file: out, name: built.name, devices: built.devices }, null, 2)}\n`);
  return 0;
}

async function splitAckCommand(args: string[]): Promise<number> {
  const { values, positional: files } = options(args, ['out']);
  const out = values.get('out');
  if (!out) throw new UsageError('split-ack: --out DIR is required (see --help)');
  if (files.length === 0) throw new UsageError('split-ack: give at least one ACK_FILE');
  const acks: SplitAck[] = [];
  const failed = await eachInput('split-ack', files, async (name, bytes) => {
    const split = await splitAck(name, bytes);
    for (const note of split.skipped) process.stderr.write(`slp split-ack: ${note}\n`);
    acks.push(...split.acks);
  });
  // Every check before the first write: a half-written split is worse than none.
  const clashes = clashingFiles(acks);
  if (clashes.length) throw new UsageError(`split-ack: ${clashes[0]}${clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : ''} — nothing written`);
  const taken: string[] = [];
  for (const a of acks) if (await exists(join(out, a.file))) taken.push(a.file);
  if (taken.length) throw new UsageError(`split-ack: ${join(out, taken[0]!)} exists${taken.length > 1 ? ` (and ${taken.length - 1} more)` : ''} — nothing written, no file is overwritten`);
  if (acks.length) await mkdir(out, { recursive: true });
  for (const a of acks) await writeFile(join(out, a.file), a.bytes, { flag: 'wx' });
  process.stdout.write(`${JSON.stringify(acks.map((a) => ({ udi: a.udi, file: a.file, reportIds: a.reportIds })), null, 2)}\n`);
  return failed ? 2 : 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { inspect, demo, 'cssm-ack': cssmAck, deadlines, bundle, 'split-ack': splitAckCommand };

export async function main(argv: string[]): Promise<number> {
  const [command = '', ...rest] = argv;
  if (command === '' || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP[rest[0] ?? ''] ?? HELP['']}\n`);
    return command === '' ? 1 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`slp: unknown command "${command}" (try --help)\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP[command]}\n`);
    return 0;
  }
  try {
    return await run(rest);
  } catch (e) {
    process.stderr.write(`slp: ${e instanceof UsageError ? e.message : describeError(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
