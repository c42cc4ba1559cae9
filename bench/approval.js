// One approval as the tab makes it (the list was read just before the click) and as a card's Approve
// makes it (the card's refresh read it just before), with Apono answering each call in 300 ms, against
// Apono's approve call alone: the ratio is about the number of Apono round trips on the decision's
// critical path. In-process with the embedded sandbox, whose reset also clears the app's state between
// rounds; each round waits for the work its decision queued (card updates, notices) before the next.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../api/dist/config.js';
import { createLogger } from '../api/dist/log.js';
import { startServer } from '../api/dist/server.js';
import { startConnector } from './connector.js';
import { alternate, median } from './measure.js';

const APONO_MS = Number(process.env.BENCH_APONO_MS ?? 300);
const TENANT = '00000000-0000-0000-0000-0000000000001';
const ALEX = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };

/** A card's Action.Execute from Alex in his 1:1 chat, as Teams sends it (adaptiveCard/action invoke). */
function cardAction(serviceUrl, verb, data) {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: ALEX,
    recipient: { id: '28:bot', name: 'Apono Approvals' },
    conversation: { id: `a:personal-${ALEX.aadObjectId}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    locale: 'en-US',
    replyToId: `msg-bench-${data.requestId}`,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

async function ok(pending) {
  const res = await pending;
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function approvalLines(rounds, cardSamples) {
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'silent',
      DECISIONS_PER_MINUTE: '100000',
    }),
    { log: createLogger('silent') },
  );
  const post = (path, body, headers = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  try {
    const { token } = await ok(post('/api/sandbox/sign-in', { email: 'alexw@example.com' }));
    const app = { authorization: `Bearer ${token}` };
    await ok(post('/api/sandbox/faults', { latencyMs: APONO_MS }));
    const timed = async (before, call) => {
      await ok(post('/api/sandbox/reset', {}));
      await before();
      const started = performance.now();
      await ok(call());
      const took = performance.now() - started;
      await server.bot.notifications.idle(); // what the decision queued is done before the next round
      return took;
    };
    const { as, bs } = await alternate(
      rounds,
      () =>
        timed(
          () => ok(fetch(`${server.url}/api/requests`, { headers: app })),
          () => post('/api/requests/AR-1001/approve', { reason: 'bench' }, app),
        ),
      () =>
        timed(
          async () => undefined,
          () =>
            post(
              '/sandbox/apono/api/client/v1/access-requests/AR-1001/approve',
              { justification: 'bench' },
              { authorization: 'Bearer apono-sandbox-alexw' },
            ),
        ),
    );
    const ratio = median(as) / median(bs);
    // The card: Alex's Approve on a card he just opened (its refresh is the read before the decision),
    // timed until Teams has the invoke's answer; many samples, since the goal is on the slowest.
    const connector = await startConnector({
      members: [{ id: ALEX.id, name: ALEX.name, email: 'alexw@example.com', aadObjectId: ALEX.aadObjectId }],
    });
    const card = [];
    try {
      for (let i = 0; i < cardSamples; i++) {
        await ok(post('/api/sandbox/reset', {}));
        await ok(post('/api/sandbox/faults', { latencyMs: APONO_MS }));
        await ok(post('/api/messages', cardAction(connector.url, 'refresh', { requestId: 'AR-1001' })));
        const started = performance.now();
        const answer = await ok(
          post(
            '/api/messages',
            cardAction(connector.url, 'approve', { requestId: 'AR-1001', reason: 'bench' }),
          ),
        );
        card.push(performance.now() - started);
        // The approval, with its reason and no buttons left: not an error card, nor one still to decide.
        const shown = JSON.stringify(answer);
        if (!shown.includes('bench') || shown.includes('"verb":"approve"'))
          throw new Error(`the card answer does not show the approval: ${shown.slice(0, 300)}`);
        // Each sample alone: the updates and notices the last one queued are done before the next reset.
        await server.bot.notifications.idle();
      }
    } finally {
      await connector.close();
    }
    card.sort((x, y) => x - y);
    const p99 = card[Math.min(card.length - 1, Math.floor(card.length * 0.99))];
    const cardLine = {
      what: `card Approve answer with Apono at ${APONO_MS} ms a call, p99 of ${card.length}`,
      a: `${p99.toFixed(0)} ms`,
      b: `${median(bs).toFixed(0)} ms`,
      value: `${p99.toFixed(0)} ms (median ${median(card).toFixed(0)} ms)`,
      goal: '< 0.6 s',
      met: p99 < 600,
      spread: [card[0], card.at(-1)].map((v) => `${v.toFixed(0)} ms`),
      labels: ['card p99', "Apono's approve alone, median"],
    };
    return [
      cardLine,
      {
        what: `one approval from the tab, Apono at ${APONO_MS} ms a call: app vs Apono's approve alone`,
        a: `${median(as).toFixed(0)} ms`,
        b: `${median(bs).toFixed(0)} ms`,
        value: `${ratio.toFixed(2)}x (about ${Math.round(ratio)} Apono round trip${Math.round(ratio) === 1 ? '' : 's'} in series)`,
        goal: '< 0.6 s',
        met: median(as) < 600,
        spread: [Math.min(...as), Math.max(...as)].map((v) => `${v.toFixed(0)} ms`),
      },
    ];
  } finally {
    await server.close();
  }
}
