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
import { NameList } from '../../../components/NameList.js';
import { PlainList } from '../../../components/PlainList.js';
import { Sentence } from '../../../components/Sentence.js';
import { UserText } from '../../../components/UserText.js';
import { useErrorText } from '../../../lib/error-words.js';
import { useWords } from '../../../lib/i18n.js';
import type { Translate } from '@apono-teams/domain/message.js';
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
  const words = useWords();
  const { t, f } = words;
  const errorText = useErrorText();
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
  const { past } = decisionWords(decision, t);
  const many = { count: requests.length };

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
      { words: { ...words, dateTime: f.dateTime, errorText }, onWait: setWaiting },
    );
    setWaiting(null);
    setPhase('done');
  }

  return (
    <DecisionDialogFrame
      decision={decision}
      asksReason={asksReason}
      busy={phase === 'sending'}
      submitLabel={phase === 'done' ? null : t(`bulk.${decision}.title`, many)}
      title={t(`bulk.${decision}.title`, many)}
      submitDisabled={!canSubmit}
      closeLabel={phase === 'done' ? t('dialog.done') : t('dialog.cancel')}
      onSubmit={() => void submit()}
      onClose={() => onClose(results)}
    >
      <Text>
        <Sentence
          words={(marks) => t(`bulk.${decision}.summary`, { ...many, ...marks })}
          parts={{ ids: <IdList requests={requests} /> }}
        />
      </Text>
      {!asksReason && <Caption1>{t('dialog.noReasons')}</Caption1>}
      {needReason.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <Sentence
              words={(marks) => t(`bulk.${decision}.needReason`, { count: needReason.length, ...marks })}
              parts={{ ids: <IdList requests={needReason} /> }}
            />
          </MessageBarBody>
        </MessageBar>
      )}
      {asksReason && (
        <ReasonField
          label={reasonLabel(needReason.length, requests.length, t)}
          hint={t('bulk.hint', { max: f.count(MAX_REASON_LENGTH) })}
          value={reason}
          check={lengthCheck}
          decision={decision}
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
            aria-label={t('bulk.progress', { done: f.count(results.length), count: requests.length })}
          />
          {waiting !== null && <Text role="status">{t('bulk.waiting', { seconds: f.count(waiting) })}</Text>}
          <PlainList spacing="small" className={styles.results} aria-label={t('bulk.results')}>
            {results.map((result) => (
              <li key={result.id} className={styles.result}>
                {result.ok ? (
                  <CheckmarkCircleRegular className={mergeClasses(styles.icon, styles.ok)} aria-hidden />
                ) : (
                  <ErrorCircleRegular className={mergeClasses(styles.icon, styles.failed)} aria-hidden />
                )}
                <Text>
                  <Sentence
                    words={(marks) =>
                      result.ok
                        ? t('bulk.resultOk', { ...marks, outcome: past })
                        : t(`bulk.${decision}.resultFailed`, {
                            ...marks,
                            message: displayText(result.message),
                          })
                    }
                    parts={{
                      id: (
                        <strong>
                          <UserText text={result.displayId} />
                        </strong>
                      ),
                    }}
                  />
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
function reasonLabel(required: number, of: number, t: Translate): string {
  if (!required) return t('bulk.reasonOptional');
  return required === of ? t('bulk.reasonRequired') : t('bulk.reasonRequiredSome', { required, count: of });
}

/** "AR-1001, AR-1002": each ID its own isolated run, the separators the reader's. */
function IdList({ requests }: { requests: readonly ApprovalRequest[] }) {
  return <NameList items={requests.map((r) => r.displayId)} />;
}
