// REST for the tab. Thin: parse, call the request service, answer.
import { Router } from 'express';
import { z } from 'zod';
import { parseBody, parseRequestId } from '../http/validate.js';
import { callerOf } from '../identity/middleware.js';
import type { RequestService } from './service.js';

// Length is the domain rule's job (it counts code points); this only bounds what we read.
const decisionBody = z.strictObject({ reason: z.string().max(4000).nullish() });

export function requestRoutes(requests: RequestService): Router {
  const router = Router();

  router.get('/requests', async (_req, res) => {
    res.json({ requests: await requests.pending(callerOf(res)) });
  });

  router.get('/requests/history', async (_req, res) => {
    res.json({ requests: await requests.history(callerOf(res)) });
  });

  router.get('/requests/:id', async (req, res) => {
    const id = parseRequestId(req.params.id);
    res.json({ request: await requests.get(callerOf(res), id) });
  });

  for (const action of ['approve', 'reject'] as const) {
    router.post(`/requests/:id/${action}`, async (req, res) => {
      const id = parseRequestId(req.params.id);
      const { reason } = parseBody(decisionBody, req.body);
      res.json({ request: await requests.decide(callerOf(res), id, action, reason ?? null) });
    });
  }

  return router;
}
