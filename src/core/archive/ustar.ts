/**
 * Plain ustar entries, written without a library: a 512-byte header, the bytes, zero padding to a whole block.
 * For names of at most 99 plain characters (what the workbench itself names); anything else goes through
 * modern-tar (tar.ts), which writes PAX headers. Used by the backup's streaming writer and by `writeTar`, where
 * modern-tar's `packTar` cost ~60 µs an entry (6 s for a 100,000-device upload bundle, BENCHMARKS.md).
 */
export const BLOCK = 512;

/** True when `tarHeader` can write this name as is. */
export function plainTarName(name: string): boolean {
  return /^[A-Za-z0-9._/-]{1,99}$/.test(name);
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function put(h: Uint8Array, text: string, at: number): void {
  for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i);
}

/**
 * What every header shares (mode 0644, owner 0:0, a regular file, ustar magic), and its byte sum with the checksum
 * field counted as spaces: a header is this template plus its name, size and date. Building each header from
 * scratch cost ~19 µs (profiled: 1.9 s in a 30,000-device bench), most of it formatting the same fields.
 */
const TEMPLATE = (() => {
  const h = new Uint8Array(BLOCK);
  put(h, octal(0o644, 8), 100);
  put(h, octal(0, 8), 108);
  put(h, octal(0, 8), 116);
  put(h, '        ', 148);
  put(h, '0', 156);
  put(h, 'ustar\u000000', 257);
  return h;
})();
const TEMPLATE_SUM = TEMPLATE.reduce((a, b) => a + b, 0);

/** The 512-byte ustar header of a regular file. */
export function tarHeader(name: string, size: number, mtimeMs: number): Uint8Array {
  if (!plainTarName(name)) throw new Error(`tar entry name "${name}" is not a short plain path`);
  if (!Number.isSafeInteger(size) || size < 0 || size >= 8 ** 11) throw new Error(`tar entry ${name} is too large for a tar header (${size} bytes)`);
  const h = TEMPLATE.slice();
  // Every character written is ASCII (the name is checked above); the fields written were zeros in the template.
  put(h, name, 0);
  put(h, octal(size, 12), 124);
  put(h, octal(Math.max(0, Math.floor(mtimeMs / 1000)), 12), 136);
  let sum = TEMPLATE_SUM;
  for (let i = 0; i < 100; i++) sum += h[i]!;
  for (let i = 124; i < 148; i++) sum += h[i]!;
  put(h, octal(sum, 7) + ' ', 148);
  return h;
}

/** Zero bytes that bring an entry of `size` bytes to a whole block. */
export function tarPadding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The two zero blocks that end an archive. */
export const TAR_END = new Uint8Array(2 * BLOCK);

