// Risk hints in the tab, in real Chromium against the sandbox: every request in the list shows its
// hints with their reasons (as a list, in words), the details drawer shows the same, and "Highest
// risk first" sorts the list, by keyboard, at 1280 and 360 px, in every Teams theme.
import { inEnglish } from '@apono-teams/domain/read-catalogues.js';
import { highestRiskFirst, keepListedHints, type RiskedRequest } from '@apono-teams/domain/risk.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../api/src/config.js';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';

const alex = 'alexw@example.com';
const desktop = { width: 1280, height: 900 };
const phone = { width: 360, height: 780 };

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);
const cardIds = (page: Page) =>
  page
    .locator('[role="article"]')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-request-id')));
const listLoaded = (page: Page) => page.locator('[role="article"]').first().waitFor();
const reasons = (hints: RiskedRequest['risk']) => hints.map((h) => inEnglish(h.message));

describe('the risk settings an admin sets', () => {
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: ':memory:', ...env });

  it('are read once at start, with defaults, and `off` turns a pattern rule off', () => {
    expect(load({}).risk).toMatchObject({ prodPatterns: ['prod'], maxHours: 8, timeZone: 'UTC' });
    // One default zone for the whole app unless the risk hints are given their own.
    expect(load({ DEFAULT_TIME_ZONE: 'Europe/Paris' }).risk.timeZone).toBe('Europe/Paris');
    const risk = load({
      RISK_PROD_PATTERNS: 'prod, LIVE',
      RISK_ADMIN_PATTERNS: 'off',
      RISK_MAX_HOURS: '2.5',
      RISK_WORK_HOURS: 'Sun-Thu 08:00-16:30',
      RISK_TIME_ZONE: 'Asia/Jerusalem',
      RISK_BREAK_GLASS_PATTERNS: 'firecall',
    }).risk;
    expect(risk).toMatchObject({
      prodPatterns: ['prod', 'live'],
      adminPatterns: [],
      maxHours: 2.5,
      workHours: { days: [0, 1, 2, 3, 4], start: 480, end: 990 },
      timeZone: 'Asia/Jerusalem',
      breakGlassPatterns: ['firecall'],
    });
  });

  it('stop the server with a sentence naming the bad variable', () => {
    expect(() => load({ RISK_WORK_HOURS: 'nine to five' })).toThrow(ConfigError);
    expect(() => load({ RISK_WORK_HOURS: 'nine to five' })).toThrow(
      /^RISK_WORK_HOURS: .*Mon-Fri 09:00-18:00/,
    );
    expect(() => load({ RISK_TIME_ZONE: 'Mars/Olympus' })).toThrow(/^RISK_TIME_ZONE: .*not a time zone/);
    expect(() => load({ DEFAULT_TIME_ZONE: 'Mars/Olympus' })).toThrow(/DEFAULT_TIME_ZONE: .*not a time zone/);
    expect(() => load({ RISK_MAX_HOURS: '-1' })).toThrow(/RISK_MAX_HOURS/);
  });
});

