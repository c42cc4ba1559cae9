// Webhook fan-out (issue 11, 6): BENCH_FANOUT (1,000) RequestCreated deliveries against a loopback Bot
// Connector that answers 429 to what goes beyond 50 posts a second, as Teams throttles an app. Each
// request is routed to one of 50 channels (by the flow name its delivery gives), so Teams' per-app
// limit is what binds, not one conversation's 60 in 30 s. Time to the last card against the least
// time the limit allows (the Nth post cannot come before floor((N - 1) / 50) s after the first), and
// how many requests got no card. In-process, embedded sandbox and PGlite, like the approval line.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../api/dist/config.js';
import { createLogger } from '../api/dist/log.js';
import { startServer } from '../api/dist/server.js';
import { startConnector } from './connector.js';

const SECRET = 'bench-fan-out-webhook-secret';
const TENANT = '00000000-0000-0000-0000-0000000000001';
const PER_SECOND = 50;
const CHANNELS = 50;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `aponoMs`: the sandbox's injected latency on every Apono call, set once the requests exist.
 * `concurrency`: DELIVERY_CONCURRENCY (the server's default when absent).
 */
export async function fanOutLine(count, { aponoMs = 0, concurrency } = {}) {
  const connector = await startConnector({ perSecond: PER_SECOND });
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      APONO_WEBHOOK_SECRET: SECRET,
      ...(concurrency ? { DELIVERY_CONCURRENCY: String(concurrency) } : {}),
    }),
    { log: createLogger('silent') },
  );
  const call = async (path, body, headers = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.status === 202 ? null : res.json();
  };
  try {
    // The bench sends its own deliveries (one flow name per channel), not the sandbox's.
    server.sandbox.configureWebhook(null);
    // Alex, the approver, has used the tab (so the bot knows him) but has no chat with the bot: his
    // cards are the channel copies alone.
    const { token } = await call('/api/sandbox/sign-in', { email: 'alexw@example.com' });
    await call('/api/requests', undefined, { authorization: `Bearer ${token}` });
    for (let i = 0; i < 50; i++) {
      const known = await server.db.query('select 1 from teams_users where lower(email) = $1', [
        'alexw@example.com',
      ]);
      if (known.length) break;
      await sleep(100);
    }
    const channels = Array.from({ length: CHANNELS }, (_, i) => `19:bench-channel-${i}@thread.tacv2`);
    for (const [i, conversationId] of channels.entries()) {
      await server.db.query(
        `insert into teams_channels (conversation_id, tenant_id, service_url, team_name, channel_name)
         values ($1, $2, $3, 'Bench', $4)`,
        [conversationId, TENANT, connector.url, `channel ${i}`],
      );
      await server.db.query(
        `insert into channel_routes (match, value, conversation_id, created_by) values ('flow', $1, $2, 'bench')`,
        [`bench-flow-${i}`, conversationId],
      );
    }
    const ids = [];
    for (let i = 0; i < count; i++) {
      const created = await call('/api/sandbox/requests', {
        requesterEmail: 'meganb@example.com',
        flowId: 'flow-prod-db',
      });
      ids.push(created.friendly_id);
    }

    connector.reset();
    if (aponoMs) await call('/api/sandbox/faults', { latencyMs: aponoMs });
    const started = performance.now();
    const firstAt = Date.now();
    // Apono sends deliveries as requests are made; here as fast as the webhook takes them, 20 at a time.
    for (let i = 0; i < ids.length; i += 20)
      await Promise.all(
        ids.slice(i, i + 20).map((id, j) =>
          call(
            '/api/apono/webhook',
            {
              event_type: 'AccessRequestCreated',
              event_time: `${Math.floor(Date.now() / 1000)}.000000000`,
              data: {
                friendly_id: id,
                access_flow: { name: `bench-flow-${(i + j) % CHANNELS}` },
                approvals: [{ approver: { email: 'alexw@example.com' } }],
              },
            },
            { authorization: `Bearer ${SECRET}` },
          ),
        ),
      );
    const webhooksIn = performance.now() - started;
    const posts = () =>
      connector.accepted.filter((c) => c.method === 'POST' && channels.includes(c.conversation));
    // Until every card arrived, or the queue has no work left (what has not arrived then never will:
    // dropped), or, as a last resort, well past any time a loaded machine needs.
    const deadline = Date.now() + Math.max(300_000, (count / PER_SECOND) * 15_000);
    for (let idle = 0; posts().length < count && idle < 3 && Date.now() < deadline;) {
      await sleep(500);
      idle = (await server.delivery.pending()) === 0 ? idle + 1 : 0;
    }
    await server.bot.notifications.idle();
    const dead = (await server.delivery.report()).dead;
    const cards = posts();
    const lastAt = cards.at(-1)?.at ?? Date.now();
    const took = (lastAt - firstAt) / 1000;
    const minimum = Math.floor((count - 1) / PER_SECOND);
    const dropped = count - cards.length;
    return {
      what: `webhook fan-out: ${count} RequestCreated to ${CHANNELS} channels, Teams answering 429 beyond ${PER_SECOND} posts/s${aponoMs ? `, Apono answering in ${aponoMs} ms` : ''}`,
      a: `${took.toFixed(1)} s to the last card`,
      b: `${minimum} s limit-bound minimum`,
      value: `${(took / Math.max(1, minimum)).toFixed(2)}x the minimum, ${dropped} dropped, ${connector.throttled()} answered 429, ${dead} dead letters`,
      goal: '0 dropped (time reported against the minimum)',
      met: dropped === 0 && dead === 0,
      seconds: took,
      detail: {
        cards: cards.length,
        webhooksAcceptedInMs: Math.round(webhooksIn),
        throttled: connector.throttled(),
        deadLetters: dead,
      },
    };
  } finally {
    await server.close();
    await connector.close();
  }
}
