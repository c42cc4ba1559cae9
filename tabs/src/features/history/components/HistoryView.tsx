import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import {
  Badge,
  Button,
  Caption1,
  Field,
  SearchBox,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
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
import { filterHistory, myHistory, type HistoryFilter } from '../utils/history-filter.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    textAlign: 'center',
    color: tokens.colorNeutralForeground3,
  },
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'end',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
  },
  search: { flexGrow: 1, maxWidth: '24rem', minWidth: '12rem' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const decidedAt = (r: ApprovalRequest) => r.decision?.decidedAt ?? r.createdAt;

/** Requests the viewer could decide that are now decided: the outcome, who decided, when and why. */
export default function HistoryView() {
  const styles = useStyles();
  const history = useResource(listDecidedRequests, 'history');
  const [filter, setFilter] = useState<HistoryFilter>(myHistory);
  const requests = useMemo(
    () =>
      history.data ? [...history.data].sort((a, b) => decidedAt(b).localeCompare(decidedAt(a))) : undefined,
    [history.data],
  );
  const shown = useMemo(() => (requests ? filterHistory(requests, filter) : []), [requests, filter]);

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
        <>
          <div className={styles.controls} role="search" aria-label="Filter history">
            <Field label="Search" className={styles.search}>
              <SearchBox
                value={filter.text}
                placeholder="ID, requester, resource…"
                onChange={(_, data) => setFilter({ ...filter, text: data.value })}
              />
            </Field>
            <Switch
              label="Decided by me"
              checked={filter.mine}
              onChange={(_, data) => setFilter({ ...filter, mine: data.checked })}
            />
          </div>
          <Text className={styles.muted} aria-live="polite">
            {filter.mine
              ? `Showing ${shown.length} decided by you, of ${requests.length}`
              : `Showing ${shown.length} of ${requests.length}`}
          </Text>
          {filter.mine && (
            // Apono's client API names the approver entry (a group, a manager), not the person.
            <Caption1 className={styles.muted}>
              Decisions you made in Apono as a member of a group, as a manager or on call show only with
              “Decided by me” off: Apono does not say who decided for those.
            </Caption1>
          )}
        </>
      )}
      {requests && requests.length > 0 && shown.length === 0 && (
        <div className={styles.empty} role="status">
          <Text weight="semibold">
            {filter.mine && !filter.text.trim()
              ? 'None of these is known to be decided by you'
              : 'No decided request matches'}
          </Text>
          <Button onClick={() => setFilter({ mine: false, text: '' })}>Show every decision</Button>
        </div>
      )}
      {shown.length > 0 && (
        <PlainList spacing="medium" aria-label="Decided requests">
          {shown.map((request) => (
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
