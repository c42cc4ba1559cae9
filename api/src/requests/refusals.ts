// Why a decision cannot be made, in the caller's words: who already decided and how, or what stops them.
// Each is a catalogue message (common.refusal.*) that the tab and the cards say in their reader's
// language (localized-error.ts); the decider's name and the reason stay parameters, shown as text.
import { approverMessage, type ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { message, type Message } from '@apono-teams/domain/message.js';
import type { AppError } from '../http/errors.js';
import { localizedError as refusal } from '../localized-error.js';

/** "Alex Wilber", "group SRE Leads": who decided, as far as anyone can tell. */
function deciderOf(request: ApprovalRequest): string | Message {
  const by = request.decision?.decidedBy;
  if (!by) return message('refusal.anotherApprover');
  return by.kind && !by.email ? approverMessage({ name: by.name, type: by.kind }) : by.name;
}

/** The status as the tab and the cards name it; one this app does not know, as Apono sent it. */
const statusOf = (request: ApprovalRequest): string | Message =>
  request.state === 'unknown' ? request.statusLabel : message(`status.${request.state}`);

export function alreadyDecided(request: ApprovalRequest): AppError {
  const d = request.decision;
  const details = { status: request.status, decision: d, request };
  const reason = d?.reason ? { reason: d.reason } : null;
  const withReason = reason ? 'WithReason' : '';
  const mine = request.viewer.decided;
  if (mine && request.state === 'waiting')
    return refusal('already_decided', message(`refusal.mineWaiting.${mine}`), details);
  if (mine && (!d || d.outcome === mine))
    return refusal('already_decided', message(`refusal.mine${withReason}.${mine}`, { ...reason }), details);
  if (!d)
    return refusal('already_decided', message('refusal.notWaiting', { status: statusOf(request) }), details);
  const where = d.source === 'apono' ? 'InApono' : '';
  return refusal(
    'already_decided',
    message(`refusal.decided${where}${withReason}.${d.outcome}`, { who: deciderOf(request), ...reason }),
    details,
  );
}

export function tierNotReached(): AppError {
  return refusal('not_an_approver', message('refusal.tierNotReached'));
}
