// The sandbox's control panel (the API server mounts it at /api/sandbox, in sandbox mode only):
// reseed, create requests as a requester, inject faults, expire or escalate a request.
import express, { Router } from 'express';
import { z } from 'zod';
import { SandboxError } from './errors.js';
import { jsonErrors, unknownRoute } from './http.js';
import type { AponoSandbox } from './sandbox.js';

const newRequestBody = z
  .object({
    requesterEmail: z.email(),
    flowId: z.string().min(1).optional(),
    resources: z.array(z.string().min(1)).min(1).optional(),
    permission: z.string().min(1).optional(),
    justification: z.string().max(5000).nullish(),
    durationSeconds: z.number().int().positive().max(31_536_000).nullish(),
  })
  .refine((b) => b.flowId || b.resources, { message: 'Give flowId or resources' });

const faultsBody = z.object({
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  failRate: z.number().min(0).max(1).optional(),
  status: z.union([z.literal(500), z.literal(503), z.literal(429)]).optional(),
  timeout: z.boolean().optional(),
});

const oauthBody = z.object({
  accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
  codeTtlSeconds: z.number().int().min(1).max(3600).optional(),
});

const revokeBody = z.object({ email: z.email() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SandboxError(400, z.prettifyError(result.error));
  return result.data;
}

export function createSandboxAdminRouter(sandbox: AponoSandbox): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/users', (_req, res) => {
    res.json(sandbox.users.map((u) => ({ ...u, token: sandbox.tokenFor(u.email) })));
  });

  router.post('/reset', (_req, res) => {
    sandbox.reset();
    res.json({ message: 'Sandbox reseeded' });
  });

  router.post('/requests', (req, res) => {
    res.status(201).json(sandbox.createRequest(parse(newRequestBody, req.body)));
  });

  router.post('/requests/:id/expire', (req, res) => {
    sandbox.expire(req.params.id);
    res.json({ message: `Access request ${req.params.id} expired` });
  });

  router.post('/requests/:id/escalate', (req, res) => {
    sandbox.escalate(req.params.id);
    res.json({ message: `Access request ${req.params.id} escalated` });
  });

  router.post('/faults', (req, res) => {
    const faults = parse(faultsBody, req.body);
    sandbox.setFaults(faults);
    res.json({ message: 'Faults set', faults });
  });

  router.delete('/faults', (_req, res) => {
    sandbox.clearFaults();
    res.json({ message: 'Faults cleared' });
  });

  router.put('/oauth', (req, res) => {
    const settings = parse(oauthBody, req.body);
    sandbox.oauth.configure(settings);
    res.json({ message: 'OAuth settings changed', settings: sandbox.oauth.settings });
  });

  router.post('/oauth/revoke', (req, res) => {
    const { email } = parse(revokeBody, req.body);
    sandbox.oauth.revokeUser(email);
    res.json({ message: `Every OAuth token of ${email} was revoked` });
  });

  router.use(unknownRoute);
  router.use(jsonErrors);
  return router;
}
