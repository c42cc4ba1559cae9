// Which decided requests the history shows: by default only those the viewer decided, and those
// matching the search. Kept pure so it is tested without a browser.
import { sameEmail, type ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { matchesSearch } from '@apono-teams/domain/request-search.js';

export interface HistoryFilter {
  /** Only requests the data shows the viewer decided. */
  mine: boolean;
  text: string;
}

export const myHistory: HistoryFilter = { mine: true, text: '' };

/**
 * The viewer decided it, as far as the data shows: this app recorded their decision, a user entry
 * naming them changed (viewer.decided), or a webhook named them as the decider. A decision they
 * made in Apono through a group, manager or on-call entry is not known to be theirs: Apono's
 * client API names the entry, not the person.
 */
export function decidedByViewer(request: ApprovalRequest): boolean {
  return (
    request.viewer.decided !== null || sameEmail(request.decision?.decidedBy?.email, request.viewer.email)
  );
}

export function filterHistory(
  requests: readonly ApprovalRequest[],
  filter: HistoryFilter,
): ApprovalRequest[] {
  return requests.filter(
    (request) => (!filter.mine || decidedByViewer(request)) && matchesSearch(request, filter.text),
  );
}
