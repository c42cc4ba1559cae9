// Two instances behind one webhook URL, one PostgreSQL database and one Apono: Apono may deliver a
// webhook twice, and the load balancer may hand each copy to a different instance at the same moment.
// Each approver still gets one card. The waits are generous: a job that finds another instance holding an
// unsent claim retries later (notifications.onChanged), which on a loaded 2-core CI machine takes seconds.
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../../api/src/server.js';
import { startPostgres, type TestPostgres } from '../../api/src/test-support/postgres.js';
import {
  activities,
  people,
  post,
  startBotServer,
  startFakeConnector,
  waitUntil,
  type FakeConnector,
  type Person,
} from './support.js';

const SECRET = 'two-instances-webhook-secret';
let pg: TestPostgres;
let connector: FakeConnector;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  pg = await startPostgres();
  connector = await startFakeConnector();
  const shared = {
    DATABASE_URL: pg.url,
    APONO_WEBHOOK_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  };
  a = await startBotServer(shared);
  b = await startBotServer({ ...shared, APONO_BASE_URL: `${a.url}/sandbox/apono` });
}, 90_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await connector?.close();
  pg?.stop();
});

const chatOf = (who: Person) => `/v3/conversations/a:personal-${who.aadObjectId}/activities`;
const cardsFor = (who: Person, id: string) =>
  connector
    .sent()
    .filter((c) => c.path === chatOf(who) && JSON.stringify(c.body).includes(`Access request ${id}`));

it('one webhook delivered to both instances at once sends each approver one card', async () => {
  // Each person talks to a different instance; the conversation references are in the shared database.
  for (const [i, who] of [people.alex, people.adele, people.megan].entries())
    expect(
      (await post(i % 2 ? b : a, activities.message(who, 'help', { serviceUrl: connector.url }))).status,
    ).toBe(200);
  a.sandbox!.configureWebhook(null);
  const created = await request(a.url)
    .post('/api/sandbox/requests')
    .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification: 'Two instances' })
    .expect(201);
  const id = (created.body as { id: string }).id;
  connector.reset();

  const delivery = {
    event_type: 'AccessRequestCreated',
    event_time: '1796263265.851000000',
    data: { id, friendly_id: id },
  };
  const answers = await Promise.all(
    [a, b, a, b].map((server) =>
      request(server.url).post('/api/apono/webhook').set('Authorization', `Bearer ${SECRET}`).send(delivery),
    ),
  );
  // The shared database knows the delivery once: one copy is taken (202), the others are duplicates (200).
  expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
  expect(answers.filter((r) => r.status === 200).map((r) => r.body)).toEqual(
    Array(3).fill({ status: 'duplicate' }),
  );
  await waitUntil(
    a,
    () => cardsFor(people.alex, id).length > 0 && cardsFor(people.adele, id).length > 0,
    30_000,
  );
  await b.bot.notifications.idle();
  await new Promise((r) => setTimeout(r, 300));
  await Promise.all([a.bot.notifications.idle(), b.bot.notifications.idle()]);

  expect(cardsFor(people.alex, id)).toHaveLength(1);
  expect(cardsFor(people.adele, id)).toHaveLength(1);
  expect(cardsFor(people.megan, id)).toEqual([]); // the requester is not an approver
  const stored = await a.db.query<{ n: string }>(
    'select count(*) as n from teams_cards where request_id = $1',
    [id],
  );
  expect(Number(stored[0]!.n)).toBe(2);
}, 60_000);

it('two different deliveries about one new request, one per instance at once, still send one card each', async () => {
  const created = await request(a.url)
    .post('/api/sandbox/requests')
    .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification: 'Told twice' })
    .expect(201);
  const id = (created.body as { id: string }).id;
  connector.reset();
  const answers = await Promise.all(
    [
      [a, { event_type: 'AccessRequestCreated', event_time: '1796263265.000000001', data: { id } }],
      [
        b,
        { event_type: 'AccessRequestPending', event_time: '1796263265.000000002', data: { friendly_id: id } },
      ],
    ].map(([server, body]) =>
      request((server as RunningServer).url)
        .post('/api/apono/webhook')
        .set('Authorization', `Bearer ${SECRET}`)
        .send(body as object),
    ),
  );
  expect(answers.map((r) => r.status)).toEqual([202, 202]);
  await waitUntil(
    a,
    () => cardsFor(people.alex, id).length > 0 && cardsFor(people.adele, id).length > 0,
    30_000,
  );
  await new Promise((r) => setTimeout(r, 300));
  await Promise.all([a.bot.notifications.idle(), b.bot.notifications.idle()]);
  expect(cardsFor(people.alex, id)).toHaveLength(1);
  expect(cardsFor(people.adele, id)).toHaveLength(1);
}, 60_000);
