// Cards in the reader's language, over the bot protocol: the person acting reads their card in the
// activity's `locale`, in the zone their Teams client reports (`localTimezone`); Arabic cards are
// right to left (Adaptive Cards 1.5 `rtl`); a card the bot sends unasked (a new request) is in the
// recipient's stored language and zone; a locale that does not ship falls back to English; and a
// shared copy uses DEFAULT_LOCALE.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { escapeCardMarkdown } from '@apono-teams/domain/card-text.js';
import { formatters } from '@apono-teams/domain/locale.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../api/src/config.js';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer, waitUntil, type Person } from './support.js';

const SECRET = 'test-webhook-secret';
const bot = useBotServer({ APONO_WEBHOOK_SECRET: SECRET });
const options = () => ({ serviceUrl: bot.connector.url });

type Where = { locale?: string; localTimezone?: string };

/** A card button pressed by `who` in a Teams client reporting `where` (Bot Framework activity fields). */
async function refresh(who: Person, requestId: string, where: Where): Promise<IAdaptiveCard> {
  const activity = { ...activities.cardAction(who, 'refresh', { requestId }, options()), ...where };
  const res = await post(bot.server, activity);
  expect(res.status).toBe(200);
  const card = (res.body as { value: IAdaptiveCard }).value;
  expect(cardProblems(card)).toEqual([]);
  return card;
}

const text = (card: unknown) => JSON.stringify(card);
type FactNode = { type?: string; facts?: Array<{ title: string; value: string }> };
function factsOf(card: IAdaptiveCard): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as FactNode;
      if (n.type === 'FactSet') for (const f of n.facts ?? []) found.set(f.title, f.value);
      Object.values(node).forEach(walk);
    }
  };
  walk(card.body);
  return found;
}

async function readAs(email: string, id: string): Promise<ApprovalRequest> {
  const signIn = await request(bot.server.url).post('/api/sandbox/sign-in').send({ email }).expect(200);
  const res = await request(bot.server.url)
    .get(`/api/requests/${encodeURIComponent(id)}`)
    .set('Authorization', `Bearer ${(signIn.body as { token: string }).token}`)
    .expect(200);
  return (res.body as { request: ApprovalRequest }).request;
}

