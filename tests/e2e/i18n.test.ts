// The tab in the reader's language, in real Chromium against the sandbox: German from Teams'
// context.app.locale (de-DE) with German dates, durations and numbers in the browser's own time
// zone; Arabic (ar-SA) right to left, mirrored, and accessible; ?locale= over Teams and the
// browser; a language that does not ship falls back to English.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { formatters } from '@apono-teams/domain/locale.js';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';
import { fakeTeamsPage, fakeTeamsUrl, routeFakeTeams, tabOrigin } from './support/teams-host.js';

const alex = 'alexw@example.com';
const catalogues = readCatalogues();
type Words = Record<string, Record<string, string>>;
const words = (language: 'de' | 'ar' | 'en') => catalogues[language].tab as Words;
const box = async (locator: Locator) => (await locator.boundingBox())!;

describe.skipIf(!existsSync(chromiumPath))('the tab in the reader’s language', () => {
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

  /** The tab framed by the fake Teams client, which reports `locale` as context.app.locale. */
  async function inTeams(
    locale: string,
    timezoneId: string,
    viewport = { width: 1100, height: 900 },
  ): Promise<{ page: Page; tab: FrameLocator }> {
    // The browser itself says English: the language must come from Teams.
    const context = await h.newContext(viewport, { locale: 'en-US', timezoneId });
    const html = fakeTeamsPage({
      tabUrl: `${tabOrigin}/`,
      token: await h.tokenFor(alex),
      theme: 'default',
      locale,
    });
    await routeFakeTeams(context, h.url, html);
    const page = await context.newPage();
    await page.goto(fakeTeamsUrl);
    return { page, tab: page.frameLocator('#tab') };
  }

  const htmlOf = (tab: FrameLocator) =>
    tab.locator('html').evaluate((el) => ({ lang: el.getAttribute('lang'), dir: el.getAttribute('dir') }));

  it('reads German from Teams’ de-DE, with German dates, durations and numbers in the browser’s zone', async () => {
    const pending: ApprovalRequest[] = await h.requestsOf(alex);
    const { page, tab } = await inTeams('de-DE', 'Europe/Berlin');
    const de = words('de');
    await tab.getByRole('heading', { name: de.page!.heading! }).waitFor();
    expect(await htmlOf(tab)).toEqual({ lang: 'de-DE', dir: 'ltr' });
    await tab.getByRole('tab', { name: de.shell!.history }).waitFor();
    await tab.locator('[role="article"]').first().waitFor();

    const f = formatters('de-DE', 'Europe/Berlin');
    const first = tab.locator('[role="article"]').first();
    const request = pending[0]!;
    await first.getByRole('button', { name: `${request.displayId} genehmigen` }).waitFor();
    expect(await first.getByRole('button', { name: 'Genehmigen', exact: true }).count()).toBe(0);
    const text = (await first.textContent()) ?? '';
    expect(text).toContain('Genehmigen');
    expect(text).toContain('Ablehnen');
    expect(text).toContain('Anfragende Person');
    expect(text).toContain(f.duration(request.durationSeconds) ?? 'Kein Enddatum');
    // Every card's duration in German units ("1 Stunde", "2 Stunden", "1 Tag, 4 Stunden").
    const durations = pending.map((r) => f.duration(r.durationSeconds)).filter((d): d is string => !!d);
    expect(durations.some((d) => /\d Stunden?/.test(d))).toBe(true);
    const all = (await tab.locator('main').textContent()) ?? '';
    for (const d of durations) expect(all).toContain(d);
    expect(all).not.toContain(' hours');
    expect(all).toContain(`Alle ${f.count(pending.length)} werden angezeigt, älteste zuerst`);

    // The details drawer: when it was requested, in German, in Berlin's time (not GMT).
    await first.getByRole('button', { name: `Details zu ${request.displayId}` }).click();
    const drawer = tab.getByRole('dialog');
    await drawer.getByText('Übersicht').waitFor();
    const requested = f.dateTime(request.createdAt);
    expect(requested).toMatch(/MEZ|MESZ/);
    expect((await drawer.textContent()) ?? '').toContain(requested);
    await page.screenshot({ path: join(screenshotDir, 'i18n-de-DE-details.png') });
  });

  it('renders Arabic right to left from Teams’ ar-SA: mirrored, Arabic words and digits, and accessible', async () => {
    const pending = await h.requestsOf(alex);
    const { page, tab } = await inTeams('ar-SA', 'Asia/Riyadh');
    const ar = words('ar');
    await tab.getByRole('heading', { name: ar.page!.heading! }).waitFor();
    expect(await htmlOf(tab)).toEqual({ lang: 'ar-SA', dir: 'rtl' });
    // Fluent's provider writes the direction for its own components (and the portal of dialogs).
    expect(await tab.locator('.fui-FluentProvider').first().getAttribute('dir')).toBe('rtl');
    const first = tab.locator('[role="article"]').first();
    await first.waitFor();
    const request = pending[0]!;
    const f = formatters('ar-SA', 'Asia/Riyadh');
    // Arabic-Indic digits in counts: "عرض الكل (٢٥)، الأقدم أولًا".
    expect(f.count(pending.length)).toMatch(/^[٠-٩]+$/);
    expect((await tab.locator('main').textContent()) ?? '').toContain(`(${f.count(pending.length)})`);
    // The count badge beside the heading too (Fluent's CounterBadge alone writes Latin digits).
    expect(await tab.locator('#pending-heading .fui-CounterBadge').textContent()).toBe(
      f.count(pending.length),
    );
    // And the one on the Pending view tab.
    expect(
      await tab.getByRole('tab', { name: /.+/ }).first().locator('.fui-CounterBadge').textContent(),
    ).toBe(f.count(pending.length));

    // Mirrored: the card reads from the right. The checkbox is right of the ID, the title sits in the
    // card's right half, and Approve comes first from the right, so Reject and Details are left of it.
    const cardBox = await box(first);
    const title = await box(first.getByRole('heading', { level: 3 }));
    const check = await box(first.getByRole('checkbox'));
    const approve = await box(first.getByRole('button', { name: `الموافقة على ${request.displayId}` }));
    const reject = await box(first.getByRole('button', { name: `رفض ${request.displayId}` }));
    const details = await box(first.getByRole('button', { name: `تفاصيل ${request.displayId}` }));
    expect(check.x).toBeGreaterThan(title.x + title.width - 1);
    expect(title.x + title.width / 2).toBeGreaterThan(cardBox.x + cardBox.width / 2);
    expect(reject.x + reject.width).toBeLessThanOrEqual(approve.x + 1);
    expect(details.x + details.width).toBeLessThanOrEqual(reject.x + 1);
    expect(approve.x + approve.width).toBeGreaterThan(cardBox.x + cardBox.width / 2);
    // The decision buttons start where the title starts (the right), so they are left of its end.
    expect(reject.x).toBeLessThan(title.x);
    // axe in the tab's own frame (the page around it is the fake Teams client).
    const frame = page.frames().find((fr) => fr.url().startsWith(tabOrigin))!;
    expect(await seriousViolations(frame)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'i18n-ar-SA-list.png') });

    // The details drawer opens from the reading end: the left edge in right-to-left.
    await first.getByRole('button', { name: `تفاصيل ${request.displayId}` }).click();
    const drawer = tab.getByRole('dialog');
    await drawer.getByText(ar.details!.summary!).waitFor();
    // Once its slide-in has ended it touches the left edge (beside the scrollbar, which Chromium
    // puts on the left in a right-to-left page) and leaves the right side of the page uncovered.
    await expect.poll(async () => (await box(drawer)).x, { timeout: 3000 }).toBeLessThanOrEqual(20);
    const drawerBox = await box(drawer);
    expect(drawerBox.x + drawerBox.width).toBeLessThan(1100 - 100);
    expect(await seriousViolations(frame)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'i18n-ar-SA-details.png') });
  });

  it('says a refusal from the server in the reader’s language: a request that ran out while the dialog was open (de-DE, ar-SA)', async () => {
    const cases = [
      { locale: 'de-DE', zone: 'Europe/Berlin', approve: (id: string) => `${id} genehmigen` },
      { locale: 'ar-SA', zone: 'Asia/Riyadh', approve: (id: string) => `الموافقة على ${id}` },
    ] as const;
    for (const { locale, zone, approve } of cases) {
      await h.reset();
      const [request] = await h.requestsOf(alex);
      const { page, tab } = await inTeams(locale, zone);
      const language = locale === 'de-DE' ? 'de' : 'ar';
      const common = catalogues[language].common as Words;
      await tab.getByRole('button', { name: approve(request!.displayId) }).click();
      const dialog = tab.getByRole('dialog');
      await dialog.getByRole('textbox').fill('Deploy');
      // Apono ends the request (it ran out) before the approver sends their decision.
      const { status } = await h.api(
        'POST',
        `/api/sandbox/requests/${encodeURIComponent(request!.id)}/expire`,
      );
      expect(status).toBe(200);
      const { decide } = catalogues[language].tab as Record<string, Record<string, Record<string, string>>>;
      await dialog.getByRole('button', { name: decide!.approve!.verb, exact: true }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      // The server's sentence for this case, from the reader's catalogue, with the status in their words.
      const expected = common.refusal!.notWaiting!.replace('{{status}}', common.status!.revoked!);
      expect(await alert.textContent()).toBe(expected);
      await page.screenshot({ path: join(screenshotDir, `i18n-${locale}-refusal.png`) });
    }
  });

  it('says the sign-in outcome in ?locale=, else the browser’s language, right to left in Arabic', async () => {
    const open = async (browserLocale: string, search: string) => {
      const context = await h.newContext({ width: 360, height: 640 }, { locale: browserLocale });
      const page = await context.newPage();
      await page.goto(`${h.url}/auth-end?${search}`);
      return page;
    };
    const html = (page: Page) =>
      page.locator('html').evaluate((el) => [el.getAttribute('lang'), el.getAttribute('dir')]);
    const authEnd = (language: 'de' | 'ar') =>
      words(language).authEnd as unknown as Record<string, Record<string, string>>;

    // The browser says English; the address asks for German. The English words in it are not shown.
    const german = await open(
      'en-US',
      'status=error&reason=access_denied&title=Sign-in+was+cancelled&locale=de-DE',
    );
    await german.getByRole('heading', { name: authEnd('de').access_denied!.title! }).waitFor();
    expect(await german.getByRole('alert').textContent()).toBe(authEnd('de').access_denied!.text);
    expect(await html(german)).toEqual(['de-DE', 'ltr']);

    // No ?locale=: the browser's Arabic, right to left, the Apono name as text.
    const arabic = await open('ar-SA', 'status=ok&who=Alex+Wilber&title=Connected');
    await arabic.getByRole('heading', { name: authEnd('ar').ok!.title! }).waitFor();
    expect(await arabic.getByRole('status').textContent()).toBe(
      authEnd('ar').ok!.as!.replace('{{who}}', 'Alex Wilber'),
    );
    expect(await html(arabic)).toEqual(['ar-SA', 'rtl']);
    await arabic.screenshot({ path: join(screenshotDir, 'i18n-ar-SA-auth-end.png') });
  });

  it('loads the English words the first screen does not read after it, and what reads them waits for them: no raw key shows', async () => {
    const held: Route[] = [];
    const page = await h.openAs(alex, '/', undefined, async (context) => {
      await context.route('**/assets/en-rest-*.js', (route) => void held.push(route));
      // Any text, label or placeholder that is a key of a group left out of the first load.
      await context.addInitScript(() => {
        const raw =
          /\b(dialog|bulk|details|history|decision|decisionFailure|approvers|reason|connect|settings|routing|sandbox|outside|authEnd|refusal|reasonCheck)\.[a-zA-Z]+/;
        const seen: string[] = ((window as unknown as { rawKeys: string[] }).rawKeys = []);
        const check = (node: Node) => {
          const element = node instanceof Element ? node : null;
          for (const value of [
            node.nodeType === Node.TEXT_NODE ? node.textContent : null,
            ...['aria-label', 'title', 'placeholder'].map((name) => element?.getAttribute(name)),
          ])
            if (value && raw.test(value)) seen.push(value);
        };
        new MutationObserver((records) => {
          for (const record of records) {
            check(record.target);
            record.addedNodes.forEach((node) => {
              const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
              for (let each: Node | null = node; each; each = walker.nextNode()) check(each);
            });
          }
        }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    });
    await page.locator('[role="article"]').first().waitFor();
    await expect.poll(() => held.length).toBe(1); // asked for once the list showed, and held here
    // The details wait for the words: nothing opens yet, and no key shows meanwhile.
    await page.getByRole('button', { name: 'Details of AR-1001' }).click();
    await page.waitForTimeout(500);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await held[0]!.continue();
    // details.title, one of the words that came later.
    await page.getByRole('dialog').getByText('Request AR-1001').first().waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Approve AR-1001' }).click();
    await page.getByRole('dialog', { name: 'Please provide a reason for approval' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('heading', { name: words('en').history!.heading! }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { rawKeys: string[] }).rawKeys)).toEqual([]);
  });

  it('takes ?locale= over the browser’s language, and falls back to English for one that does not ship', async () => {
    const signIn = async (search: string) => {
      const context = await h.newContext(undefined, { locale: 'fr-FR', timezoneId: 'UTC' });
      const token = await h.tokenFor(alex);
      await context.addInitScript(
        (value) => sessionStorage.setItem('apono-approvals.sandbox-token', value),
        token,
      );
      const page = await context.newPage();
      await page.goto(`${h.url}/${search}`);
      return page;
    };
    const german = await signIn('?locale=de-DE');
    await german.getByRole('heading', { name: words('de').page!.heading! }).waitFor();
    expect(await german.locator('html').getAttribute('lang')).toBe('de-DE');

    // No ?locale=: the browser's French.
    const french = await signIn('');
    await french.getByRole('heading', { name: (catalogues.fr.tab as Words).page!.heading! }).waitFor();

    const spanish = await signIn('?locale=es-ES');
    await spanish.getByRole('heading', { name: words('en').page!.heading! }).waitFor();
    expect(
      await spanish.locator('html').evaluate((el) => [el.getAttribute('lang'), el.getAttribute('dir')]),
    ).toEqual(['en', 'ltr']);
  });
});
