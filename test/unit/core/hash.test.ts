import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fnv1a, sha256Hex, sha256HexSync } from '../../../src/core/hash.ts';

describe('sha256', () => {
  it('matches Node crypto at every padding boundary and on a large buffer', async () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 1 << 20]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      const expected = createHash('sha256').update(bytes).digest('hex');
      expect(sha256HexSync(bytes)).toBe(expected);
      expect(await sha256Hex(bytes)).toBe(expected);
    }
  });

  it('hashes only the view, not the whole underlying buffer', async () => {
    const whole = new Uint8Array(100).map((_, i) => i);
    const view = whole.subarray(10, 20);
    expect(await sha256Hex(view)).toBe(createHash('sha256').update(view).digest('hex'));
  });

  it('fnv1a tells different slices apart', () => {
    const a = new TextEncoder().encode('<RUMReport>a</RUMReport>');
    const b = new TextEncoder().encode('<RUMReport>b</RUMReport>');
    expect(fnv1a(a)).not.toBe(fnv1a(b));
    expect(fnv1a(a)).toBe(fnv1a(new Uint8Array(a)));
  });
});
