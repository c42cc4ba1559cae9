// Free-text search over requests, shared by the pending list and the history: every word typed
// must appear somewhere a person would recognise the request by.
import type { ApprovalRequest } from './approval-request.js';

/** The integrations a request touches, from its access groups and its units. */
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
    request.decision?.decidedBy?.name ?? '',
    request.decision?.reason ?? '',
    ...integrationNames(request),
    ...request.accessUnits.flatMap((u) => [u.resource, u.permission]),
  ]
    .join('\n')
    .toLowerCase();
}

/** True when every word of `text` is found in the request (an empty search matches all). */
export function matchesSearch(request: ApprovalRequest, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = searchableText(request);
  return words.every((word) => haystack.includes(word));
}
