// Universal Actions (adaptiveCard/action): refresh, approve and reject. Every action re-identifies
// the person, and decisions go through RequestService.decide, which applies the reason rule and
// talks to Apono as that person. The answer is the updated card, or the same card with the problem
// in words and the typed reason kept. A decision that takes longer than a few seconds is answered
// with a "working on it" card, and the card is updated in place when Apono answers.
import { escapeCardMarkdown as plain } from '@apono-teams/domain/card-text.js';
import { isRequestId } from '@apono-teams/domain/request-id.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import type {
  AdaptiveCardActionCardResponse,
  AdaptiveCardActionErrorResponse,
  IAdaptiveCardActionInvokeActivity,
} from '@microsoft/teams.api';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { defaultMessages, messageOfError } from '@apono-teams/domain/errors.js';
import { AppError } from '../http/errors.js';
import type { Caller } from '../identity/tokens.js';
import type { CardViews } from './card-views.js';
import { isPersonal, tenantOf } from './people.js';
import { noticeCard } from './request-card.js';
import { englishWords, wordsOfActivity, type Words } from './words.js';
import type { TeamsServices } from './services.js';
import type { Client as ApiClient } from '@microsoft/teams.api';

export interface CardActionDeps extends TeamsServices {
  /** How long to wait for Apono before answering "working on it". */
  decisionWaitMs: number;
  /** Runs work after the answer (the bot's own copy in a shared conversation), seen by idle(). */
  background: (work: Promise<unknown>) => void;
}

type CardActionResponse = AdaptiveCardActionCardResponse | AdaptiveCardActionErrorResponse;

export const cardResponse = (card: IAdaptiveCard): AdaptiveCardActionCardResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card,
});

function badRequest(message: string): AdaptiveCardActionErrorResponse {
  return {
    statusCode: 400,
    type: 'application/vnd.microsoft.error',
    value: { code: 'BadRequest', message, innerHttpError: { statusCode: 400, body: { error: message } } },
  };
}

/**
 * What a person reads for a failure, in their words: the sentence the service made for this case
 * (who decided, how long to wait) from its catalogue message (`details.message`), else the
 * catalogue's sentence for the error's code (common.errors.*), else the service's English as written.
 */
export function messageOf(err: unknown, w: Words = englishWords()): string {
  if (!(err instanceof AppError)) return w.t('common:errors.internal');
  const said = messageOfError(err.details);
  if (said) return w.say(said);
  if (err.userMessage && err.userMessage !== defaultMessages[err.code]) return err.userMessage;
  return w.t(`common:errors.${err.code}`);
}

