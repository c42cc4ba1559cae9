// The Apono client when Apono is down, against a fake fetch: the breaker per base URL (opens, fails
// fast, half-opens, closes), reads retried with backoff, decisions and 4xx never retried.
import { describe, expect, it } from 'vitest';
import { AponoError, createAponoClient, type AponoResilience } from './client.js';

const TOKEN = 'apono-token-123';
const session = { user: { id: 'u1', name: 'Alex', email: 'alex@example.com' }, settings: {} };
const request = { id: 'AR-1', status: { status: 'Pending' }, access_groups: [] };
const page = (data: unknown[]) => ({ data, pagination: { total: data.length, has_more: false } });

type Answer =
  number | 'network' | 'hang' | { status: number; body?: unknown; headers?: Record<string, string> };

/** A fake Apono: answers from `script` in turn (the last one repeats), and notes when each call came. */
function fakeApono(...script: Answer[]) {
  const calls: Array<{ method: string; path: string; at: number }> = [];
  const fetch = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    calls.push({ method: req.method, path, at: Date.now() });
    const answer = script.length > 1 ? script.shift()! : script[0]!;
    if (answer === 'network') throw new TypeError('fetch failed');
    if (answer === 'hang')
      return new Promise((_ok, fail) =>
        req.signal.addEventListener('abort', () => fail(req.signal.reason as Error)),
      );
    const { status, body, headers } = typeof answer === 'number' ? { status: answer } : answer;
    const ok = status < 400;
    const payload =
      body ??
      (ok
        ? path.endsWith('/session')
          ? session
          : path.endsWith('/units') || path.endsWith('/access-requests')
            ? page([request])
            : path.endsWith('/approve') || path.endsWith('/reject')
              ? { message: 'done' }
              : request
        : { message: `status ${status}` });
    return new Response(JSON.stringify(payload), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  };
  return { calls, fetch, set: (...next: Answer[]) => script.splice(0, script.length, ...next) };
}

