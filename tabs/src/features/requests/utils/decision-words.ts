import type { Decision } from '@apono-teams/domain/reason.js';

/** How the tab names a decision, in one place: buttons, dialog titles, results and toasts. */
export interface DecisionWords {
  /** "Approve": buttons. */
  verb: string;
  /** "Approving…": the button while the decision is on its way. */
  ongoing: string;
  /** "Approved": results and toasts. */
  past: string;
  /** "approval": "a reason for approval". */
  noun: string;
  dialogTitle: string;
  /** The dialog's title where the account turned approver reasons off: nothing to type, only confirm. */
  confirmTitle: string;
}

const words: Record<Decision, DecisionWords> = {
  approve: {
    verb: 'Approve',
    ongoing: 'Approving…',
    past: 'Approved',
    noun: 'approval',
    dialogTitle: 'Please provide a reason for approval',
    confirmTitle: 'Confirm approval',
  },
  reject: {
    verb: 'Reject',
    ongoing: 'Rejecting…',
    past: 'Rejected',
    noun: 'rejection',
    dialogTitle: 'Please provide a reason for rejection',
    confirmTitle: 'Confirm rejection',
  },
};

export const decisionWords = (decision: Decision): DecisionWords => words[decision];
