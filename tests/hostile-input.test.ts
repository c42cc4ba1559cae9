// What an attacker or a broken client sends, at every door the server has: the REST API, Adaptive Card
// actions, the message extension, Apono's webhook and sign-in. Not one of them may answer 5xx; every
// refusal is a 4xx in the one error shape; and the server still works for everyone afterwards.
import { request as httpRequest } from 'node:http';
import { isErrorBody } from '@apono-teams/domain/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../api/src/log.js';
import { startTestServer, type TestServer } from '../api/src/test-support/server.js';
import { activities, people, startFakeConnector, type FakeConnector } from './bot/support.js';

type Entry = 'REST' | 'card action' | 'message extension' | 'webhook' | 'sign-in';
type Answer = { status: number; body: unknown };
type Probe = { entry: Entry; name: string; send: () => Promise<Answer>; expect?: number };

const SECRET = 'hostile-input-webhook-secret';
const NUL = '\u0000';
const LONE = '\ud83d'; // the first half of an emoji
/** Canaries: none of these may appear in any log line, even at debug. */
const REASON = 'canary-reason-7f3a';
const TOKEN = 'canary-apono-token-91c2';
const APONO_TOKEN = 'apono-sandbox-alexw';
/** The encryption key startTestServer gives every server it starts. */
const TEST_KEY_BASE64 = Buffer.alloc(32, 7).toString('base64');
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

let server: TestServer;
let connector: FakeConnector;
let alex: string;

/** Sends exactly these bytes to this path: no client-side checks or re-encoding in between. */
function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const url = new URL(server.url);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* kept as text: the test then fails on the shape */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (method: string, path: string, body: unknown, token: string | null = alex) =>
  raw(method, path, typeof body === 'string' ? body : JSON.stringify(body), {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });

