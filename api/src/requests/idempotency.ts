// Identical decisions (same person, request and action) share one Apono call, across instances:
// the first to insert the row does the work while renewing its lease; twins that arrive meanwhile
// wait briefly for its stored result. A finished claim is never replayed: a later repeat runs again,
// and the work itself re-reads Apono (so a repeat answers from what Apono says now).
import type { Db } from '../store/db.js';
import type { Chore } from '../store/housekeeping.js';
import type { ErrorCode } from '@apono-teams/domain/errors.js';
import { message } from '@apono-teams/domain/message.js';
import { AppError } from '../http/errors.js';
import { localizedError } from '../localized-error.js';

/** A claim whose lease was not renewed for this long belongs to an instance that died mid-call. */
export const LEASE_SECONDS = 10;
const RENEW_MS = (LEASE_SECONDS * 1000) / 4;
/** How long a twin waits for the first attempt's answer before being told it is still being sent. */
export const TWIN_WAIT_MS = 1200;

export async function once<T>(
  db: Db,
  key: string,
  owner: { tenantId: string; objectId: string; requestId: string; action: string },
  work: () => Promise<T>,
): Promise<T> {
  const claimed = await db.query(
    `insert into decisions (idempotency_key, tenant_id, object_id, request_id, action, state) values ($1, $2, $3, $4, $5, 'pending')
     on conflict (idempotency_key) do update set state = 'pending', updated_at = now()
       where decisions.state in ('failed', 'done')
          or (decisions.state = 'pending' and decisions.updated_at < now() - interval '${LEASE_SECONDS} seconds')
     returning idempotency_key`,
    [key, owner.tenantId, owner.objectId, owner.requestId, owner.action],
  );
  if (!claimed.length) return waitFor<T>(db, key, TWIN_WAIT_MS);
  // The live owner renews its lease, so a claim left by a dead instance is recognised within seconds.
  const renew = setInterval(() => {
    void db
      .query(`update decisions set updated_at = now() where idempotency_key = $1 and state = 'pending'`, [
        key,
      ])
      .catch(() => undefined);
  }, RENEW_MS);
  renew.unref();
  try {
    const result = await work();
    await db.query(
      `update decisions set state = 'done', result = $2, updated_at = now() where idempotency_key = $1`,
      [key, JSON.stringify(result)],
    );
    return result;
  } catch (err) {
    // Waiting twins fail the same way, without a second call to Apono.
    const failure =
      err instanceof AppError
        ? { code: err.code, message: err.userMessage, details: err.details, headers: err.headers }
        : { code: 'internal' };
    await db.query(
      `update decisions set state = 'failed', result = $2, updated_at = now() where idempotency_key = $1`,
      [key, JSON.stringify({ failure })],
    );
    throw err;
  } finally {
    clearInterval(renew);
  }
}

async function waitFor<T>(db: Db, key: string, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [row] = await db.query<{ state: string; result: unknown }>(
      'select state, result from decisions where idempotency_key = $1',
      [key],
    );
    const result = typeof row?.result === 'string' ? JSON.parse(row.result) : row?.result;
    if (row?.state === 'done') return result as T;
    if (row?.state === 'failed') {
      const f = (
        result as {
          failure?: {
            code: ErrorCode;
            message?: string;
            details?: Record<string, unknown>;
            headers?: Record<string, string>;
          };
        } | null
      )?.failure;
      throw new AppError(f?.code ?? 'internal', f?.message, f?.details, f?.headers);
    }
    if (Date.now() > deadline) throw await stillRunning(db, key);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The twin gave up waiting: the first attempt is still being sent (its lease is live), or its instance
 * stopped mid-call and the claim is taken over once the lease runs out. */
async function stillRunning(db: Db, key: string): Promise<AppError> {
  const [row] = await db.query<{ age: number | string }>(
    'select extract(epoch from (now() - updated_at)) as age from decisions where idempotency_key = $1',
    [key],
  );
  const wait = Math.max(1, Math.ceil(LEASE_SECONDS - Number(row?.age ?? 0)));
  return localizedError(
    'decision_in_progress',
    message('refusal.stillSending', { count: wait }),
    { retryAfterSeconds: wait },
    { 'Retry-After': String(wait) },
  );
}

/** A finished claim has no use; a day keeps it for whoever debugs a double click. */
export const decisionChore: Chore = {
  name: 'forget finished decision claims older than a day',
  sql: `delete from decisions where state in ('done', 'failed') and updated_at < now() - interval '1 day'`,
};
