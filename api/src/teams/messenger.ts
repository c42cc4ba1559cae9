// Messages the bot sends on its own (not as the answer to an activity): new cards, card updates in
// place (PUT activity), and opening a 1:1 chat with someone (POST /v3/conversations). Each call goes
// to the Bot Connector at the serviceUrl Teams gave for that conversation.
import { MessageActivityInput } from '@microsoft/teams.api';
import { Client as ApiClient } from '@microsoft/teams.api';
import type { IAdaptiveCard } from '@microsoft/teams.cards';

export interface ConversationAddress {
  serviceUrl: string;
  conversationId: string;
}

export function createMessenger(options: { http: () => ApiClient['http']; botId: () => string | undefined }) {
  const clientFor = (serviceUrl: string) => new ApiClient(serviceUrl.replace(/\/+$/, ''), options.http());
  const message = (card: IAdaptiveCard, text?: string) =>
    new MessageActivityInput(text).addCard('adaptive', card);

  return {
    /** Posts a card; returns the new message's activity ID. */
    async sendCard(to: ConversationAddress, card: IAdaptiveCard, text?: string): Promise<string> {
      const sent = await clientFor(to.serviceUrl).conversations.createActivity(
        to.conversationId,
        message(card, text),
      );
      return sent.id;
    },

    async sendText(to: ConversationAddress, text: string): Promise<string> {
      const sent = await clientFor(to.serviceUrl).conversations.createActivity(
        to.conversationId,
        new MessageActivityInput(text),
      );
      return sent.id;
    },

    /** Replaces a posted card in place, for everyone who sees that message. */
    async updateCard(to: ConversationAddress & { activityId: string }, card: IAdaptiveCard): Promise<void> {
      await clientFor(to.serviceUrl).conversations.updateActivity(to.conversationId, to.activityId, {
        ...message(card),
        id: to.activityId,
      });
    },

    /** Opens (or finds) the 1:1 chat between the bot and a person; returns its conversation ID. */
    async openPersonalChat(
      serviceUrl: string,
      tenantId: string,
      person: { aadObjectId: string; userId: string | null },
    ): Promise<string> {
      const botId = options.botId();
      const { aadObjectId } = person;
      const created = await clientFor(serviceUrl).conversations.create({
        // Teams' own user ID when we have seen one; the Entra object ID otherwise.
        members: [{ id: person.userId ?? aadObjectId, name: '', role: 'user', aadObjectId }],
        tenantId,
        isGroup: false,
        ...(botId ? { bot: { id: botId, name: '', role: 'bot' } } : {}),
        channelData: { tenant: { id: tenantId } },
      });
      return created.id;
    },
  };
}

export type Messenger = ReturnType<typeof createMessenger>;
