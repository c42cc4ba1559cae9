// Apono's request statuses and what people see for them: one mapping for the tab, the cards and the
// notices. The client API types `status.status` as a free string (client-openapi.json,
// RequestStatusClientModel); the values are the constants of apono-io/apono-cli
// (pkg/services/requests.go). "Expired" is not one of them: access that ran out is Revoked.

export type RequestState =
  | 'initializing'
  | 'waiting'
  | 'pending_mfa'
  | 'granting'
  | 'active'
  | 'revoking'
  | 'revoked'
  | 'rejected'
  | 'failed'
  | 'unknown';

const byAponoStatus: Record<string, RequestState> = {
  initializing: 'initializing',
  pending: 'waiting',
  pendingmfa: 'pending_mfa',
  granting: 'granting',
  active: 'active',
  revoking: 'revoking',
  revoked: 'revoked',
  rejected: 'rejected',
  failed: 'failed',
};

/** Apono's status, whatever its case or separators ("PendingMFA", "pending_mfa"); unknown stays unknown. */
export function stateOf(aponoStatus: string | null | undefined): RequestState {
  const key = (aponoStatus ?? '').replace(/[\s_-]/g, '').toLowerCase();
  return byAponoStatus[key] ?? 'unknown';
}

const labels: Record<Exclude<RequestState, 'unknown'>, string> = {
  initializing: 'Initializing',
  waiting: 'Pending',
  pending_mfa: 'Pending MFA',
  granting: 'Granting access',
  active: 'Active',
  revoking: 'Revoking access',
  revoked: 'Revoked',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** What a person reads for a status; a status this app does not know is shown as Apono wrote it. */
export function statusLabel(aponoStatus: string): string {
  const state = stateOf(aponoStatus);
  return state === 'unknown' ? aponoStatus.trim() || 'Unknown' : labels[state];
}

/** Waiting for approvers: the only state in which a decision can be made. */
export const isWaiting = (state: RequestState): boolean => state === 'waiting';

/**
 * The outcome a status implies. Granting, Active, Revoking and Revoked come only after approval
 * (Revoked is also how Apono ends access that expired); Rejected is a rejection. Initializing,
 * Pending, PendingMFA, Failed and unknown statuses say nothing about a decision.
 */
export function outcomeOfState(state: RequestState): 'approved' | 'rejected' | null {
  switch (state) {
    case 'granting':
    case 'active':
    case 'revoking':
    case 'revoked':
      return 'approved';
    case 'rejected':
      return 'rejected';
    default:
      return null;
  }
}

/** Final for approvers: nothing more can be decided (every state but waiting, initializing, pending MFA). */
export function isSettled(state: RequestState): boolean {
  return !['waiting', 'initializing', 'pending_mfa', 'unknown'].includes(state);
}
