// The tab against Apono as it really answers: requests known by Apono's internal IDs (the sandbox's
// SANDBOX_REQUEST_IDS=internal), and statuses this app does not know.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';

const alex = 'alexw@example.com';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);
const listLoaded = (page: Page) => page.locator('[role="article"]').first().waitFor();

if (!existsSync(chromiumPath)) {
  console.warn(`Skipping the real-Apono browser tests: no Chromium at ${chromiumPath}.`);
}

describe.skipIf(!existsSync(chromiumPath))('the tab when Apono names requests by internal ID', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ SANDBOX_REQUEST_IDS: 'internal' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  it('shows each request under the ID people know, and decides it by the ID Apono takes', async () => {
    const pending = await h.requestsOf(alex);
    expect(pending.length).toBeGreaterThan(0);
    for (const r of pending) expect(r.id).toMatch(uuid);
    const page = await h.openAs(alex);
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') sent.push(new URL(r.url()).pathname);
    });
    await listLoaded(page);
    for (const r of pending) {
      await expect.poll(() => card(page, r.id).getByRole('heading').textContent()).toBe(r.displayId);
    }

    const target = pending.find((r) => r.viewer.canDecide && !r.requireReason)!;
    await page.getByRole('button', { name: `Approve ${target.displayId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Please provide a reason for approval' });
    expect(await dialog.textContent()).toContain(target.displayId);
    await dialog.getByRole('textbox').fill('Checked with the on-call');
    await dialog.getByRole('textbox').press('Enter');
    await page.getByText(`Approved ${target.displayId}`).first().waitFor();
    await card(page, target.id).waitFor({ state: 'detached' });
    expect(sent).toEqual([`/api/requests/${target.id}/approve`]);
    const decided = (await h.requestsOf(alex, 'history')).find((r) => r.id === target.id);
    expect(decided?.decision).toMatchObject({ source: 'app', reason: 'Checked with the on-call' });

    // Opened by the ID in the address (as a Teams deep link carries it), titled by the known one.
    const other = pending.find((r) => r.id !== target.id)!;
    const details = await h.openAs(alex, `/?request=${encodeURIComponent(other.id)}`);
    await details.getByRole('dialog').getByText(`Request ${other.displayId}`).waitFor();
  });

  it('fits a 360 px wide window with IDs as long as a UUID', async () => {
    const page = await h.openAs(alex, '/', { width: 360, height: 780 });
    await listLoaded(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(screenshotDir, 'pending-360-internal-ids.png') });
    const [first] = await h.requestsOf(alex);
    await page.getByRole('button', { name: `Details of ${first!.displayId}` }).click();
    await page.getByRole('dialog').getByRole('table', { name: 'Approvers' }).waitFor();
    await page.waitForTimeout(300); // the drawer's opening animation
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(screenshotDir, 'details-360-internal-ids.png') });
  });
});

describe.skipIf(!existsSync(chromiumPath))('the tab and statuses it does not know', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Apono reporting a status this app has no word for: the server passes it on verbatim. */
  const unknownStatus = (r: ApprovalRequest): ApprovalRequest => ({
    ...r,
    status: 'AwaitingReview',
    state: 'unknown',
    statusLabel: 'AwaitingReview',
  });

  it('shows a status Apono reports but this app does not know as Apono wrote it, in the list, details and history', async () => {
    const [first] = await h.requestsOf(alex);
    const [decided] = await h.requestsOf(alex, 'history');
    const page = await h.openAs(alex, '/', undefined, async (context) => {
      const rewrite = (pattern: (url: URL) => boolean, change: (body: never) => unknown) =>
        context.route(pattern, async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, json: change((await response.json()) as never) });
        });
      await rewrite(
        (url) => url.pathname === '/api/requests',
        (body: { requests: ApprovalRequest[] }) => ({
          ...body, // a page also says total, matched, nextCursor...
          requests: body.requests.map((r) => (r.id === first!.id ? unknownStatus(r) : r)),
        }),
      );
      await rewrite(
        (url) => url.pathname === '/api/requests/history',
        (body: { requests: ApprovalRequest[] }) => ({
          ...body,
          requests: body.requests.map((r) => (r.id === decided!.id ? unknownStatus(r) : r)),
        }),
      );
      await rewrite(
        (url) => url.pathname === `/api/requests/${first!.id}`,
        (body: { request: ApprovalRequest }) => ({ ...body, request: unknownStatus(body.request) }),
      );
    });
    await listLoaded(page);
    expect(await card(page, first!.id).textContent()).toContain('AwaitingReview');

    await page.getByRole('button', { name: `Details of ${first!.displayId}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('AwaitingReview').waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'History' }).click();
    // Decided by Adele, not Alex: History shows only Alex's own decisions until asked for everyone's.
    await page.getByRole('switch', { name: 'Decided by me' }).click();
    const history = page.getByRole('region', { name: 'Decided requests' });
    await history.locator(`[data-request-id="${decided!.id}"]`).getByText('AwaitingReview').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'history-unknown-status.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
