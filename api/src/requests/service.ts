// The one place where requests are read and decided, for the REST API, the cards and the webhook.
// Every Apono call is made with the caller's own credential.
import { createHash } from 'node:crypto';
import {
  oldestFirst,
  toApprovalRequest,
  viewerDecided,
  type ApprovalRequest,
  type Outcome,
  type Viewer,
} from '@apono-teams/domain/approval-request.js';
import { checkReason, type Decision } from '@apono-teams/domain/reason.js';
import { AponoError, type AponoClient } from '../apono/client.js';
import { AppError } from '../http/errors.js';
import type { Connection } from '../identity/connections.js';
import type { Identity } from '../identity/service.js';
import type { Caller } from '../identity/tokens.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { RequestEvents } from './events.js';
import { once } from './idempotency.js';
import { guard } from './refusals.js';
import { createRateLimiter } from './rate-limit.js';

export interface RequestServiceOptions {
  db: Db;
  apono: AponoClient;
  identity: Identity;
  events: RequestEvents;
  log: Logger;
  decisionsPerMinute: number;
  aponoTimeoutMs: number;
}

const RETRY_AFTER = { 'Retry-After': '30' };
const outcomeOf = (action: Decision): Outcome => (action === 'approve' ? 'approved' : 'rejected');

function viewerOf(connection: Connection, caller: Caller): Viewer {
  return { email: connection.aponoUser.email ?? caller.email, aponoUserId: connection.aponoUser.id };
}

/** Apono's failures on a read, in the caller's words. */
function readFailure(err: unknown): unknown {
  if (!(err instanceof AponoError)) return err;
  switch (err.kind) {
    case 'unavailable':
      return new AppError('apono_unavailable', undefined, undefined, RETRY_AFTER);
    case 'unauthorized':
      return new AppError('apono_token_invalid');
    case 'not_found':
      return new AppError('not_found');
    case 'forbidden':
      return new AppError('not_an_approver');
    default:
      return new AppError('bad_request', `Apono refused: ${err.message}`);
  }
}

/** The caller and the connection their Apono calls use; the connection changes when it is renewed. */
interface Session {
  caller: Caller;
  connection: Connection;
}

