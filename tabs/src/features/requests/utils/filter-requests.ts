// Sorting and filtering of the pending list, kept pure so it is tested without a browser.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { highestRiskFirst, type RiskHint } from '@apono-teams/domain/risk.js';
import { integrationNames, matchesSearch } from '../../../lib/request-search.js';

export type SortOrder = 'oldest' | 'newest' | 'risk';

export const sortWords: Record<SortOrder, string> = {
  oldest: 'oldest first',
  newest: 'newest first',
  risk: 'highest risk first',
};

export interface RequestFilter {
  text: string;
  /** Requester email, or '' for everyone. */
  requester: string;
  /** Integration name, or '' for every integration. */
  integration: string;
  sort: SortOrder;
}

export const noFilter: RequestFilter = { text: '', requester: '', integration: '', sort: 'oldest' };

/** How many of the search, requester and integration filters narrow the list (sorting is not one). */
export function activeFilterCount(filter: RequestFilter): number {
  return [filter.text.trim(), filter.requester, filter.integration].filter(Boolean).length;
}

export function filterRequests<T extends ApprovalRequest & { risk?: RiskHint[] }>(
  requests: readonly T[],
  filter: RequestFilter,
): T[] {
  const kept = requests.filter((request) => {
    if (filter.requester && request.requester.email.toLowerCase() !== filter.requester.toLowerCase()) {
      return false;
    }
    if (filter.integration && !integrationNames(request).includes(filter.integration)) return false;
    return matchesSearch(request, filter.text);
  });
  if (filter.sort === 'risk') return kept.sort(highestRiskFirst);
  const direction = filter.sort === 'newest' ? -1 : 1;
  return kept.sort(
    (a, b) => direction * (a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
  );
}

export function requesterOptions(
  requests: readonly ApprovalRequest[],
): Array<{ email: string; name: string }> {
  const byEmail = new Map<string, string>();
  for (const r of requests) byEmail.set(r.requester.email, r.requester.name);
  return [...byEmail].map(([email, name]) => ({ email, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export function integrationOptions(requests: readonly ApprovalRequest[]): string[] {
  return [...new Set(requests.flatMap(integrationNames))].sort((a, b) => a.localeCompare(b));
}
