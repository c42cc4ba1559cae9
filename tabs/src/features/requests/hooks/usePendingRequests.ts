import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useResource } from '../../../lib/use-resource.js';
import { listPendingRequests } from '../api/requests.js';

export const pollIntervalMs = 20_000;

/**
 * The requests waiting for the viewer, kept current without a reload: polled every 20 s while the
 * tab is visible and again whenever the window regains focus, so requests decided elsewhere leave
 * and new ones arrive.
 */
export function usePendingRequests() {
  const resource = useResource(listPendingRequests, 'pending');
  const { reload } = resource;
  // A poll that started before a decision may still list the request; hide it until the server agrees.
  const settledIds = useRef(new Set<string>());

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

  const requests = useMemo(() => {
    const all = resource.data;
    if (!all) return undefined;
    const listed = new Set(all.map((r) => r.id));
    for (const id of settledIds.current) if (!listed.has(id)) settledIds.current.delete(id);
    return all.filter((r) => !settledIds.current.has(r.id));
  }, [resource.data]);

  const { setData } = resource;
  const remove = useCallback(
    (ids: readonly string[]) => {
      for (const id of ids) settledIds.current.add(id);
      setData((current) => current?.filter((r: ApprovalRequest) => !ids.includes(r.id)));
    },
    [setData],
  );

  return { requests, error: resource.error, loading: resource.loading, reload, remove };
}
