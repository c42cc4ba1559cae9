// Identical decisions (same person, request and action) share one Apono call, across instances:
// the first to insert the row does the work; the others wait for its stored result.
import type { Db } from '../store/db.js';
import type { Chore } from '../store/housekeeping.js';
import type { ErrorCode } from '@apono-teams/domain/errors.js';
import { AppError } from '../http/errors.js';

const STALE_SECONDS = 120; // a claim this old belongs to an instance that died mid-call
const REPLAY_SECONDS = 60; // a double click within this window gets the first click's answer

export async function once<T>(
  db: Db,
  key: string,
  owner: { tenantId: string; objectId: string; requestId: string; action: string },
  waitMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const claimed = await db.query(
    `insert into decisions (idempotency_key, tenant_id, object_id, request_id, action, state) values ($1, $2, $3, $4, $5, 'pending')
     on conflict (idempotency_key) do update set state = 'pending', updated_at = now()
       where decisions.state = 'failed'
          or (decisions.state = 'pending' and decisions.updated_at < now() - interval '${STALE_SECONDS} seconds')
          or (decisions.state = 'done' and decisions.updated_at < now() - interval '${REPLAY_SECONDS} seconds')
     returning idempotency_key`,
    [key, owner.tenantId, owner.objectId, owner.requestId, owner.action],
  );
  if (!claimed.length) return waitFor<T>(db, key, waitMs);
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
    if (Date.now() > deadline) throw await stillRunning(db, key, waitMs);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The twin gave up waiting: say whether the first attempt is still running or probably died. */
async function stillRunning(db: Db, key: string, waitMs: number): Promise<AppError> {
  const [row] = await db.query<{ age: number | string }>(
    'select extract(epoch from (now() - updated_at)) as age from decisions where idempotency_key = $1',
    [key],
  );
  const age = Number(row?.age ?? 0);
  if (age * 1000 <= waitMs + 1000)
    return new AppError(
      'decision_in_progress',
      'Your decision on this request is still being sent to Apono. Refresh in a few seconds to see the result before deciding again.',
      undefined,
      { 'Retry-After': '5' },
    );
  // Older than any attempt that is still running: its instance stopped mid-call. It is taken over
  // after STALE_SECONDS; until then nobody can tell whether Apono recorded it.
  const wait = Math.max(1, Math.ceil(STALE_SECONDS - age));
  return new AppError(
    'decision_in_progress',
    `An earlier attempt to send this decision did not finish, and it is not yet known whether Apono recorded it. Refresh in ${wait} seconds to check, and decide again if the request is still waiting for you.`,
    { retryAfterSeconds: wait },
    { 'Retry-After': String(wait) },
  );
}

/** Past the replay window a decision row has no use; a day keeps it for whoever debugs a double click. */
export const decisionChore: Chore = {
  name: 'forget finished decision claims older than a day',
  sql: `delete from decisions where state in ('done', 'failed') and updated_at < now() - interval '1 day'`,
};
