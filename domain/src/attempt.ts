// A decision made through the app whose answer from Apono was lost (a timeout, a dropped connection,
// an instance killed right after Apono accepted it): whether it took effect is read from the request
// as Apono shows it afterwards, never assumed. One rule for the decision flow and the sweep that
// finishes decisions a dead instance left behind.
import type { ApprovalRequest, Outcome } from './approval-request.js';

/**
 * Whether `outcome`, attempted by the person `after` was read as, is in effect in Apono: Apono lists
 * their own decision as that, or the request's decision is that outcome. An AllOf request still
 * waiting for others shows no decision; there an approval landed when the person could decide it
 * before the attempt (`before`) and no longer can.
 */
export function attemptLanded(
  after: ApprovalRequest,
  outcome: Outcome,
  before: ApprovalRequest | null = null,
): boolean {
  if (after.viewer.decided === outcome) return true;
  if (after.decision) return after.decision.outcome === outcome;
  return (
    outcome === 'approved' &&
    after.state === 'waiting' &&
    before !== null &&
    before.viewer.canDecide &&
    !after.viewer.canDecide
  );
}
