// Which requests a list call returns: Apono's scopes, status and id filters, newest first, paged.
import type { AponoScope } from '@apono-teams/domain/apono.js';
import { activeEntries, names } from './decide.js';
import type { RequestRecord } from './model.js';

export interface ListQuery {
  scope: AponoScope;
  statuses?: string[];
  requestIds?: string[];
  skip?: number;
  limit?: number;
  summaryLimit?: number;
}

/** MyTasks: an entry names the caller and its tier is reached. MyHistoricTasks: decided, caller named. */
export function selectRequests(all: Iterable<RequestRecord>, email: string, query: ListQuery, at: number) {
  const statuses = query.statuses?.map((s) => s.toLowerCase());
  const inScope = (r: RequestRecord): boolean => {
    switch (query.scope) {
      case 'MyRequests':
        return r.requesterEmail === email;
      case 'MyTasks':
        return activeEntries(r, email, at).length > 0;
      case 'MyHistoricTasks':
        return r.status !== 'Pending' && r.approvers.some((a) => names(a, email));
      default:
        return false;
    }
  };
  return [...all]
    .filter(inScope)
    .filter((r) => !statuses?.length || statuses.includes(r.status.toLowerCase()))
    .filter((r) => !query.requestIds?.length || query.requestIds.includes(r.id))
    .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
}

export const page = <T>(all: T[], skip: number, limit: number) => ({
  data: all.slice(skip, skip + limit),
  pagination: { limit, offset: skip, total: all.length, has_more: skip + limit < all.length },
});
