import { describe, expect, it } from 'vitest';
import { toApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { seededRequestIds as ids } from './seed.js';
import { alex, lynne, megan, sandboxApp } from './testing.js';

describe('the sandbox admin API', () => {
  it('creates a request as a requester that reaches its approvers', async () => {
    const { as, admin } = sandboxApp();
    const created = await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: lynne, flowId: 'flow-aws-admin', justification: 'Rotate keys' })
      .expect(201);
    expect(created.body.id).toBe('AR-1041');
    const tasks = await as(alex).get(
      `/access-requests?scope=MyTasks&statuses=Pending&request_ids=${created.body.id}`,
    );
    const view = toApprovalRequest(tasks.body.data[0], { email: alex });
    expect(view).toMatchObject({ requireReason: true, accessFlow: 'AWS production access' });
    expect(view.viewer.approverReasons).toEqual(['You are a member of SRE Leads']);
    const mine = await as(lynne).get('/access-requests?scope=MyRequests&statuses=Pending');
    expect(mine.body.data.map((r: { id: string }) => r.id)).toContain(created.body.id);
  });

  it('validates new requests', async () => {
    const { admin } = sandboxApp();
    await admin().post('/api/sandbox/requests').send({ requesterEmail: 'not-an-email' }).expect(400);
    await admin().post('/api/sandbox/requests').send({ requesterEmail: megan }).expect(400);
    await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: 'nobody@example.com', flowId: 'flow-prod-db' })
      .expect(400);
    await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: megan, resources: ['no-such-thing'] })
      .expect(400);
    const bad = await admin()
      .post('/api/sandbox/requests')
      .set('content-type', 'application/json')
      .send('{')
      .expect(400);
    expect(bad.body.message).toMatch(/JSON/);
  });

  it('reseeds on reset', async () => {
    const { as, admin } = sandboxApp();
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await admin().post('/api/sandbox/reset').expect(200);
    expect((await as(alex).get(`/access-requests/${ids.plain}`)).body.status.status).toBe('Pending');
  });

  it('lists the users with their tokens and answers unknown routes with JSON', async () => {
    const { admin, base } = sandboxApp();
    const users = await admin().get('/api/sandbox/users').expect(200);
    expect(users.body.find((u: { email: string }) => u.email === alex)).toMatchObject({
      aadObjectId: '00000000-0000-0000-0000-0000000000020',
      tenantId: '00000000-0000-0000-0000-0000000000001',
      token: 'apono-sandbox-alexw',
    });
    expect((await admin().get('/api/sandbox/nope').expect(404)).body.message).toMatch(/No route/);
    expect((await admin().get(`${base}/nope`).expect(401)).body.message).toMatch(/token/);
    expect((await admin().get('/sandbox/apono/elsewhere').expect(404)).body.message).toMatch(/No route/);
  });
});
