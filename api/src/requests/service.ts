// The one place where requests are read and decided, for the REST API, the cards and the webhook.
// Every Apono call is made with the caller's own credential.
import { createHash } from 'node:crypto';
import type { AponoAccessRequest } from '@apono-teams/domain/apono.js';
import {
  mappingHoldsUntil,
  oldestFirst,
  toApprovalRequest,
  type AppDecision,
  type ApprovalRequest,
  type Outcome,
  type RequestFacts,
  type Viewer,
} from '@apono-teams/domain/approval-request.js';
import { attemptLanded } from '@apono-teams/domain/attempt.js';
import { afterDecision, sameOutcome } from '@apono-teams/domain/after-decision.js';
import { message } from '@apono-teams/domain/message.js';
import { checkReason, reasonProblemMessage, type Decision } from '@apono-teams/domain/reason.js';
import { LRUCache } from 'lru-cache';
import { AponoError, type AponoClient } from '../apono/client.js';
import { AppError } from '../http/errors.js';
import { localizedError } from '../localized-error.js';
import type { Connection } from '../identity/connections.js';
import type { Identity } from '../identity/service.js';
import type { Caller } from '../identity/tokens.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { RequestEvents } from './events.js';
import { listPollMs } from '@apono-teams/domain/request-page.js';
import { once } from './idempotency.js';
import { createRequestRecords } from './records.js';
import { alreadyDecided, tierNotReached } from './refusals.js';
import { createRateLimiter } from './rate-limit.js';

export interface RequestServiceOptions {
  db: Db;
  apono: AponoClient;
  identity: Identity;
  events: RequestEvents;
  log: Logger;
  decisionsPerMinute: number;
  aponoTimeoutMs: number;
  /** How long the account's settings (GET /session) are reused; 30 s by default. */
  settingsTtlMs?: number;
}

const RETRY_AFTER = { 'Retry-After': '30' };
/** When to try again: what Apono or the open circuit breaker said, else 30 s. */
const retryAfter = (err: AponoError) =>
  err.retryAfterSeconds === undefined ? RETRY_AFTER : { 'Retry-After': String(err.retryAfterSeconds) };
const outcomeOf = (action: Decision): Outcome => (action === 'approve' ? 'approved' : 'rejected');
/** When a record of a decision Apono already made is written again after a failed write. */
const RECORD_RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];

function viewerOf(connection: Connection, caller: Caller): Viewer {
  return {
    email: connection.aponoUser.email ?? caller.email,
    name: connection.aponoUser.name ?? caller.name,
    aponoUserId: connection.aponoUser.id,
  };
}

/** Apono's failures on a read, in the caller's words. */
function readFailure(err: unknown): unknown {
  if (!(err instanceof AponoError)) return err;
  switch (err.kind) {
    case 'unavailable':
      return new AppError('apono_unavailable', undefined, undefined, retryAfter(err));
    case 'unauthorized':
      return new AppError('apono_token_invalid');
    case 'not_found':
      return new AppError('not_found');
    case 'forbidden':
      return new AppError('not_an_approver');
    default:
      return localizedError('bad_request', message('errorCase.aponoRefused', { message: err.message }));
  }
}

/**
 * How long a read of a request, as one caller saw it, may stand in for the read before their decision
 * (the tab's list or details, a card's refresh): the rules it gives (reason, tier, own request) rarely
 * change that fast, and Apono refuses what it must; a refusal is explained from a fresh read.
 */
export const RECENT_READ_MS = 5_000;

/** The caller and the connection their Apono calls use; the connection changes when it is renewed. */
interface Session {
  caller: Caller;
  connection: Connection;
}

/** A decision Apono accepted: the answer the decider gets now, and the read that confirms it. */
interface Sent {
  answered: ApprovalRequest;
  /** The request as Apono shows it after the decision (the answer again when it cannot be read). */
  confirmed: Promise<ApprovalRequest>;
}

