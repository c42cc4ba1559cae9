import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import { activeFilterCount, noFilter, type RequestFilter } from '@apono-teams/domain/request-query.js';
import type { RiskedRequest } from '@apono-teams/domain/risk.js';
import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { CountBadge } from '../../../components/CountBadge.js';
import { LoadStatus } from '../../../components/LoadStatus.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useErrorText } from '../../../lib/error-words.js';
import { useWords, withAllWords } from '../../../lib/i18n.js';
import { useNotify } from '../../../lib/toaster.js';
import { listAllMatching } from '../api/requests.js';
import { usePendingRequests } from '../hooks/usePendingRequests.js';
import type { BulkResult } from '../utils/bulk-decision.js';
import { decisionWords } from '../utils/decision-words.js';
import { lazyPreloaded, whenIdle } from '../utils/preload.js';
import { DecisionButtons } from './DecisionButtons.js';
import { PendingList } from './PendingList.js';
import type { ReasonDialogResult } from './ReasonDialog.js';
import { RequestFilters } from './RequestFilters.js';

// Not needed for the first card (issue 11, 5), but the first press of Approve, Reject or Details
// must open them at once: their code is fetched when the browser is first idle after the first rows
// show. The bulk dialog waits for a selection.
const reasonDialog = lazyPreloaded(() => import('./ReasonDialog.js'));
const ReasonDialog = reasonDialog.Component;
const requestDetails = lazyPreloaded(() => import('./RequestDetails.js'));
const RequestDetails = requestDetails.Component;
const BulkDecisionDialog = lazy(() => withAllWords(import('./BulkDecisionDialog.js')));

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
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
  | { kind: 'decide'; request: ApprovalRequest; decision: Decision; opener: HTMLElement | null }
  | { kind: 'bulk'; requests: ApprovalRequest[]; decision: Decision; opener: HTMLElement | null };

interface RequestsPageProps {
  /** A request to open at once (Teams subPageId, or ?request= outside Teams). */
  initialRequestId: string | null;
  /** Apono's end-user portal, for "Open in Apono". */
  aponoPortalUrl: string;
  onCountChange: (count: number | null) => void;
  /** Called once the list (or why it failed) shows: what the first screen does not need may load. */
  onShown?: () => void;
}

