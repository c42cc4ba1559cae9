// Puts a new card into a message the bot posted. A message that holds one card is replaced; one
// that holds several requests is re-sent whole, since an update replaces the entire activity, with
// every other slot as it last was. Updates of one message run one at a time here.
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { Logger } from '../log.js';
import type { Messenger } from './messenger.js';
import type { TeamsStore } from './store.js';

export interface MessageAddress {
  serviceUrl: string;
  conversationId: string;
  activityId: string;
}

export function createCopyUpdater(deps: { store: TeamsStore; messenger: Messenger; log: Logger }) {
  const { store, messenger } = deps;
  const queues = new Map<string, Promise<unknown>>();

  /** One after another per message, so two slots updated at once never undo each other. */
  function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = queues.get(key) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(work);
    queues.set(key, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (queues.get(key) === next) queues.delete(key);
      });
    return next;
  }

  return {
    /**
     * Shows `card` for `requestId` in that message, wherever in it the request sits. With `version`
     * (when the request shown was read), an update older than the one the copy shows is dropped.
     */
    async put(to: MessageAddress, requestId: string, card: IAdaptiveCard, version?: number): Promise<void> {
      const key = `${to.conversationId}|${to.activityId}`;
      await inTurn(key, async () => {
        if (version !== undefined && !(await store.claimVersion({ ...to, requestId }, version))) return;
        const slots = await store.slotsOf(to.conversationId, to.activityId);
        const mine = slots.find((s) => s.requestId === requestId);
        if (!mine?.batch) return messenger.updateCard(to, card);
        await store.setSlotCard(mine, card);
        const cards = slots.map((s) => (s === mine ? card : (s.batch!.card as IAdaptiveCard)));
        await messenger.updateCards(to, cards, mine.batch.text ?? undefined);
      });
    },
  };
}

export type CopyUpdater = ReturnType<typeof createCopyUpdater>;
