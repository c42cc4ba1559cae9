import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import type { RiskedRequest } from '@apono-teams/domain/risk.js';
import { apiGet, apiRequest } from '../../../lib/api-client.js';

export const listPendingRequests = () =>
  apiGet<{ requests: RiskedRequest[] }>('/api/requests').then((r) => r.requests);

export const getRequest = (id: string) =>
  apiGet<{ request: RiskedRequest }>(`/api/requests/${encodeURIComponent(id)}`).then((r) => r.request);

/** `reason: null` when none was given, or the account turned approver reasons off. */
export const decideRequest = (id: string, decision: Decision, reason: string | null) =>
  apiRequest<{ request: ApprovalRequest }>('POST', `/api/requests/${encodeURIComponent(id)}/${decision}`, {
    reason,
  }).then((r) => r.request);
