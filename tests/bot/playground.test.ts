// End to end through Microsoft's own Teams client stand-in: the Agents Playground (offline) talks to a
// real server in sandbox mode; Chromium drives the Playground's UI like a person would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import type { RunningServer } from '../../api/src/server.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../api/src/test-support/chromium.js';
import { freePort } from '../../api/src/test-support/ports.js';
import { startBotServer } from './support.js';

const root = join(import.meta.dirname, '../..');

async function waitFor(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let server: RunningServer;
let playground: ChildProcess;
let browser: Browser;
let page: Page;
let playgroundUrl: string;

describe.skipIf(!existsSync(chromiumPath))('the bot in the Microsoft 365 Agents Playground', () => {
  beforeAll(async () => {
    server = await startBotServer({ HOST: '127.0.0.1' });
    const port = await freePort();
    playgroundUrl = `http://127.0.0.1:${port}`;
    playground = spawn(
      process.execPath,
      [
        join(root, 'node_modules/@microsoft/m365agentsplayground/cli.js'),
        'start',
        '-e',
        `http://127.0.0.1:${server.port}/api/messages`,
        '-p',
        String(port),
        '--disable-telemetry',
      ],
      { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: 'ignore' },
    );
    await waitFor(playgroundUrl, 20_000);
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (playground && playground.exitCode === null) {
      const exited = new Promise((ok) => playground.once('exit', ok));
      playground.kill('SIGTERM');
      await exited;
    }
    await server?.close();
  });

  it('greets Alex, lists his pending requests, and approves one from its card with a reason', async () => {
    await page.goto(playgroundUrl, { waitUntil: 'networkidle' });
    // The Playground installs the app when it opens: the greeting arrives by itself.
    await page.getByText('Hello! I am Apono Approvals.').first().waitFor({ timeout: 15_000 });

    await page.locator('[role=textbox][contenteditable=true]').first().click();
    await page.keyboard.type('pending');
    await page.keyboard.press('Enter');
    await page
      .getByText(/requests are waiting for your decision/)
      .first()
      .waitFor({ timeout: 15_000 });
    const cards = page.locator('.ac-adaptiveCard').filter({ hasText: /Access request AR-\d+/ });
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(10);

    // The first card that lets Alex choose freely (its flow does not require a reason).
    const first = cards.filter({ hasText: 'Reason (optional)' }).first();
    const id = /Access request (AR-\d+)/.exec((await first.textContent()) ?? '')?.[1];
    expect(id).toBeDefined();
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: `Access request ${id}` })
      .first();
    await card.locator('textarea').fill('Checked with the on-call lead');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();

    await card.getByText('Approved by Alex Wilber').first().waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => (await card.textContent()) ?? '')
      .toContain('Checked with the on-call lead');
    expect(await card.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    expect(await card.locator('textarea').count()).toBe(0);
    await page.screenshot({ path: join(root, 'artifacts/playground-approved.png') }).catch(() => undefined);
  }, 90_000);

  it('delivers a new request to the approver’s personal chat as its own card', async () => {
    await page.getByText('Personal Chat').first().click();
    // As after a Playground reload: the chat the bot remembers is no longer there. The Playground's
    // connector says so, and the bot opens the 1:1 chat again.
    await server.db.query(
      "update teams_users set conversation_id = 'a:gone-after-reload' where conversation_id is not null",
    );
    const created = await request(server.url)
      .post('/api/sandbox/requests')
      .send({
        requesterEmail: 'meganb@example.com',
        flowId: 'flow-prod-db',
        justification: 'Playground: new request',
      })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await page.getByText('New access request from Megan Bowen waits for your decision.').first().waitFor({
      timeout: 20_000,
    });
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: `Access request ${id}` })
      .first();
    await card.getByText('Playground: new request').waitFor({ timeout: 10_000 });
    expect(await card.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(1);

    // The copy is recorded under the ID the Playground's connector gave, so a decision made
    // elsewhere (here: the tab's API) reaches this very message.
    const copies = await server.db.query<{ activity_id: string }>(
      'select activity_id from teams_cards where request_id = $1',
      [id],
    );
    expect(copies).toHaveLength(1);
    expect(copies[0]?.activity_id).toMatch(/\S/);
    const signedIn = await request(server.url)
      .post('/api/sandbox/sign-in')
      .send({ email: 'alexw@example.com' })
      .expect(200);
    await request(server.url)
      .post(`/api/requests/${id}/approve`)
      .set('Authorization', `Bearer ${(signedIn.body as { token: string }).token}`)
      .send({ reason: 'Approved from the tab' })
      .expect(200);
    await card.getByText('Approved by Alex Wilber').first().waitFor({ timeout: 20_000 });
    expect(await card.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
  }, 60_000);

  it('finds a request with the message extension, posts it in a channel, and rejects it there', async () => {
    await page.getByText('General').first().click();
    await page.getByRole('button', { name: 'Trigger Message Extension App' }).first().click();
    await page.getByText('Search Command').click();
    await page.getByPlaceholder('Enter a search term').fill('Lynne');
    await page.keyboard.press('Enter');
    const result = page.getByText(/AR-\d+ · Lynne Robbins/).first();
    await result.waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
      await page.screenshot({ path: join(root, 'artifacts/playground-me-failed.png') });
      throw err;
    });
    const id = /AR-\d+/.exec((await result.textContent()) ?? '')?.[0];
    expect(id).toBeDefined();
    await result.click();
    await page.getByRole('button', { name: 'Post' }).click();

    // Everyone sees a read-only copy; the approver opens their own view from it.
    const card = page
      .locator('.ac-adaptiveCard')
      .filter({ hasText: `Access request ${id}` })
      .first();
    await card.getByRole('button', { name: 'Approve or reject' }).click({ timeout: 15_000 });
    await card
      .getByText('Why you are an approver')
      .waitFor({ timeout: 15_000 })
      .catch(async (err: unknown) => {
        await page.screenshot({ path: join(root, 'artifacts/playground-me-failed.png') });
        throw err;
      });
    await card.locator('textarea').fill('Not for this ticket');
    await card.getByRole('button', { name: 'Reject', exact: true }).click();
    await card.getByText('Rejected by Alex Wilber').first().waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('Not for this ticket');
    await page
      .screenshot({ path: join(root, 'artifacts/playground-channel-rejected.png') })
      .catch(() => undefined);
  }, 90_000);
});
