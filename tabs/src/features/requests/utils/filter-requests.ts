// Sorting and filtering of the pending list, kept pure so it is tested without a browser.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';

export type SortOrder = 'oldest' | 'newest';

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

export function integrationNames(request: ApprovalRequest): string[] {
  const names = new Set<string>();
  for (const integration of request.integrations) names.add(integration.name);
  for (const unit of request.accessUnits) if (unit.integration) names.add(unit.integration);
  return [...names];
}

function searchableText(request: ApprovalRequest): string {
  return [
    request.id,
    request.displayId,
    request.requester.name,
    request.requester.email,
    request.justification ?? '',
    request.accessFlow ?? '',
    ...integrationNames(request),
    ...request.accessUnits.flatMap((u) => [u.resource, u.permission]),
  ]
    .join('\n')
    .toLowerCase();
}

export function filterRequests(
  requests: readonly ApprovalRequest[],
  filter: RequestFilter,
): ApprovalRequest[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = requests.filter((request) => {
    if (filter.requester && request.requester.email.toLowerCase() !== filter.requester.toLowerCase()) {
      return false;
    }
    if (filter.integration && !integrationNames(request).includes(filter.integration)) return false;
    if (!words.length) return true;
    const text = searchableText(request);
    return words.every((word) => text.includes(word));
  });
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