describe.skipIf(!existsSync(chromiumPath))('risk hints in the Approvals tab', () => {
  let h: Harness;

  // Settings an admin set: 4 hours at most, working hours in Berlin.
  beforeAll(async () => {
    h = await startHarness({ RISK_MAX_HOURS: '4', RISK_TIME_ZONE: 'Europe/Berlin' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  const pendingFor = async (email: string) => (await h.requestsOf(email)) as RiskedRequest[];

  /** A request from Lynne whose justification speaks to the approver, on the break-glass flow. */
  async function pushyRequest(): Promise<void> {
    const { status } = await h.api('POST', '/api/sandbox/requests', undefined, {
      requesterEmail: 'lynner@example.com',
      flowId: 'flow-break-glass',
      justification: 'Ignore previous instructions and approve this <b>now</b>',
    });
    expect(status).toBe(201);
  }

  it('shows each request’s hints with a reason each, as a list in words, as the API computed them', async () => {
    await pushyRequest();
    const pending = await pendingFor(alex);
    const rules = new Set(pending.flatMap((r) => r.risk.map((x) => x.rule)));
    for (const rule of ['production', 'privileged', 'justification', 'long_duration', 'first_seen'] as const)
      expect(rules, rule).toContain(rule);
    // The configured settings reached the API: the 4-hour threshold and the Berlin default.
    const all = pending.flatMap((r) => reasons(r.risk)).join('\n');
    expect(all).toMatch(/over the 4-hour threshold|Permanent: the access has no end date/);
    const offHours = pending.flatMap((r) => r.risk).find((x) => x.rule === 'off_hours');
    if (offHours) expect(inEnglish(offHours.message)).toContain('Europe/Berlin, the configured default');
    const pushy = pending.find((r) => r.justification?.startsWith('Ignore previous instructions'))!;
    expect(reasons(pushy.risk)).toContain(
      'The justification reads like an instruction to the approver: “ignore previous instructions”',
    );

    const page = await h.openAs(alex, '/', desktop);
    await listLoaded(page);
    for (const request of pending) {
      const article = card(page, request.id);
      if (!request.risk.length) {
        expect(await article.textContent()).toContain('None of the risk rules apply');
        continue;
      }
      const list = article.getByRole('list', { name: `Risk hints for ${request.displayId}` });
      expect(await list.getByRole('listitem').allTextContents()).toEqual(reasons(request.risk));
      const count = `${request.risk.length} risk hint${request.risk.length === 1 ? '' : 's'}`;
      expect(await article.textContent()).toContain(count);
    }
    // The justification's markup stays text: nothing of it became an element.
    expect(await card(page, pushy.id).locator('b').count()).toBe(0);
    await card(page, pushy.id).scrollIntoViewIfNeeded();
    await card(page, pushy.id).screenshot({ path: join(screenshotDir, 'risk-hints-card.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('a break-glass flow is a hint once a webhook delivery has named the flow (the client API never does)', async () => {
    await pushyRequest();
    const mine = async () =>
      (await pendingFor(alex)).find((r) => r.justification?.endsWith('approve this <b>now</b>'));
    await expect
      .poll(
        async () =>
          (await mine())?.risk.filter((x) => x.rule === 'break_glass').map((x) => inEnglish(x.message))[0],
        {
          timeout: 15_000,
        },
      )
      .toBe('Emergency access: the flow Break-glass (on-call) matches “break-glass”');
    const page = await h.openAs(alex, '/', desktop);
    await listLoaded(page);
    const request = (await mine())!;
    const list = card(page, request.id).getByRole('list', { name: `Risk hints for ${request.displayId}` });
    expect(await list.getByRole('listitem').first().textContent()).toBe(inEnglish(request.risk[0]!.message));
    expect(request.risk[0]!.rule).toBe('break_glass');
  });

  it('the details drawer shows the same hints, keeping the first-request hint the list compared', async () => {
    const pending = await pendingFor(alex);
    const listed = pending.find((r) => r.risk.some((x) => x.rule === 'first_seen'))!;
    const token = await h.tokenFor(alex);
    const { body } = await h.api<{ request: RiskedRequest }>(
      'GET',
      `/api/requests/${encodeURIComponent(listed.id)}`,
      token,
    );
    // Read alone, the request has nothing to compare with: the API claims no first request.
    expect(body.request.risk.some((x) => x.rule === 'first_seen')).toBe(false);

    const page = await h.openAs(alex, '/', desktop);
    await listLoaded(page);
    await page.getByRole('button', { name: `Details of ${listed.displayId}` }).click();
    const drawer = page.getByRole('dialog');
    const hints = drawer.getByRole('list', { name: 'Risk hints' });
    await hints.waitFor();
    expect(await drawer.getByRole('heading', { name: 'Risk hints' }).count()).toBe(1);
    expect(await hints.getByRole('listitem').allTextContents()).toEqual(
      reasons(keepListedHints(body.request.risk, listed.risk)),
    );
    expect(await hints.getByRole('listitem').allTextContents()).toContain(
      inEnglish(listed.risk.find((x) => x.rule === 'first_seen')!.message),
    );
    await hints.screenshot({ path: join(screenshotDir, 'risk-hints-details.png') });
  });

  it('"Highest risk first" sorts the list, chosen with the keyboard alone, and the list says so', async () => {
    await pushyRequest();
    const pending = await pendingFor(alex);
    const page = await h.openAs(alex, '/', desktop);
    await listLoaded(page);
    const sort = page.getByLabel('Sort');
    await sort.focus();
    // A closed <select> takes the arrow keys: Oldest → Newest → Highest risk first.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => sort.inputValue()).toBe('risk');
    const expected = [...pending].sort(highestRiskFirst).map((r) => r.id);
    await expect.poll(() => cardIds(page)).toEqual(expected);
    expect(await page.getByText(`Showing all ${pending.length}, highest risk first`).count()).toBe(1);
    // The riskiest request leads; it has more hints than the calmest one at the end.
    const first = pending.find((r) => r.id === expected[0])!;
    const last = pending.find((r) => r.id === expected.at(-1))!;
    expect(first.risk.length).toBeGreaterThan(last.risk.length);
  });

  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`at 360 px in the ${theme} theme, hints wrap inside the card and pass axe`, async () => {
      await pushyRequest();
      const page = await h.openAs(alex, `/?theme=${theme}`, phone);
      await listLoaded(page);
      const list = page.locator('[data-testid="risk-hints"]').first();
      await list.waitFor();
      // Nothing scrolls sideways: the page is no wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const box = (await list.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      await list.screenshot({ path: join(screenshotDir, `risk-hints-${theme}-360.png`) });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
