// After a request changes (a decision made here, or Apono's webhook saying something happened
// anywhere): update every card we posted or saw for it, tell the requester the outcome and reason in
// their personal chat, and send each new request to its approvers as their own message.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { escapeCardMarkdown } from '@apono-teams/domain/card-text.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { RequestChanged, RequestDecided, RequestEvents } from '../requests/events.js';
import type { TeamsServices } from './services.js';
import { MAX_FALLBACK_APPROVERS, type PostedCard } from './store.js';

export interface NotificationDeps extends TeamsServices {
  events: RequestEvents;
}

/** People asked at once when a new request names no approvers and each known person is asked. */
const FALLBACK_BATCH = 5;

const DECIDED = new Set(['APPROVED', 'GRANTED', 'REJECTED']);

export function createNotifications(deps: NotificationDeps) {
  const { requests, people, views, store, messenger, log } = deps;
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

  /** One copy: decided requests look the same to everyone; pending ones as their owner sees them. */
  async function cardFor(copy: PostedCard, known: ApprovalRequest | null): Promise<IAdaptiveCard | null> {
    if (known && known.status !== 'PENDING') return views.render(known, { audience: 'everyone' });
    const request = (await readAs(copy.tenantId, copy.ownerObjectId, copy.requestId)) ?? known;
    if (!request) return null;
    return views.render(request, {
      audience: copy.personal && request.status === 'PENDING' ? 'viewer' : 'everyone',
    });
  }

  async function updateCopies(requestId: string, known: ApprovalRequest | null): Promise<void> {
    for (const copy of await store.cardsFor(requestId)) {
      const card = await cardFor(copy, known);
      if (!card) continue;
      await messenger
        .updateCard(copy, card)
        .catch((err: unknown) =>
          log.warn(
            { err: (err as Error).message, requestId, conversationId: copy.conversationId },
            'card update failed',
          ),
        );
    }
  }

  /** The 1:1 chat with someone, opening it through the Bot Connector when we have none yet. */
  async function personalChat(tenantId: string, aadObjectId: string) {
    const known = await store.user(tenantId, aadObjectId);
    if (known?.conversationId && known.serviceUrl)
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

  async function tellRequester(request: ApprovalRequest, decidedBy: string | null, reason: string | null) {
    if (!DECIDED.has(request.status) || !request.requester.email) return;
    const outcome = request.status === 'REJECTED' ? 'rejected' : 'approved';
    const kind = `requester:${outcome}`;
    if (!(await store.firstNotice(request.id, kind))) return;
    try {
      await sendOutcome(request, outcome, decidedBy, reason);
    } catch (err) {
      await store.forgetNotice(request.id, kind);
      log.warn(
        { err: (err as Error).message, requestId: request.id },
        'could not tell the requester in Teams (has the app been installed for them?)',
      );
    }
  }

  async function sendOutcome(
    request: ApprovalRequest,
    outcome: string,
    decidedBy: string | null,
    reason: string | null,
  ) {
    const person = await people.byEmail(request.requester.email);
    const chat = person ? await personalChat(person.tenantId, person.aadObjectId) : null;
    if (!person || !chat) {
      log.info(
        { requestId: request.id },
        'the requester has no Teams chat with the bot; not notified in Teams',
      );
      return;
    }
    const who = decidedBy ?? request.decision?.decidedBy?.name ?? 'an approver';
    const why = reason ?? request.decision?.reason;
    const text =
      `Your access request ${escapeCardMarkdown(request.id)} was **${outcome}** by ${escapeCardMarkdown(who)}.` +
      (why ? ` Reason: "${escapeCardMarkdown(why)}"` : ' No reason was given.');
    const card = await views.render(request, { audience: 'everyone' });
    const activityId = await messenger.sendCard(chat, card, text);
    await store.saveCard({
      requestId: request.id,
      ...chat,
      activityId,
      tenantId: person.tenantId,
      personal: true,
      ownerObjectId: person.aadObjectId,
    });
  }

  /**
   * Who to ask about a new request: the approvers the webhook names, or, when the admin-written body
   * names none, each person with a chat with the bot (most recently seen first, at most 200).
   */
  async function candidates(requestId: string, approverEmails: string[]) {
    if (approverEmails.length) {
      const found = await Promise.all(approverEmails.map((email) => people.byEmail(email)));
      return found.filter((p) => p !== null);
    }
    const known = await store.reachableUsers(MAX_FALLBACK_APPROVERS);
    log.info(
      { requestId, candidates: known.length },
      'the webhook names no approvers: reading the request as each person with a chat',
    );
    return known;
  }

  /** A new request: each approver we can reach gets their own actionable card, once. */
  async function sendToApprovers(requestId: string, approverEmails: string[]) {
    const seen = new Set<string>();
    const targets = (await candidates(requestId, approverEmails)).filter((p) => {
      const key = `${p.tenantId}|${p.aadObjectId}`;
      return !seen.has(key) && !!seen.add(key);
    });
    for (let i = 0; i < targets.length; i += FALLBACK_BATCH)
      await Promise.all(targets.slice(i, i + FALLBACK_BATCH).map((p) => offer(requestId, p)));
  }

  /** Sends the card when this person may decide the request and was not sent it before. */
  async function offer(requestId: string, person: { tenantId: string; aadObjectId: string }) {
    const caller = await people.callerFor(person.tenantId, person.aadObjectId);
    if (!caller) return;
    const request = await requests.get(caller, requestId).catch(() => null);
    if (!request?.viewer.canDecide) return;
    // Recorded before sending: duplicate webhook deliveries, or two at once, send one card per person.
    const kind = `approver:${person.aadObjectId}`;
    if (!(await store.firstNotice(requestId, kind))) return;
    try {
      const chat = await personalChat(person.tenantId, person.aadObjectId);
      if (!chat) return;
      await views.noteApprover(caller, request);
      const card = await views.render(request, { audience: 'viewer' });
      const activityId = await messenger.sendCard(
        chat,
        card,
        `New access request from ${escapeCardMarkdown(request.requester.name)} waits for your decision.`,
      );
      await store.saveCard({
        requestId,
        ...chat,
        activityId,
        tenantId: person.tenantId,
        personal: true,
        ownerObjectId: person.aadObjectId,
      });
    } catch (err) {
      await store.forgetNotice(requestId, kind);
      log.warn({ err: (err as Error).message, requestId }, 'could not send a new request to an approver');
    }
  }

  /** Once a request is final its copies start to age; copies final for 30 days are forgotten. */
  async function settle(request: ApprovalRequest | null) {
    if (!request || request.status === 'PENDING') return;
    const pruned = await store.markFinal(request.id);
    if (pruned) log.info({ pruned }, 'forgot the cards of requests final for more than 30 days');
  }

  async function onDecided(event: RequestDecided) {
    await updateCopies(event.request.id, event.request);
    await tellRequester(event.request, event.decidedBy.name, event.reason);
    await settle(event.request);
  }

  async function onChanged(event: RequestChanged) {
    if (event.source === 'RequestCreated') {
      await sendToApprovers(event.requestId, event.approverEmails ?? []);
      return;
    }
    // Re-read as someone who holds a copy: the webhook is a signal, Apono is the truth.
    const copies = await store.cardsFor(event.requestId);
    let request: ApprovalRequest | null = null;
    for (const copy of copies) {
      request = await readAs(copy.tenantId, copy.ownerObjectId, event.requestId);
      if (request) break;
    }
    await updateCopies(event.requestId, request && request.status !== 'PENDING' ? request : null);
    if (request) await tellRequester(request, null, null);
    await settle(request);
  }

  deps.events.on('decided', (event) => track(onDecided(event)));
  deps.events.on('changed', (event) => track(onChanged(event)));

  return {
    /** Resolves when every notification started so far has finished. */
    async idle(): Promise<void> {
      while (pendingWork.size) await Promise.all([...pendingWork]);
    },
  };
}
