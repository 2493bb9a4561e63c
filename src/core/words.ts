/**
 * Words for what core code writes: counts in its sentences (reasons, findings, cycle history), names of the files
 * it writes. Numbers use English digit
 * grouping whatever the machine's locale, so a message reads the same in Node, a worker and a test; the views
 * format their own numbers for the reader (ui/format.ts).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** A name a device's file can be given on any file system: letters, digits, `._-` only. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'device';
}
