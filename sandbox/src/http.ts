// Pieces both routers share: Apono-like JSON errors, including for bad JSON bodies and unknown routes.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { SandboxError } from './errors.js';

export const unknownRoute: RequestHandler = (req, res) => {
  res.status(404).json({ message: `No route for ${req.method} ${req.originalUrl}` });
};

export const jsonErrors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof SandboxError) {
    res.status(err.status).json({ message: err.message });
    return;
  }
  // body-parser marks its own failures (bad JSON, too large) with an HTTP status.
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({
      message: status === 400 ? 'The request body is not valid JSON' : String((err as Error).message),
    });
    return;
  }
  res.status(500).json({ message: 'Internal server error' });
};

/** Repeated (`a=1&a=2`) and comma (`a=1,2`) forms both mean a list, as in Apono's array parameters. */
export function queryList(value: unknown): string[] | undefined {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const items = raw
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
    .map((v) => v.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export function queryInt(value: unknown, name: string, fallback: number, max = 1000): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new SandboxError(400, `Query parameter ${name} must be an integer from 0 to ${max}`);
  return n;
}
