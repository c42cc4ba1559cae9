// An unfurled Apono link is a card everyone in the conversation reads: DEFAULT_LOCALE's words and
// digits, whatever the sharer reads. Link unfurling draws Adaptive Cards 1.3 at most, which have
// no `rtl` (1.5), so an Arabic unfurl keeps its Arabic words but is laid out left to right.
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import { describe, expect, it } from 'vitest';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer } from './support.js';

// DEFAULT_LOCALE is read once per process (config.ts): its own file, so its own server.
const bot = useBotServer({ DEFAULT_LOCALE: 'ar-SA', DEFAULT_TIME_ZONE: 'Asia/Riyadh' });
const cards = readCatalogues().ar.cards as Record<string, string>;

describe('an unfurled link in DEFAULT_LOCALE ar-SA', () => {
  it('is in Arabic, with Arabic digits, valid 1.3 and without rtl, for a sharer reading German', async () => {
    const activity = {
      ...activities.queryLink(people.alex, 'https://portal.apono.io/access-requests/AR-1002', {
        serviceUrl: bot.connector.url,
      }),
      locale: 'de-DE',
    };
    const res = await post(bot.server, activity);
    expect(res.status).toBe(200);
    const [result] = (res.body as { composeExtension: { attachments: Array<{ content: IAdaptiveCard }> } })
      .composeExtension.attachments;
    const card = result!.content;
    expect(card.version).toBe('1.3');
    expect(cardProblems(card, '1.3')).toEqual([]);
    expect(card.rtl).toBeUndefined();
    const all = JSON.stringify(card);
    expect(all).toContain(cards.title!.replace('{{id}}', 'AR-1002'));
    expect(all).toContain(`"title":"${cards.decideInApprovals}"`);
    expect(all).not.toContain('Access request');
    expect(all).not.toContain('Zugriffsanfrage');
    // The request's date in Riyadh's Arabic-Indic digits.
    expect(all).toMatch(/[٠-٩]/);
  });
});
