import type { ApprovalRequest, CannotDecide, Outcome } from '@apono-teams/domain/approval-request.js';

export interface ResourceLine {
  resource: string;
  integration: string | null;
}

/** Distinct resources with their integration, in the order Apono lists them. */
export function resourceLines(request: ApprovalRequest): ResourceLine[] {
  const seen = new Map<string, ResourceLine>();
  for (const unit of request.accessUnits) {
    const key = `${unit.resource}\u0000${unit.integration ?? ''}`;
    if (!seen.has(key)) seen.set(key, { resource: unit.resource, integration: unit.integration });
  }
  return [...seen.values()];
}

export function permissionNames(request: ApprovalRequest): string[] {
  return [...new Set(request.accessUnits.map((u) => u.permission))];
}

export function relationText(relation: 'AnyOf' | 'AllOf'): string {
  return relation === 'AllOf'
    ? 'Every approver below must approve (AllOf)'
    : 'Any one approver below can decide (AnyOf)';
}

/** Why the viewer cannot decide a request that is still listed for them. */
export function cannotDecideText(reason: CannotDecide | null, decided: Outcome | null = null): string {
  switch (reason) {
    case 'requester':
      return 'You requested this access; another approver decides it.';
    case 'tier_not_reached':
      return 'Your escalation tier has not been reached; you can decide once the request escalates to you.';
    case 'already_decided':
      return decided
        ? `You ${decided} it; the request waits for other approvers.`
        : 'You have decided; the request waits for other approvers.';
    case 'not_pending':
      return 'This request is no longer pending.';
    default:
      return 'You cannot decide this request.';
  }
}
