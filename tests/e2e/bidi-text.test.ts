// Bidirectional text in real Chromium: a right-to-left override someone typed into Apono
// ("photo‹RLO›gnp.exe", drawn "photoexe.png" when left in) is drawn in the order it was typed, and
// each run a person typed or named takes its own direction (<bdi>, dir="auto") without reordering
// the tab's words around it. Checked by where the browser draws each character, not only by the string.
import { hasBidiControls } from '@apono-teams/domain/display-text.js';
import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, startHarness, type Harness } from './support/app.js';

const alex = 'alexw@example.com';
const megan = 'meganb@example.com';
const RLO = '\u202E';

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);

/**
 * The left edge, in CSS pixels, of where each character is drawn, by its index in the element's
 * textContent (a one-character Range over the text node that holds it).
 */
function drawnLeft(element: Locator, indexes: number[]): Promise<number[]> {
  return element.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
    return wanted.map((index) => {
      let offset = index;
      for (const text of texts) {
        if (offset < text.length) {
          const range = document.createRange();
          range.setStart(text, offset);
          range.setEnd(text, offset + 1);
          return range.getBoundingClientRect().left;
        }
        offset -= text.length;
      }
      throw new Error(`no character ${index} in "${root.textContent}"`);
    });
  }, indexes);
}

/** Where "p…gnp.exe" is drawn: the first letter, the "g" and the "." before "exe", left to right or not. */
async function fileNameOrder(element: Locator, name: string) {
  const text = (await element.textContent()) ?? '';
  const [first, g, dot] = await drawnLeft(element, [
    text.indexOf(name.charAt(0)),
    text.indexOf('gnp') >= 0 ? text.indexOf('gnp') : text.indexOf('fdp'),
    text.lastIndexOf('.exe'),
  ]);
  return { text, first: first!, g: g!, dot: dot! };
}

/** The element that isolates the text node holding `run`: its tag and dir, or null when none does. */
function isolation(scope: Locator, run: string): Promise<{ tag: string; dir: string | null } | null> {
  return scope.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.includes(wanted)) continue;
      const isolating = node.parentElement?.closest('bdi, [dir="auto"]');
      return isolating ? { tag: isolating.tagName.toLowerCase(), dir: isolating.getAttribute('dir') } : null;
    }
    throw new Error(`"${wanted}" is not shown`);
  }, run);
}

if (!existsSync(chromiumPath)) {
  console.warn(`Skipping the bidi browser tests: no Chromium at ${chromiumPath}.`);
}

describe.skipIf(!existsSync(chromiumPath))('bidirectional text in the tab', () => {
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

  async function newRequest(justification: string): Promise<string> {
    const created = await h.api<{ id: string }>('POST', '/api/sandbox/requests', undefined, {
      requesterEmail: megan,
      flowId: 'flow-prod-db',
      resources: ['orders'],
      justification,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('draws a justification with a right-to-left override in the order it was typed', async () => {
    const id = await newRequest(`Invoice photo${RLO}gnp.exe attached`);
    const page = await h.openAs(alex);
    const justification = card(page, id).getByTestId('justification');
    await justification.waitFor();

    const list = await fileNameOrder(justification, 'photo');
    expect(list.text).toBe('Invoice photognp.exe attached');
    // Left in, the override would draw "gnp.exe" backwards: its "g" right of the ".".
    expect(list.first).toBeLessThan(list.g);
    expect(list.g).toBeLessThan(list.dot);
    expect(await justification.getAttribute('dir')).toBe('auto');
    expect(hasBidiControls(await card(page, id).textContent())).toBe(false);
    // The requester's name and email are runs of their own inside the card's words.
    expect(await isolation(card(page, id), 'Megan Bowen')).toEqual({ tag: 'bdi', dir: null });
    expect(await isolation(card(page, id), megan)).toEqual({ tag: 'bdi', dir: null });
    expect(await isolation(card(page, id), 'orders')).toEqual({ tag: 'bdi', dir: null });

    // The details drawer draws it the same way.
    await page.getByRole('button', { name: `Details of ${id}` }).click();
    const full = page.getByTestId('full-justification');
    await full.waitFor();
    const details = await fileNameOrder(full, 'photo');
    expect(details.text).toBe('Invoice photognp.exe attached');
    expect(details.first).toBeLessThan(details.g);
    expect(details.g).toBeLessThan(details.dot);
    expect(await full.getAttribute('dir')).toBe('auto');
    const drawer = page.getByRole('dialog');
    expect(await isolation(drawer, 'Megan Bowen')).toEqual({ tag: 'bdi', dir: null });
    expect(hasBidiControls(await drawer.textContent())).toBe(false);
  });

  it('lets a right-to-left justification take its own direction', async () => {
    const id = await newRequest('שלום INC-2231');
    const page = await h.openAs(alex);
    const justification = card(page, id).getByTestId('justification');
    await justification.waitFor();
    const text = (await justification.textContent()) ?? '';
    const [shin, ticket] = await drawnLeft(justification, [text.indexOf('ש'), text.indexOf('INC')]);
    // A Hebrew paragraph reads right to left: its first word on the right, the ticket on its left.
    // Drawn in the tab's left-to-right direction instead, the Hebrew word would come first, on the left.
    expect(ticket!).toBeLessThan(shin!);
  });

  it('the reason dialog and the history draw names and reasons as isolated runs, in typed order', async () => {
    const id = await newRequest('Month-end close');
    const page = await h.openAs(alex);
    await card(page, id).waitFor();
    await page.getByRole('button', { name: `Approve ${id}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').waitFor();
    expect(await isolation(dialog, 'Megan Bowen')).toEqual({ tag: 'bdi', dir: null });
    expect(await isolation(dialog, id)).toEqual({ tag: 'bdi', dir: null });
    await dialog.getByRole('textbox').fill(`ok${RLO}fdp.exe`);
    await dialog.getByRole('textbox').press('Enter');
    await card(page, id).waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'History' }).click();
    const decided = page
      .getByRole('region', { name: 'Decided requests' })
      .locator(`[data-request-id="${id}"]`);
    await decided.waitFor();
    const reason = decided.locator('dd').filter({ hasText: 'fdp' });
    const drawn = await fileNameOrder(reason, 'ok');
    expect(drawn.text).toBe('okfdp.exe');
    expect(drawn.first).toBeLessThan(drawn.g);
    expect(drawn.g).toBeLessThan(drawn.dot);
    expect(await isolation(decided, 'okfdp.exe')).toEqual({ tag: 'bdi', dir: null });
    expect(await isolation(decided, 'Alex Wilber')).toEqual({ tag: 'bdi', dir: null });
    expect(hasBidiControls(await decided.textContent())).toBe(false);
  });
});
