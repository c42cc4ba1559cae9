// "A request changed": emitted after a decision made here and after Apono's webhook says something
// happened elsewhere. Notifications and card updates subscribe; the decision never waits for them.
import { EventEmitter } from 'node:events';
import type { ApprovalRequest, Outcome } from '@apono-teams/domain/approval-request.js';
import type { Caller } from '../identity/tokens.js';

export interface RequestDecided {
  request: ApprovalRequest;
  outcome: Outcome;
  reason: string | null;
  decidedBy: Caller;
  /** When `request` was read from Apono (ms since the epoch), set when the decision's job is queued. */
  readAt?: number;
}

export interface RequestChanged {
  requestId: string;
  /** Apono's trigger name (RequestCreated, RequestApproved, RequestRejected, RequestGranted, RequestExpired, RequestFailed). */
  source: string;
  /** Hints from the webhook body (admin-written, so possibly absent): who asked and who may approve. */
  requesterEmail: string | null;
  approverEmails: string[];
}

interface EventMap {
  decided: [RequestDecided];
  changed: [RequestChanged];
  /** A decision was answered and the read that confirms it runs now; settles once 'decided' is out. */
  confirming: [Promise<unknown>];
}

export class RequestEvents extends EventEmitter<EventMap> {}