let n = 0;
/** Each client gets a base URL of its own (breakers are shared per base URL), unless given one. */
function client(
  apono: ReturnType<typeof fakeApono>,
  resilience: AponoResilience = {},
  baseUrl = `https://apono-${++n}.test`,
) {
  return createAponoClient({
    baseUrl,
    timeoutMs: 100,
    fetch: apono.fetch,
    resilience: { retryDelayMs: { initial: 10, max: 40 }, ...resilience },
  });
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AponoError,
  );
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('the circuit breaker on the Apono client', () => {
  it('opens after 5 calls in a row find Apono down, then fails fast without calling it', async () => {
    const apono = fakeApono(503);
    const api = client(apono, { readRetries: 0, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 5; i++)
      expect(await failure(api.session(TOKEN))).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(apono.calls).toHaveLength(5);

    const fast = await failure(api.getRequest(TOKEN, 'AR-1'));
    expect(fast).toBeInstanceOf(AponoError);
    expect(fast).toMatchObject({ kind: 'unavailable', status: null, notSent: true });
    expect(fast!.message).toMatch(/Apono is not answering/);
    expect(fast!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(fast!.retryAfterSeconds).toBeLessThanOrEqual(60);
    await failure(api.listRequests(TOKEN, { scope: 'MyTasks' }));
    await failure(api.listUnits(TOKEN, 'g1'));
    expect(apono.calls).toHaveLength(5); // nothing more reached Apono
  });

  it('counts timeouts and lost connections as Apono being down', async () => {
    const apono = fakeApono('hang', 'network', 'hang', 'network', 504, 200);
    const api = client(apono, { failuresToOpen: 5, readRetries: 0 });
    for (let i = 0; i < 5; i++)
      expect(await failure(api.session(TOKEN))).toMatchObject({ kind: 'unavailable', notSent: false });
    expect(await failure(api.session(TOKEN))).toMatchObject({ notSent: true });
    expect(apono.calls).toHaveLength(5);
  });

  it('half-opens after the interval, lets one probe through, and closes when Apono answers', async () => {
    const apono = fakeApono(503);
    const api = client(apono, { failuresToOpen: 3, halfOpenAfterMs: 150, readRetries: 0 });
    for (let i = 0; i < 3; i++) await failure(api.session(TOKEN));
    expect(await failure(api.session(TOKEN))).toMatchObject({ notSent: true, retryAfterSeconds: 1 });
    expect(apono.calls).toHaveLength(3);

    await sleep(200);
    apono.set(200);
    // Five people at once: one probe goes to Apono, the others wait for it, then all go through.
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => api.session(`${TOKEN}-${i}`)));
    expect(answers.map((a) => a.user.name)).toEqual(Array(5).fill('Alex'));
    expect(apono.calls).toHaveLength(3 + 5);
    await api.getRequest(TOKEN, 'AR-1');
    expect(apono.calls).toHaveLength(9);
  });

  it('opens again at once when the probe finds Apono still down', async () => {
    const apono = fakeApono(503);
    const api = client(apono, { failuresToOpen: 2, halfOpenAfterMs: 100, readRetries: 0 });
    await failure(api.session(TOKEN));
    await failure(api.session(TOKEN));
    await sleep(150);
    const probes = await Promise.all(
      Array.from({ length: 5 }, (_, i) => failure(api.session(`${TOKEN}-${i}`))),
    );
    expect(apono.calls).toHaveLength(3); // one probe, four callers told at once
    expect(probes.filter((e) => e?.status === 503)).toHaveLength(1);
    expect(probes.filter((e) => e?.notSent)).toHaveLength(4);
    expect(await failure(api.session(TOKEN))).toMatchObject({ notSent: true });
    expect(apono.calls).toHaveLength(3);
  });

  it('takes any answer from Apono, a refusal too, as Apono being up: the count starts again', async () => {
    const apono = fakeApono(503, 503, 503, 503, 404, 503, 503, 503, 503, 200);
    const api = client(apono, { failuresToOpen: 5, readRetries: 0 });
    for (let i = 0; i < 9; i++) await failure(api.getRequest(TOKEN, 'AR-1'));
    expect((await api.getRequest(TOKEN, 'AR-1')).id).toBe('AR-1');
    expect(apono.calls).toHaveLength(10);
  });

  it('is not opened by 429s: that is Apono slowing one caller down, and its Retry-After is passed on', async () => {
    const apono = fakeApono({ status: 429, headers: { 'retry-after': '7' } });
    const api = client(apono, { failuresToOpen: 2, readRetries: 2 });
    for (let i = 0; i < 6; i++)
      expect(await failure(api.session(TOKEN))).toMatchObject({
        kind: 'unavailable',
        status: 429,
        retryAfterSeconds: 7,
        notSent: false,
      });
    expect(apono.calls).toHaveLength(6); // neither retried nor cut off
  });

  it('is one breaker per Apono base URL, shared by every client of that URL', async () => {
    const down = fakeApono(503);
    const first = client(down, { failuresToOpen: 2, readRetries: 0 }, 'https://shared.apono.test/');
    const second = client(down, { readRetries: 0 }, 'https://shared.apono.test');
    await failure(first.session(TOKEN));
    await failure(second.session(TOKEN));
    expect(await failure(first.session(TOKEN))).toMatchObject({ notSent: true });
    expect(await failure(second.session(TOKEN))).toMatchObject({ notSent: true });
    expect(down.calls).toHaveLength(2);
    const other = fakeApono(200);
    expect((await client(other).session(TOKEN)).user.name).toBe('Alex');
    expect(other.calls).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries each read twice on a 5xx or a lost connection, with jittered backoff, then succeeds', async () => {
    const reads = {
      session: (api: ReturnType<typeof client>) => api.session(TOKEN),
      getRequest: (api: ReturnType<typeof client>) => api.getRequest(TOKEN, 'AR-1'),
      listRequests: (api: ReturnType<typeof client>) => api.listRequests(TOKEN, { scope: 'MyTasks' }),
      listUnits: (api: ReturnType<typeof client>) => api.listUnits(TOKEN, 'g1'),
    };
    for (const [name, run] of Object.entries(reads)) {
      const apono = fakeApono(503, 'network', 200);
      const api = client(apono, { retryDelayMs: { initial: 20, max: 60 } });
      await expect(run(api), name).resolves.toBeDefined();
      expect(apono.calls, name).toHaveLength(3);
      const gaps = apono.calls.slice(1).map((c, i) => c.at - apono.calls[i]!.at);
      for (const gap of gaps) expect(gap, name).toBeLessThan(60 + 50);
    }
  });

  it('gives a read up after 2 retries (3 attempts), which count once against the breaker', async () => {
    const apono = fakeApono(502);
    const api = client(apono, { failuresToOpen: 2 });
    expect(await failure(api.session(TOKEN))).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(apono.calls).toHaveLength(3);
    await failure(api.session(TOKEN));
    expect(apono.calls).toHaveLength(6);
    expect(await failure(api.session(TOKEN))).toMatchObject({ notSent: true });
    expect(apono.calls).toHaveLength(6);
  });

  it('waits between attempts within the configured bounds (100–400 ms by default)', async () => {
    const apono = fakeApono(503, 503, 200);
    const api = createAponoClient({
      baseUrl: 'https://defaults.apono.test',
      timeoutMs: 100,
      fetch: apono.fetch,
    });
    await api.session(TOKEN);
    const total = apono.calls[2]!.at - apono.calls[0]!.at;
    expect(total).toBeLessThan(800 + 100);
  });

  it('never retries a 4xx, 408 and 429 included', async () => {
    for (const status of [400, 401, 403, 404, 408, 409, 422, 429]) {
      const apono = fakeApono(status);
      const error = await failure(client(apono).getRequest(TOKEN, 'AR-1'));
      expect(error, String(status)).toBeInstanceOf(AponoError);
      expect(apono.calls, String(status)).toHaveLength(1);
    }
  });

  it('never retries a read that timed out: callers budget for one timeout', async () => {
    const apono = fakeApono('hang');
    const started = Date.now();
    expect(await failure(client(apono).session(TOKEN))).toMatchObject({
      kind: 'unavailable',
      timedOut: true,
    });
    expect(apono.calls).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('never retries a decision, whatever went wrong', async () => {
    for (const answer of [503, 'network', 'hang', 409] as const) {
      const apono = fakeApono(answer, 200);
      const error = await failure(client(apono).decide(TOKEN, 'AR-1', 'approve', 'ok'));
      expect(error, String(answer)).toBeInstanceOf(AponoError);
      expect(error!.notSent, String(answer)).toBe(false);
      expect(apono.calls, String(answer)).toEqual([
        expect.objectContaining({ method: 'POST', path: '/api/client/v1/access-requests/AR-1/approve' }),
      ]);
    }
  });

  it('fails a decision fast while the breaker is open, saying it was not sent', async () => {
    const apono = fakeApono(503);
    const api = client(apono, { failuresToOpen: 2, readRetries: 0 });
    await failure(api.decide(TOKEN, 'AR-1', 'reject', null)); // decisions count against the breaker too
    await failure(api.session(TOKEN));
    const error = await failure(api.decide(TOKEN, 'AR-1', 'approve', 'ok'));
    expect(error).toMatchObject({ kind: 'unavailable', notSent: true });
    expect(error!.retryAfterSeconds).toBeGreaterThan(0);
    expect(apono.calls).toHaveLength(2);
  });

  it('refuses a token no HTTP header can carry without calling Apono, and does not count it', async () => {
    const apono = fakeApono(200);
    const api = client(apono, { failuresToOpen: 1 });
    for (const token of ['abc\u0000def', 'abc\r\ndef', 'tökén', 'two words'])
      expect(await failure(api.session(token)), JSON.stringify(token)).toMatchObject({
        kind: 'unauthorized',
      });
    expect(apono.calls).toHaveLength(0);
    expect((await api.session(TOKEN)).user.name).toBe('Alex');
  });
});
