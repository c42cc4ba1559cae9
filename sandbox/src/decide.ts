// Apono's approval semantics over one request: who may decide, AnyOf / AllOf, escalation tiers,
// self-approval, the reason rule (the domain's checkReason, the same one the app uses) and
// "a decided request cannot be decided again".
import { checkReason } from '@apono-teams/domain/reason.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import { findFlow } from './catalog.js';
import { SandboxError } from './errors.js';
import type { ApproverEntry, RequestRecord } from './model.js';
import type { SandboxUser } from './users.js';

export const names = (entry: ApproverEntry, email: string): boolean => entry.members.includes(email);

/** The first tier decides from the start; a later tier only once escalated to. */
export function tierReached(request: RequestRecord, entry: ApproverEntry, at: number): boolean {
  if (entry.tier == null) return true;
  const first = Math.min(...request.approvers.map((a) => a.tier ?? Infinity));
  return entry.tier <= first || (entry.escalatedAt != null && entry.escalatedAt <= at);
}

/** Entries that name the person and whose tier has been reached: what makes them an approver now. */
export const activeEntries = (request: RequestRecord, email: string, at: number): ApproverEntry[] =>
  request.approvers.filter((a) => names(a, email) && tierReached(request, a, at));

export const canSee = (request: RequestRecord, email: string): boolean =>
  request.requesterEmail === email || request.approvers.some((a) => names(a, email));

export interface DecisionInput {
  caller: SandboxUser;
  decision: Decision;
  justification: string | null | undefined;
  /** Epoch seconds. */
  at: number;
}

/** Applies the decision or throws a SandboxError; returns the request's new status when it changed. */
export function decide(request: RequestRecord, input: DecisionInput): 'Approved' | 'Rejected' | null {
  const { caller, decision, at } = input;
  const flow = findFlow(request.flowId);
  if (!flow || !canSee(request, caller.email))
    throw new SandboxError(404, `Access request ${request.id} was not found`);
  // Apono refuses a second decision with a client error; the sandbox picks 400 (not 409) and a
  // message naming the current status, so the app must re-read the request to learn who decided.
  if (request.status !== 'Pending')
    throw new SandboxError(400, `Access request ${request.id} is not pending (status: ${request.status})`);
  const named = request.approvers.filter((a) => names(a, caller.email));
  if (!named.length) throw new SandboxError(403, `You are not an approver of access request ${request.id}`);
  if (request.requesterEmail === caller.email && !flow.allowSelfApproval)
    throw new SandboxError(
      403,
      `Access flow "${flow.name}" does not allow requesters to approve their own access requests`,
    );
  const reached = named.filter((a) => tierReached(request, a, at));
  if (!reached.length)
    throw new SandboxError(
      403,
      `Access request ${request.id} has not been escalated to your approver tier (${named[0]?.tier}) yet`,
    );
  const open = reached.filter((a) => a.status === 'Pending');
  if (!open.length) throw new SandboxError(400, `You have already decided access request ${request.id}`);
  const reason = checkReason(input.justification, {
    required: flow.requireApproverReason === true,
    decision,
  });
  if (!reason.ok) throw new SandboxError(400, reason.message);

  const mark = { byEmail: caller.email, byName: caller.name, at, reason: reason.reason };
  for (const entry of open) {
    entry.status = decision === 'approve' ? 'Approved' : 'Rejected';
    entry.decision = mark;
  }
  const outcome =
    decision === 'reject'
      ? 'Rejected'
      : flow.relation === 'AnyOf' || request.approvers.every((a) => a.status === 'Approved')
        ? 'Approved'
        : null;
  if (outcome) {
    request.status = outcome;
    request.decision = { ...mark, outcome };
  }
  return outcome;
}

export function grant(request: RequestRecord, at: number): boolean {
  if (request.status !== 'Approved') return false;
  request.status = 'Granted';
  request.grantedAt = at;
  return true;
}

export function expire(request: RequestRecord): void {
  if (!['Pending', 'Approved', 'Granted'].includes(request.status))
    throw new SandboxError(400, `Access request ${request.id} cannot expire (status: ${request.status})`);
  request.status = 'Expired';
}
