import type { LeafToParse } from './analyse.ts';

/**
 * Usage files on their way to another worker: their bytes copied into one buffer, so that it is transferred (not
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
