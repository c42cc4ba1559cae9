import { describe, expect, it } from 'vitest';
import { internalIdOf } from './sandbox.js';
import { seededRequestIds as ids } from './seed.js';
import { alex, lynne, megan, sandboxApp } from './testing.js';

describe('the sandbox admin API', () => {
  it('creates a request as a requester, with the next AR number and its UUID, that reaches its approvers', async () => {
    const { as, admin } = sandboxApp();
    const created = await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: lynne, flowId: 'flow-aws-admin', justification: 'Rotate keys' })
      .expect(201);
    expect(created.body).toMatchObject({
      id: 'AR-1041',
      friendly_id: 'AR-1041',
      internal_id: internalIdOf('AR-1041'),
      status: { status: 'Pending', metadata: {} },
      require_approver_reason: true,
    });
    const tasks = await as(alex).get(
      `/access-requests?scope=MyTasks&statuses=Pending&request_ids=${created.body.id}`,
    );
    expect(tasks.body.data).toHaveLength(1);
    expect(tasks.body.data[0].challenge.approvers).toEqual([
      {
        name: 'SRE Leads',
        type: 'group',
        status: 'Pending',
        metadata: {},
        tier: null,
        tier_escalated_at: null,
      },
    ]);
    const mine = await as(lynne).get('/access-requests?scope=MyRequests&statuses=Pending');
    expect(mine.body.data.map((r: { id: string }) => r.id)).toContain(created.body.id);
    const next = await admin()
      .post('/api/sandbox/requests')
      .send({ requesterEmail: megan, resources: ['orders'] });
    expect(next.body.friendly_id).toBe('AR-1042');
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

  it('expires a request to Revoked and fails a granted one; a request that is over cannot expire', async () => {
    const { as, admin } = sandboxApp();
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(200);
    const revoked = (await as(megan).get(`/access-requests/${ids.plain}`)).body;
    expect(revoked.status.status).toBe('Revoked');
    expect(revoked.revocation_time).toBe(Date.parse('2026-03-02T09:00:00Z') / 1000);
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(400);
    await admin().post(`/api/sandbox/requests/${ids.plain}/fail`).expect(400);
    await as(alex).post(`/access-requests/${ids.hostileMarkdown}/approve`).expect(200);
    await admin().post(`/api/sandbox/requests/${ids.hostileMarkdown}/fail`).expect(200);
    expect((await as(alex).get(`/access-requests/${ids.hostileMarkdown}`)).body.status.status).toBe('Failed');
    await admin().post('/api/sandbox/requests/AR-9999/expire').expect(404);
  });

  it('reseeds on reset, and the reset answers once every onReset listener has finished', async () => {
    const { as, admin, sandbox } = sandboxApp();
    const calls: string[] = [];
    const unsubscribe = sandbox.onReset(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      calls.push('async listener done');
    });
    sandbox.onReset(() => void calls.push('sync listener'));
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await admin().post('/api/sandbox/reset').expect(200);
    expect(calls.sort()).toEqual(['async listener done', 'sync listener']);
    expect((await as(alex).get(`/access-requests/${ids.plain}`)).body.status.status).toBe('Pending');
    unsubscribe();
    await admin().post('/api/sandbox/reset').expect(200);
    expect(calls).toHaveLength(3);
  });

  it('answers 500 to a reset whose listener failed, after reseeding', async () => {
    const { as, admin, sandbox } = sandboxApp();
    sandbox.onReset(() => {
      throw new Error('app state not cleared');
    });
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    await admin().post('/api/sandbox/reset').expect(500);
    expect((await as(alex).get(`/access-requests/${ids.plain}`)).body.status.status).toBe('Pending');
    // A caller that does not wait for reset() is not left with an unhandled rejection.
    void sandbox.reset();
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('turns approver reasons off: the session says so and a required reason is no longer enforced', async () => {
    const { as, admin } = sandboxApp();
    expect((await as(alex).get('/session')).body.settings.disable_approver_reason).toBe(false);
    expect((await admin().get('/api/sandbox/settings').expect(200)).body).toEqual({
      settings: { disableApproverReason: false },
      requestIds: 'friendly',
    });
    const changed = await admin()
      .post('/api/sandbox/settings')
      .send({ disableApproverReason: true })
      .expect(200);
    expect(changed.body.settings).toEqual({ disableApproverReason: true });
    expect((await as(alex).get('/session')).body.settings.disable_approver_reason).toBe(true);
    await as(alex)
      .post(`/access-requests/${ids.requiresReason}/approve`, { justification: null })
      .expect(200);
    // Kept across reset, like faults.
    await admin().post('/api/sandbox/reset').expect(200);
    expect((await as(alex).get('/session')).body.settings.disable_approver_reason).toBe(true);
    await as(alex).post(`/access-requests/${ids.hostileHtml}/reject`, {}).expect(200);
    await admin().post('/api/sandbox/settings').send({ disableApproverReason: false }).expect(200);
    await admin().post('/api/sandbox/reset').expect(200);
    await as(alex)
      .post(`/access-requests/${ids.requiresReason}/approve`, { justification: null })
      .expect(400);
    await admin().post('/api/sandbox/settings').send({ disableApproverReason: 'yes' }).expect(400);
    await admin().post('/api/sandbox/settings').send({ somethingElse: true }).expect(400);
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