export function createRequestService(options: RequestServiceOptions) {
  const { db, apono, identity, events, log } = options;
  const limiter = createRateLimiter(options.decisionsPerMinute);

  async function session(caller: Caller): Promise<Session> {
    return { caller, connection: await identity.require(caller) };
  }

  /**
   * Runs a read as the caller. When Apono refuses an OAuth access token before its expiry (revoked),
   * the credential is renewed once and the read runs again; a refused refresh means not_connected.
   * Only reads come through here: a decision is never retried.
   */
  async function reading<T>(s: Session, run: (token: string) => Promise<T>): Promise<T> {
    try {
      return await run(s.connection.credential.accessToken);
    } catch (err) {
      if (!(err instanceof AponoError && err.kind === 'unauthorized')) throw readFailure(err);
      s.connection = await identity.renewRefused(s.caller, s.connection);
    }
    try {
      return await run(s.connection.credential.accessToken);
    } catch (err) {
      throw readFailure(err);
    }
  }

  async function read(s: Session, id: string, withUnits = false): Promise<ApprovalRequest> {
    const { model, units } = await reading(s, async (token) => {
      const model = await apono.getRequest(token, id);
      const units = withUnits
        ? (await Promise.all(model.access_groups.map((g) => apono.listUnits(token, g.id)))).flat()
        : undefined;
      return { model, units };
    });
    return toApprovalRequest(model, viewerOf(s.connection, s.caller), units);
  }

  async function tryRead(s: Session, id: string): Promise<ApprovalRequest | null> {
    return read(s, id).catch(() => null);
  }

  async function send(
    s: Session,
    id: string,
    action: Decision,
    reason: string | null,
  ): Promise<ApprovalRequest> {
    try {
      await apono.decide(s.connection.credential.accessToken, id, action, reason);
    } catch (err) {
      if (!(err instanceof AponoError)) throw err;
      if (err.kind === 'not_found') throw new AppError('not_found');
      if (err.kind === 'unauthorized') {
        // Refused before Apono looked at the decision. Renew (or fail with not_connected /
        // apono_token_invalid), then re-read rather than send the decision again.
        s.connection = await identity.renewRefused(s.caller, s.connection);
        const after = await tryRead(s, id);
        if (after && viewerDecided(after, outcomeOf(action))) return after;
        if (after) guard(after);
        throw new AppError(
          'apono_token_invalid',
          'Apono refused your sign-in while your decision was being sent, so it was not recorded. Your Apono sign-in has been renewed: decide again.',
          { decided: false },
        );
      }
      // Never retry a decision blindly: read the request again to learn what happened.
      const after = await tryRead(s, id);
      if (after && viewerDecided(after, outcomeOf(action))) return after;
      if (after) guard(after); // decided by someone else meanwhile, or no longer the viewer's to decide
      if (err.kind === 'unavailable') {
        throw new AppError(
          'apono_unavailable',
          after
            ? 'Apono is not answering right now, and your decision was not recorded. Try again in a minute.'
            : 'Apono is not answering right now, and we could not confirm whether your decision was recorded. Refresh in a minute to check before trying again.',
          { decided: after ? false : null },
          RETRY_AFTER,
        );
      }
      if (err.kind === 'forbidden')
        throw new AppError(after?.viewer.isRequester ? 'self_approval' : 'not_an_approver');
      throw new AppError(
        'bad_request',
        `Apono did not accept the decision: ${err.message}. Refresh the request and try again; if it keeps happening, tell your administrator.`,
      );
    }
    return read(s, id);
  }

  return {
    /** Everything waiting for the caller's decision, oldest first; never the caller's own requests. */
    async pending(caller: Caller): Promise<ApprovalRequest[]> {
      const s = await session(caller);
      const models = await reading(s, (token) =>
        apono.listRequests(token, { scope: 'MyTasks', statuses: ['Pending'] }),
      );
      const viewer = viewerOf(s.connection, caller);
      return models
        .map((m) => toApprovalRequest(m, viewer))
        .filter((r) => r.status === 'PENDING' && r.viewer.canDecide)
        .sort(oldestFirst);
    },

    async history(caller: Caller): Promise<ApprovalRequest[]> {
      const s = await session(caller);
      const models = await reading(s, (token) => apono.listRequests(token, { scope: 'MyHistoricTasks' }));
      const viewer = viewerOf(s.connection, caller);
      return models.map((m) => toApprovalRequest(m, viewer)).sort((a, b) => oldestFirst(b, a));
    },

    async get(caller: Caller, id: string): Promise<ApprovalRequest> {
      return read(await session(caller), id, true);
    },

    async decide(caller: Caller, id: string, action: Decision, rawReason: unknown): Promise<ApprovalRequest> {
      const started = Date.now();
      const reasonText = typeof rawReason === 'string' ? rawReason : null;
      try {
        const s = await session(caller);
        const key = createHash('sha256')
          .update(JSON.stringify([caller.tenantId, caller.objectId, id, action]))
          .digest('hex');
        const owner = { tenantId: caller.tenantId, objectId: caller.objectId, requestId: id, action };
        const result = await once(db, key, owner, options.aponoTimeoutMs * 2 + 2000, async () => {
          // Counted here, by the one attempt that works: its waiting twins (double clicks) share its answer.
          const wait = limiter.take(`${caller.tenantId}/${caller.objectId}`);
          if (wait)
            throw new AppError(
              'rate_limited',
              `Too many decisions in a short time. Wait ${wait} second${wait === 1 ? '' : 's'} and try again.`,
              undefined,
              { 'Retry-After': String(wait) },
            );
          const before = await read(s, id).catch((err: unknown) => {
            // Nothing was sent yet, so the caller can be sure the decision was not made.
            if (err instanceof AppError && err.code === 'apono_unavailable') {
              throw new AppError(
                'apono_unavailable',
                'Apono is not answering right now, and your decision was not recorded. Try again in a minute.',
                { decided: false },
                RETRY_AFTER,
              );
            }
            throw err;
          });
          // Already recorded as asked (a retry after a lost answer, or after an instance died mid-call).
          // Only a final decision that names the viewer: an AllOf entry may have been decided by a colleague.
          if (before.decision && viewerDecided(before, outcomeOf(action))) return before;
          guard(before);
          const check = checkReason(reasonText, { required: before.requireReason, decision: action });
          if (!check.ok) throw new AppError(check.code, check.message, { length: check.length });
          const after = await send(s, id, action, check.reason);
          events.emit('decided', {
            request: after,
            outcome: outcomeOf(action),
            reason: check.reason,
            decidedBy: caller,
          });
          return after;
        });
        await audit(caller, id, action, reasonText, 'success', null, started);
        return result;
      } catch (err) {
        await audit(
          caller,
          id,
          action,
          reasonText,
          'failure',
          err instanceof AppError ? err.code : 'internal',
          started,
        );
        throw err;
      }
    },
  };

  async function audit(
    caller: Caller,
    requestId: string,
    action: Decision,
    reason: string | null,
    outcome: string,
    code: string | null,
    started: number,
  ) {
    const latency = Date.now() - started;
    log.info(
      {
        audit: 'decision',
        tenantId: caller.tenantId,
        objectId: caller.objectId,
        requestId,
        action,
        outcome,
        code,
        latencyMs: latency,
      },
      'decision attempt',
    );
    await db
      .query(
        'insert into decision_audit (tenant_id, object_id, user_email, request_id, action, reason, outcome, error_code, latency_ms) values ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
        [caller.tenantId, caller.objectId, caller.email, requestId, action, reason, outcome, code, latency],
      )
      .catch((err: unknown) => log.error({ err }, 'could not store the decision audit record'));
  }
}

export type RequestService = ReturnType<typeof createRequestService>;
