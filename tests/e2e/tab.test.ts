// The personal tab in real Chromium against the real server in sandbox mode: what an approver sees
// and does, and what reaches Apono.
import { integrationNames } from '@apono-teams/domain/request-search.js';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { formatDuration, formatWaited } from '@apono-teams/domain/format.js';
import { inEnglish } from '@apono-teams/domain/read-catalogues.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotDir, seriousViolations, startHarness, type Harness } from './support/app.js';
import { fakeTeamsPage, fakeTeamsUrl, routeFakeTeams, tabOrigin } from './support/teams-host.js';

const alex = 'alexw@example.com';
const adele = 'adelev@example.com';

const card = (page: Page, id: string) => page.locator(`[role="article"][data-request-id="${id}"]`);
const cardIds = (page: Page) =>
  page
    .locator('[role="article"]')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-request-id')));
const listLoaded = (page: Page) => page.locator('[role="article"]').first().waitFor();

if (!existsSync(chromiumPath)) {
  console.warn(
    `Skipping the browser tests: no Chromium at ${chromiumPath}. Install it with: sudo apt-get update && sudo apt-get install -y chromium`,
  );
}

describe.skipIf(!existsSync(chromiumPath))('the Approvals tab in Chromium', () => {
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

  const historyFor = (email: string) => h.requestsOf(email, 'history');

  /** Requests Alex can decide alone (AnyOf) that also wait for Adele. */
  async function sharedWithAdele(): Promise<ApprovalRequest[]> {
    const adeles = new Set((await pendingFor(adele)).filter((r) => r.viewer.canDecide).map((r) => r.id));
    return (await pendingFor(alex)).filter(
      (r) => r.viewer.canDecide && r.approval?.relation === 'AnyOf' && adeles.has(r.id),
    );
  }

  it('signs in as a sandbox person and shows every pending request with every field', async () => {
    const page = await h.openAs(null);
    await page.getByRole('heading', { name: 'Sign in to the sandbox' }).waitFor();
    await page.getByRole('button', { name: 'Sign in as Alex Wilber, approver' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'sign-in.png') });
    await page.getByRole('button', { name: 'Sign in as Alex Wilber, approver' }).click();
    await listLoaded(page);

    const pending = await pendingFor(alex);
    expect(pending.length).toBeGreaterThanOrEqual(25);
    expect(await page.locator('[role="article"]').count()).toBe(pending.length);
    expect(await page.locator('#pending-heading').textContent()).toContain(String(pending.length));
    // Oldest first, as the API sends them.
    expect(await cardIds(page)).toEqual(pending.map((r) => r.id));

    const now = Date.now();
    for (const request of pending) {
      const text = (await card(page, request.id).textContent()) ?? '';
      expect(text).toContain(request.displayId);
      // Apono's "Pending", as domain/src/status.ts words it.
      expect(request.statusLabel).toBe('Pending');
      expect(text).toContain('Pending');
      expect(text).toContain(request.requester.name);
      expect(text).toContain(request.requester.email);
      for (const reason of request.viewer.approverReasons) expect(text).toContain(inEnglish(reason));
      expect(request.viewer.approverReasons.length).toBeGreaterThan(0);
      for (const unit of request.accessUnits.slice(0, 4)) {
        expect(text).toContain(unit.resource);
        if (unit.integration) expect(text).toContain(unit.integration);
      }
      for (const integration of request.integrations) expect(text).toContain(integration.name);
      for (const permission of new Set(request.accessUnits.map((u) => u.permission)))
        expect(text).toContain(permission);
      expect(text).toContain(formatDuration(request.durationSeconds) ?? 'No end date');
      const waited = [
        formatWaited(request.createdAt, new Date(now)),
        formatWaited(request.createdAt, new Date(now + 60_000)),
      ];
      expect(
        waited.some((w) => text.includes(`Waiting ${w}`)),
        `${request.displayId} waited ${waited[0]}`,
      ).toBe(true);
      expect(text).toContain(request.justification ?? 'No justification given');
    }

    // Sort and filter: the server sorts and narrows every request, so the list changes once it answers.
    await page.getByLabel('Sort').selectOption('newest');
    await expect.poll(() => cardIds(page)).toEqual(pending.map((r) => r.id).reverse());
    await page.getByLabel('Requester').selectOption('lynner@example.com');
    const lynnes = pending.filter((r) => r.requester.email === 'lynner@example.com');
    await expect.poll(() => cardIds(page)).toEqual(lynnes.map((r) => r.id).reverse());
    expect(await page.getByText(`Showing ${lynnes.length} of ${pending.length}`).count()).toBe(1);
    await page.getByLabel('Requester').selectOption('');
    await page.getByRole('searchbox').fill('INC-2240');
    await expect
      .poll(() => cardIds(page))
      .toEqual(pending.filter((r) => r.justification?.includes('INC-2240')).map((r) => r.id));
    await page.getByRole('searchbox').fill('');
    const integration = pending[0]!.integrations[0]!.name;
    await page.getByLabel('Integration').selectOption(integration);
    // Still newest first.
    const touching = pending.filter((r) => integrationNames(r).includes(integration)).reverse();
    await expect.poll(() => cardIds(page)).toEqual(touching.map((r) => r.id));
    for (const id of touching.map((r) => r.id))
      expect(await card(page, id).textContent()).toContain(integration);
  });

  it('an approver approves with a reason, using only the keyboard', async () => {
    const page = await h.openAs(alex);
    await listLoaded(page);
    const approve = page.getByRole('button', { name: 'Approve AR-1001' });
    await approve.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Please provide a reason for approval' });
    await dialog.waitFor();
    // Escape cancels, and focus goes back to the button that opened the dialog.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Approve AR-1001');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const reason = 'Checked INC-2231 with the on-call';
    await page.keyboard.type('Checked INC-2231');
    await page.keyboard.press('Shift+Enter'); // a new line, not a submit
    expect(await dialog.isVisible()).toBe(true);
    await page.keyboard.press('Backspace');
    await page.keyboard.type(' with the on-call');
    expect(await dialog.textContent()).toContain(`${reason.length} / 123`);
    await page.keyboard.press('Enter');

    await page.getByText('Approved AR-1001').first().waitFor();
    await card(page, 'AR-1001').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pending-heading');
    const decided = (await historyFor(alex)).find((r) => r.id === 'AR-1001');
    expect(decided?.decision).toMatchObject({ outcome: 'approved', reason });
    expect((await pendingFor(alex)).some((r) => r.id === 'AR-1001')).toBe(false);
  });

  it('an approver rejects where the flow requires a reason: empty and 124 characters are refused, 123 accepted', async () => {
    const pending = await pendingFor(alex);
    const target = pending.find(
      (r) => r.requireReason && r.viewer.canDecide && r.approval?.relation === 'AnyOf',
    );
    expect(target, 'a seeded request with Require Approve Reason').toBeDefined();
    const id = target!.id;
    const page = await h.openAs(alex);
    await listLoaded(page);
    await page.getByRole('button', { name: `Reject ${target!.displayId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Please provide a reason for rejection' });
    await dialog.waitFor();
    // Said before typing anything.
    expect(await dialog.textContent()).toContain('This access flow requires a reason for rejection');
    const submit = dialog.getByRole('button', { name: 'Reject', exact: true });
    const reason = dialog.getByRole('textbox');
    expect(await submit.isDisabled()).toBe(true);

    await reason.fill('   ');
    expect(await submit.isDisabled()).toBe(true);
    await reason.press('Enter');
    expect(await dialog.textContent()).toContain('requires a reason for rejection');

    await reason.fill('x'.repeat(124));
    expect(await dialog.textContent()).toContain('124 / 123');
    expect(await dialog.textContent()).toContain('Shorten it by 1');
    expect(await submit.isDisabled()).toBe(true);

    // The server applies the same rule whatever the client does.
    const refused = await h.api<{ error: { code: string } }>(
      'POST',
      `/api/requests/${id}/reject`,
      await h.tokenFor(alex),
      {
        reason: 'x'.repeat(124),
      },
    );
    expect([refused.status, refused.body.error.code]).toEqual([400, 'reason_too_long']);

    const accepted = 'y'.repeat(123);
    await reason.fill(accepted);
    expect(await dialog.textContent()).toContain('123 / 123');
    await submit.click();
    await page.getByText(`Rejected ${target!.displayId}`).first().waitFor();
    await card(page, id).waitFor({ state: 'detached' });
    expect((await historyFor(alex)).find((r) => r.id === id)?.decision).toMatchObject({
      outcome: 'rejected',
      reason: accepted,
    });
  });

  it('a request decided by someone else meanwhile shows who decided it, keeps what was typed, and leaves the list', async () => {
    const [first, second] = await sharedWithAdele();
    expect(second, 'two AnyOf requests pending for both Alex and Adele').toBeDefined();
    const page = await h.openAs(alex);
    await listLoaded(page);

    const byAdele = await h.api<{ request: ApprovalRequest }>(
      'POST',
      `/api/requests/${first!.id}/approve`,
      await h.tokenFor(adele),
      {
        reason: 'Covered by Adele',
      },
    );
    expect(byAdele.status).toBe(200);
    await page.getByRole('button', { name: `Approve ${first!.displayId}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Please provide a reason for approval' });
    await dialog.getByRole('textbox').fill('Looks fine to me');
    await dialog.getByRole('textbox').press('Enter');
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    // Said in the tab's own words from the decision the server sent: who decided, and that nothing more is needed.
    expect(await alert.textContent()).toMatch(
      /already been decided\. Adele Vance approved it.*Nothing more is needed from you\./,
    );
    expect(await dialog.getByRole('textbox').inputValue()).toBe('Looks fine to me');
    await page.waitForTimeout(300); // the dialog's opening animation
    await page.screenshot({ path: join(screenshotDir, 'already-decided.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await card(page, first!.id).waitFor({ state: 'detached' });

    // Decided elsewhere while the tab is open: gone when the window regains focus (and every 20 s).
    await h.api('POST', `/api/requests/${second!.id}/reject`, await h.tokenFor(adele), {
      reason: 'Not needed',
    });
    expect(await card(page, second!.id).count()).toBe(1);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await card(page, second!.id).waitFor({ state: 'detached' });
  });

  it('decides several requests with one reason and lists each result; a required reason fails on its own', async () => {
    const pending = (await pendingFor(alex)).filter(
      (r) => r.viewer.canDecide && r.approval?.relation === 'AnyOf',
    );
    // From the end of the list: the server replays a person's identical decision for 60 s, even
    // across sandbox resets, so tests do not repeat another test's decision.
    const plain = pending.filter((r) => !r.requireReason).slice(-2);
    const needsReason = pending.filter((r) => r.requireReason).at(-1)!;
    const chosen = [...plain, needsReason];
    const page = await h.openAs(alex);
    await listLoaded(page);
    for (const r of chosen) await page.getByRole('checkbox', { name: `Select ${r.displayId}` }).check();
    expect(await page.getByText('3 selected').count()).toBe(1);
    await page.getByRole('button', { name: 'Approve selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve 3 requests' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`requires a reason (${needsReason.displayId})`);
    await dialog.getByRole('button', { name: 'Approve 3 requests' }).click();
    const results = dialog.getByRole('list', { name: 'Results' }).getByRole('listitem');
    await expect.poll(() => results.count()).toBe(3);
    await dialog.getByRole('button', { name: 'Done' }).waitFor();
    await page.waitForTimeout(300); // the progress bar's last step
    const lines = await results.allTextContents();
    for (const r of plain) expect(lines).toContain(`${r.displayId}: Approved`);
    expect(lines.find((l) => l.startsWith(needsReason.displayId))).toMatch(
      /Not approved\. This access flow requires a reason/,
    );
    await page.screenshot({ path: join(screenshotDir, 'bulk-results.png') });
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByText('Approved 2 of 3 requests').first().waitFor();
    for (const r of plain) await card(page, r.id).waitFor({ state: 'detached' });
    expect(await page.getByRole('checkbox', { name: `Select ${needsReason.displayId}` }).isChecked()).toBe(
      true,
    );
    const history = await historyFor(alex);
    for (const r of plain) expect(history.find((d) => d.id === r.id)?.decision?.outcome).toBe('approved');
  });

  it('history shows a decision made in this app: the outcome, who decided, when and why', async () => {
    const approved = await h.api('POST', '/api/requests/AR-1006/approve', await h.tokenFor(alex), {
      reason: 'History check',
    });
    expect(approved.status).toBe(200);
    const recorded = (await historyFor(alex)).find((r) => r.id === 'AR-1006');
    expect(recorded?.decision).toMatchObject({ source: 'app', outcome: 'approved', reason: 'History check' });
    const page = await h.openAs(alex);
    await listLoaded(page);
    await page.getByRole('tab', { name: 'History' }).click();
    const decided = page
      .getByRole('region', { name: 'Decided requests' })
      .locator('[data-request-id="AR-1006"]');
    await decided.waitFor();
    const text = await decided.textContent();
    expect(text).toContain('Approved');
    expect(text).toContain('Alex Wilber (alexw@example.com)');
    // When: the time this app recorded, by Intl in the browser's en-US and UTC.
    expect(text).toMatch(/When[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M UTC/);
    expect(text).toContain('History check');
    expect(text).not.toContain('Apono does not share the reason');
    await page.screenshot({ path: join(screenshotDir, 'history.png'), fullPage: false });
  });

  it('a decision made outside this app shows the approver entry and says that Apono does not share the reason', async () => {
    const target = (await sharedWithAdele()).at(-1);
    expect(target, 'an AnyOf request pending for both Alex and Adele').toBeDefined();
    // Adele decides in Apono itself (its portal or Slack), with a justification Apono keeps to itself.
    expect(await h.decideInApono(adele, target!.id, 'approve', 'Approved from the Apono portal')).toBe(200);
    const seen = (await historyFor(alex)).find((r) => r.id === target!.id);
    expect(seen?.decision).toMatchObject({ source: 'apono', outcome: 'approved', reason: null });
    const decidedBy = seen!.decision!.decidedBy;

    const page = await h.openAs(alex);
    await listLoaded(page);
    await card(page, target!.id).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'History' }).click();
    // Adele's decision: shown once the history is not limited to Alex's own.
    await page.getByRole('switch', { name: 'Decided by me' }).click();
    const decided = page
      .getByRole('region', { name: 'Decided requests' })
      .locator(`[data-request-id="${target!.id}"]`);
    await decided.waitFor();
    const text = (await decided.textContent()) ?? '';
    expect(text).toContain('Approved');
    expect(text).toContain('Apono does not share the reason for decisions made outside this app.');
    expect(text).not.toContain('Approved from the Apono portal');
    expect(text).not.toContain('No reason given');
    if (decidedBy) expect(text).toContain(decidedBy.name);
    // No time is claimed when Apono gives none.
    if (!seen!.decision!.decidedAt) expect(text).not.toContain('When');
    await page.screenshot({ path: join(screenshotDir, 'history-decided-in-apono.png') });
    expect(await seriousViolations(page)).toEqual([]);

    // The details say the same.
    const details = await h.openAs(alex, `/?request=${encodeURIComponent(target!.id)}`);
    const drawer = details.getByRole('dialog');
    await drawer.getByRole('heading', { name: 'Decision' }).waitFor();
    expect(await drawer.textContent()).toContain(
      'Apono does not share the reason for decisions made outside this app.',
    );
    expect(await drawer.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
  });

  it('where the account turned approver reasons off, the dialogs only confirm and send no reason', async () => {
    const before = (await pendingFor(alex)).filter(
      (r) => r.viewer.canDecide && r.approval?.relation === 'AnyOf',
    );
    // A flow that requires a reason, and two that do not: none asks for one once reasons are off.
    const required = before.find((r) => r.requireReason)!;
    const plain = before.filter((r) => !r.requireReason && r.id !== 'AR-1001').slice(0, 2);
    expect(required).toBeDefined();
    expect(plain).toHaveLength(2);
    const switched = await h.api('POST', '/api/sandbox/settings', undefined, { disableApproverReason: true });
    expect(switched.status, 'the sandbox switch POST /api/sandbox/settings').toBe(200);
    try {
      const pending = await pendingFor(alex);
      expect(pending.every((r) => r.reasonDisabled && !r.requireReason)).toBe(true);

      const page = await h.openAs(alex);
      const sent: Array<{ path: string; body: unknown }> = [];
      page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (r.method() === 'POST' && /\/(approve|reject)$/.test(path))
          sent.push({ path, body: r.postDataJSON() });
      });
      await listLoaded(page);
      expect(await card(page, required.id).textContent()).not.toContain('Reason required');

      // One request: a confirmation, no reason box, and the decision sent with reason null.
      await page.getByRole('button', { name: `Approve ${required.displayId}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm approval' });
      await dialog.waitFor();
      expect(await dialog.getByRole('textbox').count()).toBe(0);
      expect(await dialog.textContent()).toContain('does not take approver reasons');
      expect(await dialog.textContent()).not.toContain('requires a reason');
      await page.waitForTimeout(300); // the dialog's opening animation
      await page.screenshot({ path: join(screenshotDir, 'confirm-dialog.png') });
      expect(await seriousViolations(page)).toEqual([]);
      // With no reason box, focus starts on Approve: Enter confirms, as with the keyboard elsewhere.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Approve');
      await page.keyboard.press('Enter');
      await page.getByText(`Approved ${required.displayId}`).first().waitFor();
      await card(page, required.id).waitFor({ state: 'detached' });
      expect(sent).toEqual([{ path: `/api/requests/${required.id}/approve`, body: { reason: null } }]);

      // Several at once: the same.
      for (const r of plain) await page.getByRole('checkbox', { name: `Select ${r.displayId}` }).check();
      await page.getByRole('button', { name: 'Reject selected' }).click();
      const bulk = page.getByRole('dialog', { name: 'Confirm rejection' });
      await bulk.waitFor();
      expect(await bulk.getByRole('textbox').count()).toBe(0);
      await bulk.getByRole('button', { name: 'Reject 2 requests' }).click();
      await bulk.getByRole('button', { name: 'Done' }).waitFor();
      const lines = await bulk.getByRole('list', { name: 'Results' }).getByRole('listitem').allTextContents();
      for (const r of plain) expect(lines).toContain(`${r.displayId}: Rejected`);
      await bulk.getByRole('button', { name: 'Done' }).click();
      expect(sent.slice(1)).toEqual(
        plain.map((r) => ({ path: `/api/requests/${r.id}/reject`, body: { reason: null } })),
      );

      const history = await historyFor(alex);
      expect(history.find((r) => r.id === required.id)?.decision).toMatchObject({
        outcome: 'approved',
        reason: null,
      });
    } finally {
      await h.api('POST', '/api/sandbox/settings', undefined, { disableApproverReason: false });
    }
  });

  it('renders hostile justifications as inert text', async () => {
    const page = await h.openAs(alex);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await listLoaded(page);
    const hostile = (await pendingFor(alex)).filter((r) => /[<*#[]/.test(r.justification ?? ''));
    expect(hostile.map((r) => r.id)).toEqual(expect.arrayContaining(['AR-1002', 'AR-1004']));
    for (const r of hostile) {
      const justification = card(page, r.id).getByTestId('justification');
      // A text node and nothing else: no element was created from the text.
      expect(await justification.evaluate((el) => el.children.length)).toBe(0);
      expect(await justification.textContent()).toBe(r.justification);
    }
    expect(
      await page.locator('#root img, #root script, #root iframe, #root a[href^="javascript"]').count(),
    ).toBe(0);
    expect(await card(page, 'AR-1004').textContent()).toContain('<script>alert(1)</script>');
    expect(await card(page, 'AR-1002').textContent()).toContain('**URGENT**');

    await page.getByRole('button', { name: 'Details of AR-1004' }).click();
    const full = page.getByTestId('full-justification');
    await full.waitFor();
    expect(await full.evaluate((el) => el.children.length)).toBe(0);
    expect(await full.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(dialogs).toBe(0);
  });

  it('details list every access unit, 20 per page, and the approval state', async () => {
    const page = await h.openAs(alex);
    await listLoaded(page);
    const opener = page.getByRole('button', { name: 'Details of AR-1019' });
    await opener.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('1–20 of 45').waitFor();
    const rows = drawer.getByRole('table', { name: 'Resources and permissions' }).getByRole('row');
    expect(await rows.count()).toBe(21);
    await drawer.getByRole('button', { name: 'Next' }).click();
    await drawer.getByText('21–40 of 45').waitFor();
    await drawer.getByRole('button', { name: 'Next' }).click();
    await drawer.getByText('41–45 of 45').waitFor();
    expect(await drawer.textContent()).toMatch(/(AnyOf|AllOf)/);
    await page.screenshot({ path: join(screenshotDir, 'details.png') });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Details of AR-1019');

    await page.getByRole('button', { name: 'Details of AR-1016' }).click();
    await page.getByText('Current escalation tier: 3').waitFor();
    const approvers = page.getByRole('table', { name: 'Approvers' });
    expect(await approvers.getByRole('row').count()).toBeGreaterThan(2);
    // Apono's client API names no access flow: no empty row for it.
    expect(await page.getByRole('dialog').textContent()).not.toContain('Access flow');

    // "Open in Apono" goes to the portal's My Tasks page (Apono publishes no per-request address).
    const config = await h.api<{ aponoPortalUrl: string }>('GET', '/api/config');
    const open = page.getByRole('dialog').getByRole('link', { name: 'Open in Apono' });
    expect(await open.getAttribute('href')).toBe(`${config.body.aponoPortalUrl.replace(/\/+$/, '')}/tasks`);
    expect(await open.getAttribute('target')).toBe('_blank');
  });

  it('when Apono stops answering, says what to do, keeps the typed reason, and recovers on retry', async () => {
    const page = await h.openAs(alex);
    await listLoaded(page);
    await page.getByRole('button', { name: 'Approve AR-1009' }).click();
    const dialog = page.getByRole('dialog', { name: 'Please provide a reason for approval' });
    await dialog.getByRole('textbox').fill('Model upload is expected');
    await h.api('POST', '/api/sandbox/faults', undefined, { status: 503 });
    try {
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/Apono is not answering right now/);
      expect(await dialog.getByRole('textbox').inputValue()).toBe('Model upload is expected');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.reload();
      const problem = page.getByText('Could not load your requests');
      await problem.waitFor();
      await page.screenshot({ path: join(screenshotDir, 'apono-unavailable.png') });
    } finally {
      await h.api('DELETE', '/api/sandbox/faults');
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await listLoaded(page);
    expect(await page.getByText('Could not load your requests').count()).toBe(0);
  });

  it('outside Teams, when the server runs for Teams, says to open the app in Teams and asks nothing else', async () => {
    const context = await h.newContext({ width: 360, height: 780 });
    const calls: string[] = [];
    context.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/') || /teams-host|office\.net/.test(r.url()))
        calls.push(url.pathname);
    });
    await context.route('**/api/config', (route) =>
      route.fulfill({
        json: { mode: 'teams', aponoPortalUrl: 'https://app.apono.io', aponoOAuth: false },
      }),
    );
    const page = await context.newPage();
    await page.goto(h.url);
    await page.getByRole('heading', { name: 'Open Apono Approvals in Microsoft Teams' }).waitFor();
    expect(await page.getByRole('main', { name: 'Open in Microsoft Teams' }).textContent()).toContain(
      'ask your Teams administrator',
    );
    // No sandbox sign-in, no list, no teams-js: only the configuration was asked for.
    expect(await page.getByRole('button').count()).toBe(0);
    expect(calls).toEqual(['/api/config']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(screenshotDir, 'outside-teams-360.png') });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('opens a request named in the address, as Teams does with subPageId', async () => {
    const page = await h.openAs(alex, '/?request=AR-1013');
    await page.getByText('Request AR-1013').waitFor();
    await page.getByText(/Every approver below must approve \(AllOf\)/).waitFor();
  });

  it('inside Teams: signs in with the SSO token, takes the theme from Teams and opens the request Teams names', async () => {
    const context = await h.newContext();
    const html = fakeTeamsPage({
      tabUrl: `${tabOrigin}/`,
      token: await h.tokenFor(alex),
      theme: 'dark',
      subPageId: 'AR-1013',
    });
    await routeFakeTeams(context, h.url, html);
    const page = await context.newPage();
    await page.goto(fakeTeamsUrl);
    const tab = page.frameLocator('#tab');
    await tab.getByText('Request AR-1013').waitFor();
    await tab.getByText(/Every approver below must approve \(AllOf\)/).waitFor();
    const calls = await page.evaluate(() => (window as unknown as { hostCalls: string[] }).hostCalls);
    expect(calls).toEqual(
      expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']),
    );
    const background = () =>
      tab
        .locator('.fui-FluentProvider')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await background()).not.toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: join(screenshotDir, 'teams-dark-details.png') });
    await page.evaluate(() =>
      (window as unknown as { setTeamsTheme: (t: string) => void }).setTeamsTheme('contrast'),
    );
    await expect.poll(background).toBe('rgb(0, 0, 0)');
  });

  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`meets accessibility checks in the ${theme} theme`, async () => {
      const page = await h.openAs(alex, `/?theme=${theme}`);
      await listLoaded(page);
      const background = await page
        .locator('.fui-FluentProvider')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      if (theme === 'contrast') expect(background).toBe('rgb(0, 0, 0)');
      if (theme === 'dark') expect(background).not.toBe('rgb(255, 255, 255)');
      await page.screenshot({ path: join(screenshotDir, `pending-${theme}.png`) });
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Reject AR-1001' }).click();
      await page.getByRole('dialog').waitFor();
      // Screenshot once the opening animation has finished (the reason box then has focus).
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(screenshotDir, `reason-dialog-${theme}.png`) });
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('fits a 360 px wide window', async () => {
    const page = await h.openAs(alex, '/', { width: 360, height: 780 });
    await listLoaded(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(screenshotDir, 'pending-360.png') });
    await page.getByRole('button', { name: 'Details of AR-1019' }).click();
    await page.getByText('1–20 of 45').waitFor();
    await page.waitForTimeout(300); // the drawer's opening animation
    // An approver's status badge keeps its word on one line: nothing spills out of the badge.
    const approverBadges = page.getByRole('table', { name: 'Approvers' }).locator('.fui-Badge');
    expect(await approverBadges.count()).toBeGreaterThan(0);
    expect(
      await approverBadges.evaluateAll(
        (badges) => badges.filter((b) => b.scrollHeight > b.clientHeight + 1).length,
      ),
    ).toBe(0);
    await page.screenshot({ path: join(screenshotDir, 'details-360.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Reject AR-1019' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshotDir, 'reason-dialog-360.png') });
  });

  // Last in this file's server: it leaves Alex connected with a personal token, not the sandbox's.
  it('after disconnecting, asks to connect an Apono account and refuses a token Apono rejects', async () => {
    const page = await h.openAs(alex, '/', { width: 800, height: 800 });
    await listLoaded(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('menuitem', { name: 'Disconnect Apono account' }).click();
    await page.getByRole('heading', { name: 'Connect your Apono account' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'connect.png') });

    await page.getByLabel('Personal API token').fill('not-a-real-apono-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    const refused = page.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/Apono/);
    expect(await page.getByRole('heading', { name: 'Connect your Apono account' }).count()).toBe(1);

    // Someone else's token (Adele's) is refused with whose it is and what to do.
    await page.getByLabel('Personal API token').fill('apono-sandbox-adelev');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect
      .poll(async () => (await page.getByRole('alert').textContent()) ?? '')
      .toContain(
        "This Apono account is Adele Vance's (adelev@example.com), but you are signed in to Teams as alexw@example.com.",
      );
    expect(await page.getByRole('heading', { name: 'Connect your Apono account' }).count()).toBe(1);

    await page.getByLabel('Personal API token').fill('apono-sandbox-alexw');
    await page.getByRole('button', { name: 'Connect' }).click();
    await listLoaded(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.getByRole('menu').textContent()).toContain('personal API token');
  });
});

describe.skipIf(!existsSync(chromiumPath))('Sign in with Apono, in Chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      APONO_OAUTH_CLIENT_ID: 'teams-app',
      APONO_OAUTH_AUTHORIZE_URL: '{origin}/sandbox/apono/oauth/authorize',
      APONO_OAUTH_TOKEN_URL: '{origin}/sandbox/apono/oauth/token',
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('connects the Apono account through the sign-in window, then lists the requests', async () => {
    const page = await h.openAs(alex, '/', { width: 800, height: 800 });
    // With Apono OAuth configured, the sandbox no longer connects its people by itself.
    await page.getByRole('heading', { name: 'Connect your Apono account' }).waitFor();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Sign in with Apono' }).click(),
    ]);
    // Apono's sign-in page (the sandbox's) may ask who is signing in, or know it from login_hint.
    const closed = popup.waitForEvent('close');
    await Promise.race([
      closed,
      popup
        .getByRole('link', { name: /Alex Wilber/ })
        .click()
        .catch(() => {}),
    ]);
    await closed;
    await listLoaded(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.getByRole('menu').textContent()).toContain('Apono sign-in');

    // Disconnecting from the settings menu brings the connect screen back.
    await page.getByRole('menuitem', { name: 'Disconnect Apono account' }).click();
    await page.getByRole('heading', { name: 'Connect your Apono account' }).waitFor();
    const me = await h.api<{ connection: { connected: boolean } }>('GET', '/api/me', await h.tokenFor(alex));
    expect(me.body.connection.connected).toBe(false);
  });

  /** The tab framed by the stand-in Teams client, on the connect screen. */
  async function openInTeams() {
    const context = await h.newContext({ width: 800, height: 800 });
    const html = fakeTeamsPage({ tabUrl: `${tabOrigin}/`, token: await h.tokenFor(alex), theme: 'default' });
    // The sign-in window starts on the tab's own https origin (/auth-start), which sends it on to
    // Apono's sign-in page (the sandbox's, on this server).
    await routeFakeTeams(context, h.url, html);
    const page = await context.newPage();
    await page.goto(fakeTeamsUrl);
    const tab = page.frameLocator('#tab');
    await tab.getByRole('heading', { name: 'Connect your Apono account' }).waitFor();
    const host = <T>(name: string) => page.evaluate((n) => (window as unknown as Record<string, T>)[n], name);
    return { context, page, tab, host };
  }

  it('no page of the sign-in window sends a Cross-Origin-Opener-Policy, which would cut it off from Teams', async () => {
    // MicrosoftDocs/msteams-docs#9895: with COOP the window loses its opener and Teams hears "cancelled".
    for (const path of [
      '/auth-start',
      '/sandbox/apono/oauth/authorize',
      '/api/connection/oauth/callback',
      '/auth-end',
    ]) {
      const res = await fetch(h.url + path, { redirect: 'manual' });
      expect(res.headers.get('cross-origin-opener-policy'), path).toBeNull();
    }
  });

  it('inside Teams: signs in through authentication.authenticate, and the sign-in window reports with notifySuccess', async () => {
    const { context, tab, host } = await openInTeams();
    const [signInWindow] = await Promise.all([
      context.waitForEvent('page'),
      tab.getByRole('button', { name: 'Sign in with Apono' }).click(),
    ]);
    await signInWindow.waitForEvent('close');
    await tab.locator('[role="article"]').first().waitFor();
    // The window opened on a page of the app's own domain, never on Apono's (an empty window in Teams).
    const args = await host<{ url: string; width: number; height: number }>('authenticateArgs');
    expect(args).toMatchObject({ width: 600, height: 720 });
    expect(args?.url).toMatch(new RegExp(`^${tabOrigin}/auth-start\\?state=[\\w-]{32}$`));
    expect(await host<string[]>('hostCalls')).toContain('authentication.authenticate');
    // The window's own teams-js spoke to Teams as an authentication frame, and said it succeeded.
    expect(await host<string[]>('authWindowCalls')).toEqual(
      expect.arrayContaining(['initialize', 'authentication.authenticate.success']),
    );
    const me = await h.api<{ connection: { method: string } }>('GET', '/api/me', await h.tokenFor(alex));
    expect(me.body.connection.method).toBe('oauth');
    await h.api('DELETE', '/api/connection', await h.tokenFor(alex));
  });

  it('inside Teams: a refused sign-in comes back through notifyFailure and is explained in the tab', async () => {
    const { context, tab, host } = await openInTeams();
    // Apono's sign-in page answers "access_denied", as when the person does not allow the app. (The
    // window's hop from /auth-start to Apono is a redirect, which Playwright does not intercept, so
    // the refusal is put in place of that hop.)
    await context.route(`${tabOrigin}/auth-start?**`, (route) => {
      const state = new URL(route.request().url()).searchParams.get('state') ?? '';
      return route.fulfill({
        status: 302,
        headers: { location: `${h.url}/api/connection/oauth/callback?error=access_denied&state=${state}` },
      });
    });
    const [signInWindow] = await Promise.all([
      context.waitForEvent('page'),
      tab.getByRole('button', { name: 'Sign in with Apono' }).click(),
    ]);
    await signInWindow.waitForEvent('close');
    const alert = tab.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/You did not allow Apono Approvals to use your Apono account/);
    expect(await host<string[]>('authWindowCalls')).toContain('authentication.authenticate.failure');
    expect(await tab.getByRole('button', { name: 'Sign in with Apono' }).isEnabled()).toBe(true);
  });

  it('the sign-in page shows what the address says as text only, and a crafted reason is not passed on', async () => {
    const context = await h.newContext({ width: 360, height: 640 });
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await page.goto(
      `${h.url}/auth-end?${new URLSearchParams({ status: 'error', reason: '<b>', title: hostile, message: hostile })}`,
    );
    await page.getByRole('heading', { name: hostile }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(hostile);
    expect(await page.locator('#root img, #root script, #root b').count()).toBe(0);
    expect(await page.title()).toBe(hostile);
    await page.screenshot({ path: join(screenshotDir, 'auth-end-360.png') });
    expect(dialogs).toBe(0);
  });
});
