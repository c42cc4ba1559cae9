// Starts the real server for HTTP-level tests: sandbox mode, a free port, an in-memory PGlite (or
// the PostgreSQL given), and a count of the decisions that reached Apono.
import { loadConfig } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
type AnyJson = any;

// Servers sharing one test database share the key, as instances of one deployment do.
const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestServer extends RunningServer {
  /** Approve/reject calls Apono received, by request ID. */
  aponoDecisions: Array<{ requestId: string; action: string }>;
  /** The body of each of those calls, in the same order ({"justification": ...}). */
  aponoDecisionBodies: unknown[];
  /** Set to replace what the app hears back from Apono for a decision (after Apono received it). */
  afterAponoDecision: ((response: Response) => Response | Promise<Response>) | null;
  signIn(email: string): Promise<string>;
  call(
    method: string,
    path: string,
    token?: string | null,
    body?: unknown,
  ): Promise<{
    status: number;
    body: AnyJson;
    headers: Headers;
  }>;
}

/**
 * `{origin}` in an env value stands for the server's own origin (e.g.
 * `APONO_OAUTH_TOKEN_URL: '{origin}/sandbox/apono/oauth/token'`), known only once it listens.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { log?: Logger } = {},
): Promise<TestServer> {
  const aponoDecisions: TestServer['aponoDecisions'] = [];
  const aponoDecisionBodies: unknown[] = [];
  const withOrigin = (origin: string) =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{origin}', origin)]));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    DECISIONS_PER_MINUTE: '1000',
    TOKEN_ENCRYPTION_KEY: TEST_KEY,
    ...withOrigin('http://localhost'),
  });
  const late = Object.keys(env).filter((k) => env[k]!.includes('{origin}'));
  const server = await startServer(config, {
    log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    ...(late.length
      ? { configure: (origin: string) => Object.fromEntries(late.map((k) => [k, withOrigin(origin)[k]])) }
      : {}),
    aponoFetch: async (request) => {
      const m = /\/access-requests\/([^/]+)\/(approve|reject)$/.exec(new URL(request.url).pathname);
      if (!m || request.method !== 'POST') return fetch(request);
      aponoDecisions.push({ requestId: decodeURIComponent(m[1]!), action: m[2]! });
      aponoDecisionBodies.push(
        await request
          .clone()
          .json()
          .catch(() => null),
      );
      const response = await fetch(request);
      return test.afterAponoDecision ? test.afterAponoDecision(response) : response;
    },
  });
  const call: TestServer['call'] = async (method, path, token, body) => {
    const res = await fetch(server.url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const test: TestServer = {
    ...server,
    aponoDecisions,
    aponoDecisionBodies,
    afterAponoDecision: null,
    call,
    async signIn(email) {
      const res = await call('POST', '/api/sandbox/sign-in', null, { email });
      if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
  };
  return test;
}

/** Back to the seeded sandbox, no faults, nothing intercepted. The reset also clears the app's own
 * state of the sandbox world (decision claims and records, card copies), as POST /api/sandbox/reset does. */
export async function reseed(server: TestServer): Promise<void> {
  await server.call('POST', '/api/sandbox/reset', null, {});
  await server.call('DELETE', '/api/sandbox/faults');
  await server.call('POST', '/api/sandbox/settings', null, { disableApproverReason: false });
  server.aponoDecisions.length = 0;
  server.aponoDecisionBodies.length = 0;
  server.afterAponoDecision = null;
}
