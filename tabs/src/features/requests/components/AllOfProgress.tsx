import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { allOfProgress } from '@apono-teams/domain/format.js';
import { isWaiting } from '@apono-teams/domain/status.js';
import { Fact, FactList } from '../../../components/FactList.js';
import { UserText } from '../../../components/UserText.js';

function Names({ names, none }: { names: string[]; none: string }) {
  if (!names.length) return none;
  return names.map((name, index) => (
    <span key={`${name}:${index}`}>
      {index > 0 && ', '}
      <UserText text={name} />
    </span>
  ));
}

/**
 * For a waiting AllOf request, who has approved and who must still approve (Apono's approver
 * entries), as facts; inside a FactList when `inList`, else in one of its own. Nothing otherwise.
 */
export function AllOfProgress({ request, inList = false }: { request: ApprovalRequest; inList?: boolean }) {
  const progress = isWaiting(request.state) ? allOfProgress(request.approval) : null;
  if (!progress) return null;
  const facts = (
    <>
      <Fact term="Approved by">
        <Names names={progress.approved} none="No one yet" />
      </Fact>
      <Fact term="Still needed">
        <Names names={progress.needed} none="No one" />
      </Fact>
    </>
  );
  return inList ? facts : <FactList>{facts}</FactList>;
}
