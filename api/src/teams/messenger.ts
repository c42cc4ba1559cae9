// Messages the bot sends on its own (not as the answer to an activity): new cards, card updates in
// place (PUT activity), and opening a 1:1 chat with someone (POST /v3/conversations). Each call goes
// to the Bot Connector at the serviceUrl Teams gave for that conversation.
import { MessageActivityInput } from '@microsoft/teams.api';
import { Client as ApiClient, type TeamsChannelAccount } from '@microsoft/teams.api';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { createPacer, type Pacer } from '../delivery/pace.js';
import { withRetry, type RetryOptions } from '../delivery/retry.js';

export interface ConversationAddress {
  serviceUrl: string;
  conversationId: string;
}

/** The card with a line above everything else, wrapped so that it is never cut. */
function withLead(card: IAdaptiveCard, lead: string): IAdaptiveCard {
  return { ...card, body: [{ type: 'TextBlock', text: lead, wrap: true }, ...(card.body ?? [])] };
}

/** A 202 with an empty body parses as '' (or undefined): no ID to keep. */
function idOf(answer: unknown): string | null {
  const id = (answer as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
}

export interface MessengerOptions {
  http: () => ApiClient['http'];
  botId: () => string | undefined;
  /** Teams' per-conversation and per-app limits; every send and update waits its turn here. */
  pacer?: Pacer;
  retry?: RetryOptions;
}

export function createMessenger(options: MessengerOptions) {
  const clientFor = (serviceUrl: string) => new ApiClient(serviceUrl.replace(/\/+$/, ''), options.http());
  const pacer = options.pacer ?? createPacer();
  /** One Bot Connector call to a conversation: paced, and retried on 429/412/5xx/timeouts. */
  const call = <T>(conversationId: string, fn: () => Promise<T>) =>
    withRetry(async () => {
      await pacer.wait(conversationId);
      return fn();
    }, options.retry);
  const message = (card: IAdaptiveCard, summary?: string) => {
    const activity = new MessageActivityInput(undefined, summary ? { summary } : {}).addCard(
      'adaptive',
      card,
    );
    delete activity.text; // the SDK fills in ''; a card message has no text at all
    return activity;
  };

  // The list layout (cards one under the other in one message; Microsoft Learn, "Card collections"),
  // not the carousel: the Agents Playground shows no carousel at all ("Carousel layout is not
  // supported yet"), while it does show a list, as one message per card.
  const cardList = (cards: IAdaptiveCard[], text?: string) => {
    const activity = new MessageActivityInput(text).withAttachmentLayout('list');
    for (const card of cards) activity.addCard('adaptive', card);
    if (!text) delete activity.text;
    return activity;
  };

  return {
    /**
     * Posts a card as one message; returns its activity ID, or null when the connector gave none.
     * A lead-in line goes inside the card (its first TextBlock, which Teams shows as the chat
     * preview) and in `summary`, never in `text`: the Agents Playground's connector splits text and
     * each attachment into separate messages and then answers 202 with no ID at all
     * (m365agentsplayground `splitActivity`), so the copy could never be updated.
     *
     * Not idempotent: `POST /v3/conversations/{id}/activities` takes no idempotency key and the Bot
     * Connector cannot be asked what it posted. Callers claim the notice before the call and mark it
     * sent after; a process that dies while the post is in Teams' hands leaves a claim that is later
     * taken over and posted again (at least once). The first message is adopted as a copy when Teams
     * refreshes it for its reader (card-actions.ts keeps a card of the 1:1 chat it did not know).
     */
    async sendCard(to: ConversationAddress, card: IAdaptiveCard, lead?: string): Promise<string | null> {
      const sent = await call(to.conversationId, () =>
        clientFor(to.serviceUrl).conversations.createActivity(
          to.conversationId,
          lead ? message(withLead(card, lead), lead) : message(card),
        ),
      );
      return idOf(sent);
    },

    async sendText(to: ConversationAddress, text: string): Promise<string | null> {
      const sent = await call(to.conversationId, () =>
        clientFor(to.serviceUrl).conversations.createActivity(
          to.conversationId,
          new MessageActivityInput(text),
        ),
      );
      return idOf(sent);
    },

    /**
     * Posts several cards as one message, with an optional line of text above them. Returns its ID,
     * or null when the connector gave none (the Playground's splits such a message in one per card).
     */
    async sendCards(to: ConversationAddress, cards: IAdaptiveCard[], text?: string): Promise<string | null> {
      const sent = await call(to.conversationId, () =>
        clientFor(to.serviceUrl).conversations.createActivity(to.conversationId, cardList(cards, text)),
      );
      return idOf(sent);
    },

    /** Replaces a message of several cards: all of them, in order (an update replaces the whole message). */
    async updateCards(
      to: ConversationAddress & { activityId: string },
      cards: IAdaptiveCard[],
      text?: string,
    ): Promise<void> {
      await call(to.conversationId, () =>
        clientFor(to.serviceUrl).conversations.updateActivity(to.conversationId, to.activityId, {
          ...cardList(cards, text),
          id: to.activityId,
        }),
      );
    },

    /** Replaces a posted card in place, for everyone who sees that message. */
    async updateCard(to: ConversationAddress & { activityId: string }, card: IAdaptiveCard): Promise<void> {
      await call(to.conversationId, () =>
        clientFor(to.serviceUrl).conversations.updateActivity(to.conversationId, to.activityId, {
          ...message(card),
          id: to.activityId,
        }),
      );
    },

    /** The members of a conversation the bot is in, with their Entra object IDs, emails and UPNs. */
    async membersOf(to: ConversationAddress): Promise<TeamsChannelAccount[]> {
      return withRetry(
        () => clientFor(to.serviceUrl).conversations.members(to.conversationId).get(),
        options.retry,
      );
    },

    /** Opens (or finds) the 1:1 chat between the bot and a person; returns its conversation ID. */
    async openPersonalChat(
      serviceUrl: string,
      tenantId: string,
      person: { aadObjectId: string; userId: string | null },
    ): Promise<string> {
      const botId = options.botId();
      const { aadObjectId } = person;
      const created = await withRetry(
        () =>
          clientFor(serviceUrl).conversations.create({
            // Teams' own user ID when we have seen one; the Entra object ID otherwise.
            members: [{ id: person.userId ?? aadObjectId, name: '', role: 'user', aadObjectId }],
            tenantId,
            isGroup: false,
            ...(botId ? { bot: { id: botId, name: '', role: 'bot' } } : {}),
            channelData: { tenant: { id: tenantId } },
          }),
        options.retry,
      );
      return created.id;
    },
  };
}

export type Messenger = ReturnType<typeof createMessenger>;

/**
 * A post the Bot Connector refused because that 1:1 conversation is gone for the bot: 403 (the bot is
 * not in the conversation, or the app was removed) or 404 (no such conversation), by status or by
 * the connector's error code (the Agents Playground answers 500 with code ConversationNotFound).
 */
export function isChatGone(err: unknown): boolean {
  const response = (err as { response?: { status?: number; data?: unknown } } | null)?.response;
  if (response?.status === 403 || response?.status === 404) return true;
  const code = (response?.data as { error?: { code?: unknown } } | undefined)?.error?.code;
  return code === 'ConversationNotFound' || code === 'BotNotInConversationRoster';
}
