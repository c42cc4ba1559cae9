import type { Translate } from '@apono-teams/domain/message.js';
import type { Decision } from '@apono-teams/domain/reason.js';

/** How the tab names a decision, in one place: buttons, dialog titles, results and toasts. */
export interface DecisionWords {
  /** "Approve": buttons. */
  verb: string;
  /** "Approving…": the button while the decision is on its way. */
  ongoing: string;
  /** "Approved": results and toasts. */
  past: string;
  dialogTitle: string;
  /** The dialog's title where the account turned approver reasons off: nothing to type, only confirm. */
  confirmTitle: string;
}

/** The words for a decision from the tab's catalogue (tab.decide.approve.*, tab.decide.reject.*). */
export const decisionWords = (decision: Decision, t: Translate): DecisionWords => ({
  verb: t(`decide.${decision}.verb`),
  ongoing: t(`decide.${decision}.ongoing`),
  past: t(`decide.${decision}.past`),
  dialogTitle: t(`decide.${decision}.dialogTitle`),
  confirmTitle: t(`decide.${decision}.confirmTitle`),
});
