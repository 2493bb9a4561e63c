/** A column of VirtualTable. */
export interface Column {
  key: string;
  label: string;
  /** A CSS grid track size, e.g. `minmax(8rem, 1fr)` or `6rem`. */
  width: string;
  align?: 'left' | 'right';
  sortable?: boolean;
  /** Sort newest/largest first on the first click (dates, sizes). */
  descFirst?: boolean;
}

export type SortDir = 'asc' | 'desc';

/**
 * Sorts a copy by a key function; nulls last whatever the direction (a missing fact is never "first");
 * ties broken by `then`, always ascending, so equal keys keep a meaningful order.
 */
export function sortBy<T>(items: readonly T[], key: (item: T) => string | number | null, dir: SortDir, then?: (a: T, b: T) => number): T[] {
  const factor = dir === 'asc' ? 1 : -1;
  const collator = new Intl.Collator(undefined, { numeric: true });
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    let order: number;
    if (x === null || x === '') order = y === null || y === '' ? 0 : 1;
    else if (y === null || y === '') order = -1;
    else if (typeof x === 'number' && typeof y === 'number') order = (x - y) * factor;
    else order = collator.compare(String(x), String(y)) * factor;
    return order || (then ? then(a, b) : 0);
  });
}
