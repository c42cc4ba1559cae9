import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import { checkReason, MAX_REASON_LENGTH, type Decision } from '@apono-teams/domain/reason.js';
import { Caption1, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { Sentence } from '../../../components/Sentence.js';
import { UserText } from '../../../components/UserText.js';
import { useErrorText } from '../../../lib/error-words.js';
import { useWords } from '../../../lib/i18n.js';
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
  const words = useWords();
  const { t } = words;
  const errorText = useErrorText();
  const { verb, ongoing } = decisionWords(decision, t);
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
      setFailure(describeDecisionFailure(error, { ...words, dateTime: words.f.dateTime, errorText }));
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
      closeLabel={settled ? t('dialog.close') : t('dialog.cancel')}
      onSubmit={() => void submit()}
      onClose={() => onClose(settled ? { kind: 'settled' } : { kind: 'cancelled' })}
    >
      <Text>
        <Sentence
          words={(marks) => t(`dialog.${decision}.summary`, marks)}
          parts={{
            id: (
              <strong>
                <UserText text={request.displayId} />
              </strong>
            ),
            requester: <UserText text={request.requester.name} />,
          }}
        />
      </Text>
      {!asksReason && <Caption1>{t('dialog.noReasons')}</Caption1>}
      {asksReason && request.requireReason && (
        <MessageBar intent="warning">
          <MessageBarBody>{t(`dialog.${decision}.required`)}</MessageBarBody>
        </MessageBar>
      )}
      {asksReason && (
        <ReasonField
          label={t('dialog.reason')}
          hint={t(request.requireReason ? 'dialog.hintRequired' : 'dialog.hintOptional', {
            max: words.f.count(MAX_REASON_LENGTH),
          })}
          value={reason}
          check={check}
          decision={decision}
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
