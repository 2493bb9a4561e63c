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

/** Sorts a copy by a key function; nulls last whatever the direction (a missing fact is never "first"). */
export function sortBy<T>(items: readonly T[], key: (item: T) => string | number | null, dir: SortDir): T[] {
  const factor = dir === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || x === '') return y === null || y === '' ? 0 : 1;
    if (y === null || y === '') return -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * factor;
    return String(x).localeCompare(String(y), undefined, { numeric: true }) * factor;
  });
}