describe('a card in the reader’s language', () => {
  it('is German for an activity in de-DE, its times in the reader’s Europe/Berlin, not GMT', async () => {
    const card = await refresh(people.alex, 'AR-1007', { locale: 'de-DE', localTimezone: 'Europe/Berlin' });
    expect(card.rtl).toBeUndefined();
    const all = text(card);
    expect(all).toContain('Zugriffsanfrage AR-1007');
    expect(all).toContain('"title":"Genehmigen"');
    expect(all).toContain('"title":"Ablehnen"');
    expect(all).toContain('Warum Sie genehmigen');
    expect(all).not.toContain('Access request');
    const facts = factsOf(card);
    const shown = await readAs('alexw@example.com', 'AR-1007');
    const berlin = formatters('de-DE', 'Europe/Berlin');
    expect(facts.get('Angefragt')).toBe(escapeCardMarkdown(berlin.dateTime(shown.createdAt)));
    expect(facts.get('Angefragt')).toMatch(/MEZ|MESZ/);
    expect(facts.get('Dauer')).toBe(
      escapeCardMarkdown(berlin.duration(shown.durationSeconds) ?? 'Kein Enddatum'),
    );
    // The same moment for a reader in Tokyo: their clock, not Berlin's or GMT's.
    const tokyo = factsOf(
      await refresh(people.alex, 'AR-1007', { locale: 'de-DE', localTimezone: 'Asia/Tokyo' }),
    );
    expect(tokyo.get('Angefragt')).toBe(
      escapeCardMarkdown(formatters('de-DE', 'Asia/Tokyo').dateTime(shown.createdAt)),
    );
    expect(tokyo.get('Angefragt')).not.toBe(facts.get('Angefragt'));
  });

  it('is Arabic and right to left (rtl: true) for ar-SA, and valid Adaptive Card 1.5', async () => {
    const card = await refresh(people.alex, 'AR-1007', { locale: 'ar-SA', localTimezone: 'Asia/Riyadh' });
    expect(card.rtl).toBe(true);
    expect(card.version).toBe('1.5');
    const all = text(card);
    expect(all).toContain('طلب الوصول AR-1007');
    expect(all).toContain('"title":"موافقة"');
    expect(all).toContain('"title":"رفض"');
    // Arabic-Indic digits in the reader's Riyadh time.
    const shown = await readAs('alexw@example.com', 'AR-1007');
    expect(factsOf(card).get('تاريخ الطلب')).toBe(
      formatters('ar-SA', 'Asia/Riyadh').dateTime(shown.createdAt),
    );
    expect(factsOf(card).get('تاريخ الطلب')).toMatch(/[٠-٩]/);
  });

  it('says a refusal in the reader’s language: who already decided (de-DE), a tier not reached (ar-SA)', async () => {
    /** Approve pressed on a card, as `who` in a Teams client reporting `where`. */
    const approve = async (requestId: string, where: Where) => {
      const activity = {
        ...activities.cardAction(people.alex, 'approve', { requestId, reason: 'spät' }, options()),
        ...where,
      };
      const res = await post(bot.server, activity);
      expect(res.status).toBe(200);
      const card = (res.body as { value: IAdaptiveCard }).value;
      expect(cardProblems(card)).toEqual([]);
      return text(card);
    };
    // AR-1036 was approved by Adele Vance; her name stays as Apono sent it.
    const decided = await approve('AR-1036', { locale: 'de-DE', localTimezone: 'Europe/Berlin' });
    expect(decided).toMatch(/Diese Anfrage wurde bereits von Adele Vance (in Apono )?genehmigt/);
    expect(decided).toContain('Von Ihnen wird nichts weiter benötigt.');
    expect(decided).not.toContain('This request was already');
    // AR-1003's flow requires a reason: the rule's refusal in German too, the typed reason kept.
    const activity = {
      ...activities.cardAction(people.alex, 'reject', { requestId: 'AR-1003', reason: '  ' }, options()),
      locale: 'de-DE',
    };
    const missing = text(((await post(bot.server, activity)).body as { value: IAdaptiveCard }).value);
    expect(missing).toContain('Dieser Access Flow verlangt eine Begründung für die Ablehnung.');
    expect(missing).not.toContain('This access flow requires');
    // AR-1032 waits for another tier before Alex's.
    const early = await approve('AR-1032', { locale: 'ar-SA', localTimezone: 'Asia/Riyadh' });
    expect(early).toContain('لم يُصعَّد هذا الطلب إلى مستوى الاعتماد الخاص بك بعد');
    expect(early).not.toContain('escalated');

    // The API keeps its English sentence for API clients, and carries the message the tab says.
    const signIn = await request(bot.server.url)
      .post('/api/sandbox/sign-in')
      .send({ email: 'alexw@example.com' })
      .expect(200);
    const res = await request(bot.server.url)
      .post('/api/requests/AR-1032/approve')
      .set('Authorization', `Bearer ${(signIn.body as { token: string }).token}`)
      .send({ reason: 'too early' })
      .expect(403);
    expect(res.body.error).toMatchObject({
      code: 'not_an_approver',
      message:
        'This request has not been escalated to your approver tier yet. It will appear in your list if it is.',
      details: { message: { key: 'refusal.tierNotReached' } },
    });
  });

  it('falls back to English (left to right, UTC) for a locale that does not ship, or none', async () => {
    for (const where of [{ locale: 'xx-YY' }, { locale: 'es-ES' }, { locale: '' }]) {
      const card = await refresh(people.alex, 'AR-1007', where);
      expect(text(card)).toContain('Access request AR-1007');
      expect(text(card)).toContain('"title":"Approve"');
      expect(card.rtl).toBeUndefined();
    }
    // Hebrew does not ship, but reads right to left around the English words.
    expect((await refresh(people.alex, 'AR-1007', { locale: 'he-IL' })).rtl).toBe(true);
  });

  it('sends a new request to an approver in the language and zone their Teams client last reported', async () => {
    // Adele's Teams runs in French in Tokyo; Alex's in English.
    const met = async (who: Person, where: Where) =>
      expect(
        (await post(bot.server, { ...activities.message(who, 'help', options()), ...where })).status,
      ).toBe(200);
    await met(people.adele, { locale: 'fr-FR', localTimezone: 'Asia/Tokyo' });
    await met(people.alex, { locale: 'en-US', localTimezone: 'UTC' });
    const created = await request(bot.server.url)
      .post('/api/sandbox/requests')
      .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification: 'Langues' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await request(bot.server.url)
      .post('/api/apono/webhook')
      .set('Authorization', `Bearer ${SECRET}`)
      .send({ event_type: 'RequestCreated', data: { id } })
      .expect(202);
    const chatOf = (who: Person) => `/v3/conversations/a:personal-${who.aadObjectId}/activities`;
    const sentTo = (who: Person) =>
      bot.connector.sent().filter((c) => c.path === chatOf(who) && text(c.body).includes(id));
    await waitUntil(bot.server, () => sentTo(people.adele).length > 0 && sentTo(people.alex).length > 0);

    const [toAdele] = sentTo(people.adele);
    const body = toAdele!.body as { summary?: string; attachments: Array<{ content: IAdaptiveCard }> };
    const card = body.attachments[0]!.content;
    expect(cardProblems(card)).toEqual([]);
    // The lead-in goes in `summary` and as the card's first line (messenger.ts).
    expect(body.summary).toBe('Une nouvelle demande d’accès de Megan Bowen attend votre décision.');
    expect(text(card)).toContain(`Demande d’accès ${id}`);
    expect(text(card)).toContain('"title":"Approuver"');
    const shown = await readAs('adelev@example.com', id);
    expect(factsOf(card).get('Demandée le')).toBe(
      formatters('fr-FR', 'Asia/Tokyo').dateTime(shown.createdAt),
    );
    // Tokyo's offset, not UTC's own clock.
    expect(factsOf(card).get('Demandée le')).toMatch(/UTC\+9$/);

    const toAlex = (sentTo(people.alex)[0]!.body as { attachments: Array<{ content: IAdaptiveCard }> })
      .attachments[0]!.content;
    expect(text(toAlex)).toContain(`Access request ${id}`);
  });

  it('shares a copy into a channel in DEFAULT_LOCALE, whatever the sharer reads', async () => {
    const search = { ...activities.search(people.alex, 'AR-1007', options()), locale: 'de-DE' };
    const res = await post(bot.server, search);
    const result = (
      res.body as {
        composeExtension: {
          attachments: Array<{ content: IAdaptiveCard; preview: { content: { text: string } } }>;
        };
      }
    ).composeExtension.attachments[0]!;
    // The card goes to everyone in the channel: English here (DEFAULT_LOCALE unset).
    expect(text(result.content)).toContain('Access request AR-1007');
    // The result list is only the searcher's: German.
    expect(result.preview.content.text).toMatch(/wartet seit/);
  });
});

describe('DEFAULT_LOCALE', () => {
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: ':memory:', ...env });
  it('takes a tag of a shipped language, and refuses one that does not ship', () => {
    expect(load({}).DEFAULT_LOCALE).toBe('en');
    expect(load({ DEFAULT_LOCALE: 'de-DE' }).DEFAULT_LOCALE).toBe('de-DE');
    expect(() => load({ DEFAULT_LOCALE: 'es-ES' })).toThrow(ConfigError);
    expect(() => load({ DEFAULT_LOCALE: 'not a tag' })).toThrow(/DEFAULT_LOCALE/);
    load({}); // the defaults in force again for whatever runs next in this process
  });
});
