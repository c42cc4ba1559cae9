// One reason for several requests: the reason rule is checked per request (a request whose access
// flow requires a reason fails on its own when the reason is empty), then each is sent in turn.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { checkReason, type Decision } from '@apono-teams/domain/reason.js';
import { describeDecisionFailure } from './decision-error.js';

export type BulkResult =
  | { id: string; ok: true; request: ApprovalRequest }
  | { id: string; ok: false; message: string; settled: boolean };

export async function decideEach(
  requests: readonly ApprovalRequest[],
  decision: Decision,
  reason: string,
  send: (id: string, decision: Decision, reason: string) => Promise<ApprovalRequest>,
  onResult: (result: BulkResult) => void = () => {},
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  // One at a time: Apono rate-limits decisions, and the person watches the results arrive in order.
  for (const request of requests) {
    const check = checkReason(reason, { required: request.requireReason, decision });
    let result: BulkResult;
    if (!check.ok) {
      result = { id: request.id, ok: false, message: check.message, settled: false };
    } else {
      try {
        result = { id: request.id, ok: true, request: await send(request.id, decision, check.reason ?? '') };
      } catch (error) {
        result = { id: request.id, ok: false, ...describeDecisionFailure(error) };
      }
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
