// What the walk through the tab found (issue 14), each fix seen in real Chromium against the real
// server in sandbox mode: the approver table, the filters on a phone, disabled buttons in high
// contrast, the drawer under axe at 360 px, history "decided by me", AllOf progress and the bulk dialog.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';

const alex = 'alexw@example.com';
const adele = 'adelev@example.com';
const phone = { width: 360, height: 780 };
const desktop = { width: 1280, height: 900 };

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);
const listLoaded = (page: Page) => page.locator('[role="article"]').first().waitFor();
const animation = (page: Page) => page.waitForTimeout(300);

/** Words of the text inside `scope` that the browser broke across two lines ("grou" / "p"). */
function brokenWords(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}

/** How many lines an element's text takes. */
const lineCount = (element: Locator) =>
  element.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set(
      Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .map((r) => Math.round(r.top)),
    ).size;
  });

/** The value of the fact labelled `term` (a <dt> and its <dd>) inside `scope`. */
const fact = (scope: Locator, term: string) =>
  scope.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');

const colorsOf = (element: Locator) =>
  element.evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor, border: style.borderTopColor };
  });

/** Colours once Fluent's colour transition has finished: two reads 150 ms apart agree. */
async function settledColors(element: Locator) {
  let last = await colorsOf(element);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = await colorsOf(element);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

const transparent = 'rgba(0, 0, 0, 0)';

function expectAllDiffer(enabled: Awaited<ReturnType<typeof colorsOf>>, disabled: typeof enabled) {
  expect(enabled.color).not.toBe(disabled.color);
  expect(enabled.background).not.toBe(disabled.background);
  expect(enabled.border).not.toBe(disabled.border);
}

if (!existsSync(chromiumPath)) console.warn(`Skipping the tab walk tests: no Chromium at ${chromiumPath}.`);

describe.skipIf(!existsSync(chromiumPath))('the tab after the walk (issue 14)', () => {
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

  for (const [name, viewport] of [
    ['1280', desktop],
    ['360', phone],
  ] as const) {
    it(`the approvers in the details keep each kind and status word whole at ${name} px`, async () => {
      // AR-1016: a group, a user and a group over three tiers; AR-1005 asks the requester's manager.
      for (const id of ['AR-1016', 'AR-1005', 'AR-1009']) {
        const page = await h.openAs(alex, `/?request=${id}`, viewport);
        const approvers = page.getByRole('dialog').getByLabel('Approvers', { exact: true });
        await approvers.waitFor();
        await animation(page);
        expect(await brokenWords(approvers), id).toEqual([]);
        const badges = approvers.locator('.fui-Badge');
        expect(await badges.count()).toBeGreaterThan(0);
        for (const badge of await badges.all()) expect(await lineCount(badge), id).toBe(1);
        if (id === 'AR-1016') await page.screenshot({ path: join(screenshotDir, `approvers-${name}.png`) });
        await page.context().close();
      }
    });
  }

  it('at 360 px the details drawer passes axe, scrollable regions included', async () => {
    for (const id of ['AR-1019', 'AR-1016']) {
      const page = await h.openAs(alex, `/?request=${id}`, phone);
      await page.getByRole('dialog').getByLabel('Approvers', { exact: true }).waitFor();
      await animation(page);
      expect(await seriousViolations(page), id).toEqual([]);
      await page.context().close();
    }
  });

  it('an AllOf request says who has approved and who is still needed, in the list and the details', async () => {
    const page = await h.openAs(alex);
    await listLoaded(page);
    // AR-1014: Adele approved, Alex's approval is still needed. AR-1013: nobody yet.
    expect(await fact(card(page, 'AR-1014'), 'Approved by').textContent()).toBe('Adele Vance');
    expect(await fact(card(page, 'AR-1014'), 'Still needed').textContent()).toBe('Alex Wilber');
    expect(await fact(card(page, 'AR-1013'), 'Approved by').textContent()).toBe('No one yet');
    expect(await fact(card(page, 'AR-1013'), 'Still needed').textContent()).toBe('Alex Wilber, Adele Vance');
    // AnyOf: one approval is enough, so nothing is "still needed".
    expect(await fact(card(page, 'AR-1001'), 'Still needed').count()).toBe(0);

    // Adele approves AR-1013 meanwhile: the list says so once it refreshes.
    const byAdele = await h.api('POST', '/api/requests/AR-1013/approve', await h.tokenFor(adele), {
      reason: 'Two-person rule, first half',
    });
    expect(byAdele.status).toBe(200);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => fact(card(page, 'AR-1013'), 'Approved by').textContent()).toBe('Adele Vance');
    expect(await fact(card(page, 'AR-1013'), 'Still needed').textContent()).toBe('Alex Wilber');

    await page.getByRole('button', { name: 'Details of AR-1013' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Approvers', { exact: true }).waitFor();
    expect(await fact(drawer, 'Approved by').textContent()).toBe('Adele Vance');
    expect(await fact(drawer, 'Still needed').textContent()).toBe('Alex Wilber');
  });

  it('at 360 px the filters fold behind a Filter button that says how many are in use', async () => {
    const page = await h.openAs(alex, '/', phone);
    await listLoaded(page);
    const toggle = page.getByRole('button', { name: 'Filter', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('searchbox').isVisible()).toBe(false);
    // The first request starts in the upper half of the window, not under 430 px of fields.
    const firstTop = () =>
      page
        .locator('[role="article"]')
        .first()
        .evaluate((el) => el.getBoundingClientRect().top);
    expect(await firstTop()).toBeLessThan(phone.height / 2);
    await page.screenshot({ path: join(screenshotDir, 'filters-folded-360.png') });

    // With the keyboard: open, filter, close; the button keeps the count.
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const panel = page.locator(`[id="${await toggle.getAttribute('aria-controls')}"]`);
    expect(await panel.getByRole('searchbox').isVisible()).toBe(true);
    await page.getByLabel('Requester').selectOption('lynner@example.com');
    await page.getByRole('searchbox').fill('GDPR');
    // The count is on the button and in its description for screen readers.
    await expect.poll(() => toggle.textContent()).toBe('Filter2');
    const describedBy = await toggle.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('2 active');
    // The server narrows the list once the typing stops.
    await expect.poll(() => page.locator('[role="article"]').count()).toBe(1);
    expect(await card(page, 'AR-1020').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    expect(await seriousViolations(page)).toEqual([]);
    await toggle.focus();
    await page.keyboard.press(' ');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('searchbox').isVisible()).toBe(false);
    expect(await page.locator('[role="article"]').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('at 1280 px every filter shows, with no Filter button', async () => {
    const page = await h.openAs(alex, '/', desktop);
    await listLoaded(page);
    expect(await page.getByRole('searchbox').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /^Filter/ }).count()).toBe(0);
  });

  it('in high contrast, a disabled Approve looks like every disabled button, not like an enabled one', async () => {
    const page = await h.openAs(alex, '/?theme=contrast', desktop);
    await listLoaded(page);
    const bulkApprove = page.getByRole('button', { name: 'Approve selected' });
    const bulkReject = page.getByRole('button', { name: 'Reject selected' });
    expect(await bulkApprove.isDisabled()).toBe(true);
    const disabled = await settledColors(bulkReject);
    // Fluent's disabled text and stroke tokens: Teams' high-contrast "disabled" colour.
    expect(disabled.border).not.toBe(transparent);
    expect(disabled.color).toBe(disabled.border);
    expect(await settledColors(bulkApprove)).toEqual(disabled);
    await page.screenshot({
      path: join(screenshotDir, 'contrast-disabled-bulk.png'),
      clip: { x: 0, y: 0, width: desktop.width, height: 260 },
    });
    await page.getByRole('checkbox', { name: 'Select AR-1001' }).check();
    await expect.poll(() => bulkApprove.isEnabled()).toBe(true);
    expectAllDiffer(await settledColors(bulkApprove), disabled);

    // The dialog's Approve where the flow requires a reason: off until one is typed.
    await page.getByRole('button', { name: 'Approve AR-1003' }).click();
    const dialog = page.getByRole('dialog');
    const approve = dialog.getByRole('button', { name: 'Approve', exact: true });
    expect(await approve.isDisabled()).toBe(true);
    expect(await settledColors(approve)).toEqual(disabled);
    await page.screenshot({ path: join(screenshotDir, 'contrast-disabled-approve.png') });
    await dialog.getByRole('textbox').fill('Audit export checked');
    await expect.poll(() => approve.isEnabled()).toBe(true);
    expectAllDiffer(await settledColors(approve), disabled);
  });

  it('the bulk dialog asks for the reason as the rule says, and keeps its buttons on one line at 360 and 600 px', async () => {
    const pending = (await h.requestsOf(alex)).filter(
      (r) => r.viewer.canDecide && r.approval?.relation === 'AnyOf',
    );
    const plain = pending.filter((r) => !r.requireReason).slice(0, 2);
    const required = pending.filter((r) => r.requireReason).slice(0, 2);
    const page = await h.openAs(alex, '/', phone);
    await listLoaded(page);
    const select = async (ids: string[], on: boolean) => {
      for (const id of ids) await page.getByRole('checkbox', { name: `Select ${id}` }).setChecked(on);
    };
    const open = async () => {
      await page.getByRole('button', { name: 'Approve selected' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await animation(page);
      return dialog;
    };
    const close = async (dialog: Locator) => {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    };

    // No request requires a reason: it is optional, and nothing says "please provide" one.
    await select(
      plain.map((r) => r.displayId),
      true,
    );
    let dialog = await open();
    expect(await dialog.getAttribute('aria-labelledby')).toBeTruthy();
    expect(await dialog.textContent()).not.toMatch(/please provide/i);
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).waitFor();
    const submit = dialog.getByRole('button', { name: 'Approve 2 requests' });
    expect(await lineCount(submit)).toBe(1);
    expect(await dialog.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'bulk-dialog-360.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await close(dialog);

    // Some of them require one: said in the label, and which ones in the warning. From 481 px the
    // buttons sit side by side, where the label used to break over two lines.
    await page.setViewportSize({ width: 600, height: phone.height });
    await select([required[0]!.displayId], true);
    dialog = await open();
    await dialog.getByRole('textbox', { name: 'Reason (required for 1 of 3)' }).waitFor();
    expect(await dialog.textContent()).toContain(`requires a reason (${required[0]!.displayId})`);
    expect(await lineCount(dialog.getByRole('button', { name: 'Approve 3 requests' }))).toBe(1);
    await close(dialog);

    // All of them require one: required, and Approve waits for it.
    await select(
      plain.map((r) => r.displayId),
      false,
    );
    await select([required[1]!.displayId], true);
    dialog = await open();
    const reason = dialog.getByRole('textbox', { name: /^Reason \(required\)/ });
    const approveBoth = dialog.getByRole('button', { name: 'Approve 2 requests' });
    expect(await reason.evaluate((el) => (el as HTMLTextAreaElement).required)).toBe(true);
    expect(await approveBoth.isDisabled()).toBe(true);
    await reason.fill('Audit export for finance');
    expect(await approveBoth.isEnabled()).toBe(true);
    await close(dialog);
  });

  it("history shows what I decided by default, everyone's on request, and finds a request by search", async () => {
    // Alex decides AR-1006 here; Adele decides AR-1001 in Apono (both approvers of it).
    const approved = await h.api('POST', '/api/requests/AR-1006/approve', await h.tokenFor(alex), {
      reason: 'History filter check',
    });
    expect(approved.status).toBe(200);
    expect(await h.decideInApono(adele, 'AR-1001', 'approve', null)).toBe(200);
    const history = await h.requestsOf(alex, 'history');
    const mine = history.filter(
      (r) => r.viewer.decided !== null || r.decision?.decidedBy?.email === r.viewer.email,
    );
    const others = history.filter((r) => !mine.includes(r));
    expect(mine.map((r) => r.id)).toContain('AR-1006');
    expect(others.map((r) => r.id)).toContain('AR-1001');

    const page = await h.openAs(alex, '/', phone);
    await listLoaded(page);
    await page.getByRole('tab', { name: 'History' }).click();
    const region = page.getByRole('region', { name: 'Decided requests' });
    const shownIds = () =>
      region
        .locator('[role="article"]')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-request-id')).sort());
    const onlyMine = page.getByRole('switch', { name: 'Decided by me' });
    await region.locator('[data-request-id="AR-1006"]').waitFor();
    expect(await onlyMine.isChecked()).toBe(true);
    expect(await shownIds()).toEqual(mine.map((r) => r.id).sort());
    expect(await region.textContent()).toContain(
      `Showing ${mine.length} decided by you, of ${history.length}`,
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await page.screenshot({ path: join(screenshotDir, 'history-mine-360.png') });
    expect(await seriousViolations(page)).toEqual([]);

    // With the keyboard: everyone's decisions.
    await onlyMine.focus();
    await page.keyboard.press(' ');
    await expect.poll(shownIds).toEqual(history.map((r) => r.id).sort());

    // Search: by requester and resource, then by who decided.
    const search = region.getByRole('searchbox');
    await search.fill('lynne invoices');
    const lynnes = history.filter(
      (r) =>
        r.requester.email === 'lynner@example.com' &&
        r.accessUnits.some((u) => u.resource.includes('invoices')),
    );
    expect(lynnes.length).toBeGreaterThan(0);
    await expect.poll(shownIds).toEqual(lynnes.map((r) => r.id).sort());
    await search.fill('AR-1001');
    await expect.poll(shownIds).toEqual(['AR-1001']);
    // Only mine again: AR-1001 was Adele's, so nothing matches, and the way back is offered.
    await onlyMine.click();
    await region.getByText('No decided request matches').waitFor();
    await region.getByRole('button', { name: 'Show every decision' }).click();
    await expect.poll(shownIds).toEqual(history.map((r) => r.id).sort());
    expect(await onlyMine.isChecked()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
  });

  for (const theme of ['dark', 'contrast'] as const) {
    it(`the folded filters, AllOf progress, approvers and bulk dialog pass axe in the ${theme} theme at 360 px`, async () => {
      const page = await h.openAs(alex, `/?theme=${theme}`, phone);
      await listLoaded(page);
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.getByRole('searchbox').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Details of AR-1014' }).click();
      await page.getByRole('dialog').getByRole('table', { name: 'Approvers' }).waitFor();
      await animation(page);
      await page.screenshot({ path: join(screenshotDir, `allof-details-${theme}-360.png`) });
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('checkbox', { name: 'Select AR-1014' }).check();
      await page.getByRole('button', { name: 'Approve selected' }).click();
      await page
        .getByRole('dialog')
        .getByRole('textbox', { name: /^Reason \(required\)/ })
        .waitFor();
      await animation(page);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
