// Which requests a list call returns: Apono's scopes, status and id filters, newest first, paged.
import type { AponoScope } from '@apono-teams/domain/apono.js';
import { names, waitsFor } from './decide.js';
import type { RequestRecord } from './model.js';

export interface ListQuery {
  scope: AponoScope;
  statuses?: string[];
  /** Matched against the ID the client API shows (friendly or internal, by the sandbox's mode). */
  requestIds?: string[];
  skip?: number;
  limit?: number;
  summaryLimit?: number;
}

/**
 * MyRequests: the caller's own. MyTasks: Pending, and an entry naming the caller is in a reached
 * tier and still Pending (the caller's own request included: Apono lists it and refuses the
 * decision). MyHistoricTasks: no longer Pending, and an entry names the caller.
 */
export function selectRequests(
  all: Iterable<RequestRecord>,
  email: string,
  query: ListQuery,
  at: number,
  idOf: (request: RequestRecord) => string,
) {
  const statuses = query.statuses?.map((s) => s.toLowerCase());
  const inScope = (r: RequestRecord): boolean => {
    switch (query.scope) {
      case 'MyRequests':
        return r.requesterEmail === email;
      case 'MyTasks':
        return waitsFor(r, email, at);
      case 'MyHistoricTasks':
        return r.status !== 'Pending' && r.approvers.some((a) => names(a, email));
      default:
        return false;
    }
  };
  return [...all]
    .filter(inScope)
    .filter((r) => !statuses?.length || statuses.includes(r.status.toLowerCase()))
    .filter((r) => !query.requestIds?.length || query.requestIds.includes(idOf(r)))
    .sort((a, b) => b.createdAt - a.createdAt || b.friendlyId.localeCompare(a.friendlyId));
}

export const page = <T>(all: T[], skip: number, limit: number) => ({
  data: all.slice(skip, skip + limit),
  pagination: { limit, offset: skip, total: all.length, has_more: skip + limit < all.length },
});
