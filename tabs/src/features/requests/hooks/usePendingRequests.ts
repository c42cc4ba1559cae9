import { listPollMs } from '@apono-teams/domain/request-page.js';
import type { RequestFilter } from '@apono-teams/domain/request-query.js';
import type { RiskedRequest } from '@apono-teams/domain/risk.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { listPendingPage, type PendingPage } from '../api/requests.js';

export const pollIntervalMs = listPollMs;
/** Rows per read: a first screen and some, small enough that the first card shows at once at any size. */
export const pageSize = 50;

/** What the list knows about the whole narrowed list, from the last page read. */
interface ListHead extends Omit<PendingPage, 'requests' | 'offset' | 'nextCursor'> {
  /** The first page's ETag: the poll's If-None-Match. */
  etag: string | null;
}

interface HeldPage {
  version: string;
  requests: RiskedRequest[];
}

/** A row of the list: a request, or the place of one whose page is still being read. */
export type PendingRow = { kind: 'request'; request: RiskedRequest } | { kind: 'loading'; page: number };

/**
 * The requests waiting for the viewer, a page at a time, narrowed and sorted by the server over all
 * of them. Kept current without a reload: the first page is polled every 20 s while the tab is
 * visible, and again whenever the window regains focus, with the ETag held; a 304 (nothing changed
 * anywhere in the list) changes no state, so nothing renders again. A changed list marks the pages
 * held as stale; `ensure` reads again those the view shows.
 */
export function usePendingRequests(filter: RequestFilter) {
  const [head, setHead] = useState<ListHead>();
  const [pages, setPages] = useState<ReadonlyMap<number, HeldPage>>(new Map());
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  // Decided here: hidden at once, whatever a read begun before the decision still says.
  const [settled, setSettled] = useState<ReadonlySet<string>>(new Set());
  const filterKey = JSON.stringify(filter);
  const current = useRef({ filter, head, pages, error, loading, generation: 0 });
  Object.assign(current.current, { filter, head, pages, error, loading });
  const inFlight = useRef(new Set<string>());

  const read = useCallback(async (index: number, fresh: boolean) => {
    const state = current.current;
    const { generation } = state;
    const key = `${generation}:${index}`;
    if (inFlight.current.has(key)) return;
    inFlight.current.add(key);
    const etag = index === 0 && !fresh ? (state.head?.etag ?? null) : null;
    try {
      const answer = await listPendingPage(state.filter, index * pageSize, pageSize, etag);
      if (generation !== current.current.generation) return;
      if (current.current.error !== undefined) setError(undefined);
      if (answer.unchanged) return;
      const { requests, offset: _offset, nextCursor: _next, ...rest } = answer.body;
      setHead((held) => ({ ...rest, etag: index === 0 ? answer.etag : (held?.etag ?? null) }));
      const page = { version: rest.version, requests };
      setPages((held) => new Map(fresh && index === 0 ? [] : held).set(index, page));
    } catch (caught) {
      if (generation === current.current.generation) setError(caught);
    } finally {
      inFlight.current.delete(key);
      if (generation === current.current.generation && current.current.loading) setLoading(false);
    }
  }, []);

  // A new filter starts a new list; the old one stays on screen until its first page arrives.
  useEffect(() => {
    current.current.generation++;
    setLoading(true);
    void read(0, true);
  }, [filterKey, read]);

  const reload = useCallback(() => read(0, false), [read]);

  useEffect(() => {
    const refreshIfVisible = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    const timer = window.setInterval(refreshIfVisible, pollIntervalMs);
    window.addEventListener('focus', refreshIfVisible);
    document.addEventListener('visibilitychange', refreshIfVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refreshIfVisible);
      document.removeEventListener('visibilitychange', refreshIfVisible);
    };
  }, [reload]);

  /** Read the pages holding rows `first` to `last` that are missing or older than the list. */
  const ensure = useCallback(
    (first: number, last: number) => {
      const { head: known, pages: held } = current.current;
      if (!known) return;
      for (let index = Math.floor(first / pageSize); index <= Math.floor(last / pageSize); index++) {
        if (index * pageSize >= known.matched) break;
        if (held.get(index)?.version !== known.version) void read(index, false);
      }
    },
    [read],
  );

  const view = useMemo(() => {
    if (!head) return undefined;
    const rows: PendingRow[] = [];
    let hiddenHere = 0;
    for (let index = 0; index * pageSize < head.matched; index++) {
      const held = pages.get(index);
      if (!held) {
        const places = Math.min(pageSize, head.matched - index * pageSize);
        for (let i = 0; i < places; i++) rows.push({ kind: 'loading', page: index });
        continue;
      }
      for (const request of held.requests) {
        if (!settled.has(request.id)) rows.push({ kind: 'request', request });
        else if (held.version === head.version) hiddenHere++;
      }
    }
    // The server's counts still include a request decided here until a read after the decision.
    return {
      rows,
      total: head.total - hiddenHere,
      matched: head.matched - hiddenHere,
      decidable: Math.max(0, head.decidable - hiddenHere),
      facets: head.facets,
    };
  }, [head, pages, settled]);

  const remove = useCallback((ids: readonly string[]) => {
    setSettled((held) => new Set([...held, ...ids]));
  }, []);

  /** A request of the pages held (the details drawer opens with what the list already shows). */
  const find = useCallback(
    (id: string) => {
      for (const page of pages.values()) {
        const found = page.requests.find((r) => r.id === id);
        if (found) return found;
      }
      return undefined;
    },
    [pages],
  );

  /**
   * Whether the request is still in the list: known once every page is held as of the list's
   * version (a short queue, or one scrolled through), else undefined.
   */
  const stillListed = useCallback(
    (id: string): boolean | undefined => {
      if (!head) return undefined;
      let complete = true;
      for (let index = 0; index * pageSize < head.matched; index++) {
        const held = pages.get(index);
        if (held?.version !== head.version) complete = false;
        else if (held.requests.some((r) => r.id === id)) return true;
      }
      return complete ? false : undefined;
    },
    [head, pages],
  );

  return { view, error, loading, reload, ensure, remove, find, stillListed, settled };
}
