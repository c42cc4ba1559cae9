// Several cards in one message, within Teams' limits: a list of requests goes out in as few messages
// as fit, instead of one send per card (Teams allows 7 messages a second and 60 per 30 s in one
// conversation: Microsoft Learn, "Optimize your bot with rate limiting and best practices").
import type { IAdaptiveCard } from '@microsoft/teams.cards';

/**
 * What one message's cards may weigh when sent: Teams counts the payload in UTF-16 and recommends
 * staying within 80 KB of its 100 KB limit (Microsoft Learn, "Format your bot messages"; older
 * translations still say 40 KB). 16 KB are left for the text around the cards and for cards that grow
 * when updated (an outcome and a reason replace the buttons).
 */
export const MESSAGE_BUDGET_UTF16_BYTES = 64 * 1024;

const weight = (card: IAdaptiveCard) => JSON.stringify(card).length * 2;

/** Cards in order, in as few groups as fit the budget; a card heavier than the budget goes alone. */
export function packCardMessages<T extends { card: IAdaptiveCard }>(
  items: readonly T[],
  budget = MESSAGE_BUDGET_UTF16_BYTES,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const w = weight(item.card);
    if (current.length && used + w > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += w;
  }
  if (current.length) groups.push(current);
  return groups;
}
