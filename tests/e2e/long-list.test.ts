// The pending list at 1,200 requests in real Chromium (issue 11, 2): only the rows near the viewport
// are in the DOM, screen readers hear how many there are, the keyboard and the scrollbar reach the
// last one, "Select all" means all of them, and a poll of an unchanged list changes nothing on screen.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, startHarness, type Harness } from './support/app.js';

const alex = 'alexw@example.com';
const extra = 1200;
/** Counts as the tab writes them in English (Intl: "1,227"). */
const n = (count: number) => count.toLocaleString('en-US');

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);
/** The list's own rows (a card holds lists of its own). */
const rows = (page: Page) => page.locator('ul[aria-label="Pending requests"] > li');
/** The list position of the row holding focus, as a screen reader hears it ("51 of 1,228"). */
const focusedPlace = (page: Page) =>
  page.evaluate(() => {
    const row = document.activeElement?.closest('li[aria-posinset]');
    return row ? `${row.getAttribute('aria-posinset')} of ${row.getAttribute('aria-setsize')}` : null;
  });

if (!existsSync(chromiumPath)) {
  console.warn(`Skipping the long-list browser tests: no Chromium at ${chromiumPath}.`);
}

describe.skipIf(!existsSync(chromiumPath))('a pending list of 1,200+ requests in Chromium', () => {
  let h: Harness;
  let pending: ApprovalRequest[];

  beforeAll(async () => {
    h = await startHarness();
    await h.reset();
    const sandbox = h.server.sandbox!.sandbox;
    sandbox.configureWebhook(null); // 1,200 "RequestCreated" cards are the delivery tests' matter
    for (let i = 0; i < extra; i++)
      sandbox.createRequest({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' });
    pending = await h.requestsOf(alex);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('keeps the DOM small, says how many there are, and reaches the last request by keyboard and by scrolling', async () => {
    expect(pending.length).toBeGreaterThan(extra);
    const page = await h.openAs(alex);
    await card(page, pending[0]!.id).waitFor();
    const total = pending.length;
    expect(await page.locator('#pending-heading [aria-label$=" pending"]').getAttribute('aria-label')).toBe(
      `${n(total)} pending`,
    );
    await page.getByText(`Showing all ${n(total)}`).waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(2000);
    const rendered = await rows(page).count();
    expect(rendered).toBeLessThan(30);
    expect(await rows(page).first().getAttribute('aria-setsize')).toBe(String(total));

    // Tab flows on past the rows first rendered: each focused row scrolls into view and renders the next.
    await page.getByRole('checkbox', { name: `Select ${pending[0]!.displayId}` }).focus();
    for (let i = 0; i < 80; i++) await page.keyboard.press('Tab');
    const tabbedTo = Number((await focusedPlace(page))?.split(' ')[0]);
    expect(tabbedTo).toBeGreaterThan(rendered);

    // End goes to the last request, Page Up to the one before, Home back to the first.
    await page.keyboard.press('End');
    await expect.poll(() => focusedPlace(page)).toBe(`${total} of ${total}`);
    await card(page, pending.at(-1)!.id).waitFor();
    await page.keyboard.press('PageUp');
    await expect.poll(() => focusedPlace(page)).toBe(`${total - 1} of ${total}`);
    await card(page, pending.at(-2)!.id).waitFor();
    await page.keyboard.press('Home');
    await expect.poll(() => focusedPlace(page)).toBe(`1 of ${total}`);
    expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(2000);

    // The scrollbar: the bottom of the page shows the last request.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await card(page, pending.at(-1)!.id).waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(2000);
  });

  it('focus moved to a row still loading stays on that row when its request arrives', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Every page after the first is held until released.
    const page = await h.openAs(alex, '/', undefined, async (context) => {
      await context.route(
        (url) => url.pathname === '/api/requests' && Number(url.searchParams.get('offset')) > 0,
        async (route) => {
          await released;
          await route.continue();
        },
      );
    });
    await card(page, pending[0]!.id).waitFor();
    const total = pending.length;
    await page.getByRole('checkbox', { name: `Select ${pending[0]!.displayId}` }).focus();
    await page.keyboard.press('End');
    await expect.poll(() => focusedPlace(page)).toBe(`${total} of ${total}`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-busy'))).toBe('true');
    release();
    await card(page, pending.at(-1)!.id).waitFor();
    await expect
      .poll(() =>
        page.evaluate(() =>
          document.activeElement?.querySelector('[role="article"]')?.getAttribute('data-request-id'),
        ),
      )
      .toBe(pending.at(-1)!.id);
    expect(await focusedPlace(page)).toBe(`${total} of ${total}`);
  });

  it('an unchanged poll changes nothing in the list (304), and a changed one shows the change', async () => {
    // The fake clock stands still unless told: only focus polls here, and a jump of the wall clock
    // shows whether the list rendered again (each card says how long it has waited).
    const page = await h.openAs(alex, '/', undefined, (context) => context.clock.install());
    await card(page, pending[1]!.id).waitFor();
    const waited = () => card(page, pending[1]!.id).textContent();
    const before = await waited();
    await page.clock.setSystemTime(Date.now() + 45 * 60_000);
    const answers: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/requests') answers.push(r.status());
    });
    await page.evaluate(() => {
      const list = document.querySelector('ul[aria-label="Pending requests"]')!;
      const seen = { mutations: 0 };
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver((records) => (seen.mutations += records.length)).observe(list, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    });
    const mutations = () =>
      page.evaluate(() => (window as unknown as { seen: { mutations: number } }).seen.mutations);
    await page.evaluate(() => window.dispatchEvent(new Event('focus'))); // what the 20 s poll does
    await expect.poll(() => answers).toEqual([304]);
    await page.clock.runFor(1000); // every timer and frame a render could wait for
    expect(await mutations()).toBe(0);
    expect(await waited()).toBe(before);

    // Decided in Apono itself: the next poll is a 200, the first card leaves, the rest show the new time.
    expect(await h.decideInApono(alex, pending[0]!.id, 'reject', null)).toBe(200);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await card(page, pending[0]!.id).waitFor({ state: 'detached' });
    expect(answers.at(-1)).toBe(200);
    expect(await mutations()).toBeGreaterThan(0);
    expect(await waited()).not.toBe(before);
    await page.getByText(`Showing all ${n(pending.length - 1)}`).waitFor();
  });

  it('"Select all" selects every request on every page, and a deep link opens one never rendered', async () => {
    const page = await h.openAs(alex);
    await card(page, pending[1]!.id).waitFor();
    const decidable = (await h.requestsOf(alex)).filter((r) => r.viewer.canDecide).length;
    await page.getByRole('button', { name: `Select all ${n(decidable)}` }).click();
    await page.getByText(`${n(decidable)} selected`).waitFor();
    expect(await page.getByRole('button', { name: 'Approve selected' }).isEnabled()).toBe(true);

    const last = pending.at(-1)!;
    const linked = await h.openAs(alex, `/?request=${encodeURIComponent(last.id)}`);
    await linked.getByRole('dialog').getByText(`Request ${last.displayId}`).waitFor();
    expect(await card(linked, last.id).count()).toBe(0);
  });
});
