import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import { Button, CounterBadge, Text, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { LoadStatus } from '../../../components/LoadStatus.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { PlainList } from '../../../components/PlainList.js';
import { useWords } from '../../../lib/i18n.js';
import { useNotify } from '../../../lib/toaster.js';
import { usePendingRequests } from '../hooks/usePendingRequests.js';
import type { BulkResult } from '../utils/bulk-decision.js';
import { decisionWords } from '../utils/decision-words.js';
import { filterRequests, noFilter, type RequestFilter } from '../utils/filter-requests.js';
import { DecisionButtons } from './DecisionButtons.js';
import type { ReasonDialogResult } from './ReasonDialog.js';
import { RequestCard } from './RequestCard.js';
import { RequestFilters } from './RequestFilters.js';

const ReasonDialog = lazy(() => import('./ReasonDialog.js'));
const BulkDecisionDialog = lazy(() => import('./BulkDecisionDialog.js'));
const RequestDetails = lazy(() => import('./RequestDetails.js'));

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  bulkBar: {
    position: 'sticky',
    top: 0,
    zIndex: 1,
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    textAlign: 'center',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

type Opened =
  | {
      kind: 'decide';
      request: ApprovalRequest;
      decision: Decision;
      opener: HTMLElement | null;
    }
  | {
      kind: 'bulk';
      requests: ApprovalRequest[];
      decision: Decision;
      opener: HTMLElement | null;
    };

interface RequestsPageProps {
  /** A request to open at once (Teams subPageId, or ?request= outside Teams). */
  initialRequestId: string | null;
  /** Apono's end-user portal, for "Open in Apono". */
  aponoPortalUrl: string;
  onCountChange: (count: number | null) => void;
}

/** The approver's queue: every request waiting for their decision, kept current by polling. */
export function RequestsPage({ initialRequestId, aponoPortalUrl, onCountChange }: RequestsPageProps) {
  const styles = useStyles();
  const pending = usePendingRequests();
  const notify = useNotify();
  const { t } = useWords();
  const [filter, setFilter] = useState<RequestFilter>(noFilter);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [detailsId, setDetailsId] = useState<string | null>(initialRequestId);
  const detailsOpener = useRef<HTMLElement | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [now, setNow] = useState(() => new Date());

  const requests = pending.requests;
  const visible = useMemo(() => (requests ? filterRequests(requests, filter) : []), [requests, filter]);
  const selectedRequests = (requests ?? []).filter((r) => selected.has(r.id) && r.viewer.canDecide);

  useEffect(() => onCountChange(requests ? requests.length : null), [requests, onCountChange]);
  useEffect(() => setNow(new Date()), [requests]);
  // Drop selections of requests that left the list.
  useEffect(() => {
    if (!requests) return;
    setSelected((current) => {
      const ids = new Set(requests.map((r) => r.id));
      const kept = [...current].filter((id) => ids.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [requests]);

  // Where focus goes once a dialog or the details close: applied after React has committed the
  // list (a decided request's buttons are gone by then) and after Fluent's own focus handling.
  const [focusTarget, setFocusTarget] = useState<{
    opener: HTMLElement | null;
  } | null>(null);
  useEffect(() => {
    if (!focusTarget) return;
    const timer = window.setTimeout(() => {
      const { opener } = focusTarget;
      if (opener?.isConnected) opener.focus();
      else headingRef.current?.focus();
      setFocusTarget(null);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [focusTarget]);
  const restoreFocus = (opener: HTMLElement | null) => setFocusTarget({ opener });

  function toast(title: string, intent: 'success' | 'info' | 'warning') {
    void notify(title, intent, 6000);
  }

  function closeDecision(result: ReasonDialogResult) {
    if (opened?.kind !== 'decide') return;
    const { request, decision, opener } = opened;
    setOpened(null);
    if (result.kind === 'decided') {
      pending.remove([request.id]);
      setDetailsId((id) => (id === request.id ? null : id));
      toast(
        t('page.decidedOne', {
          outcome: decisionWords(decision, t).past,
          id: displayText(request.displayId),
        }),
        'success',
      );
    } else if (result.kind === 'settled') {
      pending.remove([request.id]);
      setDetailsId((id) => (id === request.id ? null : id));
      void pending.reload();
    }
    restoreFocus(opener);
  }

  function closeBulk(results: BulkResult[]) {
    if (opened?.kind !== 'bulk') return;
    const { decision, opener } = opened;
    setOpened(null);
    const done = results.filter((r) => r.ok || r.settled).map((r) => r.id);
    pending.remove(done);
    const succeeded = results.filter((r) => r.ok).length;
    if (results.length) {
      toast(
        t('page.decidedSome', {
          outcome: decisionWords(decision, t).past,
          done: succeeded,
          count: results.length,
        }),
        succeeded === results.length ? 'success' : 'warning',
      );
      setSelected(new Set(results.filter((r) => !r.ok && !r.settled).map((r) => r.id)));
    }
    restoreFocus(opener);
  }

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const decidable = visible.filter((r) => r.viewer.canDecide);
  const allVisibleSelected = decidable.length > 0 && decidable.every((r) => selected.has(r.id));

  return (
    <section className={styles.page} aria-labelledby="pending-heading">
      <PageHeading id="pending-heading" ref={headingRef}>
        {t('page.heading')}
        {requests && (
          <CounterBadge
            count={requests.length}
            showZero
            overflowCount={999}
            color="brand"
            aria-label={t('page.pendingCount', { count: requests.length })}
          />
        )}
      </PageHeading>

      <LoadStatus
        loaded={requests !== undefined}
        loading={pending.loading}
        error={pending.error}
        errorTitle={requests ? t('page.refreshFailed') : t('page.loadFailed')}
        onRetry={() => void pending.reload()}
        loadingLabel={t('page.loading')}
        placeholders={[128, 128, 128]}
      />

      {requests && requests.length > 0 && (
        <>
          <RequestFilters requests={requests} filter={filter} onChange={setFilter} />
          <div className={styles.bulkBar} role="group" aria-label={t('page.selectedGroup')}>
            <Button
              size="small"
              appearance="subtle"
              disabled={!decidable.length}
              onClick={() =>
                setSelected(allVisibleSelected ? new Set() : new Set(decidable.map((r) => r.id)))
              }
            >
              {allVisibleSelected
                ? t('page.clearSelection')
                : t('page.selectAll', { count: decidable.length })}
            </Button>
            <Text aria-live="polite">{t('page.selected', { count: selectedRequests.length })}</Text>
            <DecisionButtons
              object="selected"
              size="small"
              disabled={!selectedRequests.length}
              onDecide={(decision, opener) =>
                setOpened({
                  kind: 'bulk',
                  requests: selectedRequests,
                  decision,
                  opener,
                })
              }
            />
          </div>
          <Text className={styles.muted} aria-live="polite">
            {visible.length === requests.length
              ? t(`page.showingAll.${filter.sort}`, { count: requests.length })
              : t(`page.showingSome.${filter.sort}`, {
                  matched: visible.length,
                  count: requests.length,
                })}
          </Text>
        </>
      )}

      {requests && requests.length === 0 && (
        <div className={styles.empty} role="status">
          <Text size={500} weight="semibold">
            {t('page.nothing')}
          </Text>
          <Text className={styles.muted}>{t('page.nothingHint')}</Text>
        </div>
      )}

      {requests && requests.length > 0 && visible.length === 0 && (
        <div className={styles.empty} role="status">
          <Text weight="semibold">{t('page.noMatch')}</Text>
          <Button onClick={() => setFilter({ ...noFilter, sort: filter.sort })}>
            {t('page.clearFilters')}
          </Button>
        </div>
      )}

      {visible.length > 0 && (
        <PlainList spacing="medium" aria-label={t('page.list')}>
          {visible.map((request) => (
            <li key={request.id}>
              <RequestCard
                request={request}
                now={now}
                selected={selected.has(request.id)}
                onSelectedChange={(on) => toggle(request.id, on)}
                onDecide={(decision, opener) => setOpened({ kind: 'decide', request, decision, opener })}
                onOpenDetails={(opener) => {
                  detailsOpener.current = opener;
                  setDetailsId(request.id);
                }}
              />
            </li>
          ))}
        </PlainList>
      )}

      <Suspense fallback={null}>
        {detailsId && (
          <RequestDetails
            requestId={detailsId}
            listed={requests?.find((r) => r.id === detailsId)}
            aponoPortalUrl={aponoPortalUrl}
            onClose={() => {
              setDetailsId(null);
              restoreFocus(detailsOpener.current);
            }}
            onDecide={(request, decision, opener) => setOpened({ kind: 'decide', request, decision, opener })}
          />
        )}
        {opened?.kind === 'decide' && (
          <ReasonDialog request={opened.request} decision={opened.decision} onClose={closeDecision} />
        )}
        {opened?.kind === 'bulk' && (
          <BulkDecisionDialog requests={opened.requests} decision={opened.decision} onClose={closeBulk} />
        )}
      </Suspense>
    </section>
  );
}
