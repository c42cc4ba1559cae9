import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';

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
