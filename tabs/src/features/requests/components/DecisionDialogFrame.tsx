import type { Decision } from '@apono-teams/domain/reason.js';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { FormEvent, ReactNode } from 'react';
import { useWords } from '../../../lib/i18n.js';
import { decisionWords } from '../utils/decision-words.js';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  // The actions' grid column is as narrow as it can be, so "Approve 3 requests" broke over two
  // lines beside Cancel (from 481 px, where the buttons stop stacking); a label stays on one line.
  button: { whiteSpace: 'nowrap', flexShrink: 0 },
});

interface DecisionDialogFrameProps {
  decision: Decision;
  /** False where the account turned approver reasons off: the dialog only confirms. */
  asksReason: boolean;
  /** The title where a reason is asked for, if not "Please provide a reason for approval". */
  title?: string;
  /** While the decision is on its way the dialog cannot be dismissed. */
  busy: boolean;
  /** The primary button's text; null hides it (nothing left to send). */
  submitLabel: string | null;
  submitDisabled: boolean;
  closeLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** The layout both reason dialogs share: title, a form (Enter submits), send and close buttons. */
export function DecisionDialogFrame({
  decision,
  asksReason,
  title,
  busy,
  submitLabel,
  submitDisabled,
  closeLabel,
  onSubmit,
  onClose,
  children,
}: DecisionDialogFrameProps) {
  const styles = useStyles();
  const { t } = useWords();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog
      open
      modalType={busy ? 'alert' : 'modal'}
      onOpenChange={(_, data) => {
        if (!data.open && !busy) onClose();
      }}
    >
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>
              {asksReason
                ? (title ?? decisionWords(decision, t).dialogTitle)
                : decisionWords(decision, t).confirmTitle}
            </DialogTitle>
            <DialogContent className={styles.content}>{children}</DialogContent>
            <DialogActions>
              {submitLabel !== null && (
                <Button
                  type="submit"
                  className={styles.button}
                  appearance="primary"
                  disabled={submitDisabled || busy}
                  icon={busy ? <Spinner size="tiny" /> : undefined}
                >
                  {submitLabel}
                </Button>
              )}
              <Button className={styles.button} disabled={busy} onClick={onClose}>
                {closeLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
