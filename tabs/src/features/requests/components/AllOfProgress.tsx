import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { allOfProgress } from '@apono-teams/domain/format.js';
import { isWaiting } from '@apono-teams/domain/status.js';
import { Fact, FactList } from '../../../components/FactList.js';
import { NameList } from '../../../components/NameList.js';
import { useWords } from '../../../lib/i18n.js';

function Names({ names, none }: { names: string[]; none: string }) {
  if (!names.length) return none;
  return <NameList items={names} />;
}

/**
 * For a waiting AllOf request, who has approved and who must still approve (Apono's approver
 * entries), as facts; inside a FactList when `inList`, else in one of its own. Nothing otherwise.
 */
export function AllOfProgress({ request, inList = false }: { request: ApprovalRequest; inList?: boolean }) {
  const { t, say } = useWords();
  const progress = isWaiting(request.state) ? allOfProgress(request.approval) : null;
  if (!progress) return null;
  const facts = (
    <>
      <Fact term={t('progress.approvedBy')}>
        <Names names={progress.approved.map(say)} none={t('progress.noOneYet')} />
      </Fact>
      <Fact term={t('progress.stillNeeded')}>
        <Names names={progress.needed.map(say)} none={t('progress.noOne')} />
      </Fact>
    </>
  );
  return inList ? facts : <FactList>{facts}</FactList>;
}
