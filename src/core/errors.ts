/**
 * Errors a user can act on. Every refusal of an imported file is an ImportError with a stable `code`
 * (for tests and the UI) and a sentence that names the file, the entry inside an archive when there is
 * one, and what was wrong. Never a stack trace in the UI, never a silent skip (ARCHITECTURE.md).
 */
export type ImportErrorCode =
  | 'empty' // zero bytes
  | 'too-large' // input or total inflated bytes above the cap
  | 'too-many-entries' // archive entry count above the cap
  | 'too-deep' // archives nested deeper than the cap
  | 'inflate-ratio' // compressed data expands suspiciously (gzip/tar bomb)
  | 'unsafe-path' // absolute path or `..` in an archive entry name
  | 'truncated' // the data ends early (gzip, tar, XML, JSON)
  | 'corrupt' // the data is damaged (bad gzip stream, bad tar checksum)
  | 'not-tar' // gzip content claims to be an archive but is not a tar
  | 'encoding' // not UTF-8 text where text is required
  | 'xml' // malformed or hostile XML (DTD, entities, depth)
  | 'json' // malformed JSON where JSON is required
  | 'wrong-kind' // recognised, but not the kind of file this operation takes
  | 'unknown-kind' // not a file kind the workbench knows
  | 'unsupported' // a kind the workbench recognises but cannot read yet
  | 'invalid'; // well-formed but missing what the format requires

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    /** File name as the user gave it, then entry names inside nested archives. */
    readonly where: readonly string[],
    /** What was wrong, as a sentence fragment that reads after "file: ". */
    readonly detail: string,
  ) {
    super(`${where.join(' › ')}: ${detail}`);
  }

  /** The same error re-anchored under an outer file name (used when an entry fails inside an archive). */
  within(outer: readonly string[]): ImportError {
    return new ImportError(this.code, [...outer, ...this.where], this.detail);
  }
}

export function isImportError(e: unknown): e is ImportError {
  return e instanceof ImportError;
}

/** A human sentence for any thrown value, without stack traces. */
export function describeError(e: unknown, where: readonly string[] = []): string {
  if (isImportError(e)) return e.message;
  const text = e instanceof Error ? e.message : String(e);
  return where.length ? `${where.join(' › ')}: ${text}` : text;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
