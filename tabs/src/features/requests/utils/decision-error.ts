// What a person reads when a decision fails: the server's sentence, plus what it means for this
// request (someone else decided it; Apono may or may not have recorded it).
import type { DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { ApiError } from '../../../lib/api-client.js';
import {
  describeDecisionRecord,
  type DecisionWords as DecisionRecordWords,
} from '../../../lib/decision-record.js';

export interface DecisionFailure {
  message: string;
  /** The request is no longer waiting for this person: take it off the list. */
  settled: boolean;
}

function isDecisionRecord(value: unknown): value is DecisionRecord {
  return typeof value === 'object' && value !== null && 'outcome' in value;
}

export type FailureWords = DecisionRecordWords & { errorText: (error: unknown) => string };

/**
 * `errorText` words the server's error in the reader's language (error-words.ts); what it means for
 * this request comes from the tab's catalogue (tab.decisionFailure.*).
 */
export function describeDecisionFailure(error: unknown, words: FailureWords): DecisionFailure {
  const { t } = words;
  const said = words.errorText(error);
  if (!(error instanceof ApiError)) return { message: said, settled: false };
  const details = error.details ?? {};
  if (error.code === 'already_decided') {
    const record = details.decision;
    // With the decision in the details, all of it is said in the reader's words (the server's own
    // sentence is English); without, the server's sentence, and what it means for the person.
    if (isDecisionRecord(record))
      return {
        message: [
          t('common:errors.already_decided'),
          describeDecisionRecord(record, words),
          t('decisionFailure.nothingMore'),
        ].join(' '),
        settled: true,
      };
    const parts = [said];
    if (!/nothing more is needed/i.test(error.message)) parts.push(t('decisionFailure.nothingMore'));
    return { message: parts.join(' '), settled: true };
  }
  if (error.code === 'apono_unavailable' && 'decided' in details) {
    if (details.decided === true)
      return { message: `${said} ${t('decisionFailure.recorded')}`, settled: true };
    if (details.decided === null)
      return { message: `${said} ${t('decisionFailure.unknown')}`, settled: false };
  }
  return {
    message: said,
    settled: error.code === 'not_an_approver' || error.code === 'self_approval',
  };
}
