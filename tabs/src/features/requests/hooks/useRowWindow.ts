// Which rows of the pending list are in the DOM, and where. Up to `renderAllUpTo` rows, all of them,
// one under the other: no virtualizer at all, so a short queue's first load does without its code
// (issue 11, 5). Past that, @tanstack/virtual-core's window virtualizer (as @tanstack/react-virtual's
// useWindowVirtualizer drives it, which this replaces), imported the first time the list grows that
// long and kept from then on; until it is there, the first screenful is drawn as a plain list. The
// same rows keep the same keys in both ways, so React moves a row's elements from one layout to the
// other instead of making new ones, and the focus inside a card stays where it is.
import type { Range } from '@tanstack/virtual-core';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

type Core = typeof import('@tanstack/virtual-core');
const loadCore = () => import('@tanstack/virtual-core');

export interface RowPlace {
  index: number;
  key: string;
  /** Offset from the top of the list, in px; null while the rows are laid out one under the other. */
  top: number | null;
}

interface RowWindowOptions {
  count: number;
  renderAllUpTo: number;
  estimatedRowPx: number;
  gapPx: number;
  overscan: number;
  /** The list's top in the page, in px. */
  scrollMargin: number;
  getItemKey: (index: number) => string;
  /** A row to keep rendered wherever the window is scrolled (the one holding focus). */
  keptRow: () => number | null;
  /** The list's element: where a plain list finds a row to scroll to. */
  list: () => HTMLElement | null;
}

export function useRowWindow(options: RowWindowOptions) {
  const { count, renderAllUpTo, estimatedRowPx, gapPx, overscan, scrollMargin } = options;
  const [core, setCore] = useState<Core | null>(null);
  const long = count > renderAllUpTo;
  useEffect(() => {
    if (long && !core) void loadCore().then((loaded) => setCore(() => loaded));
  }, [long, core]);

  const latest = useRef(options);
  latest.current = options;
  const rerender = useReducer((n: number) => n + 1, 0)[1];
  const measuring = useRef(false);
  const [ready, setReady] = useState(false);
  const scrollWanted = useRef<number | null>(null);
  const plainShown = useRef(0);

  const resolved = (c: Core) => ({
    count,
    estimateSize: () => estimatedRowPx,
    gap: gapPx,
    overscan,
    scrollMargin,
    getItemKey: (index: number) => latest.current.getItemKey(index),
    rangeExtractor: (range: Range) => {
      if (range.count <= latest.current.renderAllUpTo)
        return Array.from({ length: range.count }, (_, i) => i);
      const indexes = c.defaultRangeExtractor(range);
      const kept = latest.current.keptRow();
      if (kept !== null && kept < range.count && !indexes.includes(kept)) {
        indexes.push(kept);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    getScrollElement: () => window,
    observeElementRect: c.observeWindowRect,
    observeElementOffset: c.observeWindowOffset,
    scrollToFn: c.windowScroll,
    initialOffset: () => window.scrollY,
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    onChange: (_: unknown, sync: boolean) => {
      if (sync && !measuring.current) flushSync(rerender);
      else rerender();
    },
  });

  const virtualizer = useMemo(
    () => (core ? new core.Virtualizer<Window, HTMLElement>(resolved(core)) : null),
    // Made once, when its code arrives; `setOptions` below gives it each render's options.
    [core],
  );
  if (core && virtualizer) virtualizer.setOptions(resolved(core));
  useLayoutEffect(() => virtualizer?._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    if (!virtualizer) return;
    virtualizer._willUpdate();
    if (!ready) {
      // Measured the window once: from the next render (before paint) its rows are the ones shown.
      setReady(true);
      const wanted = scrollWanted.current;
      scrollWanted.current = null;
      if (wanted !== null && wanted < count) virtualizer.scrollToIndex(wanted, { align: 'center' });
    }
  });

  const windowed = ready && virtualizer ? virtualizer : null;
  const measure = useMemo(() => {
    if (!windowed) return undefined;
    return (node: HTMLElement | null) => {
      measuring.current = true;
      try {
        windowed.measureElement(node);
      } finally {
        measuring.current = false;
      }
    };
  }, [windowed]);

  let rows: RowPlace[];
  let height: number | undefined;
  if (windowed) {
    rows = windowed.getVirtualItems().map((item) => ({
      index: item.index,
      key: String(item.key),
      top: item.start - windowed.options.scrollMargin,
    }));
    height = windowed.getTotalSize();
  } else {
    // A plain list: every row; or, a long list whose virtualizer is on its way, the first screenful
    // at first, and the rows already there when a short list grew (the focus may be in any of them).
    const screenful = Math.ceil(window.innerHeight / (estimatedRowPx + gapPx)) + overscan;
    const shown = long ? Math.min(count, Math.max(screenful, plainShown.current)) : count;
    plainShown.current = shown;
    rows = Array.from({ length: shown }, (_, index) => ({
      index,
      key: options.getItemKey(index),
      top: null,
    }));
    height = long ? count * estimatedRowPx + (count - 1) * gapPx : undefined;
  }

  /** Brings row `index` to the middle of the window (rendering it first when the list is windowed). */
  const scrollToIndex = (index: number) => {
    if (windowed) return windowed.scrollToIndex(index, { align: 'center' });
    const row = latest.current.list()?.querySelector(`:scope > [data-index="${index}"]`);
    if (row) row.scrollIntoView({ block: 'center' });
    else scrollWanted.current = index;
  };

  return { rows, height, windowed: windowed !== null, measure, scrollToIndex };
}
