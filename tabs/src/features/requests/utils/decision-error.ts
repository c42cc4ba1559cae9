// What a person reads when a decision fails: the server's sentence, plus what it means for this
// request (someone else decided it; Apono may or may not have recorded it).
import type { DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { describeDecisionRecord } from '../../../lib/decision-record.js';

export interface DecisionFailure {
  message: string;
  /** The request is no longer waiting for this person: take it off the list. */
  settled: boolean;
}

function isDecisionRecord(value: unknown): value is DecisionRecord {
  return typeof value === 'object' && value !== null && 'outcome' in value;
}

export function describeDecisionFailure(
  error: unknown,
  formatDate: (iso: string) => string = (iso) => new Date(iso).toLocaleString(),
): DecisionFailure {
  if (!(error instanceof ApiError)) return { message: errorMessage(error), settled: false };
  const details = error.details ?? {};
  if (error.code === 'already_decided') {
    const record = details.decision;
    // The server's sentence usually names who decided already; add it only when it does not.
    const named =
      !isDecisionRecord(record) || !record.decidedBy || error.message.includes(record.decidedBy.name);
    const extra = named ? '' : ` ${describeDecisionRecord(record, formatDate)}`;
    const done = /nothing more is needed/i.test(error.message) ? '' : ' Nothing more is needed from you.';
    return { message: `${error.message}${extra}${done}`, settled: true };
  }
  if (error.code === 'apono_unavailable' && 'decided' in details) {
    if (details.decided === true) {
      return {
        message: `${error.message} Your decision was recorded before Apono stopped answering.`,
        settled: true,
      };
    }
    if (details.decided === null) {
      return {
        message: `${error.message} It is not known whether your decision was recorded; refresh the list before trying again.`,
        settled: false,
      };
    }
  }
  return {
    message: error.message,
    settled: error.code === 'not_an_approver' || error.code === 'self_approval',
  };
}