export function createRequestService(options: RequestServiceOptions) {
  const { db, apono, identity, events, log } = options;
  const limiter = createRateLimiter(options.decisionsPerMinute);
  const records = createRequestRecords(db);
  const settingsTtlMs = options.settingsTtlMs ?? 30_000;
  const settingsCache = new Map<string, { at: number; reasonDisabled: boolean }>();
  /** Reads of a request by one caller, by `tenant/object/id`, with when they were made. */
  const recentReads = new LRUCache<string, { at: number; request: ApprovalRequest }>({
    max: 50_000,
    ttl: RECENT_READ_MS,
  });
  /** When each request last changed as far as this instance heard (a decision here, a webhook). */
  const changedAt = new LRUCache<string, number>({ max: 50_000, ttl: RECENT_READ_MS });
  /** When every cache was last forgotten (a sandbox reset): a read begun before then is not used. */
  let forgottenAt = 0;
  /** One person across the caches here: `tenant/object`. */
  const whose = (caller: Caller) => `${caller.tenantId}/${caller.objectId}`;
  const readKey = (caller: Caller, id: string) => `${whose(caller)}/${id}`;
  function remember(caller: Caller, request: ApprovalRequest, at: number): void {
    for (const id of new Set([request.id, request.displayId]))
      recentReads.set(readKey(caller, id), { at, request });
  }
  /** A read of this request by this caller made since it last changed, if one is that recent. */
  function recentRead(caller: Caller, ids: string[]): ApprovalRequest | null {
    for (const id of ids) {
      const seen = recentReads.get(readKey(caller, id));
      if (seen && seen.at > Math.max(forgottenAt, changedAt.get(seen.request.id) ?? 0)) return seen.request;
    }
    return null;
  }
  /** List reads running now, by `tenant/object/list`: identical ones of one caller share one run. */
  const runningLists = new Map<string, Promise<ApprovalRequest[]>>();
  function together(caller: Caller, list: string, run: () => Promise<ApprovalRequest[]>) {
    const key = `${whose(caller)}/${list}`;
    let running = runningLists.get(key);
    if (!running) {
      const mine = run().finally(() => {
        if (runningLists.get(key) === mine) runningLists.delete(key);
      });
      runningLists.set(key, (running = mine));
    }
    return running.then((requests) => [...requests]);
  }
  /**
   * Each caller's last pending list, kept for the pages after the first of the view that read it:
   * without it, scrolling through 5,000 requests read Apono's whole list again for every page of 50,
   * and Select all did for each of its 10 pages. The first page always asks Apono.
   */
  const headLists = new LRUCache<string, { at: number; list: ApprovalRequest[] }>({
    // As many requests as the routes' list views hold (the same objects); let go of once too old.
    maxSize: 50_000,
    sizeCalculation: (head) => Math.max(1, head.list.length),
    ttl: listPollMs,
    ttlAutopurge: true,
  });
  /** Counts changes: a list read that began before one is not kept for later pages. */
  let changes = 0;
  // After a change, a list read joins no read that began before it, and no page reuses one.
  const changed = (id: string) => {
    changedAt.set(id, Date.now());
    changes++;
    runningLists.clear();
    headLists.clear();
    records.forget(); // the decision sweep records outside records.ts, then says so here
  };
  events.on('decided', (e) => changed(e.request.id));
  events.on('changed', (e) => changed(e.requestId));

  /**
   * Writes a record of something Apono already did (its decision, the audit row). A failed write never
   * turns that success into a failure: it is logged (without the reason) and tried again in the
   * background, a few times with backoff. Held in memory only, so an instance that stops loses it;
   * it moves to the durable outbox of issue 10.
   */
  async function recordMade(what: string, about: Record<string, unknown>, write: () => Promise<unknown>) {
    const tryAgain = (attempt: number) => {
      const delay = RECORD_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        log.error({ ...about, attempts: attempt + 1 }, `gave up storing the ${what}`);
        return;
      }
      setTimeout(() => {
        write().then(
          () => log.info({ ...about, attempts: attempt + 2 }, `stored the ${what} after a retry`),
          (err: unknown) => {
            log.warn({ err, ...about, attempt: attempt + 2 }, `could not store the ${what}`);
            tryAgain(attempt + 1);
          },
        );
      }, delay).unref();
    };
    try {
      await write();
    } catch (err) {
      log.warn({ err, ...about, attempt: 1 }, `could not store the ${what}; trying again in the background`);
      tryAgain(0);
    }
  }

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

  /** The account's settings.disable_approver_reason (GET /session), kept for a short while per credential.
   * A session that cannot be read leaves reasons on: the flow's rule is then enforced as usual. */
  async function reasonDisabled(s: Session): Promise<boolean> {
    const token = s.connection.credential.accessToken;
    const key = createHash('sha256').update(token).digest('hex');
    const cached = settingsCache.get(key);
    if (cached && Date.now() - cached.at < settingsTtlMs) return cached.reasonDisabled;
    const disabled = await apono
      .session(token)
      .then((session) => session.settings.disable_approver_reason === true)
      .catch(() => cached?.reasonDisabled ?? false);
    if (settingsCache.size > 10_000) settingsCache.clear();
    settingsCache.set(key, { at: Date.now(), reasonDisabled: disabled });
    return disabled;
  }

  /** Whether anyone decided the request through this app, on any instance (the shared database says). */
  async function decidedThroughApp(requestId: string): Promise<boolean> {
    const rows = await db.query('select 1 from app_decisions where request_id = $1 limit 1', [requestId]);
    return rows.length > 0;
  }

  /** Apono lists the request under the caller's MyTasks: the only sign that they may decide it. */
  async function listedForCaller(s: Session, id: string): Promise<boolean> {
    const listed = await reading(s, (token) =>
      apono.listRequests(token, { scope: 'MyTasks', statuses: ['Pending'], request_ids: [id] }),
    );
    return listed.some((m) => m.id === id);
  }

  /** GET the request by each ID it may go by (the client API's form is not published), best first. */
  async function fetchModel(s: Session, id: string): Promise<AponoAccessRequest> {
    const candidates = await records.candidates(id);
    for (const [i, candidate] of candidates.entries()) {
      try {
        const model = await reading(s, (token) => apono.getRequest(token, candidate));
        if (model.id !== candidate || candidates.length > 1) await records.confirm(candidate, model.id);
        return model;
      } catch (err) {
        const last = i === candidates.length - 1;
        if (!(err instanceof AppError && err.code === 'not_found') || last) throw err;
      }
    }
    throw new AppError('not_found');
  }

  /**
   * Each model's mapped request with what it was mapped from. The Apono client hands back the same
   * (frozen) model objects for an unchanged body, so a poll of an unchanged list maps nothing again
   * (issue 11, 1). Reused only while every input is the same object or value and no escalation tier
   * has opened since (mappingHoldsUntil); anything else maps afresh.
   */
  const mapped = new WeakMap<
    AponoAccessRequest,
    {
      viewer: string;
      listed: boolean;
      about: unknown;
      disabled: boolean;
      until: number;
      request: ApprovalRequest;
    }
  >();
  function mapOnce(
    model: AponoAccessRequest,
    viewer: Viewer,
    viewerKey: string,
    listed: boolean,
    about: { facts: RequestFacts | null; decisions: AppDecision[] } | undefined,
    disabled: boolean,
  ): ApprovalRequest {
    const now = new Date();
    const known = mapped.get(model);
    if (
      known &&
      known.viewer === viewerKey &&
      known.listed === listed &&
      known.about === about &&
      known.disabled === disabled &&
      now.getTime() < known.until
    )
      return known.request;
    const request = toApprovalRequest(model, {
      viewer,
      listedForViewer: listed,
      facts: about?.facts ?? null,
      decisions: about?.decisions ?? [],
      reasonDisabled: disabled,
      now,
    });
    const until = mappingHoldsUntil(model, now);
    mapped.set(model, { viewer: viewerKey, listed, about, disabled, until, request });
    return request;
  }

  /** Maps a list read beside the account settings, so the settings cost no extra round trip. */
  async function listing(
    s: Session,
    list: (token: string) => Promise<AponoAccessRequest[]>,
    listed: boolean,
  ) {
    const [models, disabled] = await Promise.all([reading(s, list), reasonDisabled(s)]);
    const known = await records.recentAbout(models.map((m) => m.id));
    const viewer = viewerOf(s.connection, s.caller);
    const viewerKey = JSON.stringify([viewer.email, viewer.name, viewer.aponoUserId]);
    return models.map((model) => mapOnce(model, viewer, viewerKey, listed, known.get(model.id), disabled));
  }

  async function read(
    s: Session,
    id: string,
    want: { units?: boolean; listing?: boolean } = {},
  ): Promise<ApprovalRequest> {
    // The listing is asked beside the read, under the ID the request most likely has in the client API.
    const guess = (await records.canonicalOf(id)) ?? id;
    const [model, guessed, disabled] = await Promise.all([
      fetchModel(s, id),
      want.listing ? listedForCaller(s, guess).catch(() => null) : false,
      reasonDisabled(s),
    ]);
    const [units, listed, known] = await Promise.all([
      want.units
        ? reading(s, async (token) =>
            (await Promise.all(model.access_groups.map((g) => apono.listUnits(token, g.id)))).flat(),
          )
        : undefined,
      guessed !== null && (model.id === guess || !want.listing) ? guessed : listedForCaller(s, model.id),
      records.about([model.id]),
    ]);
    return toApprovalRequest(model, {
      viewer: viewerOf(s.connection, s.caller),
      listedForViewer: listed,
      ...(units ? { units } : {}),
      facts: known.get(model.id)?.facts ?? null,
      decisions: known.get(model.id)?.decisions ?? [],
      reasonDisabled: disabled,
    });
  }

  async function tryRead(s: Session, id: string): Promise<ApprovalRequest | null> {
    return read(s, id, { listing: true }).catch(() => null);
  }

  /**
   * After an answer was lost: did the caller's decision land? Apono shows the outcome, or (an AllOf still
   * waiting for others) the request Apono listed for the caller before is no longer listed.
   */
  function landed(before: ApprovalRequest, after: ApprovalRequest, outcome: Outcome): boolean {
    return attemptLanded(after, outcome, before);
  }

  /** Apono refused: say why, from the request as Apono shows it now. */
  function refusal(after: ApprovalRequest, err: AponoError): AppError {
    if (after.state !== 'waiting') return alreadyDecided(after);
    if (after.viewer.decided) return alreadyDecided(after);
    if (err.kind === 'forbidden' && after.viewer.isRequester) return new AppError('self_approval');
    if (after.viewer.cannotDecide === 'tier_not_reached') return tierNotReached();
    if (after.viewer.canDecide)
      return localizedError(
        'bad_request',
        message('errorCase.decisionNotAccepted', { message: err.message }),
      );
    // Not asked any more: never asked, or the caller's approver entry (a group, say) was decided already.
    const details = { status: after.status, decision: after.decision, request: after };
    if (err.kind !== 'rejected') return new AppError('not_an_approver', undefined, details);
    return localizedError(
      'already_decided',
      message('errorCase.noLongerAsked', { message: err.message }),
      details,
    );
  }

  /**
   * The read that confirms a decision's answer, made after the answer (issue 11, 3: one Apono round
   * trip on the critical path). What it finds is what every copy of the card and the requester are
   * told; when it differs from the answer (an AllOf still waiting for others, another tier, a status
   * Apono moved on to), the copies show the read, not the answer.
   */
  function confirm(s: Session, id: string, answered: ApprovalRequest): Promise<ApprovalRequest> {
    return read(s, id, { listing: true }).then(
      (after) => {
        if (!sameOutcome(answered, after))
          log.info(
            { requestId: id, answered: answered.status, read: after.status },
            'the read after a decision differs from its answer: the cards show the read',
          );
        return after;
      },
      (err: unknown) => {
        log.warn(
          { err: (err as Error).message, requestId: id },
          'could not read the request after a decision Apono accepted: the cards show the outcome it accepted',
        );
        return answered;
      },
    );
  }

  /** A decision already seen as made (re-read after a lost answer): answered and confirmed by that read. */
  const known = (request: ApprovalRequest): Sent => ({
    answered: request,
    confirmed: Promise.resolve(request),
  });

  async function send(
    s: Session,
    before: ApprovalRequest,
    action: Decision,
    reason: string | null,
    attempt: number,
    who: { name: string; email: string },
  ): Promise<Sent> {
    const id = before.id;
    const outcome = outcomeOf(action);
    try {
      await apono.decide(s.connection.credential.accessToken, id, action, reason);
    } catch (err) {
      if (!(err instanceof AponoError)) throw err;
      if (err.notSent) {
        // The circuit breaker held it back: Apono never saw it, so there is nothing to re-read.
        await records.dropped(attempt);
        throw localizedError(
          'apono_unavailable',
          message('errorCase.decisionNotSent'),
          { decided: false },
          retryAfter(err),
        );
      }
      if (err.kind === 'unauthorized') {
        // Refused before Apono looked at the decision. Renew (or fail with not_connected /
        // apono_token_invalid), then re-read rather than send the decision again.
        s.connection = await identity.renewRefused(s.caller, s.connection);
      }
      // Never retry a decision blindly: read the request again to learn what happened.
      const after = await tryRead(s, id);
      if (after && landed(before, after, outcome)) {
        await recordMade('decision record', { requestId: id, attempt }, () => records.accepted(attempt));
        return known(await read(s, id, { listing: true }));
      }
      if (after || err.kind !== 'unavailable') await records.dropped(attempt);
      if (err.kind === 'unauthorized')
        throw localizedError('apono_token_invalid', message('errorCase.signInRenewed'), { decided: false });
      if (err.kind === 'not_found') throw new AppError('not_found');
      if (err.kind === 'unavailable') {
        if (after && after.state !== 'waiting') throw alreadyDecided(after);
        throw localizedError(
          'apono_unavailable',
          message(after ? 'errorCase.decisionNotRecorded' : 'errorCase.decisionUnconfirmed'),
          { decided: after ? false : null },
          retryAfter(err),
        );
      }
      if (!after)
        throw new AppError(err.kind === 'forbidden' ? 'not_an_approver' : 'bad_request', err.message);
      throw refusal(after, err);
    }
    await recordMade('decision record', { requestId: id, attempt }, () => records.accepted(attempt));
    // A read of this request from before the decision no longer stands in for a fresh one.
    changed(id);
    const answered = afterDecision(before, { outcome, by: who, reason, at: new Date() });
    return { answered, confirmed: confirm(s, id, answered) };
  }

  return {
    /** Everything Apono lists as waiting for the caller (MyTasks, Pending), oldest first; never their own requests. */
    pending(caller: Caller): Promise<ApprovalRequest[]> {
      return together(caller, 'pending', async () => {
        const s = await session(caller);
        const at = Date.now();
        const before = changes;
        const mine = await listing(
          s,
          (token) => apono.listRequests(token, { scope: 'MyTasks', statuses: ['Pending'] }),
          true,
        );
        const waiting = mine.filter((r) => r.viewer.canDecide).sort(oldestFirst);
        for (const request of waiting) remember(caller, request, at);
        if (changes === before) headLists.set(whose(caller), { at, list: waiting });
        return waiting;
      });
    },

    /**
     * For a page after the first (a cursor or an offset): the list the caller's last pending() found,
     * if that was within listPollMs and nothing changed since (a decision here, a webhook, a reset);
     * else pending(). The page is then as recent as the first page the view already shows.
     */
    pendingForPage(caller: Caller): Promise<ApprovalRequest[]> {
      const head = headLists.get(whose(caller));
      // From when that read began; the cache's own ttl only lets the memory go.
      const recent = head && Date.now() - head.at < listPollMs;
      return recent ? Promise.resolve([...head.list]) : this.pending(caller);
    },

    history(caller: Caller): Promise<ApprovalRequest[]> {
      return together(caller, 'history', async () => {
        const s = await session(caller);
        const decided = await listing(
          s,
          (token) => apono.listRequests(token, { scope: 'MyHistoricTasks' }),
          false,
        );
        return decided.sort((a, b) => oldestFirst(b, a));
      });
    },

    async get(caller: Caller, id: string): Promise<ApprovalRequest> {
      const at = Date.now();
      const request = await read(await session(caller), id, { units: true, listing: true });
      remember(caller, request, at);
      return request;
    },

    /**
     * The ID Apono's client API uses for a request a webhook named by `ids` (friendly first), read as
     * one of the connected people the delivery named; null when nobody could read it yet.
     */
    async locate(ids: string[], emails: string[]): Promise<string | null> {
      for (const id of ids) {
        const known = await records.canonicalOf(id);
        if (known) return known;
      }
      if (!ids.length || !emails.length) return null;
      const people = await db.query<{
        tenant_id: string;
        object_id: string;
        apono_email: string;
        apono_name: string | null;
      }>(
        `select tenant_id, object_id, apono_email, apono_name from apono_connections
         where lower(apono_email) = any($1) limit 5`,
        [emails.map((e) => e.toLowerCase())],
      );
      for (const person of people) {
        const caller = {
          tenantId: person.tenant_id,
          objectId: person.object_id,
          name: person.apono_name ?? '',
          email: person.apono_email,
        };
        try {
          return (await fetchModel(await session(caller), ids[0]!)).id;
        } catch {
          // This person cannot read it (or is not connected any more): try the next one.
        }
      }
      return null;
    },

    /** The ID Apono's client API uses for this request, when a read already told us (no Apono call). */
    canonicalId(id: string): Promise<string | null> {
      return records.canonicalOf(id);
    },

    /** Forget cached account settings (sandbox reset). */
    forgetCaches(): void {
      settingsCache.clear();
      recentReads.clear();
      runningLists.clear();
      headLists.clear();
      changes++;
      forgottenAt = Date.now();
      records.forget();
    },

    async decide(caller: Caller, id: string, action: Decision, rawReason: unknown): Promise<ApprovalRequest> {
      const started = Date.now();
      const reasonText = typeof rawReason === 'string' ? rawReason : null;
      const outcome = outcomeOf(action);
      try {
        const s = await session(caller);
        const canonical = (await records.canonicalOf(id)) ?? id;
        const key = createHash('sha256')
          .update(JSON.stringify([caller.tenantId, caller.objectId, canonical, action]))
          .digest('hex');
        const owner = { tenantId: caller.tenantId, objectId: caller.objectId, requestId: canonical, action };
        const result = await once(db, key, owner, async () => {
          const fresh = () =>
            read(s, id, { listing: true }).catch((err: unknown) => {
              // Nothing was sent yet, so the caller can be sure the decision was not made.
              if (err instanceof AppError && err.code === 'apono_unavailable') {
                throw localizedError(
                  'apono_unavailable',
                  message('errorCase.decisionNotRecorded'),
                  { decided: false },
                  err.headers ?? RETRY_AFTER,
                );
              }
              throw err;
            });
          const recent = recentRead(caller, [id, canonical]);
          let before = recent ?? (await fresh());
          const [attempted, decidedHere] = await Promise.all([
            records.attempt(before.id, viewerOf(s.connection, caller).email, outcome),
            recent ? decidedThroughApp(before.id) : false,
          ]);
          let earlier = attempted;
          // An earlier attempt is judged on what Apono shows now, never on a read from before it; so is a
          // request decided through the app since (perhaps on another instance, which this one never hears of).
          if (recent && (earlier !== null || decidedHere)) {
            before = await fresh();
            earlier = await records.attempt(before.id, viewerOf(s.connection, caller).email, outcome);
          }
          // An attempt of this caller that an instance sent but never saw answered, and Apono shows it
          // landed: it is the caller's decision after all. Record it, and tell the cards and the requester.
          if (earlier !== null && before.decision?.outcome === outcome && !before.viewer.canDecide) {
            await recordMade('decision record', { requestId: before.id, attempt: earlier }, () =>
              records.accepted(earlier),
            );
            const recovered = await read(s, before.id, { listing: true });
            events.emit('decided', {
              request: recovered,
              outcome,
              reason: recovered.decision?.reason ?? null,
              decidedBy: caller,
            });
            return recovered;
          }
          // Already recorded as asked (a retry after a lost answer, or after an instance died mid-call),
          // and Apono agrees: it shows the outcome, or no longer asks the caller.
          if (
            before.viewer.decided === outcome &&
            (before.decision?.outcome === outcome || !before.viewer.canDecide)
          )
            return before;
          if (before.state !== 'waiting' || before.viewer.decided) throw alreadyDecided(before);
          const check = checkReason(before.reasonDisabled ? null : reasonText, {
            required: before.requireReason,
            decision: action,
          });
          if (!check.ok)
            throw localizedError(check.code, reasonProblemMessage(check, action), { length: check.length });
          // Counted only when a decision is about to be sent: twins of one click (waiting for it, or
          // finding it done) and repeats that Apono already shows as made cost nothing.
          const wait = limiter.take(whose(caller));
          if (wait)
            throw localizedError(
              'rate_limited',
              message('errorCase.tooManyDecisions', { count: wait }),
              {},
              { 'Retry-After': String(wait) },
            );
          // Recorded under the caller's Apono identity, the one the view matches decisions against.
          const viewer = viewerOf(s.connection, caller);
          const who = { ...caller, name: viewer.name || caller.name, email: viewer.email };
          const attempt = await records.intend(before.id, who, outcome, check.reason);
          const { answered, confirmed } = await send(s, before, action, check.reason, attempt, who);
          // The cards and the requester's notice follow the confirming read, whenever it comes.
          const told = confirmed
            .then((after) =>
              events.emit('decided', { request: after, outcome, reason: check.reason, decidedBy: caller }),
            )
            .catch((err: unknown) =>
              log.error({ err, requestId: before.id }, 'could not tell the cards of a decision'),
            );
          events.emit('confirming', told);
          return answered;
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
    // A refused reason_invalid attempt is audited too: PostgreSQL takes no NUL, so it is kept as U+FFFD
    // (the drivers encode a lone surrogate as U+FFFD themselves).
    const storable = reason?.replaceAll('\u0000', '\ufffd') ?? null;
    await recordMade('decision audit row', { requestId, action, outcome }, () =>
      db.query(
        'insert into decision_audit (tenant_id, object_id, user_email, request_id, action, reason, outcome, error_code, latency_ms) values ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
        [caller.tenantId, caller.objectId, caller.email, requestId, action, storable, outcome, code, latency],
      ),
    );
  }
}

export type RequestService = ReturnType<typeof createRequestService>;
