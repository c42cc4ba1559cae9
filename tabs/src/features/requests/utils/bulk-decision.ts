// One reason for several requests: the reason rule is checked per request (a request whose access
// flow requires a reason fails on its own when the reason is empty), then each is sent in turn.
// Where the account turned approver reasons off, no reason is sent (null) whatever was typed.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { checkReason, reasonProblemMessage, type Decision } from '@apono-teams/domain/reason.js';
import { ApiError } from '../../../lib/api-client.js';
import { describeDecisionFailure, type FailureWords } from './decision-error.js';

/** `id` for the API and keys; `displayId` is what the person reads. */
export type BulkResult =
  | { id: string; displayId: string; ok: true; request: ApprovalRequest }
  | { id: string; displayId: string; ok: false; message: string; settled: boolean };

type Send = (id: string, decision: Decision, reason: string | null) => Promise<ApprovalRequest>;

const maxWaitSeconds = 30;
const wait = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/** Apono and the server limit decisions per minute: when told to slow down, wait as asked and retry (twice). */
async function sendPatiently(
  send: Send,
  id: string,
  decision: Decision,
  reason: string | null,
  onWait: (seconds: number) => void,
  sleep: (seconds: number) => Promise<void>,
): Promise<ApprovalRequest> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(id, decision, reason);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'rate_limited' || attempt >= 2) throw error;
      const seconds = Math.min(error.retryAfterSeconds ?? 5, maxWaitSeconds);
      onWait(seconds);
      await sleep(seconds);
    }
  }
}

export async function decideEach(
  requests: readonly ApprovalRequest[],
  decision: Decision,
  reason: string | null,
  send: Send,
  onResult: (result: BulkResult) => void = () => {},
  options: {
    /** The reader's words for a refused reason or a failed decision. */
    words: FailureWords;
    onWait?: (seconds: number) => void;
    sleep?: (seconds: number) => Promise<void>;
  },
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  // One at a time: Apono rate-limits decisions, and the person watches the results arrive in order.
  for (const request of requests) {
    const check = request.reasonDisabled
      ? ({ ok: true, reason: null } as const)
      : checkReason(reason, { required: request.requireReason, decision });
    const ids = { id: request.id, displayId: request.displayId };
    let result: BulkResult;
    if (!check.ok) {
      result = {
        ...ids,
        ok: false,
        message: options.words.say(reasonProblemMessage(check, decision)),
        settled: false,
      };
    } else {
      try {
        const sent = await sendPatiently(
          send,
          request.id,
          decision,
          check.reason,
          options.onWait ?? (() => {}),
          options.sleep ?? wait,
        );
        result = { ...ids, ok: true, request: sent };
      } catch (error) {
        result = { ...ids, ok: false, ...describeDecisionFailure(error, options.words) };
      }
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
