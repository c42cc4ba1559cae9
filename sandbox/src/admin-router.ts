// The sandbox's control panel (the API server mounts it at /api/sandbox, in sandbox mode only):
// reseed, create requests as a requester, inject faults, change account settings, expire, fail or
// escalate a request (by its friendly or internal ID, whatever the sandbox's ID mode).
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

const settingsBody = z.strictObject({ disableApproverReason: z.boolean().optional() });

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

  // Answers once every onReset listener (the API server's own state) has finished.
  router.post('/reset', async (_req, res) => {
    await sandbox.reset();
    res.json({ message: 'Sandbox reseeded' });
  });

  // Account settings, reported by GET /session; kept across reset, like faults.
  router.get('/settings', (_req, res) => {
    res.json({ settings: sandbox.settings, requestIds: sandbox.requestIds });
  });

  router.post('/settings', (req, res) => {
    const settings = sandbox.configureSettings(parse(settingsBody, req.body));
    res.json({ message: 'Settings changed', settings, requestIds: sandbox.requestIds });
  });

  router.post('/requests', (req, res) => {
    res.status(201).json(sandbox.createRequest(parse(newRequestBody, req.body)));
  });

  router.post('/requests/:id/expire', (req, res) => {
    sandbox.expire(req.params.id);
    res.json({ message: `Access request ${req.params.id} expired` });
  });

  router.post('/requests/:id/fail', (req, res) => {
    sandbox.fail(req.params.id);
    res.json({ message: `Access request ${req.params.id} failed` });
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
