import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import { maxPageSize } from '@apono-teams/domain/request-page.js';
import type { FilterFacets, RequestFilter } from '@apono-teams/domain/request-query.js';
import type { RiskedRequest } from '@apono-teams/domain/risk.js';
import { apiGet, apiGetIfChanged, apiRequest } from '../../../lib/api-client.js';

/** One page of the pending list as GET /api/requests answers `?limit` (api/src/requests/routes.ts). */
export interface PendingPage {
  requests: RiskedRequest[];
  /** Every request waiting for the viewer, whatever the filter. */
  total: number;
  /** Those the filter keeps. */
  matched: number;
  /** Of those, the ones the viewer may decide (Select all). */
  decidable: number;
  offset: number;
  nextCursor: string | null;
  /** Changes when anything in the whole narrowed list changes. */
  version: string;
  facets: FilterFacets;
}

function listPath(filter: RequestFilter, limit: number, at: { offset: number } | { cursor: string | null }) {
  const query = new URLSearchParams({ limit: String(limit), sort: filter.sort });
  if (filter.text.trim()) query.set('q', filter.text.trim());
  if (filter.requester) query.set('requester', filter.requester);
  if (filter.integration) query.set('integration', filter.integration);
  if ('offset' in at) query.set('offset', String(at.offset));
  else if (at.cursor) query.set('cursor', at.cursor);
  return `/api/requests?${query}`;
}

/** The page at `offset`; with the ETag of the copy held, a 304 says it and the whole list are unchanged. */
export const listPendingPage = (filter: RequestFilter, offset: number, limit: number, etag: string | null) =>
  apiGetIfChanged<PendingPage>(listPath(filter, limit, { offset }), etag);

/** Every request the filter keeps, read page by page along the server's cursor (Select all). */
export async function listAllMatching(filter: RequestFilter): Promise<RiskedRequest[]> {
  const all: RiskedRequest[] = [];
  let cursor: string | null = null;
  do {
    const page: PendingPage = await apiGet<PendingPage>(listPath(filter, maxPageSize, { cursor }));
    all.push(...page.requests);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const getRequest = (id: string) =>
  apiGet<{ request: RiskedRequest }>(`/api/requests/${encodeURIComponent(id)}`).then((r) => r.request);

/** `reason: null` when none was given, or the account turned approver reasons off. */
export const decideRequest = (id: string, decision: Decision, reason: string | null) =>
  apiRequest<{ request: ApprovalRequest }>('POST', `/api/requests/${encodeURIComponent(id)}/${decision}`, {
    reason,
  }).then((r) => r.request);
