// REST for the tab. Thin: parse, call the request service, answer.
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { parseListQuery, pageOfList } from '@apono-teams/domain/request-page.js';
import { facetsOf, filterRequests } from '@apono-teams/domain/request-query.js';
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
    if (kept && kept.from.length === from.length && kept.from.every((r, i) => r === from[i]))
      return kept.answer;
    const answer = freshBody(build(from));
    answers.set(key, { from, answer });
    return answer;
  }
  const answerKey = (req: Request, res: Response) => {
    const caller = callerOf(res);
    return `${caller.tenantId}/${caller.objectId} ${req.originalUrl}`;
  };

  // Every request waiting (total says how many), narrowed and sorted by ?q&requester&integration&sort
  // (matched says how many), whole or a page at a time (?limit with &cursor or &offset), with an ETag
  // for polls. A page carries the version of the whole narrowed list, so its ETag changes, and a
  // poll of the first page stops answering 304, when any request anywhere in the list changes.
  router.get('/requests', async (req, res) => {
    const query = parseListQuery(req.query);
    if (!query.ok) throw new AppError('bad_request', query.message);
    const q = query.value;
    const from = await requests.pending(callerOf(res));
    const answer = answerOnce(answerKey(req, res), from, () => {
      const pending = withRisk(from, risk);
      const matched = filterRequests(pending, q.filter);
      const page = pageOfList(matched, q);
      return {
        requests: page.items,
        total: pending.length,
        matched: matched.length,
        decidable: matched.filter((r) => r.viewer.canDecide).length,
        offset: page.offset,
        nextCursor: page.nextCursor,
        ...(q.limit !== null ? { version: versionOf(matched) } : {}),
        facets: facetsOf(pending),
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
