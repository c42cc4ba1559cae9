import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { Badge, Card, Skeleton, SkeletonItem, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useMemo } from 'react';
import { ErrorBar } from '../../../components/ErrorBar.js';
import { useResource } from '../../../lib/use-resource.js';
import { listDecidedRequests } from '../api/history.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  header: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  title: { margin: 0, fontSize: tokens.fontSizeBase400 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(6rem, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '@media (max-width: 480px)': { gridTemplateColumns: '1fr' },
  },
  term: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
  empty: { padding: tokens.spacingVerticalXXL, textAlign: 'center' },
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
      <h2 className={styles.heading} id="history-heading">
        Decided requests
      </h2>
      {history.error !== undefined && (
        <ErrorBar
          title="Could not load the history"
          error={history.error}
          onRetry={() => void history.reload()}
        />
      )}
      {!requests && history.loading && (
        <Skeleton aria-label="Loading history">
          {[0, 1, 2].map((i) => (
            <SkeletonItem key={i} size={96} style={{ marginBottom: tokens.spacingVerticalM }} />
          ))}
        </Skeleton>
      )}
      {requests && requests.length === 0 && (
        <Text className={styles.empty} role="status">
          No decisions yet. Requests you or other approvers decide appear here.
        </Text>
      )}
      {requests && requests.length > 0 && (
        <ul className={styles.list} aria-label="Decided requests">
          {requests.map((request) => (
            <li key={request.id}>
              <HistoryCard request={request} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function HistoryCard({ request }: { request: ApprovalRequest }) {
  const styles = useStyles();
  const titleId = useId();
  const decision = request.decision;
  const outcome = decision?.outcome ?? null;
  const resources = [...new Set(request.accessUnits.map((u) => u.resource))];
  return (
    <Card role="article" aria-labelledby={titleId} data-request-id={request.id}>
      <div className={styles.header}>
        <h3 className={styles.title} id={titleId}>
          {request.id}
        </h3>
        <Badge
          appearance="filled"
          color={outcome === 'approved' ? 'success' : outcome === 'rejected' ? 'danger' : 'informative'}
        >
          {outcome === 'approved' ? 'Approved' : outcome === 'rejected' ? 'Rejected' : request.status}
        </Badge>
      </div>
      <dl className={styles.facts}>
        <dt className={styles.term}>Requester</dt>
        <dd className={styles.value}>
          {request.requester.name} ({request.requester.email})
        </dd>
        <dt className={styles.term}>Resources</dt>
        <dd className={styles.value}>{resources.join(', ') || '—'}</dd>
        <dt className={styles.term}>Decided by</dt>
        <dd className={styles.value}>
          {decision?.decidedBy
            ? `${decision.decidedBy.name}${decision.decidedBy.email ? ` (${decision.decidedBy.email})` : ''}`
            : 'Not recorded'}
        </dd>
        <dt className={styles.term}>When</dt>
        <dd className={styles.value}>
          {decision?.decidedAt ? new Date(decision.decidedAt).toLocaleString() : 'Not recorded'}
        </dd>
        <dt className={styles.term}>Reason</dt>
        <dd className={styles.value}>{decision?.reason || 'No reason given'}</dd>
      </dl>
    </Card>
  );
}
