// Which pending requests a view shows and in what order: search, requester, integration and sort.
// One rule for the API (which filters and pages the list server-side, so a tab with 5,000 waiting
// never holds them all) and for anything else that narrows a list it holds.
import type { ApprovalRequest } from './approval-request.js';
import { integrationNames, matchesSearch } from './request-search.js';
import { riskScore, type RiskHint } from './risk.js';

export const sortOrders = ['oldest', 'newest', 'risk'] as const;
export type SortOrder = (typeof sortOrders)[number];

export interface RequestFilter {
  text: string;
  /** Requester email, or '' for everyone. */
  requester: string;
  /** Integration name, or '' for every integration. */
  integration: string;
  sort: SortOrder;
}

export const noFilter: RequestFilter = { text: '', requester: '', integration: '', sort: 'oldest' };

type Listed = ApprovalRequest & { risk?: RiskHint[] };

/** How many of the search, requester and integration filters narrow the list (sorting is not one). */
export function activeFilterCount(filter: RequestFilter): number {
  return [filter.text.trim(), filter.requester, filter.integration].filter(Boolean).length;
}

/**
 * Where a request stands in a sort, as plain values, so that a page cursor can carry it. Oldest
 * first: created, then ID. Newest first: the reverse. Highest risk first: the risk score (the sum of
 * the hints' weights, as `highestRiskFirst` in risk.ts), then oldest first.
 */
export interface SortKey {
  sort: SortOrder;
  score: number;
  createdAt: string;
  id: string;
}

export function sortKeyOf(request: Listed, sort: SortOrder): SortKey {
  return {
    sort,
    score: sort === 'risk' ? riskScore(request.risk) : 0,
    createdAt: request.createdAt,
    id: request.id,
  };
}

/** Negative when `a` comes before `b` in their (shared) sort. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  const oldestFirst = a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  if (a.sort === 'newest') return -oldestFirst;
  if (a.sort === 'risk') return b.score - a.score || oldestFirst;
  return oldestFirst;
}

export function filterRequests<T extends Listed>(requests: readonly T[], filter: RequestFilter): T[] {
  const requester = filter.requester.toLowerCase();
  const kept = requests.filter((request) => {
    if (requester && request.requester.email.toLowerCase() !== requester) return false;
    if (filter.integration && !integrationNames(request).includes(filter.integration)) return false;
    return matchesSearch(request, filter.text);
  });
  const keyed = kept.map((request) => ({ request, key: sortKeyOf(request, filter.sort) }));
  return keyed.sort((a, b) => compareSortKeys(a.key, b.key)).map((k) => k.request);
}

export interface RequesterOption {
  email: string;
  name: string;
}

export function requesterOptions(requests: readonly ApprovalRequest[]): RequesterOption[] {
  const byEmail = new Map<string, string>();
  for (const r of requests) byEmail.set(r.requester.email, r.requester.name);
  return [...byEmail].map(([email, name]) => ({ email, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export function integrationOptions(requests: readonly ApprovalRequest[]): string[] {
  return [...new Set(requests.flatMap(integrationNames))].sort((a, b) => a.localeCompare(b));
}

/** What the filter fields offer: every requester and integration of the whole list, not one page. */
export interface FilterFacets {
  requesters: RequesterOption[];
  integrations: string[];
}

export const facetsOf = (requests: readonly ApprovalRequest[]): FilterFacets => ({
  requesters: requesterOptions(requests),
  integrations: integrationOptions(requests),
});
