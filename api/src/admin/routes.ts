// Admin endpoints, for the people ADMIN_EMAILS lists (matched against every name their sign-in gave).
import { Router, type RequestHandler } from 'express';
import { AppError } from '../http/errors.js';
import { callerOf } from '../identity/middleware.js';
import { signInNames, type Caller } from '../identity/tokens.js';
import type { Delivery } from '../delivery/queue.js';
import type { TeamsStore } from '../teams/store.js';

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

export function adminRoutes(deps: {
  adminEmails: string[] | undefined;
  store: TeamsStore;
  delivery?: Delivery | undefined;
}): Router {
  const router = Router();
  router.use('/admin', adminsOnly(deps.adminEmails));
  /** Approvers Apono named whom no Teams message could reach, with the last reason and request. */
  router.get('/admin/unreachable', async (_req, res) => {
    const people = await deps.store.unreachable();
    res.json({ count: people.length, people });
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
