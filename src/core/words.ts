/**
 * Counting words for the sentences core code writes (reasons, findings, cycle history). Numbers use English digit
 * grouping whatever the machine's locale, so a message reads the same in Node, a worker and a test; the views
 * format their own numbers for the reader (ui/format.ts).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
