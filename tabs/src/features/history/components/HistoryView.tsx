import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { Badge, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { DecisionFacts } from '../../../components/DecisionFacts.js';
import { Fact, FactList } from '../../../components/FactList.js';
import { LoadStatus } from '../../../components/LoadStatus.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { PlainList } from '../../../components/PlainList.js';
import { RequestArticle } from '../../../components/RequestArticle.js';
import { StatusBadge } from '../../../components/StatusBadge.js';
import { UserText } from '../../../components/UserText.js';
import { useResource } from '../../../lib/use-resource.js';
import { listDecidedRequests } from '../api/history.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  empty: { padding: tokens.spacingVerticalXXL, textAlign: 'center', color: tokens.colorNeutralForeground3 },
});

const decidedAt = (r: ApprovalRequest) => r.decision?.decidedAt ?? r.createdAt;

/** Requests the viewer could decide that are now decided: the outcome, who decided, when and why. */
export default function HistoryView() {
  const styles = useStyles();
  const history = useResource(listDecidedRequests, 'history');
  const requests = useMemo(
    () =>
      history.data ? [...history.data].sort((a, b) => decidedAt(b).localeCompare(decidedAt(a))) : undefined,
    [history.data],
  );

  return (
    <section className={styles.page} aria-labelledby="history-heading">
      <PageHeading id="history-heading">Decided requests</PageHeading>
      <LoadStatus
        loaded={requests !== undefined}
        loading={history.loading}
        error={history.error}
        errorTitle="Could not load the history"
        onRetry={() => void history.reload()}
        loadingLabel="Loading history"
        placeholders={[96, 96, 96]}
      />
      {requests && requests.length === 0 && (
        <Text className={styles.empty} role="status">
          No decisions yet. Requests you or other approvers decide appear here.
        </Text>
      )}
      {requests && requests.length > 0 && (
        <PlainList spacing="medium" aria-label="Decided requests">
          {requests.map((request) => (
            <li key={request.id}>
              <HistoryCard request={request} />
            </li>
          ))}
        </PlainList>
      )}
    </section>
  );
}

const outcomeBadge = {
  approved: { color: 'success', label: 'Approved' },
  rejected: { color: 'danger', label: 'Rejected' },
} as const;

function HistoryCard({ request }: { request: ApprovalRequest }) {
  const decision = request.decision;
  const outcome = decision ? outcomeBadge[decision.outcome] : null;
  const resources = [...new Set(request.accessUnits.map((u) => u.resource))];
  return (
    <RequestArticle
      requestId={request.id}
      displayId={request.displayId}
      badges={
        <>
          {outcome && (
            <Badge appearance="filled" shape="rounded" color={outcome.color}>
              {outcome.label}
            </Badge>
          )}
          {/* What Apono shows now (Active, Revoked, …), unless it only repeats the outcome. */}
          {request.statusLabel !== outcome?.label && (
            <StatusBadge state={request.state} label={request.statusLabel} />
          )}
        </>
      }
    >
      <FactList>
        <Fact term="Requester">
          <UserText text={request.requester.name} /> (<UserText text={request.requester.email} />)
        </Fact>
        <Fact term="Resources">
          {resources.length
            ? resources.map((resource, index) => (
                <span key={resource}>
                  {index > 0 && ', '}
                  <UserText text={resource} />
                </span>
              ))
            : '—'}
        </Fact>
        <DecisionFacts decision={decision} />
      </FactList>
    </RequestArticle>
  );
}
