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
import { defaultWords, englishWords, readerOf, wordsOfActivity, type Words } from './words.js';

export const MAX_PENDING_CARDS = 10;

export interface ChatDeps extends TeamsServices {
  links: CardLinks;
}

export function helpCard(links: CardLinks, w: Words = englishWords()): IAdaptiveCard {
  const tab = approvalsDeepLink(links, '') ? w.t('help.tab') : w.t('help.tabOfApp');
  return noticeCard(
    w.t('common:appName'),
    [
      w.t('help.intro'),
      w.t('help.pending'),
      w.t('help.eachNew'),
      w.t('help.extension'),
      w.t('help.first', { tab }),
    ],
    'Default',
    w,
  );
}

const commandOf = (text: string | undefined) =>
  (text ?? '')
    .replace(/<at>.*?<\/at>/gi, '')
    .trim()
    .toLowerCase()
    .replace(/^\//, '');

/** A 1:1 chat is in the sender's language; where many read along, in DEFAULT_LOCALE. */
const wordsIn = (activity: Activity): Words =>
  isPersonal(activity) ? wordsOfActivity(activity) : defaultWords();

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
      // Reminders keep to the person's own quiet hours, in the zone their Teams client reports, and
      // the cards sent them unasked are in their language.
      ...readerOf(activity),
    });
  }

  async function listPending(activity: Activity, api: ApiClient): Promise<void> {
    const to = { serviceUrl: activity.serviceUrl ?? '', conversationId: activity.conversation.id };
    const w = wordsOfActivity(activity);
    const caller = await people.callerOf(activity, api);
    if (!caller) {
      await messenger.sendText(to, w.t('chat.whoAreYou'));
      return;
    }
    let pending;
    try {
      pending = await requests.pending(caller);
    } catch (err) {
      await messenger.sendText(to, messageOf(err, w));
      return;
    }
    if (!pending.length) {
      await messenger.sendText(to, w.t('chat.nothing'));
      return;
    }
    const shown = pending.slice(0, MAX_PENDING_CARDS);
    const summary =
      pending.length > shown.length
        ? w.t('chat.someOf', { count: pending.length, shown: w.f.count(shown.length) })
        : w.t('chat.all', { count: pending.length });
    const cards = [];
    for (const request of shown) {
      await views.noteApprover(caller, request);
      cards.push({ request, card: await views.render(request, { audience: 'viewer', words: w }) });
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
      const w = wordsIn(activity);
      if (wantsList && !isPersonal(activity)) await messenger.sendText(to, w.t('chat.onlyPersonal'));
      else if (wantsList) await listPending(activity, api);
      else await messenger.sendCard(to, helpCard(deps.links, w));
    },

    /** The app was added to a personal chat (or the bot joined a conversation): say hello once. */
    async onInstalled(activity: Activity): Promise<void> {
      await rememberConversation(activity);
      // Teams sends both installationUpdate and conversationUpdate for one install: greet once.
      if (!(await store.firstNotice(`conversation:${activity.conversation.id}`, 'greeting'))) return;
      const to = { serviceUrl: activity.serviceUrl ?? '', conversationId: activity.conversation.id };
      await messenger
        .sendCard(to, helpCard(deps.links, wordsIn(activity)), wordsIn(activity).t('chat.hello'))
        .then(() => store.noticeSent(`conversation:${activity.conversation.id}`, 'greeting'))
        .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not send the greeting'));
    },
  };
}
