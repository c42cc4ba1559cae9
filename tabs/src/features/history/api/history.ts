import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { apiGet } from '../../../lib/api-client.js';

export const listDecidedRequests = () =>
  apiGet<{ requests: ApprovalRequest[] }>('/api/requests/history').then((r) => r.requests);
