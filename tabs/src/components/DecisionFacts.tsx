import type { DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { deciderName } from '../lib/decision-record.js';
import { useWords } from '../lib/i18n.js';
import { Fact } from './FactList.js';
import { UserText } from './UserText.js';

/**
 * Who decided, when and why, as facts inside a FactList. Decided through this app: the person, the
 * time and their reason. Decided in Apono: the approver entry Apono shows, a time only when one is
 * known, and that Apono does not share the reason.
 */
export function DecisionFacts({ decision }: { decision: DecisionRecord | null }) {
  const { t, f, say } = useWords();
  if (!decision) return <Fact term={t('decision.decidedBy')}>{t('decision.notShown')}</Fact>;
  const elsewhere = decision.source === 'apono';
  const decider = deciderName(decision, { t, say }, { withEmail: true });
  return (
    <>
      <Fact term={t('decision.decidedBy')}>
        {decider ? (
          <UserText text={decider} />
        ) : elsewhere ? (
          t('decision.notShown')
        ) : (
          t('decision.notRecorded')
        )}
        {elsewhere && t('decision.inApono')}
      </Fact>
      {decision.decidedAt && <Fact term={t('decision.when')}>{f.dateTime(decision.decidedAt)}</Fact>}
      <Fact term={t('decision.reason')} preformatted={!elsewhere}>
        {elsewhere ? (
          t('decision.reasonNotShared')
        ) : decision.reason ? (
          <UserText text={decision.reason} />
        ) : (
          t('decision.noReason')
        )}
      </Fact>
    </>
  );
}
