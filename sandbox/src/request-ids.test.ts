import { describe, expect, it } from 'vitest';
import type { AponoAccessRequestPage } from '@apono-teams/domain/apono.js';
import { AponoSandbox, internalIdOf, requestIdModeFromEnv } from './sandbox.js';
import { seededRequestIds as ids } from './seed.js';
import { alex, megan, sandboxApp } from './testing.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const listIds = (body: unknown) => (body as AponoAccessRequestPage).data.map((r) => r.id);

describe('request IDs', () => {
  it('derives a stable, distinct, UUID-shaped internal ID from each friendly ID', () => {
    expect(internalIdOf('AR-1001')).toMatch(uuid);
    expect(internalIdOf('AR-1001')).toBe(internalIdOf('AR-1001'));
    const all = Array.from({ length: 200 }, (_, i) => internalIdOf(`AR-${1000 + i}`));
    expect(new Set(all).size).toBe(200);
  });

  it('reads SANDBOX_REQUEST_IDS: friendly by default, internal on request, anything else refused', () => {
    expect(requestIdModeFromEnv({})).toBe('friendly');
    expect(requestIdModeFromEnv({ SANDBOX_REQUEST_IDS: '' })).toBe('friendly');
    expect(requestIdModeFromEnv({ SANDBOX_REQUEST_IDS: 'friendly' })).toBe('friendly');
    expect(requestIdModeFromEnv({ SANDBOX_REQUEST_IDS: ' Internal ' })).toBe('internal');
    expect(() => requestIdModeFromEnv({ SANDBOX_REQUEST_IDS: 'uuid' })).toThrow(/friendly.*internal/);
    expect(new AponoSandbox().requestIds).toBe('friendly');
    expect(() => new AponoSandbox({ requestIds: 'uuid' as never })).toThrow(/requestIds/);
  });

  it('friendly mode: the client API shows AR numbers and takes only them; the UUID is 404', async () => {
    const { as } = sandboxApp({ requestIds: 'friendly' });
    const uuidOf = internalIdOf(ids.plain);
    const tasks = await as(alex).get('/access-requests?scope=MyTasks&statuses=Pending').expect(200);
    expect(listIds(tasks.body).every((id) => /^AR-\d+$/.test(id))).toBe(true);
    expect((await as(alex).get(`/access-requests/${ids.plain}`).expect(200)).body.id).toBe(ids.plain);
    await as(alex).get(`/access-requests/${uuidOf}`).expect(404);
    await as(alex).post(`/access-requests/${uuidOf}/approve`).expect(404);
    await as(alex).post(`/access-requests/${uuidOf}/reject`).expect(404);
    expect(
      listIds((await as(alex).get(`/access-requests?scope=MyTasks&request_ids=${uuidOf}`)).body),
    ).toEqual([]);
    expect(
      listIds((await as(alex).get(`/access-requests?scope=MyTasks&request_ids=${ids.plain}`)).body),
    ).toEqual([ids.plain]);
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
  });

  it('internal mode: the client API shows UUIDs and takes only them; the AR number is 404', async () => {
    const { as } = sandboxApp({ requestIds: 'internal' });
    const uuidOf = internalIdOf(ids.plain);
    for (const scope of ['MyTasks', 'MyHistoricTasks']) {
      const page = await as(alex).get(`/access-requests?scope=${scope}`).expect(200);
      expect(
        listIds(page.body).every((id) => uuid.test(id)),
        scope,
      ).toBe(true);
    }
    const mine = await as(megan).get('/access-requests?scope=MyRequests').expect(200);
    expect(listIds(mine.body)).toContain(uuidOf);
    const model = (await as(alex).get(`/access-requests/${uuidOf}`).expect(200)).body;
    expect(model.id).toBe(uuidOf);
    expect(JSON.stringify(model)).not.toContain(ids.plain);
    await as(alex).get(`/access-requests/${ids.plain}`).expect(404);
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(404);
    await as(alex).post(`/access-requests/${ids.plain}/reject`).expect(404);
    await as(alex).get(`/access-requests/${uuidOf.toUpperCase()}`).expect(404);
    expect(
      listIds((await as(alex).get(`/access-requests?scope=MyTasks&request_ids=${ids.plain}`)).body),
    ).toEqual([]);
    expect(
      listIds((await as(alex).get(`/access-requests?scope=MyTasks&request_ids=${uuidOf}`)).body),
    ).toEqual([uuidOf]);
    const approved = await as(alex).post(`/access-requests/${uuidOf}/approve`).expect(200);
    expect(approved.body.message).toBe(`Access request ${uuidOf} approved`);
    const again = await as(alex).post(`/access-requests/${uuidOf}/approve`).expect(400);
    expect(again.body.message).toBe(`Access request ${uuidOf} is not pending (status: Active)`);
  });

  it.each(['friendly', 'internal'] as const)(
    '%s mode: admin endpoints take either form; new requests get the next AR number and its UUID',
    async (mode) => {
      const { as, admin, idOf } = sandboxApp({ requestIds: mode });
      await admin()
        .post(`/api/sandbox/requests/${internalIdOf(ids.notYetEscalated)}/escalate`)
        .expect(200);
      await admin().post(`/api/sandbox/requests/${ids.notYetEscalated}/escalate`).expect(200);
      await admin().post(`/api/sandbox/requests/${ids.notYetEscalated}/escalate`).expect(400); // no tier left
      await admin()
        .post(`/api/sandbox/requests/${internalIdOf(ids.plain)}/expire`)
        .expect(200);
      await admin().post(`/api/sandbox/requests/${ids.hostileMarkdown}/expire`).expect(200);
      for (const id of [ids.plain, ids.hostileMarkdown]) {
        const model = await as(alex)
          .get(`/access-requests/${idOf(id)}`)
          .expect(200);
        expect(model.body.status.status, id).toBe('Revoked');
      }
      const created = await admin()
        .post('/api/sandbox/requests')
        .send({ requesterEmail: megan, resources: ['orders'] })
        .expect(201);
      expect(created.body).toMatchObject({
        id: idOf('AR-1041'),
        friendly_id: 'AR-1041',
        internal_id: internalIdOf('AR-1041'),
      });
      await as(alex)
        .get(`/access-requests/${idOf('AR-1041')}`)
        .expect(200);
    },
  );
});