const webhook = (body: string | object, headers: Record<string, string> = {}) =>
  raw('POST', '/api/apono/webhook', typeof body === 'string' ? body : JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${SECRET}`,
    ...headers,
  });

const bot = (activity: object | string) =>
  raw('POST', '/api/messages', typeof activity === 'string' ? activity : JSON.stringify(activity), {
    'content-type': 'application/json',
  });

// Probes are listed before the servers start (to name the tests) and built again once they run.
const options = () => ({ serviceUrl: connector?.url ?? 'http://127.0.0.1:9' });
const card = (data: Record<string, unknown>, verb = 'approve') =>
  activities.cardAction(people.alex, verb, data, options());
const search = (value: unknown) => ({ ...activities.search(people.alex, 'x', options()), value });

function probes(): Probe[] {
  const rest = (name: string, send: () => Promise<Answer>, status?: number): Probe => ({
    entry: 'REST',
    name,
    send,
    ...(status ? { expect: status } : {}),
  });
  const cardAction = (name: string, activity: object): Probe => ({
    entry: 'card action',
    name,
    send: () => bot(activity),
  });
  const extension = (name: string, activity: object): Probe => ({
    entry: 'message extension',
    name,
    send: () => bot(activity),
  });
  const hook = (name: string, send: () => Promise<Answer>, status?: number): Probe => ({
    entry: 'webhook',
    name,
    send,
    ...(status ? { expect: status } : {}),
  });
  const signIn = (name: string, send: () => Promise<Answer>, status?: number): Probe => ({
    entry: 'sign-in',
    name,
    send,
    ...(status ? { expect: status } : {}),
  });
  const withFrom = (from: object) => ({ ...card({ requestId: 'AR-1001', reason: REASON }), from });
  const base = card({ requestId: 'AR-1001' });
  return [
    rest(
      'undecodable percent-encoding in an ID',
      () => json('GET', '/api/requests/%E0%A4%A', undefined),
      400,
    ),
    rest('undecodable percent-encoding in a decision', () =>
      json('POST', '/api/requests/%E0%A4%A/approve', { reason: REASON }),
    ),
    rest('a NUL in an ID', () => json('GET', '/api/requests/AR-1001%00', undefined)),
    rest('an ID that climbs out of the path', () =>
      json('GET', '/api/requests/..%2F..%2Fsession', undefined),
    ),
    rest('a 5,000-character ID', () => json('GET', `/api/requests/${'A'.repeat(5000)}`, undefined)),
    rest(
      'a 20,000-character URL',
      () => json('GET', `/api/requests?q=${'x'.repeat(20_000)}`, undefined),
      431,
    ),
    rest('a reason that is an object', () => json('POST', '/api/requests/AR-1001/approve', { reason: {} })),
    rest('a reason that is a number', () => json('POST', '/api/requests/AR-1001/reject', { reason: 7 })),
    rest('a body that is an array', () => json('POST', '/api/requests/AR-1001/approve', [1, 2])),
    rest('a body that is not JSON', () => json('POST', '/api/requests/AR-1001/approve', '{"reason":')),
    rest('a body that is not declared JSON', () =>
      raw('POST', '/api/requests/AR-1001/approve', 'reason=ok', {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${alex}`,
      }),
    ),
    rest('a body nested 50,000 deep', () => json('POST', '/api/requests/AR-1001/approve', deep(50_000))),
    rest('a __proto__ key', () =>
      json('POST', '/api/requests/AR-1001/approve', `{"__proto__":{"admin":true},"reason":"${REASON}"}`),
    ),
    rest('a reason with a NUL', () =>
      json('POST', '/api/requests/AR-1002/approve', { reason: `${REASON}${NUL}b` }),
    ),
    rest('a reason with half an emoji', () =>
      json('POST', '/api/requests/AR-1002/approve', `{"reason":"${REASON}\\ud83d"}`),
    ),
    rest('a 1 MB body', () => json('POST', '/api/requests/AR-1002/approve', { reason: 'x'.repeat(1 << 20) })),
    rest('a forged token', () =>
      json('GET', '/api/requests', undefined, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
    ),
    rest('a token of 8,000 characters', () => json('GET', '/api/requests', undefined, 'a'.repeat(8000))),
    rest('a query parameter given twice', () =>
      json('GET', '/api/requests/history?limit=1&limit=2', undefined),
    ),
    rest('an Apono token that is an object', () => json('PUT', '/api/connection', { token: { a: 1 } })),
    rest('an Apono token with a NUL', () => json('PUT', '/api/connection', { token: `${TOKEN}${NUL}def` })),
    rest('an Apono token with a line break', () =>
      json('PUT', '/api/connection', { token: `${TOKEN}\r\nX-A: b` }),
    ),
    rest('an Apono token of 30,000 characters', () =>
      json('PUT', '/api/connection', { token: 'a'.repeat(30_000) }),
    ),

    cardAction('a request ID that is an object', card({ requestId: { $ne: 1 } })),
    cardAction('a request ID that is a number', card({ requestId: 1001 })),
    cardAction('a request ID with undecodable percent-encoding', card({ requestId: '%E0%A4%A' })),
    cardAction('a request ID with a NUL', card({ requestId: `AR-1001${NUL}` })),
    cardAction('a request ID of 5,000 characters', card({ requestId: 'A'.repeat(5000) })),
    cardAction('a reason that is an object', card({ requestId: 'AR-1001', reason: { a: 1 } })),
    cardAction('a reason with a NUL', card({ requestId: 'AR-1001', reason: `${REASON}${NUL}` })),
    cardAction('a reason with half an emoji', card({ requestId: 'AR-1001', reason: `${REASON}${LONE}` })),
    cardAction('an unknown verb', card({ requestId: 'AR-1001' }, 'delete')),
    cardAction('no action at all', { ...base, value: {} }),
    cardAction('a value that is a string', { ...base, value: 'approve' }),
    cardAction('a NUL in from.name', withFrom({ ...base.from, name: `Alex${NUL}` })),
    cardAction('half an emoji in from.name', withFrom({ ...base.from, name: `Alex${LONE}` })),
    cardAction('a NUL in conversation.id', {
      ...base,
      conversation: { ...base.conversation, id: `a:x${NUL}` },
    }),
    cardAction('a from that is a string', { ...base, from: 'alex' }),
    cardAction('no conversation', { ...base, conversation: undefined }),
    cardAction('a NUL in a message text', {
      ...activities.message(people.alex, `help${NUL}`, options()),
    }),
    cardAction('a NUL in the conversation of a message', {
      ...activities.message(people.alex, 'help', options()),
      conversation: { ...base.conversation, id: `a:personal${NUL}` },
    }),
    cardAction('a NUL in the name of who installed the app', {
      ...activities.appInstalled(people.alex, options()),
      from: { ...base.from, name: `Alex${NUL}` },
    }),
    cardAction('half an emoji in the conversation of an installation', {
      ...activities.botInstalled(people.alex, options()),
      conversation: { ...base.conversation, id: `a:personal${LONE}` },
    }),
    cardAction('a NUL in the sender of a message', {
      ...activities.message(people.alex, 'help', options()),
      from: { ...base.from, name: `Alex${NUL}` },
    }),
    {
      entry: 'card action',
      name: 'an activity that is not JSON',
      send: () => bot('{"type":"invoke"'),
    },
    { entry: 'card action', name: 'an activity nested 50,000 deep', send: () => bot(deep(50_000)) },

    extension(
      'parameters given as an object',
      search({ commandId: 'searchRequests', parameters: { query: 'x' } }),
    ),
    extension('parameters missing', search({ commandId: 'searchRequests' })),
    extension(
      'a query value that is an object',
      search({ commandId: 'searchRequests', parameters: [{ name: 'query', value: {} }] }),
    ),
    extension(
      'a query with a NUL',
      search({ commandId: 'searchRequests', parameters: [{ name: 'query', value: NUL }] }),
    ),
    extension('a skip that is negative and a count that is huge', {
      ...search({ commandId: 'searchRequests', parameters: [{ name: 'query', value: 'AR' }] }),
      value: {
        commandId: 'searchRequests',
        parameters: [{ name: 'query', value: 'AR' }],
        queryOptions: { skip: -5, count: 1e9 },
      },
    }),
    extension(
      'a skip that is a string',
      search({
        commandId: 'searchRequests',
        parameters: [{ name: 'query', value: 'AR' }],
        queryOptions: { skip: 'all', count: '25' },
      }),
    ),
    extension('an unknown command', search({ commandId: 'rm -rf', parameters: [] })),
    extension('a value that is a number', search(42)),
    extension('a link that is not a string', {
      ...activities.queryLink(people.alex, 'x', options()),
      value: { url: {} },
    }),
    extension(
      'a link of 20,000 characters',
      activities.queryLink(people.alex, `https://portal.apono.io/${'a'.repeat(20_000)}`, options()),
    ),
    extension(
      'a link with a NUL',
      activities.queryLink(people.alex, `https://portal.apono.io/requests/AR-1001${NUL}`, options()),
    ),

    hook('a body nested 50,000 deep', () =>
      webhook(`{"data":{"friendly_id":"AR-1001","x":${deep(50_000)}}}`),
    ),
    hook('a body that is deep arrays only', () => webhook(deep(50_000))),
    hook('a body that is an array', () => webhook([{ data: { friendly_id: 'AR-1001' } }])),
    hook('a request ID that is an object', () => webhook({ data: { friendly_id: { a: 1 } } }), 400),
    hook('a request ID with a NUL', () => webhook({ data: { friendly_id: `AR-1001${NUL}` } })),
    hook('a requester email with a NUL', () =>
      webhook({
        event_type: 'AccessRequestCreated',
        data: { friendly_id: 'AR-1001', requester: { email: `m${NUL}@x` } },
      }),
    ),
    hook('an approver name with half an emoji', () =>
      webhook(
        `{"event_type":"X","event_time":"1.5","data":{"friendly_id":"AR-1001","approvals":[{"name":"a\\ud83d","type":"user","approver":{"name":"\\ud83d"}}]}}`,
      ),
    ),
    hook('approvals that are an object', () =>
      webhook({ data: { friendly_id: 'AR-1001', approvals: { a: 1 } } }),
    ),
    hook('an event time that is an object', () =>
      webhook({ event_time: { s: 1 }, data: { friendly_id: 'AR-1001' } }),
    ),
    hook('a body that is not JSON', () => webhook('{"data":')),
    hook(
      'a body of 300 KB',
      () => webhook({ data: { friendly_id: 'AR-1001', pad: 'x'.repeat(300_000) } }),
      413,
    ),
    hook('an empty body', () => webhook('')),
    hook('no secret', () => webhook({ data: { friendly_id: 'AR-1001' } }, { authorization: '' }), 401),
    hook('a secret of 15,000 characters', () =>
      webhook({ data: { friendly_id: 'AR-1001' } }, { authorization: `Bearer ${'a'.repeat(15_000)}` }),
    ),

    signIn('an email that is an object', () =>
      json('POST', '/api/sandbox/sign-in', { email: { a: 1 } }, null),
    ),
    signIn('an email with a NUL', () =>
      json('POST', '/api/sandbox/sign-in', { email: `alexw@example.com${NUL}` }, null),
    ),
    signIn('an email of 100,000 characters', () =>
      json('POST', '/api/sandbox/sign-in', { email: 'a'.repeat(100_000) }, null),
    ),
    signIn('no body', () => raw('POST', '/api/sandbox/sign-in')),
    signIn('an OAuth callback with a forged state', () =>
      raw('GET', '/api/connection/oauth/callback?state=forged&code=abc'),
    ),
    signIn('an OAuth callback with undecodable percent-encoding', () =>
      raw('GET', '/api/connection/oauth/callback?state=%E0%A4%A&code=%ZZ'),
    ),
    signIn('an OAuth callback with state and code given twice', () =>
      raw('GET', '/api/connection/oauth/callback?state=a&state=b&code=c&code=d'),
    ),
    signIn('an OAuth start without a token', () => raw('GET', '/api/connection/oauth/start')),
    signIn('an auth-end page with markup in the address', () =>
      raw('GET', '/auth-end?status=error&message=%3Cscript%3Ealert(1)%3C%2Fscript%3E'),
    ),
  ];
}

