// Why a decision cannot be made, in the caller's words: who already decided and how, or what stops them.
import { sameEmail, type ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { AppError } from '../http/errors.js';

export function alreadyDecided(request: ApprovalRequest): AppError {
  const d = request.decision;
  const details = { status: request.status, decision: d, request };
  const why = d?.reason ? ` (reason: "${d.reason}")` : '';
  if (d && sameEmail(d.decidedBy?.email, request.viewer.email))
    return new AppError(
      'already_decided',
      `You already ${d.outcome} this request${why}. A decision cannot be changed; nothing more is needed from you.`,
      details,
    );
  const who = d?.decidedBy?.name ?? 'another approver';
  if (!d)
    return new AppError(
      'already_decided',
      `This request is no longer pending (status: ${request.status.toLowerCase()}). Nothing more is needed from you.`,
      details,
    );
  return new AppError(
    'already_decided',
    `This request was already ${d.outcome} by ${who}${why}. Nothing more is needed from you.`,
    details,
  );
}

/** Checks that hold before anything is sent to Apono; the rule itself lives in domain/. */
export function guard(request: ApprovalRequest): void {
  switch (request.viewer.cannotDecide) {
    case null:
      return;
    case 'not_pending':
      throw alreadyDecided(request);
    case 'requester':
      throw new AppError('self_approval');
    case 'not_an_approver':
      throw new AppError('not_an_approver');
    case 'tier_not_reached':
      throw new AppError(
        'not_an_approver',
        'This request has not been escalated to your approver tier yet. It will appear in your list if it is.',
      );
    case 'already_decided':
      throw new AppError(
        'already_decided',
        'You have already decided this request; it is waiting for other approvers. Nothing more is needed from you.',
        { status: request.status, decision: request.decision, request },
      );
  }
}
