// Admin endpoints, for the people ADMIN_EMAILS lists (matched against every name their sign-in gave).
import { Router, type RequestHandler } from 'express';
import { AppError } from '../http/errors.js';
import { localizedError } from '../localized-error.js';
import { message } from '@apono-teams/domain/message.js';
import { callerOf } from '../identity/middleware.js';
import { signInNames, type Caller } from '../identity/tokens.js';
import type { Delivery } from '../delivery/queue.js';
import type { TeamsStore } from '../teams/store.js';
import { ROUTE_MATCHES } from '@apono-teams/domain/routing.js';
import type { RoutingStore } from '../teams/routing.js';
import { parseBody } from '../http/validate.js';
import { z } from 'zod';

export function isAdmin(caller: Caller, adminEmails: string[] | undefined): boolean {
  const admins = new Set((adminEmails ?? []).map((e) => e.toLowerCase()));
  return signInNames(caller).some((name) => admins.has(name.toLowerCase()));
}

export function adminsOnly(adminEmails: string[] | undefined): RequestHandler {
  return (_req, res, next) => {
    if (!isAdmin(callerOf(res), adminEmails)) throw new AppError('not_an_admin');
    next();
  };
}

const routeBody = z.object({
  match: z.enum(ROUTE_MATCHES),
  value: z.string().trim().min(1, 'name the flow, integration or resource type').max(200),
  conversationId: z.string().min(1).max(300),
});

export function adminRoutes(deps: {
  adminEmails: string[] | undefined;
  store: TeamsStore;
  routes: RoutingStore;
  delivery?: Delivery | undefined;
}): Router {
  const router = Router();
  router.use('/admin', adminsOnly(deps.adminEmails));
  /** Approvers Apono named whom no Teams message could reach, with the last reason and request. */
  router.get('/admin/unreachable', async (_req, res) => {
    const people = await deps.store.unreachable();
    res.json({ count: people.length, people });
  });
  /** Where new requests go besides their approvers' chats, and the channels the bot is in. */
  router.get('/admin/routes', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({
      routes: await deps.routes.routes(),
      channels: await deps.routes.channels(),
    });
  });
  router.post('/admin/routes', async (req, res) => {
    const body = parseBody(routeBody, req.body);
    if (!(await deps.routes.channel(body.conversationId)))
      throw localizedError('bad_request', message('errorCase.botNotInChannel'));
    const route = await deps.routes.addRoute({ ...body, createdBy: callerOf(res).email });
    if (!route) throw localizedError('bad_request', message('errorCase.routeExists'));
    res.status(201).json({ route });
  });
  router.delete('/admin/routes/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || !(await deps.routes.removeRoute(id)))
      throw localizedError('not_found', message('errorCase.noSuchRoute'));
    res.status(204).end();
  });
  const delivery = deps.delivery;
  if (delivery) {
    /** Queued, retrying, running and dead jobs, and the last error of each queue. */
    router.get('/admin/delivery', async (_req, res) => {
      res.set('Cache-Control', 'no-store').json(await delivery.report());
    });
    /** Every dead letter back to its queue, to be tried again. */
    router.post('/admin/delivery/retry', async (_req, res) => {
      res.json({ retried: await delivery.retryDead() });
    });
  }
  return router;
}
