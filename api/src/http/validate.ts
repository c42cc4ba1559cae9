// Request bodies are parsed with a schema; anything else is a 400 with a sentence.
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { isRequestId } from '@apono-teams/domain/request-id.js';
import { jsonProblem } from '@apono-teams/domain/storable-text.js';
import { AppError } from './errors.js';

/** A body that is not JSON is refused, not read as empty: a reason sent as text/plain must not vanish. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) return next(new AppError('unsupported_media_type'));
  next();
};

/** The :id of a route, or not_found when it cannot be an Apono request ID. */
export function parseRequestId(value: unknown): string {
  if (!isRequestId(value))
    throw new AppError('not_found', 'No request has this ID. Check the link, or refresh the list.');
  return value;
}

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? ` (${first.path.join('.')})` : '';
    throw new AppError(
      'bad_request',
      `The request body is not valid${where}: ${first?.message ?? 'unexpected shape'}.`,
    );
  }
  return parsed.data;
}

/**
 * After a JSON parser: refuses a body nested deeper than anything this app reads (64 levels), which
 * would overflow the stack of whatever re-serialises it, and, with `characters`, a body holding a NUL
 * or half an emoji anywhere, which PostgreSQL cannot store (domain/src/storable-text.ts). The REST API
 * leaves characters to the field rules, so that a reason gets its own reason_invalid.
 */
export function refuseUnsafeJson(options: { characters: boolean }): RequestHandler {
  return (req, _res, next) => {
    const problem = jsonProblem(req.body);
    if (problem === 'too_deep')
      return next(new AppError('bad_request', 'The request body is nested too deeply to be read.'));
    if (problem === 'unstorable' && options.characters)
      return next(
        new AppError(
          'bad_request',
          'The request holds a character that cannot be stored (a null character or half an emoji).',
        ),
      );
    next();
  };
}
