import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { checkReason, MAX_REASON_LENGTH, type Decision } from '@apono-teams/domain/reason.js';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { decideRequest } from '../api/requests.js';
import { describeDecisionFailure, type DecisionFailure } from '../utils/decision-error.js';
import { reasonDialogTitle } from '../utils/dialog-title.js';
import { ReasonField } from './ReasonField.js';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export type ReasonDialogResult =
  | { kind: 'decided'; request: ApprovalRequest }
  /** The request no longer waits for this person (someone else decided it, or Apono recorded it). */
  | { kind: 'settled' }
  | { kind: 'cancelled' };

interface ReasonDialogProps {
  request: ApprovalRequest;
  decision: Decision;
  onClose: (result: ReasonDialogResult) => void;
}

/** Asks for the approver's reason under Apono's rule, sends the decision and reports failures in place. */
export default function ReasonDialog({ request, decision, onClose }: ReasonDialogProps) {
  const styles = useStyles();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<DecisionFailure | null>(null);
  const check = checkReason(reason, { required: request.requireReason, decision });
  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  const noun = decision === 'approve' ? 'approval' : 'rejection';
  const settled = failure?.settled === true;

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    setTouched(true);
    if (!check.ok || sending || settled) return;
    setSending(true);
    setFailure(null);
    try {
      const updated = await decideRequest(request.id, decision, check.reason ?? '');
      onClose({ kind: 'decided', request: updated });
    } catch (error) {
      setFailure(describeDecisionFailure(error));
      setSending(false);
    }
  }

  const close = () => onClose(settled ? { kind: 'settled' } : { kind: 'cancelled' });

  return (
    <Dialog
      open
      modalType={sending ? 'alert' : 'modal'}
      onOpenChange={(_, data) => {
        if (!data.open && !sending) close();
      }}
    >
      <DialogSurface>
        <form onSubmit={(e) => void submit(e)}>
          <DialogBody>
            <DialogTitle>{reasonDialogTitle(decision)}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text>
                {verb} <strong>{request.id}</strong> requested by {request.requester.name}.
              </Text>
              {request.requireReason && (
                <MessageBar intent="warning">
                  <MessageBarBody>
                    This access flow requires a reason for {noun}. {verb} is available once you type one.
                  </MessageBarBody>
                </MessageBar>
              )}
              <ReasonField
                label="Reason"
                hint={`${request.requireReason ? 'Required' : 'Optional'}; up to ${MAX_REASON_LENGTH} characters. The requester sees it.`}
                value={reason}
                check={check}
                required={request.requireReason}
                showRequired={touched}
                disabled={sending || settled}
                onChange={(value) => {
                  setReason(value);
                  setTouched(true);
                }}
                onSubmit={() => void submit()}
              />
              {failure && (
                <MessageBar intent={settled ? 'info' : 'error'} layout="multiline" role="alert">
                  <MessageBarBody>{failure.message}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              {!settled && (
                <Button
                  type="submit"
                  appearance="primary"
                  disabled={!check.ok || sending}
                  icon={sending ? <Spinner size="tiny" /> : undefined}
                >
                  {sending ? `${verb.replace(/e$/, '')}ing…` : verb}
                </Button>
              )}
              <Button disabled={sending} onClick={close}>
                {settled ? 'Close' : 'Cancel'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
