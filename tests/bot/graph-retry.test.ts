// Microsoft Graph throttles proactive installation like any other call (Microsoft Learn, "Microsoft
// Graph throttling guidance": 429 with Retry-After, 503/504 when busy). The installer waits as long as
// Graph asks and tries again, with the same backoff as the Bot Connector's calls; when Graph stays
// busy it gives up with an error an admin can read, instead of calling without end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryAfterMs, isRetryable } from '../../api/src/delivery/retry.js';
import { createLogger } from '../../api/src/log.js';
import { createGraphInstaller, GraphInstallError } from '../../api/src/teams/graph-install.js';
import { startFakeGraph } from './fake-graph.js';

const MANIFEST_ID = '11111111-2222-3333-4444-555555555555';
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
const waits: number[] = [];

beforeAll(async () => {
  graph = await startFakeGraph(MANIFEST_ID);
});
afterAll(() => graph?.close());

const installer = () =>
  createGraphInstaller({
    graphUrl: graph.url,
    loginUrl: graph.url,
    tenantId: 'tenant-1',
    clientId: 'client',
    clientSecret: 'secret',
    manifestAppId: MANIFEST_ID,
    log: createLogger('silent'),
    // The waits are recorded rather than slept, so the test reads what Graph was answered with.
    retry: {
      attempts: 4,
      baseMs: 100,
      maxMs: 30_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  });

describe('proactive installation through a throttling Graph', () => {
  it('waits as long as each 429 says, retries a 503, and installs once', async () => {
    waits.length = 0;
    graph.calls.length = 0;
    // The token endpoint is busy once; then the install itself is throttled twice.
    graph.busyNext.push(
      { status: 503, on: '/oauth2/' },
      { status: 429, retryAfter: '7', on: '/installedApps' },
      { status: 429, retryAfter: '2', on: '/installedApps' },
    );
    const chat = await installer().installFor('dana@example.com');
    expect(chat).toBe('19:chat-dana@example.com@unq.gbl.spaces');
    const asked = (part: string) => graph.calls.filter((c) => c.url.includes(part)).length;
    expect([asked('/oauth2/v2.0/token'), asked('/appCatalogs/teamsApps?'), asked('/installedApps')]).toEqual([
      2, 1, 5,
    ]);
    expect(graph.installed.has('dana@example.com')).toBe(true);
    // After the 503 a jittered backoff (up to the first step); then Graph's own waits.
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits.slice(1)).toEqual([7000, 2000]);
  });

  it('gives up when Graph stays busy, saying so', async () => {
    waits.length = 0;
    graph.busyNext.length = 0;
    for (let i = 0; i < 4; i++) graph.busyNext.push({ status: 429, retryAfter: '1' });
    const failed = await installer()
      .installFor('erin@example.com')
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(GraphInstallError);
    expect(failed).toMatchObject({ status: 429, code: 'throttled' });
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(graph.installed.has('erin@example.com')).toBe(false);
  });

  it('does not retry what waiting will not fix', async () => {
    waits.length = 0;
    graph.refuse.set('frank@example.com', 403);
    await expect(installer().installFor('frank@example.com')).rejects.toMatchObject({
      status: 403,
      code: 'Forbidden',
    });
    expect(waits).toEqual([]);
  });
});

describe('what counts as worth retrying', () => {
  it('includes fetch timeouts and dropped sockets, and reads Retry-After from fetch headers', () => {
    expect(isRetryable(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }))).toBe(false);
    expect(retryAfterMs({ response: { headers: new Headers({ 'retry-after': '3' }) } })).toBe(3000);
  });
});
