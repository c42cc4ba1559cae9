import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import { checkReason, MAX_REASON_LENGTH, type Decision } from '@apono-teams/domain/reason.js';
import {
  Caption1,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircleRegular, ErrorCircleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { PlainList } from '../../../components/PlainList.js';
import { UserText } from '../../../components/UserText.js';
import { decideRequest } from '../api/requests.js';
import { decideEach, type BulkResult } from '../utils/bulk-decision.js';
import { decisionWords } from '../utils/decision-words.js';
import { DecisionDialogFrame } from './DecisionDialogFrame.js';
import { ReasonField } from './ReasonField.js';

const useStyles = makeStyles({
  results: { maxHeight: '40vh', overflowY: 'auto' },
  result: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  // The icon sits on the first line of its text.
  icon: { flexShrink: 0, marginBlockStart: tokens.spacingVerticalXXS },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

interface BulkDecisionDialogProps {
  requests: ApprovalRequest[];
  decision: Decision;
  onClose: (results: BulkResult[]) => void;
}

/**
 * One reason for several requests; the reason rule is checked for each, and each result is listed.
 * Where the account turned approver reasons off, it only confirms and sends no reason.
 */
export default function BulkDecisionDialog({ requests, decision, onClose }: BulkDecisionDialogProps) {
  const styles = useStyles();
  const [reason, setReason] = useState('');
  const [results, setResults] = useState<BulkResult[]>([]);
  const [phase, setPhase] = useState<'editing' | 'sending' | 'done'>('editing');
  const [waiting, setWaiting] = useState<number | null>(null);
  // An account-wide setting, so the same for every request; the field shows if any takes a reason.
  const asksReason = requests.some((r) => !r.reasonDisabled);
  // Only the length is checked for all; "required" is decided per request when sending.
  const lengthCheck = checkReason(reason, { required: false, decision });
  // The requests whose flow refuses an empty reason, by the one reason rule.
  const needReason = requests.filter((r) => !checkReason('', { required: r.requireReason, decision }).ok);
  const allNeedReason = needReason.length === requests.length;
  // Where every one of them needs a reason, none can go without: wait for it.
  const canSubmit = lengthCheck.ok && !(asksReason && allNeedReason && lengthCheck.reason === null);
  const { verb, past } = decisionWords(decision);
  const count = `${requests.length} request${requests.length === 1 ? '' : 's'}`;

  async function submit() {
    if (!canSubmit || phase !== 'editing') return;
    setPhase('sending');
    await decideEach(
      requests,
      decision,
      asksReason ? reason : null,
      decideRequest,
      (result) => {
        setWaiting(null);
        setResults((previous) => [...previous, result]);
      },
      { onWait: setWaiting },
    );
    setWaiting(null);
    setPhase('done');
  }

  return (
    <DecisionDialogFrame
      decision={decision}
      asksReason={asksReason}
      busy={phase === 'sending'}
      submitLabel={phase === 'done' ? null : `${verb} ${count}`}
      title={`${verb} ${count}`}
      submitDisabled={!canSubmit}
      closeLabel={phase === 'done' ? 'Done' : 'Cancel'}
      onSubmit={() => void submit()}
      onClose={() => onClose(results)}
    >
      <Text>
        {verb} {count}: <IdList requests={requests} />.
      </Text>
      {!asksReason && (
        <Caption1>Your Apono account does not take approver reasons, so none is asked for.</Caption1>
      )}
      {needReason.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {needReason.length === 1 ? '1 of them requires' : `${needReason.length} of them require`} a reason
            (<IdList requests={needReason} />
            ). Without one, {needReason.length === 1 ? 'it' : 'they'} will not be {past.toLowerCase()}.
          </MessageBarBody>
        </MessageBar>
      )}
      {asksReason && (
        <ReasonField
          label={reasonLabel(needReason.length, requests.length)}
          hint={`One reason for all of them, up to ${MAX_REASON_LENGTH} characters. Each requester sees it.`}
          value={reason}
          check={lengthCheck}
          required={allNeedReason}
          showRequired={false}
          disabled={phase !== 'editing'}
          onChange={setReason}
          onSubmit={() => void submit()}
        />
      )}
      {phase !== 'editing' && (
        <>
          <ProgressBar
            value={results.length / requests.length}
            aria-label={`Decided ${results.length} of ${requests.length}`}
          />
          {waiting !== null && (
            <Text role="status">
              Apono limits how many decisions can be sent per minute; continuing in {waiting} s.
            </Text>
          )}
          <PlainList spacing="small" className={styles.results} aria-label="Results">
            {results.map((result) => (
              <li key={result.id} className={styles.result}>
                {result.ok ? (
                  <CheckmarkCircleRegular className={mergeClasses(styles.icon, styles.ok)} aria-hidden />
                ) : (
                  <ErrorCircleRegular className={mergeClasses(styles.icon, styles.failed)} aria-hidden />
                )}
                <Text>
                  <strong>
                    <UserText text={result.displayId} />
                  </strong>
                  : {result.ok ? past : `Not ${past.toLowerCase()}. ${displayText(result.message)}`}
                </Text>
              </li>
            ))}
          </PlainList>
        </>
      )}
    </DecisionDialogFrame>
  );
}

/** "Reason (optional)", "Reason (required)", or "Reason (required for 1 of 3)". */
function reasonLabel(required: number, of: number): string {
  if (!required) return 'Reason (optional)';
  return required === of ? 'Reason (required)' : `Reason (required for ${required} of ${of})`;
}

/** "AR-1001, AR-1002": each ID its own isolated run. */
function IdList({ requests }: { requests: readonly ApprovalRequest[] }) {
  return requests.map((r, index) => (
    <span key={r.id}>
      {index > 0 && ', '}
      <UserText text={r.displayId} />
    </span>
  ));
}
