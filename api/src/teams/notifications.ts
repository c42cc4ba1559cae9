// After a request changes (a decision made here, or Apono's webhook saying something happened
// anywhere): update every card we posted or saw for it, tell the requester the outcome in their
// personal chat, and send each pending request to its approvers as their own message. A webhook is
// only a signal, whatever its event type: Apono's request, read again, decides what happens.
import type { ApprovalRequest, Outcome } from '@apono-teams/domain/approval-request.js';
import { escapeCardMarkdown } from '@apono-teams/domain/card-text.js';
import { isSettled, isWaiting, outcomeOfState } from '@apono-teams/domain/status.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { RequestChanged, RequestDecided } from '../requests/events.js';
import { AppError } from '../http/errors.js';
import { isRetryable } from '../delivery/retry.js';
import { isChatGone } from './messenger.js';
import type { Reach } from './reach.js';
import type { Routing } from './routing.js';
import { deciderOf } from './request-card.js';
import { englishWords, wordsFor, type Words } from './words.js';
import { readerDefaults } from '../config.js';
import type { TeamsServices } from './services.js';
import { MAX_FALLBACK_APPROVERS, type PostedCard } from './store.js';

export interface NotificationDeps extends TeamsServices {
  reach: Reach;
  /** Channels that admins route new requests to (issue 10.3). */
  routing?: Routing;
}

/** People asked at once when a new request names no approvers and each known person is asked. */
const FALLBACK_BATCH = 5;

type Reader = { tenantId: string; aadObjectId: string };
const readerKey = (r: Reader) => `${r.tenantId}|${r.aadObjectId}`;

/** A decision made through this app, as the 'decided' event tells it. */
interface AppDecided {
  outcome: Outcome;
  by: string;
  reason: string | null;
}

/**
 * The outcome the requester is told of, when Apono's status shows one: Granting, Active, Revoking and
 * Revoked count as approved, Rejected as rejected, provided the request's decision agrees (Revoked is
 * also how a request nobody approved runs out). Pending, Failed and unknown statuses tell nothing.
 */
export function requesterOutcome(request: ApprovalRequest): Outcome | null {
  const outcome = outcomeOfState(request.state);
  return outcome && request.decision?.outcome === outcome ? outcome : null;
}

/** What the requester reads: who decided and why, or that Apono does not share why. */
export function outcomeNotice(
  request: ApprovalRequest,
  outcome: Outcome,
  fromApp: AppDecided | null,
  w: Words = englishWords(),
): string {
  const id = escapeCardMarkdown(request.displayId);
  const recorded = request.decision?.outcome === outcome ? request.decision : null;
  const app =
    recorded?.source === 'app'
      ? { by: deciderOf(request, w) ?? fromApp?.by ?? null, reason: recorded.reason }
      : fromApp?.outcome === outcome
        ? fromApp
        : null;
  // A whole sentence per case (known decider or not): word order differs by language.
  if (app) {
    const by = app.by ? escapeCardMarkdown(app.by) : null;
    const said = w.t(`notice.${outcome}${by ? 'By' : ''}`, { id, who: by });
    const why = app.reason
      ? w.t('notice.reason', { reason: escapeCardMarkdown(app.reason) })
      : w.t('notice.noReason');
    return `${said} ${why}`;
  }
  const who = recorded ? deciderOf(request, w) : null;
  const said = w.t(`notice.${outcome}InApono${who ? 'By' : ''}`, {
    id,
    who: who ? escapeCardMarkdown(who) : null,
  });
  return `${said} ${w.t('notice.reasonNotShared')}`;
}

