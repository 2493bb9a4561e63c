import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliText } from '../../../../src/core/formats/cli/index.ts';
import { FIXTURES, fixtureNames } from '../../helpers.ts';
import { seeded as rng } from '../../helpers.ts';


const ALL = [...fixtureNames('cli').map((n) => ['cli', n]), ...fixtureNames('cli-seed').map((n) => ['cli-seed', n])] as const;

describe('every CLI sample, damaged at random, gives facts or warnings and never throws', () => {
  it.each(ALL)('%s/%s', (dir, name) => {
    const text = readFileSync(join(FIXTURES, dir, name), 'utf8');
    const random = rng(name.length * 7919 + text.length);
    const lines = text.split('\n');
    const damaged: string[] = [];
    for (let i = 0; i < 30; i++) damaged.push(text.slice(0, Math.floor(random() * text.length)));
    for (let i = 0; i < 10; i++) damaged.push([...lines].sort(() => random() - 0.5).join('\n'));
    for (let i = 0; i < 10; i++) damaged.push(lines.filter(() => random() > 0.3).join('\r\n'));
    for (const t of damaged) {
      const parse = parseCliText(t);
      if (t.trim()) expect(parse.outputs.length + parse.warnings.length + parse.events.length, `${name}: ${JSON.stringify(t.slice(0, 80))}`).toBeGreaterThan(0);
    }
  });
});
