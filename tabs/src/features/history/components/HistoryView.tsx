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
import { NameList } from '../../../components/NameList.js';
import { Sentence } from '../../../components/Sentence.js';
import { UserText } from '../../../components/UserText.js';
import { useWords } from '../../../lib/i18n.js';
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
  const { t } = useWords();

  return (
    <section className={styles.page} aria-labelledby="history-heading">
      <PageHeading id="history-heading">{t('history.heading')}</PageHeading>
      <LoadStatus
        loaded={requests !== undefined}
        loading={history.loading}
        error={history.error}
        errorTitle={t('history.loadFailed')}
        onRetry={() => void history.reload()}
        loadingLabel={t('shell.loadingHistory')}
        placeholders={[96, 96, 96]}
      />
      {requests && requests.length === 0 && (
        <Text className={styles.empty} role="status">
          {t('history.empty')}
        </Text>
      )}
      {requests && requests.length > 0 && (
        <>
          <div className={styles.controls} role="search" aria-label={t('history.filter')}>
            <Field label={t('filters.search')} className={styles.search}>
              <SearchBox
                value={filter.text}
                placeholder={t('history.searchPlaceholder')}
                onChange={(_, data) => setFilter({ ...filter, text: data.value })}
              />
            </Field>
            <Switch
              label={t('history.mine')}
              checked={filter.mine}
              onChange={(_, data) => setFilter({ ...filter, mine: data.checked })}
            />
          </div>
          <Text className={styles.muted} aria-live="polite">
            {t(filter.mine ? 'history.showingMine' : 'history.showing', {
              shown: shown.length,
              count: requests.length,
            })}
          </Text>
          {filter.mine && (
            // Apono's client API names the approver entry (a group, a manager), not the person.
            <Caption1 className={styles.muted}>{t('history.mineHint')}</Caption1>
          )}
        </>
      )}
      {requests && requests.length > 0 && shown.length === 0 && (
        <div className={styles.empty} role="status">
          <Text weight="semibold">
            {filter.mine && !filter.text.trim() ? t('history.noneMine') : t('history.noMatch')}
          </Text>
          <Button onClick={() => setFilter({ mine: false, text: '' })}>{t('history.showAll')}</Button>
        </div>
      )}
      {shown.length > 0 && (
        <PlainList spacing="medium" aria-label={t('history.heading')}>
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

// `repeats`: the status (domain/status.ts's label) that only says the outcome again.
const outcomeBadge = {
  approved: { color: 'success', repeats: 'Approved' },
  rejected: { color: 'danger', repeats: 'Rejected' },
} as const;

function HistoryCard({ request }: { request: ApprovalRequest }) {
  const { t } = useWords();
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
              {t(`details.outcomes.${decision!.outcome}`)}
            </Badge>
          )}
          {/* What Apono shows now (Active, Revoked, …), unless it only repeats the outcome. */}
          {request.statusLabel !== outcome?.repeats && (
            <StatusBadge state={request.state} label={request.statusLabel} />
          )}
        </>
      }
    >
      <FactList>
        <Fact term={t('card.requester')}>
          <Sentence
            words={(marks) => t('decision.nameWithEmail', marks)}
            parts={{
              name: <UserText text={request.requester.name} />,
              email: <UserText text={request.requester.email} />,
            }}
          />
        </Fact>
        <Fact term={t('card.resources')}>{resources.length ? <NameList items={resources} /> : '—'}</Fact>
        <DecisionFacts decision={decision} />
      </FactList>
    </RequestArticle>
  );
}
