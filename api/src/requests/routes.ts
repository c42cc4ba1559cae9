// REST for the tab. Thin: parse, call the request service, answer.
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { isLaterPage, parseListQuery, pageOfList } from '@apono-teams/domain/request-page.js';
import { facetsOf, filterRequests, type RequestFilter } from '@apono-teams/domain/request-query.js';
import { riskHints, withRisk, type RiskedRequest } from '@apono-teams/domain/risk.js';
import type { RiskSettings } from '@apono-teams/domain/risk-settings.js';
import { z } from 'zod';
import { riskSettings } from '../config.js';
import { AppError } from '../http/errors.js';
import { parseBody, parseRequestId } from '../http/validate.js';
import { callerOf } from '../identity/middleware.js';
import { LRUCache } from 'lru-cache';
import { freshBody, sendFresh, sendFreshBody, type FreshBody } from './fresh.js';
import type { RequestService } from './service.js';

// Length is the domain rule's job (it counts code points); this only bounds what we read.
const decisionBody = z.strictObject({ reason: z.string().max(4000).nullish() });

/** Whether two lists hold the very same request objects, in the same order. */
const sameRequests = (a: readonly ApprovalRequest[], b: readonly ApprovalRequest[]) =>
  a.length === b.length && a.every((r, i) => r === b[i]);

interface ListView {
  total: number;
  matched: RiskedRequest[];
  decidable: number;
  version: string;
  facets: ReturnType<typeof facetsOf>;
}

const versionOf = (list: readonly RiskedRequest[]) =>
  createHash('sha256').update(JSON.stringify(list)).digest('base64url').slice(0, 22);

/** Every request the tab gets carries its risk hints; a listing is what "first seen" compares with. */
export function requestRoutes(requests: RequestService, risk: RiskSettings = riskSettings()): Router {
  const router = Router();
  const hinted = (request: ApprovalRequest): RiskedRequest => ({
    ...request,
    risk: riskHints(request, risk),
  });

  /**
   * The last answer to each caller's list URL, with the requests it was built from. The service hands
   * back the same request objects while nothing about them changed (the same Apono bytes, the same
   * records), so an unchanged poll reuses its bytes and ETag instead of adding hints, filtering,
   * serializing and hashing again (issue 11, 1). Any other object anywhere in the list builds anew.
   */
  const answers = new LRUCache<string, { from: readonly ApprovalRequest[]; answer: FreshBody }>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (kept) => Math.max(1, kept.answer.body.length),
  });
  function answerOnce(
    key: string,
    from: readonly ApprovalRequest[],
    build: (from: readonly ApprovalRequest[]) => unknown,
  ): FreshBody {
    const kept = answers.get(key);
    if (kept && sameRequests(kept.from, from)) return kept.answer;
    const answer = freshBody(build(from));
    answers.set(key, { from, answer });
    return answer;
  }
  const callerKey = (res: Response) => {
    const caller = callerOf(res);
    return `${caller.tenantId}/${caller.objectId}`;
  };
  const answerKey = (req: Request, res: Response) => `${callerKey(res)} ${req.originalUrl}`;

  /**
   * The caller's list as one filter narrows it (hints, narrowing, sort, version, counts), shared by
   * every page of it: Select all reads 10 pages of 500 at 5,000 pending, and each page made all of it
   * again (~40 ms of hints and hashing a page). Made anew when any request object in it changed.
   * Bounded by the requests held (shallow copies with their hints; the rest is shared).
   */
  const views = new LRUCache<string, { from: readonly ApprovalRequest[]; view: ListView }>({
    maxSize: 50_000,
    sizeCalculation: (kept) => Math.max(1, kept.from.length),
  });
  function viewOnce(key: string, from: readonly ApprovalRequest[], filter: RequestFilter): ListView {
    const kept = views.get(key);
    if (kept && sameRequests(kept.from, from)) return kept.view;
    const pending = withRisk(from, risk);
    const matched = filterRequests(pending, filter);
    const view = {
      total: pending.length,
      matched,
      decidable: matched.filter((r) => r.viewer.canDecide).length,
      version: versionOf(matched),
      facets: facetsOf(pending),
    };
    views.set(key, { from, view });
    return view;
  }

  // Every request waiting (total says how many), narrowed and sorted by ?q&requester&integration&sort
  // (matched says how many), whole or a page at a time (?limit with &cursor or &offset), with an ETag
  // for polls. A page carries the version of the whole narrowed list, so its ETag changes, and a
  // poll of the first page stops answering 304, when any request anywhere in the list changes.
  router.get('/requests', async (req, res) => {
    const query = parseListQuery(req.query);
    if (!query.ok) throw new AppError('bad_request', query.message);
    const q = query.value;
    const caller = callerOf(res);
    const from = await (isLaterPage(q) ? requests.pendingForPage(caller) : requests.pending(caller));
    const answer = answerOnce(answerKey(req, res), from, () => {
      const view = viewOnce(`${callerKey(res)} ${JSON.stringify(q.filter)}`, from, q.filter);
      const page = pageOfList(view.matched, q);
      return {
        requests: page.items,
        total: view.total,
        matched: view.matched.length,
        decidable: view.decidable,
        offset: page.offset,
        nextCursor: page.nextCursor,
        ...(q.limit !== null ? { version: view.version } : {}),
        facets: view.facets,
      };
    });
    sendFreshBody(req, res, answer);
  });

  router.get('/requests/history', async (req, res) => {
    const from = await requests.history(callerOf(res));
    const answer = answerOnce(answerKey(req, res), from, () => {
      const decided = withRisk(from, risk);
      return { requests: decided, total: decided.length };
    });
    sendFreshBody(req, res, answer);
  });

  router.get('/requests/:id', async (req, res) => {
    const id = parseRequestId(req.params.id);
    sendFresh(req, res, { request: hinted(await requests.get(callerOf(res), id)) });
  });

  for (const action of ['approve', 'reject'] as const) {
    router.post(`/requests/:id/${action}`, async (req, res) => {
      const id = parseRequestId(req.params.id);
      const { reason } = parseBody(decisionBody, req.body);
      res.json({ request: hinted(await requests.decide(callerOf(res), id, action, reason ?? null)) });
    });
  }

  return router;
}
