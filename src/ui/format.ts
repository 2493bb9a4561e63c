import { formatBytes } from '../core/errors.ts';

export { formatBytes };

const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' });

/** Local date and time with the zone named, so a time is never ambiguous. */
export function formatDateTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : dateTime.format(ms);
}

export function formatDate(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : dateOnly.format(ms);
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 12);
}
