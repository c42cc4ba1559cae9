// What a request looks like once Apono accepted a decision, derived from the read made before it:
// the answer the decider gets at once (issue 11, 3), while the read that confirms it runs after the
// answer and corrects every copy when Apono shows something else. Apono's rules as its client API
// shows them (and the sandbox follows): a rejection ends the request; an approval ends it under
// AnyOf, and under AllOf once every approver entry has approved. A settled approval starts as
// Granting (apono-cli pkg/services/requests.go: Pending → Granting → Active).
import type { ApprovalRequest, ApproverEntry, Outcome } from './approval-request.js';
import { stateOf, statusLabel } from './status.js';

export interface DecisionMade {
  outcome: Outcome;
  /** The decider as Apono knows them (their connection's name and email). */
  by: { name: string; email: string };
  reason: string | null;
  at: Date;
}

/**
 * `before` after the viewer's decision. The viewer's open entries take the outcome (only those the
 * read showed as theirs: a group entry that names them without saying so stays as it was, and an
 * AllOf then stays pending here until the re-read says otherwise).
 */
export function afterDecision(before: ApprovalRequest, made: DecisionMade): ApprovalRequest {
  const entryStatus: ApproverEntry['status'] = made.outcome === 'approved' ? 'Approved' : 'Rejected';
  const approval = before.approval && {
    ...before.approval,
    approvers: before.approval.approvers.map((a) =>
      a.includesViewer && a.status === 'Pending' ? { ...a, status: entryStatus } : a,
    ),
  };
  const settled =
    made.outcome === 'rejected' ||
    !approval ||
    approval.relation === 'AnyOf' ||
    approval.approvers.every((a) => a.status === 'Approved');
  const viewer = { ...before.viewer, canDecide: false, decided: made.outcome };
  if (!settled) return { ...before, approval, viewer: { ...viewer, cannotDecide: 'already_decided' } };
  const status = made.outcome === 'approved' ? 'Granting' : 'Rejected';
  return {
    ...before,
    status,
    state: stateOf(status),
    statusLabel: statusLabel(status),
    statusDescription: null,
    approval,
    viewer: { ...viewer, cannotDecide: 'not_pending' },
    decision: {
      outcome: made.outcome,
      decidedBy: { name: made.by.name, email: made.by.email, kind: null },
      decidedAt: made.at.toISOString(),
      reason: made.reason,
      source: 'app',
    },
  };
}

/** Whether a read shows what the answer said: the same status, outcome and the viewer's standing. */
export function sameOutcome(answered: ApprovalRequest, read: ApprovalRequest): boolean {
  return (
    answered.status === read.status &&
    (answered.decision?.outcome ?? null) === (read.decision?.outcome ?? null) &&
    answered.viewer.canDecide === read.viewer.canDecide &&
    answered.viewer.decided === read.viewer.decided
  );
}
