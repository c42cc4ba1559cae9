// Names for the parts of Apono's client API that this app reads. Generated from the spec
// (apono/client-openapi.json → apono-openapi.ts by `npm run generate`); never written by hand.
import type { components, paths } from './apono-openapi.js';

export type { components, paths };
type Schemas = components['schemas'];

export type AponoAccessRequest = Schemas['AccessRequestClientModel'];
export type AponoAccessRequestPage = Schemas['PaginatedClientResponseModelAccessRequestClientModel'];
export type AponoAccessUnit = Schemas['AccessUnitClientModel'];
export type AponoAccessUnitPage = Schemas['PaginatedClientResponseModelAccessUnitClientModel'];
export type AponoSession = Schemas['UserSessionClientModel'];
export type AponoApprover = Schemas['ChallengeApproverClientModel'];
export type AponoScope = Schemas['AccessRequestsScopeModel'];
export type AponoDecisionBody = Schemas['ApprovalResultClientModel'];
export type AponoMessage = Schemas['MessageResponse'];

/**
 * Keys this app reads from the free-form `metadata` maps of Apono's client model. The spec types
 * them only as string maps; the sandbox fills them the same way.
 */
export const approverMetadata = {
  /** Set on an approver entry that names the caller (user, group member, manager, owner, on-call). */
  includesYou: 'includes_you',
  userEmail: 'user_email',
  decidedByName: 'decided_by_name',
  decidedByEmail: 'decided_by_email',
  decidedAt: 'decided_at',
  reason: 'reason',
} as const;

export const statusMetadata = {
  accessFlowName: 'access_flow_name',
  decidedByName: 'decided_by_name',
  decidedByEmail: 'decided_by_email',
  decidedAt: 'decided_at',
  reason: 'reason',
} as const;
