// The pending requests as a virtualized list: only the rows near the viewport are in the DOM, so
// 5,000 waiting cost what 50 do. Screen readers still hear "request 51 of 5,000" (aria-setsize and
// aria-posinset on each listitem, WAI-ARIA 1.2), and the keyboard reaches every row: Tab flows
// into the rows rendered beyond the viewport (the browser scrolls each focused one into view, which
// renders the next), Page Down / Page Up move a request at a time, Home / End to the first and last.
import type { Decision } from '@apono-teams/domain/reason.js';
import type { RiskedRequest } from '@apono-teams/domain/risk.js';
import { Skeleton, SkeletonItem, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useWords } from '../../../lib/i18n.js';
import { pageSize, type PendingRow } from '../hooks/usePendingRequests.js';
import { useRowWindow } from '../hooks/useRowWindow.js';
import { RequestCard } from './RequestCard.js';

/** A card's usual height; each row is measured once rendered, and keeps its size by position. */
const estimatedRowPx = 330;
const rowGapPx = 12; // tokens.spacingVerticalM
/**
 * Up to one page of rows all are rendered, one under the other, so a short queue reads and finds
 * (the browser's find in page) as a plain list does; past that, only the rows near the viewport.
 */
const renderAllUpTo = pageSize;

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, position: 'relative' },
  plain: { display: 'flex', flexDirection: 'column', gap: `${rowGapPx}px` },
  row: {
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  placed: { position: 'absolute', top: 0, left: 0, width: '100%' },
  placeholder: { height: `${estimatedRowPx}px` },
  hint: { display: 'none' },
});

interface PendingListProps {
  rows: readonly PendingRow[];
  now: Date;
  isSelected: (id: string) => boolean;
  onSelectedChange: (request: RiskedRequest, selected: boolean) => void;
  onDecide: (request: RiskedRequest, decision: Decision, opener: HTMLElement) => void;
  onOpenDetails: (request: RiskedRequest, opener: HTMLElement) => void;
  /** The rows on screen (and just beyond) changed: read the pages they need. */
  onRowsShown: (first: number, last: number) => void;
}

const rowMoves: Record<string, (index: number, count: number) => number> = {
  PageDown: (i) => i + 1,
  PageUp: (i) => i - 1,
  Home: () => 0,
  End: (_, count) => count - 1,
};

export function PendingList({
  rows,
  now,
  isSelected,
  onSelectedChange,
  onDecide,
  onOpenDetails,
  onRowsShown,
}: PendingListProps) {
  const styles = useStyles();
  const { t } = useWords();
  const hintId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const [listTop, setListTop] = useState(0);
  // The row holding focus stays rendered while scrolled away, so focus is never dropped to <body>.
  const focusedRow = useRef<number | null>(null);
  const [focusWanted, setFocusWanted] = useState<number | null>(null);
  const focusedLoadingRow = useRef<number | null>(null);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) setListTop(list.getBoundingClientRect().top + window.scrollY);
    // A row focused while loading is replaced by its request's own element: focus follows it.
    const waiting = focusedLoadingRow.current;
    if (waiting !== null && rows[waiting]?.kind === 'request') {
      focusedLoadingRow.current = null;
      if (document.activeElement === document.body)
        list?.querySelector<HTMLElement>(`li[data-index="${waiting}"]`)?.focus({ preventScroll: true });
    }
  });

  const rowWindow = useRowWindow({
    count: rows.length,
    renderAllUpTo,
    estimatedRowPx,
    gapPx: rowGapPx,
    overscan: 3,
    scrollMargin: listTop,
    // A request keeps its element (and a measured height) wherever it moves; a decided one's goes,
    // so focus never stays on a button that now belongs to the next request.
    getItemKey: (index) => {
      const row = rows[index];
      return row?.kind === 'request' ? row.request.id : `loading-${index}`;
    },
    keptRow: () => focusedRow.current,
    list: () => listRef.current,
  });
  const items = rowWindow.rows;
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (rows.length) onRowsShown(first, last);
  }, [first, last, rows, onRowsShown]);

  // Focus a row moved to by key once it is rendered (scrolling there renders it a frame or two later).
  useEffect(() => {
    if (focusWanted === null) return;
    let frames = 0;
    let frame = 0;
    const attempt = () => {
      const row = listRef.current?.querySelector<HTMLElement>(`li[data-index="${focusWanted}"]`);
      if (row) {
        row.focus({ preventScroll: true });
        setFocusWanted(null);
      } else if (frames++ < 60) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, [focusWanted, items]);

  const rowIndexOf = (target: EventTarget) =>
    Number((target as HTMLElement).closest<HTMLElement>('li[data-index]')?.dataset.index ?? NaN);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const move = rowMoves[event.key];
    const index = rowIndexOf(event.target);
    if (!move || Number.isNaN(index) || event.altKey || event.metaKey) return;
    const target = Math.max(0, Math.min(rows.length - 1, move(index, rows.length)));
    event.preventDefault();
    focusedRow.current = target;
    rowWindow.scrollToIndex(target);
    setFocusWanted(target);
  }

  return (
    <>
      <span id={hintId} className={styles.hint}>
        {t('page.listKeys')}
      </span>
      <ul
        ref={listRef}
        aria-label={t('page.list')}
        aria-describedby={hintId}
        className={mergeClasses(styles.list, !rowWindow.windowed && styles.plain)}
        style={{ height: rowWindow.height }}
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          const index = rowIndexOf(event.target);
          if (Number.isNaN(index)) return;
          focusedRow.current = index;
          focusedLoadingRow.current = rows[index]?.kind === 'loading' ? index : null;
        }}
        onBlur={(event) => {
          if (!listRef.current?.contains(event.relatedTarget as Node | null)) focusedRow.current = null;
        }}
      >
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <li
              key={item.key}
              ref={rowWindow.measure}
              data-index={item.index}
              className={mergeClasses(styles.row, item.top !== null && styles.placed)}
              style={item.top === null ? undefined : { transform: `translateY(${item.top}px)` }}
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
              aria-busy={row.kind === 'loading' || undefined}
              // A row still loading takes Tab itself, so the keyboard never jumps past the unread rows;
              // a loaded row is focused only by Page Down/Up, its controls take Tab.
              tabIndex={row.kind === 'loading' ? 0 : -1}
            >
              {row.kind === 'request' ? (
                <RequestCard
                  request={row.request}
                  now={now}
                  selected={isSelected(row.request.id)}
                  onSelectedChange={(on) => onSelectedChange(row.request, on)}
                  onDecide={(decision, opener) => onDecide(row.request, decision, opener)}
                  onOpenDetails={(opener) => onOpenDetails(row.request, opener)}
                />
              ) : (
                <Skeleton aria-label={t('page.loadingRow', { position: item.index + 1, total: rows.length })}>
                  <SkeletonItem className={styles.placeholder} />
                </Skeleton>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
