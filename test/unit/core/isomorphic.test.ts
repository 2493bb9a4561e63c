import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '..', '..', '..', 'src', 'core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/core stays isomorphic (runs in workers, Node and tests alike)', () => {
  it('imports nothing from db/, ui/, app/, Dexie, Svelte or Node built-ins, and touches no DOM global', () => {
    const offences: string[] = [];
    for (const file of files(CORE)) {
      const source = readFileSync(file, 'utf8');
      const rel = relative(CORE, file);
      for (const m of source.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        const leavesCore = spec.startsWith('.') && relative(CORE, resolve(dirname(file), spec)).startsWith('..');
        if (/^(dexie|svelte|comlink)|^node:/.test(spec) || leavesCore) offences.push(`${rel} imports ${spec}`);
      }
      for (const g of ['window', 'document', 'localStorage', 'indexedDB', 'navigator', 'DOMParser']) {
        if (new RegExp(`\\b${g}\\.`).test(source)) offences.push(`${rel} uses ${g}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
