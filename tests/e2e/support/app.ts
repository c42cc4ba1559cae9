// The real server (sandbox mode, in-memory database, free port) serving the built tab, and a
// real Chromium driving it.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningServer } from '../../../api/src/server.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../../api/src/test-support/chromium.js';
import { startTestServer } from '../../../api/src/test-support/server.js';

const root = resolve(import.meta.dirname, '../../..');
const tabsDir = join(root, 'tabs');
export const screenshotDir = join(root, 'artifacts/screenshots');
export { chromiumPath };

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Build the tab when tabs/dist is missing or older than its sources (`npm test` builds it first).
 * A production build in a child process (inside Vitest NODE_ENV is "test", which would bundle
 * React's development build), one at a time across test files.
 */
export async function ensureTabBuilt(): Promise<void> {
  const built = join(tabsDir, 'dist/index.html');
  const lock = join(tabsDir, '.dist-building');
  const fresh = () => {
    // The build's own config and the catalogues it cuts count as sources too.
    const sources = Math.max(
      ...[join(tabsDir, 'src'), join(root, 'domain/src'), join(root, 'domain/locales')].map(newestChange),
      statSync(join(tabsDir, 'vite.config.ts')).mtimeMs,
    );
    return existsSync(built) && statSync(built).mtimeMs >= sources;
  };
  for (const started = Date.now(); Date.now() - started < 120_000;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250)); // another test file is building it
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(
          process.execPath,
          [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
          {
            cwd: tabsDir,
            env: { ...process.env, NODE_ENV: 'production' },
            stdio: 'inherit',
          },
        );
      }
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  throw new Error(
    'Timed out waiting for another test file to build the tab (remove tabs/.dist-building if stale).',
  );
}

export interface Harness {
  server: RunningServer;
  url: string;
  browser: Browser;
  /** Reseed the sandbox: every test starts from the same requests. */
  reset(): Promise<void>;
  /** A bearer token for a sandbox user, to act through the API as someone else. */
  tokenFor(email: string): Promise<string>;
  api<T = unknown>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** What the API lists for a sandbox user: pending (the tab's list) or decided (history). */
  requestsOf(email: string, list?: 'pending' | 'history'): Promise<ApprovalRequest[]>;
  /**
   * A decision made in Apono itself (its portal, Slack), not through this app: the sandbox's client
   * API called with the person's own personal token, as Apono's CLI would.
   */
  decideInApono(
    email: string,
    id: string,
    action: 'approve' | 'reject',
    justification: string | null,
  ): Promise<number>;
  /**
   * A browser context with Microsoft's CDN stubbed, closed at the next reset; in en-US and UTC
   * unless `where` names the browser's language and time zone.
   */
  newContext(
    viewport?: { width: number; height: number },
    where?: { locale?: string; timezoneId?: string },
  ): Promise<BrowserContext>;
  /**
   * A fresh page signed in as `email` (sandbox token in sessionStorage), or signed out (null), at `path`.
   * `prepare` runs on the context before the page opens (routes, a fake clock).
   */
  openAs(
    email: string | null,
    path?: string,
    viewport?: { width: number; height: number },
    prepare?: (context: BrowserContext) => Promise<void>,
  ): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `env` adds configuration; `{origin}` in a value stands for the server's own origin, known only
 * once it listens (e.g. the sandbox's OAuth endpoints).
 */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  await ensureTabBuilt();
  // The same server the API's HTTP tests start (free port, in-memory database, `{origin}` filled in).
  const server = await startTestServer({ APP_MODE: 'sandbox', ...env });
  const url = server.url;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  mkdirSync(screenshotDir, { recursive: true });
  const contexts: BrowserContext[] = [];

  const api: Harness['api'] = (method, path, token, body) => server.call(method, path, token, body);
  const tokenFor = (email: string) => server.signIn(email);

  const newContext = async (
    viewport = { width: 1100, height: 900 },
    where: { locale?: string; timezoneId?: string } = {},
  ) => {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', ...where });
    contexts.push(context);
    // Fail with the locator's name well before the test's own timeout.
    context.setDefaultTimeout(8000);
    // teams-js asks Microsoft's CDN for the origins it may talk to; there is no internet here.
    await context.route('https://res.cdn.office.net/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ validOrigins: ['teams.microsoft.com', '*.teams.microsoft.com'] }),
      }),
    );
    return context;
  };

  return {
    server,
    url,
    browser,
    api,
    tokenFor,
    async requestsOf(email, list = 'pending') {
      const path = list === 'pending' ? '/api/requests' : '/api/requests/history';
      const { body } = await api<{ requests: ApprovalRequest[] }>('GET', path, await tokenFor(email));
      return body.requests;
    },
    async decideInApono(email, id, action, justification) {
      // The sandbox's personal tokens are "apono-sandbox-" and the local part of the email.
      const token = `apono-sandbox-${email.split('@')[0]}`;
      const res = await fetch(
        `${url}/sandbox/apono/api/client/v1/access-requests/${encodeURIComponent(id)}/${action}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ justification }),
        },
      );
      await res.body?.cancel();
      return res.status;
    },
    async reset() {
      const { status } = await api('POST', '/api/sandbox/reset');
      if (status !== 200) throw new Error(`sandbox reset answered ${status}`);
      await Promise.all(contexts.splice(0).map((c) => c.close()));
    },
    newContext,
    async openAs(email, path = '/', viewport = { width: 1100, height: 900 }, prepare) {
      const token = email ? await tokenFor(email) : null;
      const context = await newContext(viewport);
      if (token) {
        await context.addInitScript(
          (value) => sessionStorage.setItem('apono-approvals.sandbox-token', value),
          token,
        );
      }
      await prepare?.(context);
      const page = await context.newPage();
      await page.goto(url + path);
      return page;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await browser.close();
      await server.close();
    },
  };
}

/** Run axe-core in the page; return the serious and critical violations. */
export async function seriousViolations(
  page: Pick<Page, 'evaluate'>,
): Promise<Array<{ id: string; help: string; nodes: string[] }>> {
  // Evaluated over the DevTools protocol, which the page's CSP (script-src 'self') does not block.
  await page.evaluate(readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{
            violations: Array<{
              id: string;
              help: string;
              impact: string;
              nodes: Array<{ target: string[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    // Tabster's focus sentinels (aria-hidden, tabindex 0) hand focus on at once; axe cannot know that.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]']] } as never, {
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
