// The Routing page (issue 10.3) in real Chromium against the real server: only an admin
// (ADMIN_EMAILS) sees it; they pick a channel the bot was added to, add a route and remove it, with
// the keyboard, at desktop and phone widths, and axe finds nothing serious.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';

const CHANNEL = '19:approvals-e2e@thread.tacv2';

describe.skipIf(!existsSync(chromiumPath))('the Routing page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ADMIN_EMAILS: 'pattif@example.com' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('is not there for someone who is not an admin', async () => {
    const page = await h.openAs('alexw@example.com');
    await page.getByRole('tab', { name: 'History' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Routing' }).count()).toBe(0);
    await page.context().close();
  });

  it('says what to do when the bot is in no channel yet', async () => {
    const page = await h.openAs('pattif@example.com');
    await page.getByRole('tab', { name: 'Routing' }).click();
    await page.getByText('The bot is not in any channel yet').waitFor();
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['1280', { width: 1280, height: 900 }],
    ['360', { width: 360, height: 780 }],
  ] as const) {
    it(`lets an admin add and remove a route to a channel the bot is in, at ${name} px`, async () => {
      // The bot is added to a team, as Teams tells it (loopback activities in sandbox mode).
      const joined = await fetch(`${h.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'conversationUpdate',
          id: `join-${name}`,
          channelId: 'msteams',
          serviceUrl: 'http://127.0.0.1:9/',
          from: { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
          recipient: { id: '28:bot', name: 'Apono Approvals' },
          conversation: {
            id: CHANNEL,
            conversationType: 'channel',
            isGroup: true,
            tenantId: '00000000-0000-0000-0000-0000000000001',
          },
          membersAdded: [],
          channelData: {
            tenant: { id: '00000000-0000-0000-0000-0000000000001' },
            team: { id: CHANNEL, name: 'Platform' },
            channel: { id: CHANNEL, name: 'Approvals' },
          },
        }),
      });
      expect(joined.status).toBe(200);

      const page = await h.openAs('pattif@example.com', '/', viewport);
      await page.getByRole('tab', { name: 'Routing' }).click();
      const form = page.getByRole('form', { name: 'Add a route' });
      await form.waitFor();
      await form.getByLabel('Send requests of').selectOption('integration');
      await form.getByLabel('Named').fill(`Production PostgreSQL ${name}`);
      expect(await form.getByLabel('To channel').locator('option').allTextContents()).toEqual([
        'Platform › Approvals',
      ]);
      await form.getByLabel('Named').press('Enter');
      const routes = page.getByRole('list', { name: 'Routes' });
      const row = routes.getByRole('listitem').filter({ hasText: `Production PostgreSQL ${name}` });
      await row.waitFor();
      expect(await row.textContent()).toContain('Platform › Approvals');
      // The confirmation toast fades in: axe reads its colours once it is fully there.
      await page.getByText('Route added.').first().waitFor();
      await page.waitForTimeout(600);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: join(screenshotDir, `routing-${name}.png`) });

      // The same route again is refused, in words next to the field.
      await form.getByLabel('Send requests of').selectOption('integration');
      await form.getByLabel('Named').fill(`Production PostgreSQL ${name}`);
      await form.getByRole('button', { name: 'Add route' }).click();
      await page.getByText('That route exists already.').waitFor();

      await row
        .getByRole('button', {
          name: new RegExp(`Remove the route for integration Production PostgreSQL ${name}`),
        })
        .click();
      await row.waitFor({ state: 'detached' });
      await page.context().close();
    });
  }
});