/** The approver's queue: every request waiting for their decision, kept current by polling. */
export function RequestsPage({
  initialRequestId,
  aponoPortalUrl,
  onCountChange,
  onShown,
}: RequestsPageProps) {
  const styles = useStyles();
  const notify = useNotify();
  const { t } = useWords();
  const errorText = useErrorText();
  const [filter, setFilter] = useState<RequestFilter>(noFilter);
  // The search is sent as typed, a moment after the typing stops: the server searches all requests.
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(
      () => setFilter((f) => (f.text === typed ? f : { ...f, text: typed })),
      300,
    );
    return () => window.clearTimeout(timer);
  }, [typed]);
  const pending = usePendingRequests(filter);
  // Selected requests across every page, kept whole so the bulk dialog knows each one's reason rule.
  const [selected, setSelected] = useState<ReadonlyMap<string, RiskedRequest>>(new Map());
  const [selecting, setSelecting] = useState(false);
  const [detailsId, setDetailsId] = useState<string | null>(initialRequestId);
  const detailsOpener = useRef<HTMLElement | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [now, setNow] = useState(() => new Date());

  const view = pending.view;
  const { settled } = pending;
  const selectedRequests = [...selected.values()].filter((r) => r.viewer.canDecide && !settled.has(r.id));

  useEffect(() => onCountChange(view ? view.total : null), [view, onCountChange]);
  const shown = view !== undefined || pending.error !== undefined;
  useEffect(() => {
    if (shown) onShown?.();
  }, [shown, onShown]);
  const rowsShown = Boolean(view?.rows.length);
  useEffect(() => {
    if (!rowsShown) return;
    return whenIdle(() => {
      void reasonDialog.preload().catch(() => undefined);
      void requestDetails.preload().catch(() => undefined);
    });
  }, [rowsShown]);
  useEffect(() => setNow(new Date()), [view]);
  // Drop selections of requests that left the list (decided elsewhere, expired). A bulk decision
  // of one the tab has not seen leave says it was already decided.
  const { stillListed } = pending;
  useEffect(() => {
    setSelected((held) => {
      const kept = [...held].filter(([id]) => stillListed(id) !== false);
      return kept.length === held.size ? held : new Map(kept);
    });
  }, [stillListed]);
  // Where focus goes once a dialog or the details close: applied after React has committed the
  // list (a decided request's buttons are gone by then) and after Fluent's own focus handling.
  const [focusTarget, setFocusTarget] = useState<{ opener: HTMLElement | null } | null>(null);
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
      const failed = new Set(results.filter((r) => !r.ok && !r.settled).map((r) => r.id));
      setSelected((held) => new Map([...held].filter(([id]) => failed.has(id))));
    }
    restoreFocus(opener);
  }

  const toggle = (request: RiskedRequest, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(request.id, request);
      else next.delete(request.id);
      return next;
    });

  // "Select all" means every request the filter keeps, on every page: read them all from the server.
  async function selectAllMatching() {
    setSelecting(true);
    try {
      const all = await listAllMatching(filter);
      setSelected(new Map(all.filter((r) => r.viewer.canDecide && !settled.has(r.id)).map((r) => [r.id, r])));
    } catch (caught) {
      toast(errorText(caught), 'warning');
    } finally {
      setSelecting(false);
    }
  }

  const decidable = view?.decidable ?? 0;
  const allSelected = decidable > 0 && selectedRequests.length >= decidable;
  const isSelected = useCallback((id: string) => selected.has(id), [selected]);
  const { ensure } = pending;
  const filtering = activeFilterCount(filter) > 0;

  return (
    <section className={styles.page} aria-labelledby="pending-heading">
      <PageHeading id="pending-heading" ref={headingRef}>
        {t('page.heading')}
        {view && (
          <CountBadge
            count={view.total}
            showZero
            overflowCount={9999}
            color="brand"
            aria-label={t('page.pendingCount', { count: view.total })}
          />
        )}
      </PageHeading>

      <LoadStatus
        loaded={view !== undefined}
        loading={pending.loading}
        error={pending.error}
        errorTitle={view ? t('page.refreshFailed') : t('page.loadFailed')}
        onRetry={() => void pending.reload()}
        loadingLabel={t('page.loading')}
        placeholders={[128, 128, 128]}
      />

      {view && view.total > 0 && (
        <>
          <RequestFilters
            facets={view.facets}
            filter={{ ...filter, text: typed }}
            onChange={(next) => {
              setTyped(next.text);
              setFilter((f) => ({ ...next, text: f.text }));
            }}
          />
          <div className={styles.bulkBar} role="group" aria-label={t('page.selectedGroup')}>
            <Button
              size="small"
              appearance="subtle"
              disabled={!decidable || selecting}
              onClick={() => (allSelected ? setSelected(new Map()) : void selectAllMatching())}
            >
              {allSelected
                ? t('page.clearSelection')
                : t(filtering ? 'page.selectAllMatching' : 'page.selectAll', { count: decidable })}
            </Button>
            <Text aria-live="polite">
              {selecting ? t('page.selecting') : t('page.selected', { count: selectedRequests.length })}
            </Text>
            <DecisionButtons
              object="selected"
              size="small"
              disabled={!selectedRequests.length || selecting}
              onDecide={(decision, opener) =>
                setOpened({ kind: 'bulk', requests: selectedRequests, decision, opener })
              }
            />
          </div>
          <Text className={styles.muted} aria-live="polite">
            {view.matched === view.total
              ? t(`page.showingAll.${filter.sort}`, { count: view.total })
              : t(`page.showingSome.${filter.sort}`, { matched: view.matched, count: view.total })}
          </Text>
        </>
      )}

      {view && view.total === 0 && (
        <div className={styles.empty} role="status">
          <Text size={500} weight="semibold">
            {t('page.nothing')}
          </Text>
          <Text className={styles.muted}>{t('page.nothingHint')}</Text>
        </div>
      )}

      {view && view.total > 0 && view.matched === 0 && (
        <div className={styles.empty} role="status">
          <Text weight="semibold">{t('page.noMatch')}</Text>
          <Button
            onClick={() => {
              setTyped('');
              setFilter({ ...noFilter, sort: filter.sort });
            }}
          >
            {t('page.clearFilters')}
          </Button>
        </div>
      )}

      {view && view.rows.length > 0 && (
        <PendingList
          rows={view.rows}
          now={now}
          isSelected={isSelected}
          onSelectedChange={toggle}
          onDecide={(request, decision, opener) => setOpened({ kind: 'decide', request, decision, opener })}
          onOpenDetails={(request, opener) => {
            detailsOpener.current = opener;
            setDetailsId(request.id);
          }}
          onRowsShown={ensure}
        />
      )}

      <Suspense fallback={null}>
        {detailsId && (
          <RequestDetails
            requestId={detailsId}
            listed={pending.find(detailsId)}
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
