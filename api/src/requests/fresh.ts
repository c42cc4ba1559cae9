// A JSON answer with a strong ETag, and 304 Not Modified when the caller already holds that body.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A strong validator: the same bytes give the same tag, any change another one. */
const tagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url')}"`;

/** If-None-Match names `tag` (RFC 9110 §13.1.2: weak comparison, so a W/ form matches too), or is `*`. */
function held(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const candidate = t.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === tag;
  });
}

/**
 * Express's own check (the `fresh` package) ignores If-None-Match whenever the request also says
 * Cache-Control: no-cache, and fetch() adds that to every request that sets If-None-Match by hand,
 * so the tab's polls would never get 304. The list is personal: private, and asked again each time.
 */
export function sendFresh(req: Request, res: Response, value: unknown): void {
  // Encoded once: the same bytes are hashed and sent (a string would be encoded for each).
  const body = Buffer.from(JSON.stringify(value));
  const tag = tagOf(body);
  res.set({ ETag: tag, 'Cache-Control': 'private, no-cache' });
  if (held(req.get('if-none-match'), tag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(body);
}
