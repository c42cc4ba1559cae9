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
import { defaultMessages } from '@apono-teams/domain/errors.js';
import { AppError } from '../http/errors.js';
import type { Caller } from '../identity/tokens.js';
import type { CardViews } from './card-views.js';
import { isPersonal, tenantOf } from './people.js';
import { noticeCard } from './request-card.js';
import type { TeamsServices } from './services.js';
import type { Client as ApiClient } from '@microsoft/teams.api';

export interface CardActionDeps extends TeamsServices {
  /** How long to wait for Apono before answering "working on it". */
  decisionWaitMs: number;
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

const NOT_AN_APPROVER = 'You are not an approver of this request.';

export function messageOf(err: unknown): string {
  return err instanceof AppError ? (err.userMessage ?? defaultMessages[err.code]) : defaultMessages.internal;
}

export function createCardActions(deps: CardActionDeps) {
  const { requests, people, views, store, log } = deps;

  /** The card again, as the caller sees it, with what went wrong and what they typed. */
  async function problemCard(caller: Caller, requestId: string, err: unknown, reason: string | null) {
    const error = messageOf(err);
    if (!(err instanceof AppError) || err.code === 'internal')
      log.error({ err, requestId }, 'card action failed');
    const known =
      err instanceof AppError ? (err.details?.request as Parameters<CardViews['render']>[0]) : undefined;
    if (known) return views.render(known, { audience: 'viewer', error, reason });
    try {
      return (await views.forViewer(caller, requestId, { error, reason })).card;
    } catch {
      // Apono cannot be read either: show what this person last saw, with the problem and their words.
      const seen = views.lastSeenBy(caller, requestId);
      if (seen) return views.render(seen, { audience: 'viewer', error, reason });
      return noticeCard(`Access request ${plain(requestId)}`, [plain(error)], 'Attention');
    }
  }

  async function decide(
    caller: Caller,
    requestId: string,
    decision: Decision,
    reason: string | null,
    where: { serviceUrl: string; conversationId: string; activityId: string | undefined },
  ): Promise<IAdaptiveCard> {
    const outcome = requests.decide(caller, requestId, decision, reason).then(
      async (request) => views.render(request, { audience: 'viewer' }),
      (err: unknown) => problemCard(caller, requestId, err, reason),
    );
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), deps.decisionWaitMs);
    });
    const first = await Promise.race([outcome, slow]);
    clearTimeout(timer);
    if (first) return first;

    // Apono is slow: answer now, and put the final card in place when the decision completes.
    void outcome.then(async (card) => {
      if (!where.activityId) return;
      await deps.copies
        .put({ ...where, activityId: where.activityId }, requestId, card)
        .catch((err: unknown) =>
          log.warn({ err: (err as Error).message, requestId }, 'could not update the card'),
        );
    });
    const seen = views.lastSeenBy(caller, requestId);
    if (seen) return views.render(seen, { audience: 'viewer', working: decision });
    const noun = decision === 'approve' ? 'approval' : 'rejection';
    return noticeCard(
      `Sending your ${noun} of ${plain(requestId)} to Apono…`,
      [
        'Apono is taking longer than usual. This card updates by itself when Apono answers; there is no need to choose again.',
      ],
      'Accent',
    );
  }

  /**
   * Someone in a shared conversation whom Apono does not show the request (not an approver, not the
   * requester): the copy everyone there already sees, read as someone who could read it, and why they
   * get no buttons. Null when nobody known can read it now.
   */
  async function sharedView(caller: Caller, requestId: string): Promise<IAdaptiveCard | null> {
    for (const reader of await store.readersOf(requestId)) {
      if (reader.aadObjectId === caller.objectId && reader.tenantId === caller.tenantId) continue;
      const as = await people.callerFor(reader.tenantId, reader.aadObjectId);
      const request = as ? await requests.get(as, requestId).catch(() => null) : null;
      if (request) return views.render(request, { audience: 'everyone', note: NOT_AN_APPROVER });
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
    const reason = typeof data.reason === 'string' ? data.reason : null;

    const caller = await people.callerOf(activity, api);
    if (!caller) {
      return cardResponse(
        noticeCard(
          `Access request ${plain(requestId)}`,
          ['Teams did not tell us who you are, so nothing was done. Open the Approvals tab instead.'],
          'Attention',
        ),
      );
    }
    const tenantId = tenantOf(activity) ?? caller.tenantId;
    const conversationId = activity.conversation.id;
    const activityId = activity.replyToId;
    // Known before this action: only then may someone who cannot read the request see its shared view.
    const sharedHere = !!activityId && (await store.hasCopy(conversationId, activityId, requestId));
    if (activityId) {
      // Every copy we learn about is updated when the request changes, even ones a person inserted.
      await store.saveCard({
        requestId,
        conversationId,
        activityId,
        serviceUrl: activity.serviceUrl ?? '',
        tenantId,
        personal: isPersonal(activity),
        ownerObjectId: caller.objectId,
      });
    }

    if (verb === 'refresh') {
      try {
        return cardResponse((await views.forViewer(caller, requestId)).card);
      } catch (err) {
        const outsider =
          err instanceof AppError && (err.code === 'not_found' || err.code === 'not_an_approver');
        const shared =
          outsider && sharedHere && !isPersonal(activity) ? await sharedView(caller, requestId) : null;
        return cardResponse(shared ?? (await problemCard(caller, requestId, err, reason)));
      }
    }
    const where = { serviceUrl: activity.serviceUrl ?? '', conversationId, activityId };
    return cardResponse(await decide(caller, requestId, verb as Decision, reason, where));
  };
}
