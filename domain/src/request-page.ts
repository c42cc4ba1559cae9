// Paging a sorted, filtered list: `?limit&cursor` (or `&offset`) and the filters, parsed with a
// sentence for every bad value. A cursor names the last request of the page before by its place in
// the sort, not by its index, so requests created or decided meanwhile neither repeat nor skip one.
// An offset is an index, for a view that jumps to a row (a virtualized list's scrollbar); it moves
// when the list changes, which the list's version tells.
import {
  compareSortKeys,
  noFilter,
  sortKeyOf,
  sortOrders,
  type RequestFilter,
  type SortKey,
  type SortOrder,
} from './request-query.js';
import type { ApprovalRequest } from './approval-request.js';
import type { RiskHint } from './risk.js';

export const maxPageSize = 500;
/**
 * How often the tab reads the first page of its list again. What that read found also serves the
 * pages after it for as long (api/src/requests/service.ts, pendingForPage): they belong to the same
 * view, and a later page is then no older than the first page the tab already shows.
 */
export const listPollMs = 20_000;
const maxOffset = 1_000_000;
const maxTextLength = 200;

export interface ListQuery {
  filter: RequestFilter;
  /** null: every request, in one answer (what the API answered before paging). */
  limit: number | null;
  cursor: SortKey | null;
  offset: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const refuse = (message: string): { ok: false; message: string } => ({ ok: false, message });

function encodeCursor(key: SortKey): string {
  const json = JSON.stringify([key.sort, key.score, key.createdAt, key.id]);
  // btoa takes Latin-1 only; URI-escaping first keeps any ID safe, and base64url keeps it URL-safe.
  return btoa(encodeURIComponent(json)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(cursor: string): SortKey | null {
  try {
    const json = decodeURIComponent(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    const [sort, score, createdAt, id] = JSON.parse(json) as unknown[];
    if (
      !sortOrders.includes(sort as SortOrder) ||
      typeof score !== 'number' ||
      !Number.isFinite(score) ||
      typeof createdAt !== 'string' ||
      typeof id !== 'string'
    )
      return null;
    return { sort: sort as SortOrder, score, createdAt, id };
  } catch {
    return null;
  }
}

function integerParam(value: string, name: string, min: number, max: number): Parsed<number> {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    return refuse(`${name} must be a whole number from ${min} to ${max}; it was "${value.slice(0, 20)}".`);
  return { ok: true, value: Number(value) };
}

/** The list query from URL parameters (Express's `req.query`): each given at most once. */
export function parseListQuery(params: Record<string, unknown>): Parsed<ListQuery> {
  const text: Record<string, string> = {};
  for (const name of ['limit', 'cursor', 'offset', 'q', 'requester', 'integration', 'sort']) {
    const value = params[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') return refuse(`Give ${name} once, as plain text.`);
    if (value.length > maxTextLength) return refuse(`${name} is longer than ${maxTextLength} characters.`);
    text[name] = value;
  }
  const sort = (text.sort ?? noFilter.sort) as SortOrder;
  if (!sortOrders.includes(sort)) return refuse(`sort must be one of ${sortOrders.join(', ')}.`);
  let limit: number | null = null;
  if (text.limit !== undefined) {
    const parsed = integerParam(text.limit, 'limit', 1, maxPageSize);
    if (!parsed.ok) return parsed;
    limit = parsed.value;
  }
  let offset = 0;
  if (text.offset !== undefined) {
    const parsed = integerParam(text.offset, 'offset', 0, maxOffset);
    if (!parsed.ok) return parsed;
    offset = parsed.value;
  }
  let cursor: SortKey | null = null;
  if (text.cursor !== undefined) {
    if (text.offset !== undefined) return refuse('Give either cursor or offset, not both.');
    if (limit === null) return refuse('A cursor pages a list: give limit with it.');
    cursor = decodeCursor(text.cursor);
    if (!cursor) return refuse('The cursor is not one this API gave. Start again without a cursor.');
    if (cursor.sort !== sort)
      return refuse(
        `The cursor belongs to the "${cursor.sort}" order, not "${sort}". Start again without it.`,
      );
  }
  const filter = {
    text: text.q ?? '',
    requester: text.requester ?? '',
    integration: text.integration ?? '',
    sort,
  };
  return { ok: true, value: { filter, limit, cursor, offset } };
}

/** A page after the first of a view (a cursor, or an offset past 0): what listPollMs lets reuse. */
export const isLaterPage = (query: ListQuery): boolean => query.cursor !== null || query.offset > 0;

export interface PageOfRequests<T> {
  items: T[];
  /** The index of the first item in the whole sorted list (0-based). */
  offset: number;
  /** Give it back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One page of a list already filtered and sorted by `query.filter` (filterRequests). */
export function pageOfList<T extends ApprovalRequest & { risk?: RiskHint[] }>(
  sorted: readonly T[],
  query: ListQuery,
): PageOfRequests<T> {
  const { sort } = query.filter;
  let start = Math.min(query.offset, sorted.length);
  if (query.cursor) {
    // The first request that comes after the cursor's place (binary search: the list is sorted).
    const after = query.cursor;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compareSortKeys(sortKeyOf(sorted[middle]!, sort), after) <= 0) low = middle + 1;
      else high = middle;
    }
    start = low;
  }
  const end = query.limit === null ? sorted.length : Math.min(sorted.length, start + query.limit);
  const items = sorted.slice(start, end);
  const last = items.at(-1);
  return {
    items,
    offset: start,
    nextCursor: end < sorted.length && last ? encodeCursor(sortKeyOf(last, sort)) : null,
  };
}
