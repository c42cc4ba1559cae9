// The personal chat with the bot: a greeting on install, "pending" lists what waits for you as cards
// in as few messages as fit (each card kept true on its own), "help" — and anything else —
// explains.
import type { Activity, Client as ApiClient } from '@microsoft/teams.api';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { messageOf } from './card-actions.js';
import { packCardMessages } from './card-batches.js';
import { isPersonal, tenantOf } from './people.js';
import { approvalsDeepLink, noticeCard, type CardLinks } from './request-card.js';
import type { TeamsServices } from './services.js';

export const MAX_PENDING_CARDS = 10;

export interface ChatDeps extends TeamsServices {
  links: CardLinks;
}

export function helpCard(links: CardLinks): IAdaptiveCard {
  const tab = approvalsDeepLink(links, '') ? 'the Approvals tab' : 'the Approvals tab of this app';
  return noticeCard('Apono Approvals', [
    'I bring Apono access requests that wait for your decision into Teams, and tell requesters what was decided.',
    '• Type **pending** to see the requests waiting for you, each with Approve and Reject.',
    '• Each new request reaches you here as its own card.',
    '• In any chat or channel, use the Apono Approvals message extension to find a request and share it; paste an Apono request link to preview it.',
    `First time? Open ${tab} and connect your Apono account (a personal API token).`,
  ]);
}

const commandOf = (text: string | undefined) =>
  (text ?? '')
    .replace(/<at>.*?<\/at>/gi, '')
    .trim()
    .toLowerCase()
    .replace(/^\//, '');

export function createChat(deps: ChatDeps) {
  const { requests, people, views, store, messenger, log } = deps;

  /** Remembers the 1:1 conversation so notifications can reach this person later. */
  async function rememberConversation(activity: Activity): Promise<void> {
    const tenantId = tenantOf(activity);
    const aadObjectId = activity.from?.aadObjectId;
    if (!tenantId || !aadObjectId || !isPersonal(activity)) return;
    await store.saveUser({
      tenantId,
      aadObjectId,
      name: activity.from.name ?? null,
      userId: activity.from.id ?? null,
      conversationId: activity.conversation.id,
      serviceUrl: activity.serviceUrl ?? null,
      // Reminders keep to the person's own quiet hours, in the zone their Teams client reports.
      timeZone: (activity as { localTimezone?: string }).localTimezone ?? null,
    });
  }

  async function listPending(activity: Activity, api: ApiClient): Promise<void> {
    const to = { serviceUrl: activity.serviceUrl ?? '', conversationId: activity.conversation.id };
    const caller = await people.callerOf(activity, api);
    if (!caller) {
      await messenger.sendText(to, 'Teams did not tell me who you are. Open the Approvals tab instead.');
      return;
    }
    let pending;
    try {
      pending = await requests.pending(caller);
    } catch (err) {
      await messenger.sendText(to, messageOf(err));
      return;
    }
    if (!pending.length) {
      await messenger.sendText(to, 'Nothing is waiting for your decision. New requests will reach you here.');
      return;
    }
    const shown = pending.slice(0, MAX_PENDING_CARDS);
    const summary =
      pending.length > shown.length
        ? `${pending.length} requests are waiting for your decision. Here are the ${shown.length} that have waited longest; the Approvals tab has all of them.`
        : `${pending.length} ${pending.length === 1 ? 'request is' : 'requests are'} waiting for your decision, oldest first.`;
    const cards = [];
    for (const request of shown) {
      await views.noteApprover(caller, request);
      cards.push({ request, card: await views.render(request, { audience: 'viewer' }) });
    }
    // As few messages as fit (usually one): never one send per request.
    for (const [index, group] of packCardMessages(cards).entries()) {
      const text = index === 0 ? summary : null;
      const activityId = await messenger.sendCards(
        to,
        group.map((g) => g.card),
        text ?? undefined,
      );
      for (const [slot, { request, card }] of group.entries())
        await store.saveCard({
          requestId: request.id,
          conversationId: to.conversationId,
          activityId,
          serviceUrl: to.serviceUrl,
          tenantId: caller.tenantId,
          personal: true,
          ownerObjectId: caller.objectId,
          batch: { slot, card, text },
        });
    }
  }

  return {
    rememberConversation,

    async onMessage(activity: Activity & { text?: string }, api: ApiClient): Promise<void> {
      await rememberConversation(activity);
      const to = { serviceUrl: activity.serviceUrl ?? '', conversationId: activity.conversation.id };
      const command = commandOf(activity.text);
      const wantsList = command === 'pending' || command === 'list';
      // Someone's pending requests are theirs: never listed where other people read along.
      if (wantsList && !isPersonal(activity))
        await messenger.sendText(
          to,
          'I list the requests waiting for you only in our 1:1 chat. Open a chat with Apono Approvals and type "pending"; to share one request here, use the message extension.',
        );
      else if (wantsList) await listPending(activity, api);
      else await messenger.sendCard(to, helpCard(deps.links));
    },

    /** The app was added to a personal chat (or the bot joined a conversation): say hello once. */
    async onInstalled(activity: Activity): Promise<void> {
      await rememberConversation(activity);
      // Teams sends both installationUpdate and conversationUpdate for one install: greet once.
      if (!(await store.firstNotice(`conversation:${activity.conversation.id}`, 'greeting'))) return;
      const to = { serviceUrl: activity.serviceUrl ?? '', conversationId: activity.conversation.id };
      await messenger
        .sendCard(to, helpCard(deps.links), 'Hello! I am Apono Approvals.')
        .then(() => store.noticeSent(`conversation:${activity.conversation.id}`, 'greeting'))
        .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not send the greeting'));
    },
  };
}
