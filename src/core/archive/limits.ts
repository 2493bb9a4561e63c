/**
 * Caps applied to every imported file before anything is stored. A 100,000-device fleet's usage files are
 * about 430 MB raw and 116 MB as tar.gz (ARCHITECTURE.md), and CSSM bundles nest two deep (FORMATS.md), so the
 * defaults leave room for that and refuse what only an attack or a damaged file would need.
 */
export interface ArchiveLimits {
  /** Largest file accepted as given (compressed or not). */
  maxInputBytes: number;
  /** Largest total of inflated gzip output and tar entry bytes across all nesting levels. */
  maxTotalBytes: number;
  /** Most archive entries (files, directories, links) across all nesting levels. */
  maxEntries: number;
  /** Deepest nesting of archives: 1 = a tar inside the file, 2 = a tar inside that tar… */
  maxDepth: number;
  /** Largest inflated/compressed ratio of one gzip stream once its output passes `ratioFloorBytes`. */
  maxInflateRatio: number;
  /** Output size below which the ratio is not checked (small, highly compressible files are normal). */
  ratioFloorBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxInputBytes: 1024 * MiB,
  maxTotalBytes: 2048 * MiB,
  maxEntries: 400_000,
  maxDepth: 4,
  // Device XML compresses about 4:1; tar padding of many tiny files a few dozen to one. 200:1 past 64 MiB is a bomb.
  maxInflateRatio: 200,
  ratioFloorBytes: 64 * MiB,
});

export function withLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** Running totals shared by every nesting level of one import, so a bomb cannot hide across levels. */
export class Budget {
  bytes = 0;
  entries = 0;
  constructor(readonly limits: ArchiveLimits) {}
}
