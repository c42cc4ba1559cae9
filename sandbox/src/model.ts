// The sandbox's own record of an access request. Responses are shaped from it per caller
// (present.ts), so Apono's client model is never stored half-personalised.
import type { ApproverKind } from './catalog.js';

export type RequestStatus = 'Pending' | 'Approved' | 'Rejected' | 'Granted' | 'Expired';
export type EntryStatus = 'Pending' | 'Approved' | 'Rejected';

export interface DecisionMark {
  byEmail: string;
  byName: string;
  /** Epoch seconds. */
  at: number;
  reason: string | null;
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
  id: string;
  requesterEmail: string;
  flowId: string;
  justification: string | null;
  /** Epoch seconds. */
  createdAt: number;
  durationSeconds: number | null;
  status: RequestStatus;
  accessGroups: AccessGroupRecord[];
  approvers: ApproverEntry[];
  decision: (DecisionMark & { outcome: 'Approved' | 'Rejected' }) | null;
  grantedAt: number | null;
}
