// Apono's approval semantics over one request: who may decide, AnyOf / AllOf, escalation tiers,
// self-approval, the reason rule (the domain's checkReason, the same one the app uses; off when the
// account disables approver reasons), "a decided request cannot be decided again", and the status
// lifecycle after a decision: Pending → Granting → Active → Revoked, or Rejected, or Failed.
import { checkReason } from '@apono-teams/domain/reason.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import { findFlow } from './catalog.js';
import { SandboxError } from './errors.js';
import type { ApproverEntry, RequestRecord, RequestStatus } from './model.js';
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

/** What Apono's My Tasks lists: the request waits, and an entry naming the person is open to them now. */
export const waitsFor = (request: RequestRecord, email: string, at: number): boolean =>
  request.status === 'Pending' && activeEntries(request, email, at).some((a) => a.status === 'Pending');

export const canSee = (request: RequestRecord, email: string): boolean =>
  request.requesterEmail === email || request.approvers.some((a) => names(a, email));

export interface DecisionInput {
  caller: SandboxUser;
  decision: Decision;
  justification: string | null | undefined;
  /** Epoch seconds. */
  at: number;
  /** The account's disable_approver_reason: no reason is required or checked. */
  reasonDisabled?: boolean;
  /** The ID the caller used, for messages (default: the friendly ID). */
  shownId?: string;
}

/** Applies the decision or throws a SandboxError; returns the request's new status when it changed. */
export function decide(request: RequestRecord, input: DecisionInput): 'Granting' | 'Rejected' | null {
  const { caller, decision, at } = input;
  const id = input.shownId ?? request.friendlyId;
  const flow = findFlow(request.flowId);
  if (!flow || !canSee(request, caller.email))
    throw new SandboxError(404, `Access request ${id} was not found`);
  // Apono refuses a second decision with a client error; the sandbox picks 400 (not 409) and a
  // message naming the current status, so the app must re-read the request to learn what happened.
  if (request.status !== 'Pending')
    throw new SandboxError(400, `Access request ${id} is not pending (status: ${request.status})`);
  const named = request.approvers.filter((a) => names(a, caller.email));
  if (!named.length) throw new SandboxError(403, `You are not an approver of access request ${id}`);
  if (request.requesterEmail === caller.email && !flow.allowSelfApproval)
    throw new SandboxError(
      403,
      `Access flow "${flow.name}" does not allow requesters to approve their own access requests`,
    );
  const reached = named.filter((a) => tierReached(request, a, at));
  if (!reached.length)
    throw new SandboxError(
      403,
      `Access request ${id} has not been escalated to your approver tier (${named[0]?.tier}) yet`,
    );
  const open = reached.filter((a) => a.status === 'Pending');
  if (!open.length) throw new SandboxError(400, `You have already decided access request ${id}`);
  if (!input.reasonDisabled) {
    const reason = checkReason(input.justification, {
      required: flow.requireApproverReason === true,
      decision,
    });
    if (!reason.ok) throw new SandboxError(400, reason.message);
  }

  const mark = { byEmail: caller.email, byName: caller.name, at };
  for (const entry of open) {
    entry.status = decision === 'approve' ? 'Approved' : 'Rejected';
    entry.decision = mark;
  }
  const outcome =
    decision === 'reject'
      ? 'Rejected'
      : flow.relation === 'AnyOf' || request.approvers.every((a) => a.status === 'Approved')
        ? 'Granting'
        : null;
  if (outcome) request.status = outcome;
  return outcome;
}

/** Granting → Active. */
export function grant(request: RequestRecord, at: number): boolean {
  if (request.status !== 'Granting') return false;
  request.status = 'Active';
  request.grantedAt = at;
  return true;
}

const revocable: readonly RequestStatus[] = ['Pending', 'Granting', 'Active'];

/** The access ran out (or the request timed out): Revoked, as Apono reports expiry. */
export function revoke(request: RequestRecord, at: number, shownId = request.friendlyId): void {
  if (!revocable.includes(request.status))
    throw new SandboxError(400, `Access request ${shownId} cannot expire (status: ${request.status})`);
  request.status = 'Revoked';
  request.revokedAt = at;
}

const failable: readonly RequestStatus[] = ['Granting', 'Active'];

/** Granting the access failed at the integration: Failed. */
export function fail(request: RequestRecord, shownId = request.friendlyId): void {
  if (!failable.includes(request.status))
    throw new SandboxError(400, `Access request ${shownId} cannot fail (status: ${request.status})`);
  request.status = 'Failed';
}
