// One error type and one middleware: every failure leaves the server as
// { "error": { "code", "message", "details"? } } with a sentence that says what to do.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { errorBody, errorStatus, type ErrorCode } from '@apono-teams/domain/errors.js';
import type { Logger } from '../log.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? code);
    this.userMessage = message;
  }
  readonly userMessage: string | undefined;
  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'There is nothing at this address. Check the URL.'));
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let error: AppError;
    if (err instanceof AppError) error = err;
    else if (err?.type === 'entity.too.large')
      error = new AppError('payload_too_large', 'The request body is too large.');
    else if (err?.type === 'entity.parse.failed')
      error = new AppError('bad_request', 'The request body is not valid JSON.');
    else {
      (req.log ?? log).error({ err }, 'unhandled error');
      error = new AppError('internal');
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(error.headers ?? {})) res.setHeader(k, v);
    res.status(error.status).json(errorBody(error.code, error.userMessage, error.details));
  };
}
