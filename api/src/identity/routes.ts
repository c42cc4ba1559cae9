// Who am I, and is my Apono account connected?
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../http/validate.js';
import { callerOf } from './middleware.js';
import type { Caller } from './tokens.js';
import { viewOf, type Identity } from './service.js';

const connectBody = z.object({
  token: z.string().trim().min(8, 'paste the whole personal API token').max(4096),
});

export function identityRoutes(
  identity: Identity,
  isAdmin: (caller: Caller) => boolean = () => false,
): Router {
  const router = Router();

  router.get('/me', async (_req, res) => {
    const caller = callerOf(res);
    const connection = await identity.find(caller);
    res.json({
      user: { name: caller.name, email: caller.email, tenantId: caller.tenantId },
      connection: viewOf(connection),
      // Only what the tab shows or hides (the Routing page); every admin endpoint checks again.
      admin: isAdmin(caller),
    });
  });

  router.put('/connection', async (req, res) => {
    const { token } = parseBody(connectBody, req.body);
    const connection = await identity.connectWith(callerOf(res), 'token', { accessToken: token });
    res.json({ connection: viewOf(connection) });
  });

  router.delete('/connection', async (_req, res) => {
    await identity.disconnect(callerOf(res));
    res.status(204).end();
  });

  return router;
}
