// Why a decision cannot be made, in the caller's words: who already decided and how, or what stops them.
import { approverPhrase, type ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { AppError } from '../http/errors.js';

/** "Alex Wilber", "group SRE Leads": who decided, as far as anyone can tell. */
function deciderOf(request: ApprovalRequest): string {
  const by = request.decision?.decidedBy;
  if (!by) return 'another approver';
  return by.kind && !by.email ? approverPhrase({ name: by.name, type: by.kind }) : by.name;
}

export function alreadyDecided(request: ApprovalRequest): AppError {
  const d = request.decision;
  const details = { status: request.status, decision: d, request };
  const why = d?.reason ? ` (reason: "${d.reason}")` : '';
  const mine = request.viewer.decided;
  if (mine && request.state === 'waiting')
    return new AppError(
      'already_decided',
      `You already ${mine} this request; it is waiting for other approvers. A decision cannot be changed; nothing more is needed from you.`,
      details,
    );
  if (mine && (!d || d.outcome === mine))
    return new AppError(
      'already_decided',
      `You already ${mine} this request${why}. A decision cannot be changed; nothing more is needed from you.`,
      details,
    );
  if (!d)
    return new AppError(
      'already_decided',
      `This request is no longer waiting for approval (status: ${request.statusLabel}). Nothing more is needed from you.`,
      details,
    );
  const elsewhere = d.source === 'apono' ? ' in Apono' : '';
  return new AppError(
    'already_decided',
    `This request was already ${d.outcome} by ${deciderOf(request)}${elsewhere}${why}. Nothing more is needed from you.`,
    details,
  );
}

export function tierNotReached(): AppError {
  return new AppError(
    'not_an_approver',
    'This request has not been escalated to your approver tier yet. It will appear in your list if it is.',
  );
}
