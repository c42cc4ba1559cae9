// REST for the tab. Thin: parse, call the request service, answer.
import { Router } from 'express';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { riskHints, withRisk, type RiskedRequest } from '@apono-teams/domain/risk.js';
import type { RiskSettings } from '@apono-teams/domain/risk-settings.js';
import { z } from 'zod';
import { riskSettings } from '../config.js';
import { parseBody, parseRequestId } from '../http/validate.js';
import { callerOf } from '../identity/middleware.js';
import { sendFresh } from './fresh.js';
import type { RequestService } from './service.js';

// Length is the domain rule's job (it counts code points); this only bounds what we read.
const decisionBody = z.strictObject({ reason: z.string().max(4000).nullish() });

/** Every request the tab gets carries its risk hints; a listing is what "first seen" compares with. */
export function requestRoutes(requests: RequestService, risk: RiskSettings = riskSettings()): Router {
  const router = Router();
  const hinted = (request: ApprovalRequest): RiskedRequest => ({
    ...request,
    risk: riskHints(request, risk),
  });

  // Every request waiting, however many (total says how many), with an ETag for polls.
  router.get('/requests', async (req, res) => {
    const pending = withRisk(await requests.pending(callerOf(res)), risk);
    sendFresh(req, res, { requests: pending, total: pending.length });
  });

  router.get('/requests/history', async (req, res) => {
    const decided = withRisk(await requests.history(callerOf(res)), risk);
    sendFresh(req, res, { requests: decided, total: decided.length });
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
