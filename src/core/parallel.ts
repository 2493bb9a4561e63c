import type { LeafToParse, ReadLeaf } from './analyse.ts';

/**
 * Archive entries on their way to another worker: their bytes copied into one buffer, so that it is transferred (not
 * cloned) whatever buffers the entries were views of, with their places and where each one's bytes start and end.
 */
export interface PackedLeaves {
  buffer: ArrayBuffer;
  /** Byte offsets into `buffer`: leaf i is `offsets[i]` to `offsets[i + 1]`. */
  offsets: number[];
  wheres: string[][];
}

export function packLeaves(leaves: readonly LeafToParse[]): PackedLeaves {
  const offsets = [0];
  for (const l of leaves) offsets.push(offsets[offsets.length - 1]! + l.bytes.length);
  const all = new Uint8Array(offsets[offsets.length - 1]!);
  leaves.forEach((l, i) => all.set(l.bytes, offsets[i]!));
  return { buffer: all.buffer, offsets, wheres: leaves.map((l) => l.where) };
}

export function unpackLeaves(packed: PackedLeaves): LeafToParse[] {
  const all = new Uint8Array(packed.buffer);
  return packed.wheres.map((where, i) => ({ where, bytes: all.subarray(packed.offsets[i]!, packed.offsets[i + 1]!) }));
}

/**
 * What the other worker read, as one JSON string for the way back. Structured clone was the slow part of the
 * round trip: at 100,000 devices in Chromium, 50,000 results took ~1.3 s to serialise there and ~2.2 s to
 * deserialise in the import worker, against ~0.5 s for JSON.stringify and ~1.0–1.8 s for JSON.parse. A usage file
 * that JSON would not give back exactly (a count of -0 or 1e999, a value the parser did not expect) is sent as null
 * instead, and read again by the import worker.
 */
export function encodeReadLeaves(read: readonly ReadLeaf[]): string {
  return JSON.stringify(read.map((r) => (r.parsed && 'usage' in r.parsed && !jsonSafe(r.parsed.usage) ? { ...r, parsed: null } : r)));
}

export function decodeReadLeaves(json: string): ReadLeaf[] {
  return JSON.parse(json) as ReadLeaf[];
}

/**
 * Whether JSON.parse(JSON.stringify(value)) is deep-equal to `value` (shared references aside): plain objects and
 * arrays holding strings, booleans, null and finite numbers other than -0 — nothing undefined (array holes
 * included), no functions, no class instances. Written for speed: ~15% of the JSON.stringify it guards.
 * `optional`: an object's property set to undefined is allowed too (JSON leaves it out, which reads the same).
 */
export function jsonSafe(value: unknown, optional = false): boolean {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!jsonSafe(value[i], optional)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (!(optional && v === undefined) && !jsonSafe(v, optional)) return false;
  }
  return true;
}