export function createNotifications(deps: NotificationDeps) {
  const { requests, people, views, store, messenger, copies, log, reach } = deps;
  const pendingWork = new Set<Promise<unknown>>();

  /** Background work the tests (and a clean shutdown) can wait for. */
  function track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => log.error({ err }, 'teams notification failed'));
    pendingWork.add(p);
    void p.finally(() => pendingWork.delete(p));
  }

  async function readAs(tenantId: string, aadObjectId: string, id: string): Promise<ApprovalRequest | null> {
    const caller = await people.callerFor(tenantId, aadObjectId);
    if (!caller) return null;
    return requests.get(caller, id).catch(() => null);
  }

  /** The words of someone the bot writes to unasked: their stored Teams locale and zone, else the defaults. */
  async function wordsOfPerson(person: Reader): Promise<Words> {
    const known = await store.user(person.tenantId, person.aadObjectId).catch(() => null);
    const defaults = readerDefaults();
    return wordsFor(known?.locale ?? defaults.locale, known?.timeZone ?? defaults.timeZone);
  }

  /** Settled requests look the same to everyone; pending ones as their owner sees them. */
  /** The card a copy should show now, and when the request it shows was read (its version). */
  async function cardFor(
    copy: PostedCard,
    known: ApprovalRequest | null,
    knownAt: number,
  ): Promise<{ card: IAdaptiveCard; version: number } | null> {
    // A copy in someone's 1:1 chat is in their language; a shared one in DEFAULT_LOCALE.
    const words = copy.personal
      ? await wordsOfPerson({ tenantId: copy.tenantId, aadObjectId: copy.ownerObjectId })
      : undefined;
    if (known && !isWaiting(known.state))
      return { card: await views.render(known, { audience: 'everyone', words }), version: knownAt };
    const readAt = Date.now();
    const fresh = await readAs(copy.tenantId, copy.ownerObjectId, copy.requestId);
    const request = fresh ?? known;
    if (!request) return null;
    const card = await views.render(request, {
      audience: copy.personal && isWaiting(request.state) ? 'viewer' : 'everyone',
      words,
    });
    return { card, version: fresh ? readAt : knownAt };
  }

  async function updateCopies(
    requestId: string,
    known: ApprovalRequest | null,
    listed?: PostedCard[],
    knownAt = Date.now(),
  ): Promise<void> {
    let retry: unknown = null;
    for (const copy of listed ?? (await store.cardsFor(requestId))) {
      const next = await cardFor(copy, known, knownAt);
      if (!next) continue;
      await copies.put(copy, copy.requestId, next.card, next.version).catch((err: unknown) => {
        log.warn(
          { err: (err as Error).message, requestId, conversationId: copy.conversationId },
          'card update failed',
        );
        if (isRetryable(err)) retry = err;
      });
    }
    // Every other copy is updated first; the job then runs again for the ones Teams pushed back on.
    if (retry) throw retry;
  }

  /** The 1:1 chat with someone, opening it through the Bot Connector when we have none yet (or `fresh`). */
  async function personalChat(tenantId: string, aadObjectId: string, fresh = false) {
    const known = await store.user(tenantId, aadObjectId);
    if (!fresh && known?.conversationId && known.serviceUrl)
      return { serviceUrl: known.serviceUrl, conversationId: known.conversationId };
    const serviceUrl = known?.serviceUrl ?? (await store.serviceUrlFor(tenantId));
    if (!serviceUrl) return null;
    const conversationId = await messenger.openPersonalChat(serviceUrl, tenantId, {
      aadObjectId,
      userId: known?.userId ?? null,
    });
    await store.saveUser({ tenantId, aadObjectId, conversationId, serviceUrl });
    return { serviceUrl, conversationId };
  }

  /**
   * Posts a request's card in someone's 1:1 chat and records it as their copy. When the stored chat is
   * gone (the app was removed and added again, a Playground reload), the chat is opened anew once
   * through the Bot Connector and the card posted there. False when there is no way to reach them.
   */
  async function postInPersonalChat(person: Reader, requestId: string, card: IAdaptiveCard, lead: string) {
    const { tenantId, aadObjectId } = person;
    let chat = await personalChat(tenantId, aadObjectId);
    if (!chat) return false;
    let activityId: string | null;
    try {
      activityId = await messenger.sendCard(chat, card, lead);
    } catch (err) {
      if (!isChatGone(err)) throw err;
      log.info({ conversationId: chat.conversationId }, 'the 1:1 chat is gone for the bot: opening it again');
      chat = await personalChat(tenantId, aadObjectId, true);
      if (!chat) throw err;
      activityId = await messenger.sendCard(chat, card, lead);
    }
    await store.saveCard({
      requestId,
      ...chat,
      activityId,
      tenantId,
      personal: true,
      ownerObjectId: aadObjectId,
    });
    return true;
  }

  /** Once per outcome (see requesterOutcome). */
  async function tellRequester(request: ApprovalRequest, fromApp: AppDecided | null) {
    const outcome = requesterOutcome(request);
    if (!outcome || !request.requester.email) return;
    const kind = `requester:${outcome}`;
    if (!(await store.firstNotice(request.id, kind))) return;
    try {
      if (await sendOutcome(request, outcome, fromApp)) await store.noticeSent(request.id, kind);
      else await store.forgetNotice(request.id, kind);
    } catch (err) {
      await store.forgetNotice(request.id, kind);
      log.warn(
        { err: (err as Error).message, requestId: request.id },
        'could not tell the requester in Teams (has the app been installed for them?)',
      );
    }
  }

  async function sendOutcome(request: ApprovalRequest, outcome: Outcome, fromApp: AppDecided | null) {
    const person = await people.byEmail(request.requester.email);
    const words = person ? await wordsOfPerson(person) : undefined;
    const reached =
      !!person &&
      (await postInPersonalChat(
        person,
        request.id,
        await views.render(request, { audience: 'everyone', words }),
        outcomeNotice(request, outcome, fromApp, words),
      ));
    if (!reached)
      log.info(
        { requestId: request.id },
        'the requester has no Teams chat with the bot; not notified in Teams',
      );
    return reached;
  }

  /**
   * Who to ask about a pending request: the approvers the webhook names; when the admin-written body
   * names none, or fewer people than Apono's approver entries can stand for (a group, a manager, an
   * owner), also each person with a chat with the bot (most recently seen first, at most 200).
   */
  async function candidates(requestId: string, approverEmails: string[], known: ApprovalRequest | null) {
    const named = [
      ...(await people.byEmails(approverEmails)),
      // Named, but never met in Teams: installed for through Graph when allowed, else reported.
      ...(await reach.strangers(requestId, approverEmails)),
    ];
    const entries = known?.approval?.approvers ?? null;
    const complete =
      approverEmails.length > 0 &&
      entries !== null &&
      entries.every((e) => e.type.toLowerCase() === 'user') &&
      entries.length <= approverEmails.length;
    if (complete) return { named, all: named };
    const reachable = await store.reachableUsers(MAX_FALLBACK_APPROVERS);
    log.info(
      { requestId, named: named.length, candidates: reachable.length },
      'the webhook does not name every approver: reading the request as each person with a chat',
    );
    return { named, all: [...named, ...reachable] };
  }

  /**
   * A pending request: each approver we can reach gets their own actionable card, once. Returns the
   * request as the first person who could read it saw it; stops asking once that shows it is no
   * longer pending (the status is the same for everyone).
   */
  async function sendToApprovers(
    requestId: string,
    approverEmails: string[],
    known: ApprovalRequest | null,
    knownBy: string | null = null,
  ) {
    const offered = await store.noticesFor(known?.id ?? requestId);
    const seen = new Set<string>();
    const { named, all } = await candidates(requestId, approverEmails, known);
    const namedIds = new Set(named.map((p) => p.aadObjectId));
    const targets = all.filter((p) => {
      const key = readerKey(p);
      if (seen.has(key)) return false;
      seen.add(key);
      return !offered.has(`approver:${p.aadObjectId}`);
    });
    let found: ApprovalRequest | null = null;
    for (let i = 0; i < targets.length; i += FALLBACK_BATCH) {
      const read = await Promise.all(
        targets
          .slice(i, i + FALLBACK_BATCH)
          .map((p) =>
            offer(requestId, p, namedIds.has(p.aadObjectId), readerKey(p) === knownBy ? known : null),
          ),
      );
      found ??= read.find((r) => r !== null) ?? null;
      if (found && !isWaiting(found.state)) break;
    }
    return found;
  }

  /**
   * Sends the card when the request waits and this person may decide it, unless sent before.
   * `read`: the request as this person read it moments ago in the same job, so not asked again.
   */
  async function offer(
    requestId: string,
    person: Reader,
    named: boolean,
    read: ApprovalRequest | null = null,
  ): Promise<ApprovalRequest | null> {
    const caller = await people.callerFor(person.tenantId, person.aadObjectId);
    if (!caller) return null;
    const request =
      read ??
      (await requests.get(caller, requestId).catch(async (err: unknown) => {
        // Named by Apono but never connected here: the bot reads (and decides) only as the person.
        if (named && err instanceof AppError && err.code === 'not_connected')
          await reach.unreachable(caller.email, requestId, 'not_connected_to_apono');
        return null;
      }));
    if (!request || !isWaiting(request.state) || !request.viewer.canDecide) return request;
    // Kept under the ID Apono's API takes, whichever ID the webhook gave.
    const id = request.id;
    // Recorded before sending: duplicate webhook deliveries, or two at once, send one card per person.
    const kind = `approver:${person.aadObjectId}`;
    if (!(await store.firstNotice(id, kind))) return request;
    try {
      await views.noteApprover(caller, request);
      // In the approver's own language and zone, as their last activity told the bot.
      const words = await wordsOfPerson(person);
      const card = await views.render(request, { audience: 'viewer', words });
      const posted = await postInPersonalChat(
        person,
        id,
        card,
        words.t('newRequest', { requester: escapeCardMarkdown(request.requester.name) }),
      );
      if (posted) {
        await store.noticeSent(id, kind);
        await reach.reached([caller.email]);
      } else {
        // Nobody to post to yet: a later event about this request may find them.
        await store.forgetNotice(id, kind);
        await reach.unreachable(caller.email, id, 'no_chat');
      }
    } catch (err) {
      await store.forgetNotice(id, kind);
      log.warn({ err: (err as Error).message, requestId: id }, 'could not send a new request to an approver');
      // Teams asked to slow down or is failing for now: the job is tried again later (with backoff),
      // and its dead letter is kept if that keeps happening.
      if (isRetryable(err)) throw err;
      await reach.unreachable(caller.email, id, `send_failed: ${(err as Error).message}`.slice(0, 200));
    }
    return request;
  }

  /** Once a request is settled its copies start to age; copies settled for 30 days are forgotten. */
  async function settle(request: ApprovalRequest | null) {
    if (!request || !isSettled(request.state)) return;
    const pruned = await store.markFinal(request.id);
    if (pruned) log.info({ pruned }, 'forgot the cards of requests final for more than 30 days');
  }

  async function onDecided(event: RequestDecided) {
    // The requester's notice is claimed first, so that Apono's webhook for this same decision (which
    // may arrive at once) cannot tell it without the reason.
    await tellRequester(event.request, {
      outcome: event.outcome,
      by: event.decidedBy.name,
      reason: event.reason,
    });
    // The request as Apono answered the decision: its version is when that was (queued with it).
    await updateCopies(event.request.id, event.request, undefined, event.readAt);
    await settle(event.request);
  }

  /** Whom to read the request as: those holding a copy, then the approvers and requester a webhook named. */
  async function readersOf(event: RequestChanged, copies: PostedCard[]): Promise<Reader[]> {
    const holders = copies.map((c) => ({ tenantId: c.tenantId, aadObjectId: c.ownerObjectId }));
    const emails = [...event.approverEmails, ...(event.requesterEmail ? [event.requesterEmail] : [])];
    const named = await people.byEmails(emails);
    const seen = new Set<string>();
    return [...holders, ...named].filter((r) => {
      const key = readerKey(r);
      return !seen.has(key) && !!seen.add(key);
    });
  }

  async function onChanged(event: RequestChanged) {
    // Whatever the event type (Apono does not publish them all), Apono's answer now is the truth.
    // Copies and notices are kept under the ID Apono's API takes; the webhook may have given the other.
    const named = (await requests.canonicalId(event.requestId).catch(() => null)) ?? event.requestId;
    // The copies that exist now: the cards about to be sent to approvers are drawn fresh already.
    let copies = await store.cardsFor(named);
    let request: ApprovalRequest | null = null;
    let readBy: string | null = null;
    for (const reader of await readersOf(event, copies)) {
      request = await readAs(reader.tenantId, reader.aadObjectId, named);
      readBy = readerKey(reader);
      if (request) break;
    }
    // Pending, or nobody we know could read it yet (a brand-new request): offer it to its approvers
    // (the one who just read it is not asked again).
    if (!request || isWaiting(request.state)) {
      const read = await sendToApprovers(named, event.approverEmails, request, request ? readBy : null);
      request ??= read;
      if (request && isWaiting(request.state)) await deps.routing?.postToChannels(request);
    }
    if (request && request.id !== named) copies = [...copies, ...(await store.cardsFor(request.id))];
    log.debug(
      { event: event.source, requestId: request?.id ?? named, status: request?.status },
      'request re-read',
    );
    await updateCopies(request?.id ?? named, request && !isWaiting(request.state) ? request : null, copies);
    if (request) await tellRequester(request, null);
    await settle(request);
    // A card another attempt claimed and never marked sent: that attempt may have died mid-post
    // (SIGKILL). Completing now would leave that person without a card the app knows of, so the job
    // is tried again later, once the claim is marked sent or old enough to be taken over.
    const held = request && isWaiting(request.state) ? await store.heldNotices(request.id) : new Set();
    if (held.size)
      throw new Error(
        `${held.size} notice(s) of ${request!.id} are claimed by another attempt: trying again`,
      );
  }

  return {
    /** A decision made through this app: its job's handler (a throw retries it). */
    onDecided,
    /** Apono said something happened (the webhook inbox's job handler; a throw retries it). */
    onChanged,
    track,
    /** Resolves when the background work started here so far has finished. */
    async idle(): Promise<void> {
      while (pendingWork.size) await Promise.all([...pendingWork]);
    },
  };
}