const logLines: string[] = [];

beforeAll(async () => {
  connector = await startFakeConnector();
  const log = createLogger('debug', { write: (line: string) => void logLines.push(line) });
  server = await startTestServer(
    {
      APONO_WEBHOOK_SECRET: SECRET,
      APONO_OAUTH_CLIENT_ID: 'teams-app',
      APONO_OAUTH_AUTHORIZE_URL: '{origin}/sandbox/apono/oauth/authorize',
      APONO_OAUTH_TOKEN_URL: '{origin}/sandbox/apono/oauth/token',
    },
    { log },
  );
  alex = await server.signIn('alexw@example.com');
  await server.call('PUT', '/api/connection', alex, { token: APONO_TOKEN });
  expect((await server.call('GET', '/api/requests', alex)).status).toBe(200); // connected
}, 60_000);

afterAll(async () => {
  await server?.close();
  await connector?.close();
});

describe('hostile input at every entry point', () => {
  const tried = new Map<Entry, number>();
  const list = probes;

  it.each(probes().map((p) => [p.entry, p.name, p] as const))(
    '%s: %s is refused or handled, never 5xx',
    async (entry, _name, probe) => {
      const index = list().findIndex((p) => p.entry === entry && p.name === probe.name);
      const answer = await list()[index]!.send();
      tried.set(entry, (tried.get(entry) ?? 0) + 1);
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBeLessThan(500);
      if (probe.expect) expect(answer.status).toBe(probe.expect);
      if (answer.status >= 400 && !probe.name.startsWith('an auth-end'))
        expect(isErrorBody(answer.body), JSON.stringify(answer.body).slice(0, 300)).toBe(true);
    },
  );

  it('leaves the server working for everyone', async () => {
    expect((await raw('GET', '/healthz')).status).toBe(200);
    expect((await server.call('GET', '/api/requests', alex)).status).toBe(200);
    const decided = await server.call('POST', '/api/requests/AR-1003/approve', alex, { reason: 'fine' });
    expect(decided.status).toBe(200);
    // Nothing any probe sent that is secret reached a log line at LOG_LEVEL=debug.
    const logged = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(100);
    for (const secret of [SECRET, alex, APONO_TOKEN, TOKEN, REASON, TEST_KEY_BASE64])
      expect(logged.includes(secret), `a log line holds ${secret.slice(0, 12)}…`).toBe(false);
    console.log(`log lines at debug: ${logLines.length}, holding a token, secret, key or reason: 0`);
    console.log(
      `hostile inputs tried per entry point, none answered 5xx: ${[...tried].map(([e, n]) => `${e} ${n}`).join(', ')}`,
    );
  });
});
