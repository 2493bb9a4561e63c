#!/usr/bin/env node
/**
 * `npm run -s slp -- <command>`: the workbench's command line, over the same core code the app runs in its
 * workers. Output is JSON on stdout; every failure is one line on stderr and a non-zero exit.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { analyseFile } from '../core/analyse.ts';
import { describeError, isImportError } from '../core/errors.ts';
import { classifyLeaf } from '../core/formats/classify.ts';
import { emptyInspection, inspectionOf, type Inspection } from '../core/inspect.ts';
import { sha256Hex } from '../core/hash.ts';

const HELP: Record<string, string> = {
  '': `slp — SLP Offline Workbench command line

Usage: npm run -s slp -- <command> [options]

Commands:
  inspect FILE…   name the kind of each file and print what it holds, as a JSON array (FORMATS.md)

Run "npm run -s slp -- <command> --help" for a command's options.`,
  inspect: `Usage: npm run -s slp -- inspect FILE…

Reads each file (device usage files, archives of them, CSSM bundles…), detects its kind from the content,
and prints a JSON array with one inspection object per file, in the order given.
Exit status: 0 when every file was read, 2 when any could not be (one line per such file on stderr),
1 on a usage error.`,
};

class UsageError extends Error {}

async function inspect(args: string[]): Promise<number> {
  const files = args.filter((a) => !a.startsWith('-'));
  const unknown = args.filter((a) => a.startsWith('-'));
  if (unknown.length) throw new UsageError(`inspect: unknown option ${unknown[0]}`);
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

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { inspect };

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