export function createCardActions(deps: CardActionDeps) {
  const { requests, people, views, store, log } = deps;

  /** The card again, as the caller sees it, with what went wrong and what they typed. */
  async function problemCard(
    caller: Caller,
    requestId: string,
    err: unknown,
    reason: string | null,
    w: Words = englishWords(),
  ) {
    const error = messageOf(err, w);
    if (!(err instanceof AppError) || err.code === 'internal')
      log.error({ err, requestId }, 'card action failed');
    const known =
      err instanceof AppError ? (err.details?.request as Parameters<CardViews['render']>[0]) : undefined;
    if (known) return views.render(known, { audience: 'viewer', error, reason, words: w });
    try {
      return (await views.forViewer(caller, requestId, { error, reason, words: w })).card;
    } catch {
      // Apono cannot be read either: show what this person last saw, with the problem and their words.
      const seen = views.lastSeenBy(caller, requestId);
      if (seen) return views.render(seen, { audience: 'viewer', error, reason, words: w });
      return noticeCard(w.t('title', { id: plain(requestId) }), [plain(error)], 'Attention', w);
    }
  }

  async function decide(
    caller: Caller,
    requestId: string,
    decision: Decision,
    reason: string | null,
    where: { serviceUrl: string; conversationId: string; activityId: string | undefined; ours: boolean },
    w: Words = englishWords(),
  ): Promise<{ card: IAdaptiveCard; done: Promise<unknown> }> {
    const outcome = requests.decide(caller, requestId, decision, reason).then(
      async (request) => views.render(request, { audience: 'viewer', words: w }),
      (err: unknown) => problemCard(caller, requestId, err, reason, w),
    );
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), deps.decisionWaitMs);
    });
    const first = await Promise.race([outcome, slow]);
    clearTimeout(timer);
    if (first) return { card: first, done: outcome };

    // Apono is slow: answer now, and put the final card in place when the decision completes (only
    // in a message the bot may edit: its own; a shared copy gets the bot's own card instead).
    void outcome.then(async (card) => {
      if (!where.activityId || !where.ours) return;
      await deps.copies
        .put({ ...where, activityId: where.activityId }, requestId, card, Date.now())
        .catch((err: unknown) =>
          log.warn({ err: (err as Error).message, requestId }, 'could not update the card'),
        );
    });
    const seen = views.lastSeenBy(caller, requestId);
    if (seen)
      return {
        card: await views.render(seen, { audience: 'viewer', working: decision, words: w }),
        done: outcome,
      };
    const card = noticeCard(
      w.t(`slow.${decision}`, { id: plain(requestId) }),
      [w.t('slow.body')],
      'Accent',
      w,
    );
    return { card, done: outcome };
  }

  /**
   * A card someone shared here with the message extension is their own message, which a bot cannot
   * edit (Microsoft Learn, "Universal Actions for search based message extensions": the card is sent
   * by the user). Once the bot is in the conversation (just-in-time install), it posts its own card
   * here, once per request, and keeps that one true; the shared one stays current through refresh.
   */
  async function postOwnCopy(
    caller: Caller,
    requestId: string,
    to: { serviceUrl: string; conversationId: string },
    tenantId: string,
  ) {
    const kind = `shared:${to.conversationId}`;
    if (!(await store.firstNotice(requestId, kind))) return;
    try {
      const request = await requests.get(caller, requestId);
      const activityId = await deps.messenger.sendCard(
        to,
        await views.render(request, { audience: 'everyone' }),
      );
      await store.saveCard({
        requestId: request.id,
        ...to,
        activityId,
        tenantId,
        personal: false,
        ownerObjectId: caller.objectId,
      });
      await store.noticeSent(requestId, kind);
    } catch (err) {
      await store.forgetNotice(requestId, kind);
      log.info(
        { err: (err as Error).message, requestId },
        "could not post the bot's own card where a request was shared",
      );
    }
  }

  /**
   * Someone in a shared conversation whom Apono does not show the request (not an approver, not the
   * requester): the copy everyone there already sees, read as someone who could read it, and why they
   * get no buttons. Null when nobody known can read it now.
   */
  async function sharedView(caller: Caller, requestId: string, w: Words): Promise<IAdaptiveCard | null> {
    for (const reader of await store.readersOf(requestId)) {
      if (reader.aadObjectId === caller.objectId && reader.tenantId === caller.tenantId) continue;
      const as = await people.callerFor(reader.tenantId, reader.aadObjectId);
      const request = as ? await requests.get(as, requestId).catch(() => null) : null;
      if (request)
        return views.render(request, { audience: 'everyone', note: w.t('notAnApprover'), words: w });
    }
    return null;
  }

  return async function onCardAction(
    activity: IAdaptiveCardActionInvokeActivity,
    api: ApiClient,
  ): Promise<CardActionResponse> {
    const action = activity.value?.action;
    const verb = action?.verb ?? '';
    const data = (action?.data ?? {}) as Record<string, unknown>;
    const requestId = typeof data.requestId === 'string' ? data.requestId : '';
    if (!['refresh', 'approve', 'reject'].includes(verb)) return badRequest(`Unknown action "${verb}".`);
    if (!isRequestId(requestId)) return badRequest('The card does not name a request.');
    // The person acting reads their cards in their Teams language (the activity's locale).
    const w = wordsOfActivity(activity);
    const reason = typeof data.reason === 'string' ? data.reason : null;

    const caller = await people.callerOf(activity, api);
    if (!caller) {
      return cardResponse(
        noticeCard(w.t('title', { id: plain(requestId) }), [w.t('whoAreYou')], 'Attention', w),
      );
    }
    const tenantId = tenantOf(activity) ?? caller.tenantId;
    const conversationId = activity.conversation.id;
    const activityId = activity.replyToId;
    const serviceUrl = activity.serviceUrl ?? '';
    const personal = isPersonal(activity);
    const known = !!activityId && (await store.hasCopy(conversationId, activityId, requestId));
    // Known to show the request before this action (the bot's own copy is here): only then may
    // someone who cannot read the request see its shared view.
    const sharedHere = known || (!personal && (await store.hasCopyIn(conversationId, requestId)));
    // In the 1:1 chat with the bot a card is the bot's message, one we may not have recorded: keep it.
    if (activityId && !known && personal)
      await store.saveCard({
        requestId,
        conversationId,
        activityId,
        serviceUrl,
        tenantId,
        personal,
        ownerObjectId: caller.objectId,
      });
    const adopt = (after: Promise<unknown>) => {
      if (known || personal) return;
      const to = { serviceUrl, conversationId };
      deps.background(after.catch(() => undefined).then(() => postOwnCopy(caller, requestId, to, tenantId)));
    };

    if (verb === 'refresh') {
      adopt(Promise.resolve());
      try {
        return cardResponse((await views.forViewer(caller, requestId, { words: w })).card);
      } catch (err) {
        const outsider =
          err instanceof AppError && (err.code === 'not_found' || err.code === 'not_an_approver');
        const shared =
          outsider && sharedHere && !isPersonal(activity) ? await sharedView(caller, requestId, w) : null;
        return cardResponse(shared ?? (await problemCard(caller, requestId, err, reason, w)));
      }
    }
    const where = { serviceUrl, conversationId, activityId, ours: known || personal };
    const { card, done } = await decide(caller, requestId, verb as Decision, reason, where, w);
    // After the decision, so that the bot's own copy shows its outcome.
    adopt(done);
    return cardResponse(card);
  };
}
