import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import { checkReason, MAX_REASON_LENGTH, type Decision } from '@apono-teams/domain/reason.js';
import { Caption1, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { UserText } from '../../../components/UserText.js';
import { decideRequest } from '../api/requests.js';
import { describeDecisionFailure, type DecisionFailure } from '../utils/decision-error.js';
import { decisionWords } from '../utils/decision-words.js';
import { DecisionDialogFrame } from './DecisionDialogFrame.js';
import { ReasonField } from './ReasonField.js';

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

/**
 * Asks for the approver's reason under Apono's rule, sends the decision and reports failures in
 * place. Where the account turned approver reasons off, it only confirms and sends no reason.
 */
export default function ReasonDialog({ request, decision, onClose }: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<DecisionFailure | null>(null);
  const asksReason = !request.reasonDisabled;
  const check = asksReason
    ? checkReason(reason, { required: request.requireReason, decision })
    : ({ ok: true, reason: null } as const);
  const { verb, ongoing, noun } = decisionWords(decision);
  const settled = failure?.settled === true;

  async function submit() {
    setTouched(true);
    if (!check.ok || sending || settled) return;
    setSending(true);
    setFailure(null);
    try {
      const updated = await decideRequest(request.id, decision, check.reason);
      onClose({ kind: 'decided', request: updated });
    } catch (error) {
      setFailure(describeDecisionFailure(error));
      setSending(false);
    }
  }

  return (
    <DecisionDialogFrame
      decision={decision}
      asksReason={asksReason}
      busy={sending}
      submitLabel={settled ? null : sending ? ongoing : verb}
      submitDisabled={!check.ok}
      closeLabel={settled ? 'Close' : 'Cancel'}
      onSubmit={() => void submit()}
      onClose={() => onClose(settled ? { kind: 'settled' } : { kind: 'cancelled' })}
    >
      <Text>
        {verb}{' '}
        <strong>
          <UserText text={request.displayId} />
        </strong>{' '}
        requested by <UserText text={request.requester.name} />.
      </Text>
      {!asksReason && (
        <Caption1>Your Apono account does not take approver reasons, so none is asked for.</Caption1>
      )}
      {asksReason && request.requireReason && (
        <MessageBar intent="warning">
          <MessageBarBody>
            This access flow requires a reason for {noun}. {verb} is available once you type one.
          </MessageBarBody>
        </MessageBar>
      )}
      {asksReason && (
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
      )}
      {failure && (
        <MessageBar intent={settled ? 'info' : 'error'} layout="multiline" role="alert">
          {/* The server's sentence may name people: the display rule, though not one run to isolate. */}
          <MessageBarBody>{displayText(failure.message)}</MessageBarBody>
        </MessageBar>
      )}
    </DecisionDialogFrame>
  );
}
