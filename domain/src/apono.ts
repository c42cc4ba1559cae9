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

// `metadata` maps (request status, approver entries) are free string maps in the spec with no documented
// key, and Apono's CLI never reads them: this app does not either.
