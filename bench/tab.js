// The tab's lines of `npm run bench` (issue 11, 2 and 5), in Debian's Chromium through playwright-core:
// navigation to the first card at 50, 500 and 5,000 pending (5,000 and 500 against 50, the sizes
// taken in turn in every round), the DOM's size, the longest main-thread task (PerformanceObserver
// 'longtask': any task over 50 ms), the bytes of an unchanged poll, and the tab's initial JavaScript
// against a bare Fluent DataGrid + Dialog + Field + teams-js page built in this same run.
// Each size has its own standalone sandbox (Apono) and server, filled through the sandbox's admin
// API (POST /api/sandbox/requests) before any round.
/* global window, document, performance, PerformanceObserver, MutationObserver, sessionStorage, Event */ // in the page
import react from '@vitejs/plugin-react';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
// The browser tests' Chromium and flags: headless, nothing on the network of its own.
import { CHROMIUM_ARGS, chromiumPath } from '../api/dist/test-support/chromium.js';
import { median } from './measure.js';
import { signIn, startSandbox, startServer } from './processes.js';

const root = resolve(import.meta.dirname, '..');
const SIZES = [50, 500, 5000];
const spread = (values) => [Math.min(...values), Math.max(...values)];
const ms = (v) => `${v.toFixed(0)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Requests created for Alex until he has `size` pending, 8 at a time. */
async function fill(sandboxUrl, serverUrl, token, size) {
  const listed = await (
    await fetch(`${serverUrl}/api/requests?limit=1`, { headers: { authorization: `Bearer ${token}` } })
  ).json();
  const missing = size - listed.total;
  if (missing < 0) throw new Error(`the sandbox seeds ${listed.total} pending, more than ${size}`);
  let next = 0;
  const worker = async () => {
    while (next++ < missing) {
      const res = await fetch(`${sandboxUrl}/api/sandbox/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db' }),
      });
      if (res.status !== 201) throw new Error(`creating a request: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

// Runs in the page before the tab's own code: when the first card appears (ms since navigation
// started) and every long task from the start.
function observePage() {
  const seen = { firstCard: null, longTasks: [] };
  window.__bench = seen;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.longTasks.push({ at: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('[role="article"]')) {
      seen.firstCard = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
}

/** One navigation to the tab as Alex: first card, DOM size, long tasks, and one unchanged poll. */
async function visit(browser, target) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  try {
    await context.route('https://res.cdn.office.net/**', (route) =>
      route.fulfill({ status: 200, body: '{}' }),
    );
    await context.addInitScript(
      (t) => sessionStorage.setItem('apono-approvals.sandbox-token', t),
      target.token,
    );
    await context.addInitScript(observePage);
    const page = await context.newPage();
    const scripts = [];
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'script')
        scripts.push(r.body().then((b) => ({ url: r.url(), gzip: gzipSync(b).length })));
    });
    await page.goto(target.url);
    await page.locator('[role="article"]').first().waitFor({ timeout: 120_000 });
    await page.waitForTimeout(1000); // let the first rows settle and measure themselves
    const loaded = await page.evaluate(() => ({
      firstCard: window.__bench.firstCard,
      elements: document.querySelectorAll('*').length,
      longest: Math.max(0, ...window.__bench.longTasks.map((t) => t.ms)),
      // The scripts asked for before the first card showed (the page's own resource timings).
      beforeCard: performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime <= window.__bench.firstCard)
        .map((e) => e.name),
    }));
    const fetched = await Promise.all(scripts);
    const sum = (list) => list.reduce((n, s) => n + s.gzip, 0);
    // What counts as the tab's weight: every script the first navigation loaded before the first
    // card was visible, the entry and its imports and any split chunk fetched at once; and, as a
    // check that nothing is only put off by a moment, all it loaded until a second after.
    const firstNavigationJs = sum(fetched.filter((s) => loaded.beforeCard.includes(s.url)));
    const settledJs = sum(fetched);
    delete loaded.beforeCard;
    // An unchanged poll, as the 20 s timer makes it (focus triggers the same read): its bytes on the
    // wire, and the longest task from the poll until a second after its answer.
    const pollStarted = await page.evaluate(() => performance.now());
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/requests');
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    const poll = await answered;
    const sizes = await poll.request().sizes();
    await page.waitForTimeout(1000);
    const pollLongest = await page.evaluate(
      (from) => Math.max(0, ...window.__bench.longTasks.filter((t) => t.at >= from).map((t) => t.ms)),
      pollStarted,
    );
    return {
      ...loaded,
      firstNavigationJs,
      settledJs,
      poll: {
        status: poll.status(),
        bytes: sizes.responseHeadersSize + sizes.responseBodySize,
        longest: pollLongest,
      },
    };
  } finally {
    await context.close();
  }
}

/** The JavaScript files an index.html loads at once (its module script and preloads). */
function initialFiles(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
}

/** Their gzip size. */
function initialJs(dist) {
  return initialFiles(dist).reduce((n, file) => n + gzipSync(readFileSync(join(dist, file))).length, 0);
}

/** The gzip size of lazy chunks and the chunks they import statically, less those loaded already. */
function lazyChunkJs(assets, chunks, loaded) {
  const seen = new Set(loaded.map((f) => f.replace(/^assets\//, '')));
  let bytes = 0;
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(assets, file));
    bytes += gzipSync(code).length;
    for (const m of code.toString('utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]);
  };
  chunks.forEach(visit);
  return bytes;
}

async function buildReference() {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-reference-'));
  // Vite sets NODE_ENV=production for its build; the servers this bench starts later must not inherit it.
  const nodeEnv = process.env.NODE_ENV;
  await build({
    root: join(root, 'bench/reference-tab'),
    configFile: false,
    logLevel: 'error',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  return outDir;
}

export async function tabLines({ rounds }) {
  const lines = [];
  const targets = [];
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    for (const size of SIZES) {
      const sandbox = await startSandbox();
      const server = await startServer({ APONO_BASE_URL: sandbox.url });
      targets.push({ size, sandbox, server });
      const token = await signIn(server.url, 'alexw@example.com');
      await fill(sandbox.url, server.url, token, size);
      Object.assign(targets.at(-1), { url: server.url, token });
    }
    const runs = new Map(SIZES.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      // Each round takes the sizes in another order, so drift on a shared machine falls on all.
      const order = round % 2 ? [...targets].reverse() : targets;
      for (const target of order) runs.get(target.size).push(await visit(browser, target));
    }
    const of = (size, pick) => runs.get(size).map(pick);
    const base = of(50, (r) => r.firstCard);
    for (const size of [500, 5000]) {
      const times = of(size, (r) => r.firstCard);
      const ratio = median(times) / median(base);
      lines.push({
        what: `tab: navigation to the first card visible, ${size.toLocaleString('en-US')} pending vs 50`,
        a: ms(median(times)),
        b: ms(median(base)),
        value: `${ratio.toFixed(2)}x`,
        goal: '< 1.5x',
        met: ratio < 1.5,
        spread: spread(times.map((t, i) => t / base[i])).map((r) => `${r.toFixed(2)}x`),
        labels: [`${size}`, '50'],
      });
    }
    for (const size of SIZES) {
      const elements = of(size, (r) => r.elements);
      const longest = of(size, (r) => r.longest);
      lines.push({
        what: `tab at ${size.toLocaleString('en-US')} pending: DOM elements once the first rows show, longest main-thread task during the load`,
        a: `${median(elements).toFixed(0)} elements`,
        b: `${ms(median(longest))} longest task`,
        value: ms(median(longest)),
        goal: '(reported)',
        met: true,
        spread: spread(longest).map(ms),
        labels: ['DOM', 'load'],
      });
    }
    const polls = of(5000, (r) => r.poll);
    const pollBytes = median(polls.map((p) => p.bytes));
    const pollLongest = median(polls.map((p) => p.longest));
    const worstPollTask = Math.max(...polls.map((p) => p.longest));
    lines.push({
      what: 'tab: unchanged poll at 5,000 pending (bytes on the wire with headers; longest task from the poll to 1 s after)',
      a: `${polls.map((p) => p.status).join('/')}, ${kb(pollBytes)}`,
      b: `${ms(pollLongest)} longest task (worst ${ms(worstPollTask)})`,
      value: `${kb(pollBytes)}, ${ms(worstPollTask)}`,
      goal: '< 50 KB, no task > 50 ms',
      met: pollBytes < 50_000 && worstPollTask <= 50,
      spread: spread(polls.map((p) => p.bytes)).map(kb),
      labels: ['poll', 'main thread'],
    });

    // Weight: every script the tab's first navigation (50 pending, outside Teams) loaded before the
    // first card showed, against all the reference's index.html loads (one chunk, built now). Not
    // only the tab's index.html: split chunks rendered at once are fetched at once, and count.
    const reference = await buildReference();
    try {
      const refBytes = initialJs(reference);
      const entryBytes = initialJs(join(root, 'tabs/dist'));
      const tabBytes = median(of(50, (r) => r.firstNavigationJs));
      const settled = median(of(50, (r) => r.settledJs));
      // The reference counts teams-js; the tab loads it (its own chunk) only when framed by Teams.
      const assets = join(root, 'tabs/dist/assets');
      const teamsBytes = lazyChunkJs(
        assets,
        readdirSync(assets).filter((f) => /^teams-host-.*\.js$/.test(f)),
        initialFiles(join(root, 'tabs/dist')),
      );
      const ratio = tabBytes / refBytes;
      lines.push({
        what: 'tab JS loaded before the first card (gzip) vs a bare Fluent DataGrid + Dialog + Field + teams-js page (this build)',
        a: `${kb(tabBytes)} (index.html's own ${kb(entryBytes)}; ${kb(settled)} by 1 s after; in Teams also teams-js, ${kb(teamsBytes)})`,
        b: kb(refBytes),
        value: `${ratio.toFixed(2)}x`,
        goal: '<= 1.0x',
        met: ratio <= 1,
        labels: ['tab', 'reference'],
      });
    } finally {
      rmSync(reference, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    for (const t of targets) {
      await t.server.stop();
      await t.sandbox.stop();
    }
  }
  return lines;
}

/** Measures the tab's lines and writes bench/results/tab.json; `npm run bench` prints them with the rest. */
export async function runTab({ rounds }) {
  const lines = await tabLines({ rounds });
  const result = { at: new Date().toISOString(), node: process.version, cpus: cpus().length, rounds, lines };
  const dir = resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tab.json'), JSON.stringify(result, null, 2) + '\n');
  return lines;
}

// `node bench/tab.js` (after `npm run build`): the tab's lines alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  for (const l of await runTab({ rounds })) {
    const [aLabel, bLabel] = l.labels;
    console.log(`\n${l.what}\n  ${aLabel} ${l.a}   ${bLabel} ${l.b}`);
    console.log(
      `  ${l.value}${l.spread ? ` [${l.spread.join(' .. ')}]` : ''}   goal ${l.goal}: ${l.met ? 'met' : 'MISSED'}`,
    );
  }
}
