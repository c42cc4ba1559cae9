// One error type and one middleware: every failure leaves the server as
// { "error": { "code", "message", "details"? } } with a sentence that says what to do.
import type { Duplex } from 'node:stream';
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
    // Express's router cannot decode a %-escape in the path (decodeURIComponent's URIError, status 400).
    else if (err instanceof URIError)
      error = new AppError('bad_request', 'The address has a broken %-escape. Check the link and try again.');
    // Any other client error from Express or body-parser (status 4xx, expose): the request, not us.
    else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.expose)
      error = new AppError(
        'bad_request',
        'The request was not understood. Check what was sent and try again.',
      );
    else {
      (req.log ?? log).error({ err }, 'unhandled error');
      error = new AppError('internal');
    }
    if (res.headersSent) return;
    for (const [k, v] of Object.entries(error.headers ?? {})) res.setHeader(k, v);
    res.status(error.status).json(errorBody(error.code, error.userMessage, error.details));
  };
}

/**
 * Node answers a request it cannot parse (HPE_HEADER_OVERFLOW for a URL or headers over 16 KB, a
 * malformed request line) with a bare status and no body. This answers in the one error shape instead,
 * then closes the connection (Node docs: http.Server 'clientError').
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request';
  const body = JSON.stringify(errorBody(code));
  const reason = code === 'headers_too_large' ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${errorStatus[code]} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
