export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
  first: number;
  last: number;
}

/** One page (1-based, clamped) of a long list: a request can name hundreds of access units. */
export function pageOf<T>(all: readonly T[], page: number, size: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(all.length / size));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const start = (current - 1) * size;
  const items = all.slice(start, start + size);
  return { items, page: current, pageCount, first: items.length ? start + 1 : 0, last: start + items.length };
}
