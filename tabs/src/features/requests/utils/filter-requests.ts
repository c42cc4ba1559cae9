// How the pending list's sort order is said on screen. The filter and sort rules themselves live in
// domain/src/request-query.ts: the API applies them to every request, the tab holds one page at a time.
import type { SortOrder } from '@apono-teams/domain/request-query.js';

export const sortWords: Record<SortOrder, string> = {
  oldest: 'oldest first',
  newest: 'newest first',
  risk: 'highest risk first',
};
