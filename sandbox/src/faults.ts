// Injected faults for client-API calls (never the admin API): latency, random failures with a
// chosen status, or a request that is never answered so the client's own timeout is exercised.
import type { RequestHandler } from 'express';

export interface Faults {
  latencyMs?: number;
  /** 0..1: the share of calls that fail with `status` (1 when only `status` is given). */
  failRate?: number;
  status?: 500 | 503 | 429;
  /** Never answer; the client gives up on its own. */
  timeout?: boolean;
}

const messages: Record<number, string> = {
  500: 'Internal server error (injected by the sandbox)',
  503: 'Service unavailable (injected by the sandbox)',
  429: 'Too many requests (injected by the sandbox)',
};

export function faultInjection(current: () => Faults | null, random: () => number): RequestHandler {
  return async (_req, res, next) => {
    const faults = current();
    if (!faults) return next();
    if (faults.timeout) return; // the socket stays open until the client closes it
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const failRate = faults.failRate ?? (faults.status ? 1 : 0);
    if (failRate > 0 && random() < failRate) {
      const status = faults.status ?? 503;
      if (status === 429) res.setHeader('Retry-After', '1');
      res.status(status).json({ message: messages[status] });
      return;
    }
    next();
  };
}
