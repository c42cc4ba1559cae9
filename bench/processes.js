// The processes a benchmark measures: the standalone Apono sandbox and the built server, each in its
// own Node process (as in production), so neither shares an event loop with the load generator.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A benchmark that fails half-way leaves no server behind.
const children = new Set();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

async function waitFor(url, headers, child, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    const res = await fetch(url, { headers }).catch(() => null);
    if (res?.ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

function start(script, env, readyPath, headers) {
  // PostgreSQL only where asked for: the bench's own DATABASE_URL is for its PostgreSQL line.
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const child = spawn(process.execPath, [join(root, script)], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return { child, ready: (url) => waitFor(url + readyPath, headers, child) };
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : NaN;
}

function stopper(child, cleanup = () => undefined) {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    cleanup();
  };
}

/** The standalone sandbox (`npm run sandbox`) on a free port. */
export async function startSandbox() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, ready } = start(
    'sandbox/dist/main.js',
    { SANDBOX_PORT: String(port) },
    '/api/client/v1/session',
    {
      authorization: 'Bearer apono-sandbox-alexw',
    },
  );
  await ready(url);
  return { url, pid: child.pid, stop: stopper(child) };
}

/** bench/relay.js, the least a proxy does, in front of `targetUrl`; `parse` reads and rewrites the JSON too. */
export async function startRelay(targetUrl, { parse = false } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, ready } = start(
    'bench/relay.js',
    { RELAY_PORT: String(port), RELAY_TARGET: targetUrl, RELAY_PARSE: parse ? '1' : '0' },
    '/',
    { authorization: 'Bearer apono-sandbox-alexw' },
  );
  await ready(url);
  return { url, pid: child.pid, stop: stopper(child) };
}

/**
 * The built server as `npm start` runs it, in a fresh data folder: PGlite there unless `env` sets
 * DATABASE_URL; the embedded sandbox unless it sets APONO_BASE_URL.
 */
export async function startServer(env = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  const { child, ready } = start(
    'api/dist/main.js',
    { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DECISIONS_PER_MINUTE: '100000', ...env },
    '/readyz',
  );
  await ready(url);
  return {
    url,
    pid: child.pid,
    stop: stopper(child, () => rmSync(dataDir, { recursive: true, force: true })),
  };
}

/** A sandbox user's Teams sign-in token for the server (sandbox mode's sign-in page). */
export async function signIn(serverUrl, email) {
  const res = await fetch(`${serverUrl}/api/sandbox/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (!res.ok) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}
