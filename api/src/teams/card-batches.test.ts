import { describe, expect, it } from 'vitest';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { MESSAGE_BUDGET_UTF16_BYTES, packCardMessages } from './card-batches.js';

const cardOf = (chars: number): { card: IAdaptiveCard } => ({
  card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(chars) }] },
});

describe('packCardMessages', () => {
  it('keeps order and puts as many cards in a message as its budget allows', () => {
    const items = Array.from({ length: 5 }, () => cardOf(1000));
    const groups = packCardMessages(items, 3 * 2 * 1100);
    expect(groups.map((g) => g.length)).toEqual([3, 2]);
    expect(groups.flat()).toEqual(items);
  });

  it('sends a card heavier than the budget alone, and nothing for no cards', () => {
    const groups = packCardMessages([cardOf(10), cardOf(MESSAGE_BUDGET_UTF16_BYTES), cardOf(10)]);
    expect(groups.map((g) => g.length)).toEqual([1, 1, 1]);
    expect(packCardMessages([])).toEqual([]);
  });
});
