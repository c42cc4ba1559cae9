// The pending list's own states in real Chromium against the real server: nothing to approve, the
// placeholders while the list loads, and the list kept current without a reload (the 20 s poll,
// window focus, the tab coming back into view).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';

const alex = 'alexw@example.com';
const adele = 'adelev@example.com';
const megan = 'meganb@example.com';
const patti = 'pattif@example.com';

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);
const cards = (page: Page) => page.locator('[role="article"]');
const listLoaded = (page: Page) => cards(page).first().waitFor();
/** The count beside "Waiting for your decision". */
const headingCount = (page: Page) => page.locator('#pending-heading [aria-label$=" pending"]');
/** The count on the Pending tab in the header (shown only when something waits). */
const tabCount = (page: Page) => page.getByRole('tab', { name: /Pending/ });
const placeholders = (page: Page) => page.getByRole('progressbar', { name: 'Loading requests' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the tab's reads of the pending list (GET /api/requests, not details or history). */
function countListReads(context: BrowserContext): () => number {
  let reads = 0;
  context.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname === '/api/requests') reads++;
  });
  return () => reads;
}

/** Holds every GET /api/requests until `release()` (the list is "slow" for as long as we like). */
async function holdListReads(context: BrowserContext) {
  let release!: () => void;
  let released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await context.route(
    (url) => url.pathname === '/api/requests',
    async (route: Route) => {
      held++;
      await released;
      await route.continue();
    },
  );
  return {
    held: () => held,
    release: () => release(),
    /** Hold the following reads again. */
    rearm: () => {
      released = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

if (!existsSync(chromiumPath)) {
  console.warn(`Skipping the pending-list browser tests: no Chromium at ${chromiumPath}.`);
}

describe.skipIf(!existsSync(chromiumPath))('the pending list in Chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  const pendingFor = (email: string) => h.requestsOf(email);

  for (const [email, name] of [
    [patti, 'Patti (approver of nothing)'],
    [megan, 'Megan (a requester only)'],
  ] as const) {
    it(`${name} sees that there is nothing to approve, with a count of 0 and no placeholders left`, async () => {
      expect(await pendingFor(email)).toEqual([]);
      const page = await h.openAs(email);
      const empty = page.getByRole('status').filter({ hasText: 'Nothing to approve' });
      await empty.waitFor();
      expect(await empty.textContent()).toContain(
        'New requests that need your decision appear here automatically.',
      );
      expect(await headingCount(page).getAttribute('aria-label')).toBe('0 pending');
      expect((await headingCount(page).textContent())?.trim()).toBe('0');
      // The header's Pending tab carries no number when nothing waits.
      expect((await tabCount(page).textContent())?.trim()).toBe('Pending');
      expect(await placeholders(page).count()).toBe(0);
      expect(await page.locator('[aria-busy="true"]').count()).toBe(0);
      // Nothing of the list's furniture, and no failure dressed up as "nothing".
      expect(await cards(page).count()).toBe(0);
      expect(await page.getByLabel('Sort').count()).toBe(0);
      expect(await page.getByRole('group', { name: 'Selected requests' }).count()).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      if (email === patti) await page.screenshot({ path: join(screenshotDir, 'pending-empty.png') });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('shows busy placeholders while the list is slow, replaces them with the list, and keeps the list during a refresh', async () => {
    let hold!: Awaited<ReturnType<typeof holdListReads>>;
    const page = await h.openAs(alex, '/', undefined, async (context) => {
      hold = await holdListReads(context);
    });
    await expect.poll(() => hold.held()).toBe(1);
    const skeleton = placeholders(page);
    await skeleton.waitFor();
    expect(await skeleton.getAttribute('aria-busy')).toBe('true');
    expect(await skeleton.isVisible()).toBe(true);
    expect((await skeleton.boundingBox())?.height).toBeGreaterThan(100);
    // Loading is not "nothing to approve", and no count is claimed before the list is known.
    expect(await page.getByText('Nothing to approve').count()).toBe(0);
    expect(await headingCount(page).count()).toBe(0);
    expect(await cards(page).count()).toBe(0);
    // Still there a moment later: it is the wait for the list that shows them, not a flash.
    await pause(700);
    expect(await skeleton.isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'pending-loading.png') });
    expect(await seriousViolations(page)).toEqual([]);

    hold.release();
    await listLoaded(page);
    await skeleton.waitFor({ state: 'detached' });
    expect(await page.locator('[aria-busy="true"]').count()).toBe(0);
    const count = (await pendingFor(alex)).length;
    expect(await cards(page).count()).toBe(count);
    expect(await headingCount(page).getAttribute('aria-label')).toBe(`${count} pending`);

    // A background refresh (here on window focus) that is slow keeps the list on screen.
    hold.rearm();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => hold.held()).toBe(2);
    await pause(300);
    expect(await placeholders(page).count()).toBe(0);
    expect(await cards(page).count()).toBe(count);
    hold.release();
  });

  it('with Apono itself slow (sandbox latency), the placeholders show until the list arrives', async () => {
    await h.api('POST', '/api/sandbox/faults', undefined, { latencyMs: 1500 });
    try {
      const page = await h.openAs(alex);
      const skeleton = placeholders(page);
      await skeleton.waitFor();
      expect(await skeleton.getAttribute('aria-busy')).toBe('true');
      expect(await cards(page).count()).toBe(0);
      await listLoaded(page);
      expect(await placeholders(page).count()).toBe(0);
    } finally {
      await h.api('DELETE', '/api/sandbox/faults');
    }
  });

  it('every 20 s, a new request arrives and a request decided elsewhere leaves, without a reload', async () => {
    let reads!: () => number;
    const page = await h.openAs(alex, '/', undefined, async (context) => {
      await context.clock.install();
      reads = countListReads(context);
    });
    await listLoaded(page);
    const before = await pendingFor(alex);
    expect(await cards(page).count()).toBe(before.length);
    expect(reads()).toBe(1);
    let loads = 0;
    page.on('load', () => loads++);

    const created = await h.api<{ id: string }>('POST', '/api/sandbox/requests', undefined, {
      requesterEmail: megan,
      flowId: 'flow-prod-db',
      resources: ['orders'],
      justification: 'Backfill the orders table after INC-2300',
    });
    expect(created.status).toBe(201);
    const newId = created.body.id;
    expect((await pendingFor(alex)).map((r) => r.id)).toContain(newId);

    // Ten seconds on: not yet polled, so nothing else refreshes the list.
    await page.clock.fastForward('00:10');
    await pause(500);
    expect(reads()).toBe(1);
    expect(await card(page, newId).count()).toBe(0);

    // Past 20 s: the poll brings the new request, and both counts follow.
    await page.clock.fastForward('00:11');
    await card(page, newId).waitFor();
    expect(reads()).toBe(2);
    const text = (await card(page, newId).textContent()) ?? '';
    expect(text).toContain('Megan Bowen');
    expect(text).toContain('orders');
    expect(text).toContain('Backfill the orders table after INC-2300');
    expect(await cards(page).count()).toBe(before.length + 1);
    expect(await headingCount(page).getAttribute('aria-label')).toBe(`${before.length + 1} pending`);
    expect(await tabCount(page).textContent()).toContain(String(before.length + 1));

    // Alex selects AR-1001; Adele approves it elsewhere (AnyOf: one approval is enough).
    const shared = (await pendingFor(adele)).find((r) => r.id === 'AR-1001');
    expect(shared?.viewer.canDecide).toBe(true);
    expect(before.find((r) => r.id === 'AR-1001')?.approval?.relation).toBe('AnyOf');
    await page.getByRole('checkbox', { name: 'Select AR-1001' }).check();
    await page.getByText('1 selected').waitFor();
    const approved = await h.api('POST', '/api/requests/AR-1001/approve', await h.tokenFor(adele), {
      reason: 'Approved by Adele from a card',
    });
    expect(approved.status).toBe(200);
    expect(await card(page, 'AR-1001').count()).toBe(1);

    await page.clock.fastForward('00:21');
    await card(page, 'AR-1001').waitFor({ state: 'detached' });
    expect(reads()).toBe(3);
    expect(await cards(page).count()).toBe(before.length);
    expect(await headingCount(page).getAttribute('aria-label')).toBe(`${before.length} pending`);
    expect(await tabCount(page).textContent()).toContain(String(before.length));
    // Its selection went with it: nothing is left to decide in bulk by mistake.
    await page.getByText('0 selected').waitFor();
    expect(await page.getByRole('button', { name: 'Approve selected' }).isDisabled()).toBe(true);
    expect(loads).toBe(0);
  });

  it('the last request decided elsewhere leaves the empty state on the next poll, and a new one replaces it', async () => {
    const alexPage = await h.openAs(alex, '/', undefined, (context) => context.clock.install());
    await listLoaded(alexPage);
    const token = await h.tokenFor(alex);
    for (const r of await pendingFor(alex)) {
      const { status } = await h.api('POST', `/api/requests/${r.id}/approve`, token, {
        reason: 'Cleared from the queue',
      });
      // AllOf requests stay pending for the other approvers, but leave Alex's list once he approved.
      expect(status, r.id).toBe(200);
    }
    expect(await pendingFor(alex)).toEqual([]);
    await alexPage.clock.fastForward('00:21');
    await alexPage.getByRole('status').filter({ hasText: 'Nothing to approve' }).waitFor();
    expect(await cards(alexPage).count()).toBe(0);
    expect(await headingCount(alexPage).getAttribute('aria-label')).toBe('0 pending');
    expect((await tabCount(alexPage).textContent())?.trim()).toBe('Pending');

    // "New requests that need your decision appear here automatically": one does, on the next poll.
    const created = await h.api<{ id: string }>('POST', '/api/sandbox/requests', undefined, {
      requesterEmail: megan,
      flowId: 'flow-prod-db',
      resources: ['orders'],
      justification: 'After the queue was cleared',
    });
    await alexPage.clock.fastForward('00:21');
    await card(alexPage, created.body.id).waitFor();
    expect(await alexPage.getByText('Nothing to approve').count()).toBe(0);
    expect(await headingCount(alexPage).getAttribute('aria-label')).toBe('1 pending');
    expect(await tabCount(alexPage).textContent()).toContain('1');
    expect(await alexPage.getByLabel('Sort').count()).toBe(1);
  });

  it('a list of one page that grows past it on a poll keeps the focus on the same button, and only then loads the virtualizer', async () => {
    const sandbox = h.server.sandbox!.sandbox;
    sandbox.configureWebhook(null); // the cards of these requests are the delivery tests' matter
    const onePage = 50;
    for (let n = (await pendingFor(alex)).length; n < onePage; n++)
      sandbox.createRequest({ requesterEmail: megan, flowId: 'flow-prod-db' });
    const page = await h.openAs(alex);
    await listLoaded(page);
    const rows = page.locator('ul[aria-label="Pending requests"] > li');
    const virtualizerFetched = () =>
      page.evaluate(() =>
        performance.getEntriesByType('resource').some((e) => e.name.includes('/virtualizer-')),
      );
    // One page: every request rendered, one under the other, and no virtualizer fetched.
    await page.getByText(`Showing all ${onePage}`).waitFor();
    expect(await rows.count()).toBe(onePage);
    expect(await virtualizerFetched()).toBe(false);

    // The focus on a card's Approve, marked so that a new element in its place would show.
    await page.getByRole('button', { name: 'Approve AR-1001' }).focus();
    await page.evaluate(() => ((document.activeElement as HTMLElement).dataset.marked = 'yes'));
    for (let i = 0; i < 5; i++) sandbox.createRequest({ requesterEmail: megan, flowId: 'flow-prod-db' });
    await page.evaluate(() => window.dispatchEvent(new Event('focus'))); // what the 20 s poll does
    await page.getByText(`Showing all ${onePage + 5}`).waitFor();

    // Now longer than a page: the virtualizer came, only the rows near the viewport are rendered,
    // and the focus never moved: the same element, still the one holding it.
    await expect.poll(virtualizerFetched).toBe(true);
    await expect.poll(() => rows.count()).toBeLessThan(onePage);
    expect(await rows.first().getAttribute('aria-setsize')).toBe(String(onePage + 5));
    expect(
      await page.evaluate(() => [
        document.activeElement?.getAttribute('aria-label'),
        (document.activeElement as HTMLElement | null)?.dataset.marked,
      ]),
    ).toEqual(['Approve AR-1001', 'yes']);
    // The keyboard still moves a request at a time, and End reaches the last.
    await page.keyboard.press('End');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-posinset')))
      .toBe(String(onePage + 5));
  });

  it('refreshes when the window regains focus, and when the tab comes back into view, but not while hidden', async () => {
    let reads!: () => number;
    // The fake clock stands still unless told, so only focus and visibility can refresh here.
    const page = await h.openAs(alex, '/', undefined, async (context) => {
      await context.clock.install();
      reads = countListReads(context);
    });
    await listLoaded(page);
    expect(reads()).toBe(1);

    const first = await h.api<{ id: string }>('POST', '/api/sandbox/requests', undefined, {
      requesterEmail: megan,
      flowId: 'flow-prod-db',
      resources: ['orders'],
      justification: 'Arrives on focus',
    });
    await pause(500);
    expect(await card(page, first.body.id).count()).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await card(page, first.body.id).waitFor();
    expect(reads()).toBe(2);

    // Hidden (another Teams app in front): the poll skips its turn.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const second = await h.api<{ id: string }>('POST', '/api/sandbox/requests', undefined, {
      requesterEmail: megan,
      flowId: 'flow-prod-db',
      resources: ['orders'],
      justification: 'Arrives when the tab is shown again',
    });
    await page.clock.fastForward('00:45');
    await pause(500);
    expect(reads()).toBe(2);
    expect(await card(page, second.body.id).count()).toBe(0);

    // Shown again: refreshed at once, without waiting for the next poll.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await card(page, second.body.id).waitFor();
    expect(reads()).toBe(3);
  });
});
