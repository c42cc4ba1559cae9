// A sentence the server makes for one case reads in the reader's language: the API answers with
// its English `message` and the same sentence as a catalogue message in `details.message`, which
// renders in every shipped language, names and emails kept as parameters.
import { messageOfError } from '@apono-teams/domain/errors.js';
import { formatters, LANGUAGES } from '@apono-teams/domain/locale.js';
import { renderMessage } from '@apono-teams/domain/message.js';
import { createTranslator } from '@apono-teams/domain/i18n.js';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/server.js';

const i18n = createTranslator(readCatalogues());
const say = (details: unknown, language: (typeof LANGUAGES)[number]) =>
  renderMessage(messageOfError(details)!, i18n.getFixedT(language, 'common'), formatters(language));

describe('a refusal made for its case, in every language', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ APP_MODE: 'sandbox', ADMIN_EMAILS: 'alexw@example.com' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a pasted token of someone else: English for API clients, German and Arabic for people', async () => {
    const adele = await server.signIn('adelev@example.com');
    const res = await server.call('PUT', '/api/connection', adele, { token: 'apono-sandbox-alexw' });
    expect(res.status).toBe(403);
    const { error } = res.body as { error: { code: string; message: string; details: unknown } };
    expect(error.code).toBe('apono_account_mismatch');
    expect(error.message).toContain("This Apono account is Alex Wilber's (alexw@example.com)");
    expect(say(error.details, 'de')).toContain('Dieses Apono-Konto gehört Alex Wilber (alexw@example.com)');
    expect(say(error.details, 'de')).toContain('in Teams als adelev@example.com angemeldet');
    expect(say(error.details, 'ar')).toContain('حساب Apono هذا يخص Alex Wilber');
  });

  it('a routing refusal on the admin page', async () => {
    const alex = await server.signIn('alexw@example.com');
    const res = await server.call('POST', '/api/admin/routes', alex, {
      match: 'flow',
      value: 'prod-db',
      conversationId: '19:nowhere@thread.tacv2',
    });
    expect(res.status).toBe(400);
    const { error } = res.body as { error: { message: string; details: unknown } };
    expect(error.message).toBe('The bot is not in that channel. Add Apono Approvals to the team first.');
    for (const language of LANGUAGES.filter((l) => l !== 'en'))
      expect(say(error.details, language), language).not.toBe(error.message);
    expect(say(error.details, 'ja')).toBe(
      'ボットはそのチャネルにいません。先に Apono Approvals をチームに追加してください。',
    );
  });
});
