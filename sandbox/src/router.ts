// Apono's client API paths, served from the sandbox. Mount at any prefix (e.g. /sandbox/apono) and
// point APONO_BASE_URL at it: the app cannot tell it from https://api.apono.io.
import express, { Router } from 'express';
import type { Response } from 'express';
import type { AponoScope } from '@apono-teams/domain/apono.js';
import { SandboxError } from './errors.js';
import { faultInjection } from './faults.js';
import { jsonErrors, queryInt, queryList, unknownRoute } from './http.js';
import { createOAuthRouter } from './oauth.js';
import type { AponoSandbox } from './sandbox.js';
import type { SandboxUser } from './users.js';

const scopes: AponoScope[] = ['MyRequests', 'MyTasks', 'MyHistoricTasks', 'MyDelegatedRequests'];
const caller = (res: Response): SandboxUser => res.locals.caller as SandboxUser;

export function createSandboxRouter(sandbox: AponoSandbox): Router {
  const router = Router();
  const v1 = Router();
  router.use(
    '/api/client/v1',
    faultInjection(() => sandbox.faults, sandbox.random),
    express.json({ limit: '64kb' }),
    v1,
  );

  v1.use((req, res, next) => {
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const user = token ? sandbox.userForToken(token) : undefined;
    if (!user)
      throw new SandboxError(
        401,
        'Unauthorized: the personal API token or access token is missing, not valid or expired',
      );
    res.locals.caller = user;
    next();
  });

  v1.get('/session', (_req, res) => {
    res.json(sandbox.session(caller(res)));
  });

  v1.get('/access-requests', (req, res) => {
    const scope = (typeof req.query.scope === 'string' ? req.query.scope : 'MyRequests') as AponoScope;
    if (!scopes.includes(scope))
      throw new SandboxError(400, `Unknown scope ${scope}; use one of ${scopes.join(', ')}`);
    res.json(
      sandbox.listRequests(caller(res), {
        scope,
        statuses: queryList(req.query.statuses),
        requestIds: queryList(req.query.request_ids),
        skip: queryInt(req.query.skip, 'skip', 0, 1_000_000),
        limit: queryInt(req.query.limit, 'limit', 100),
        summaryLimit: queryInt(req.query.access_units_summary_limit, 'access_units_summary_limit', 5),
      }),
    );
  });

  v1.get('/access-requests/:id', (req, res) => {
    const summaryLimit = queryInt(req.query.access_units_summary_limit, 'access_units_summary_limit', 5);
    res.json(sandbox.getRequest(caller(res), req.params.id, summaryLimit));
  });

  v1.get('/access-groups/:id/units', (req, res) => {
    const skip = queryInt(req.query.skip, 'skip', 0, 1_000_000);
    res.json(sandbox.listUnits(caller(res), req.params.id, skip, queryInt(req.query.limit, 'limit', 100)));
  });

  for (const decision of ['approve', 'reject'] as const) {
    v1.post(`/access-requests/:id/${decision}`, (req, res) => {
      const body: unknown = req.body ?? {};
      const justification = (body as { justification?: unknown }).justification;
      if (justification != null && typeof justification !== 'string')
        throw new SandboxError(400, 'justification must be a string or null');
      res.json(sandbox[decision](caller(res), req.params.id, justification));
    });
  }

  // "Sign in with Apono": /oauth/authorize and /oauth/token.
  router.use('/oauth', createOAuthRouter(sandbox.oauth));

  router.use(unknownRoute);
  router.use(jsonErrors);
  return router;
}
