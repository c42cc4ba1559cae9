// Request bodies are parsed with a schema; anything else is a 400 with a sentence.
import type { z } from 'zod';
import { AppError } from './errors.js';

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
