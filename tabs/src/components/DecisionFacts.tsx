import type { DecisionRecord } from '@apono-teams/domain/approval-request.js';
import { deciderName, reasonNotShared } from '../lib/decision-record.js';
import { Fact } from './FactList.js';
import { UserText } from './UserText.js';

/**
 * Who decided, when and why, as facts inside a FactList. Decided through this app: the person, the
 * time and their reason. Decided in Apono: the approver entry Apono shows, a time only when one is
 * known, and that Apono does not share the reason.
 */
export function DecisionFacts({ decision }: { decision: DecisionRecord | null }) {
  if (!decision) return <Fact term="Decided by">Not shown by Apono</Fact>;
  const elsewhere = decision.source === 'apono';
  const decider = deciderName(decision, { withEmail: true });
  return (
    <>
      <Fact term="Decided by">
        {decider ? <UserText text={decider} /> : elsewhere ? 'Not shown by Apono' : 'Not recorded'}
        {elsewhere && ', in Apono'}
      </Fact>
      {decision.decidedAt && <Fact term="When">{new Date(decision.decidedAt).toLocaleString()}</Fact>}
      <Fact term="Reason" preformatted={!elsewhere}>
        {elsewhere ? (
          reasonNotShared
        ) : decision.reason ? (
          <UserText text={decision.reason} />
        ) : (
          'No reason given'
        )}
      </Fact>
    </>
  );
}
