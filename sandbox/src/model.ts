// The sandbox's own record of an access request. Responses are shaped from it (present.ts) with
// nothing personal to the caller: Apono's client model has no field that says "this entry is you".
// Who each entry names (`members`) and who decided it stay here, inside the sandbox.
import type { ApproverKind } from './catalog.js';

/** Apono's request statuses: the constants of apono-io/apono-cli (pkg/services/requests.go). */
export type RequestStatus =
  | 'Initializing'
  | 'Pending'
  | 'PendingMFA'
  | 'Granting'
  | 'Active'
  | 'Revoking'
  | 'Revoked'
  | 'Rejected'
  | 'Failed';
export type EntryStatus = 'Pending' | 'Approved' | 'Rejected';

/** Who decided an approver entry, kept for the webhook's `approvals[].approver`; never in the client API. */
export interface DecisionMark {
  byEmail: string;
  byName: string;
  /** Epoch seconds. */
  at: number;
}

export interface ApproverEntry {
  kind: ApproverKind;
  name: string;
  tier: number | null;
  /** Epoch seconds when this entry's tier was escalated to; null for the first tier. */
  escalatedAt: number | null;
  /** Emails of everyone this entry names, resolved when the request was created (as Apono does). */
  members: string[];
  /** For `user` entries. */
  userEmail: string | null;
  status: EntryStatus;
  decision: DecisionMark | null;
}

export interface AccessUnitRecord {
  id: string;
  resourceId: string;
  permission: string;
}

export interface AccessGroupRecord {
  id: string;
  integrationId: string;
  units: AccessUnitRecord[];
}

export interface RequestRecord {
  /** What Apono's UI shows: AR-1042. */
  friendlyId: string;
  /** Apono's internal ID, a UUID derived from the friendly ID (request-ids.ts). */
  internalId: string;
  requesterEmail: string;
  flowId: string;
  justification: string | null;
  /** Epoch seconds. */
  createdAt: number;
  durationSeconds: number | null;
  status: RequestStatus;
  accessGroups: AccessGroupRecord[];
  approvers: ApproverEntry[];
  /** Epoch seconds: when access became Active. */
  grantedAt: number | null;
  /** Epoch seconds: when access was Revoked (expired or ended early). */
  revokedAt: number | null;
}
