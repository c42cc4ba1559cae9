import type { Translate } from '@apono-teams/domain/message.js';
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

export function relationText(relation: 'AnyOf' | 'AllOf', t: Translate): string {
  return t(relation === 'AllOf' ? 'request.allOf' : 'request.anyOf');
}

/** Why the viewer cannot decide a request that is still listed for them. */
export function cannotDecideText(
  t: Translate,
  reason: CannotDecide | null,
  decided: Outcome | null = null,
): string {
  switch (reason) {
    case 'requester':
    case 'tier_not_reached':
    case 'not_pending':
      return t(`cannotDecide.${reason}`);
    case 'already_decided':
      return t(decided ? `cannotDecide.youDecided.${decided}` : 'cannotDecide.youDecided.unknown');
    default:
      return t('cannotDecide.other');
  }
}
