import { describe, expect, it } from 'vitest';
import type { AponoAccessRequest } from '@apono-teams/domain/apono.js';
import { toApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { seededRequestIds as ids } from './seed.js';
import { adele, alex, fixedNow, isaiah, lynne, megan, patti, sandboxApp } from './testing.js';

const reasonOf = (n: number) => 'r'.repeat(n);

describe('deciding access requests', () => {
  it('AnyOf: one approval approves and grants the request; a second decision is refused', async () => {
    const { as } = sandboxApp();
    const res = await as(alex)
      .post(`/access-requests/${ids.plain}/approve`, { justification: null })
      .expect(200);
    expect(res.body.message).toMatch(/approved/);
    const model = (await as(megan).get(`/access-requests/${ids.plain}`)).body as AponoAccessRequest;
    expect(model.status.status).toBe('Granted');
    expect(model.revocation_time).toBeGreaterThan(model.creation_time);
    const again = await as(adele)
      .post(`/access-requests/${ids.plain}/reject`, { justification: 'no' })
      .expect(400);
    expect(again.body.message).toBe(`Access request ${ids.plain} is not pending (status: Granted)`);
    const history = await as(adele).get('/access-requests?scope=MyHistoricTasks&request_ids=' + ids.plain);
    expect(history.body.data).toHaveLength(1);
  });

  it('shows Approved first and Granted shortly after when granting takes time', async () => {
    const { as } = sandboxApp({ grantDelayMs: 50 });
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    expect((await as(alex).get(`/access-requests/${ids.plain}`)).body.status.status).toBe('Approved');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await as(alex).get(`/access-requests/${ids.plain}`)).body.status.status).toBe('Granted');
  });

  it('records who decided, when and why, on the request and on the deciding entry', async () => {
    const { as } = sandboxApp();
    await as(alex)
      .post(`/access-requests/${ids.requiresReason}/reject`, { justification: '  Use ReadOnly  ' })
      .expect(200);
    const model = (await as(megan).get(`/access-requests/${ids.requiresReason}`)).body as AponoAccessRequest;
    const expected = {
      decided_by_name: 'Alex Wilber',
      decided_by_email: alex,
      decided_at: String(fixedNow.getTime() / 1000),
      reason: 'Use ReadOnly',
    };
    expect(model.status.metadata).toMatchObject({ ...expected, access_flow_name: 'AWS production access' });
    expect(model.challenge!.approvers[0]!.metadata).toMatchObject(expected);
    expect(toApprovalRequest(model, { email: megan }).decision).toMatchObject({
      outcome: 'rejected',
      reason: 'Use ReadOnly',
    });
  });

  it('AllOf: the request stays pending until every approver approves', async () => {
    const { as } = sandboxApp();
    await as(alex).post(`/access-requests/${ids.allOf}/approve`, { justification: 'Checked' }).expect(200);
    let model = (await as(alex).get(`/access-requests/${ids.allOf}`)).body as AponoAccessRequest;
    expect(model.status.status).toBe('Pending');
    expect(model.challenge!.approvers.map((a) => a.status)).toEqual(['Approved', 'Pending']);
    expect(toApprovalRequest(model, { email: alex }).viewer.canDecide).toBe(false);
    await as(alex).post(`/access-requests/${ids.allOf}/approve`, { justification: 'Twice' }).expect(400);
    await as(adele)
      .post(`/access-requests/${ids.allOf}/approve`, { justification: 'Second pair of eyes' })
      .expect(200);
    model = (await as(alex).get(`/access-requests/${ids.allOf}`)).body as AponoAccessRequest;
    expect(model.status.status).toBe('Granted');
  });

  it('any rejection rejects an AllOf request even after another approver approved', async () => {
    const { as } = sandboxApp();
    await as(alex)
      .post(`/access-requests/${ids.allOfHalfApproved}/reject`, { justification: 'Too broad' })
      .expect(200);
    const model = (await as(lynne).get(`/access-requests/${ids.allOfHalfApproved}`))
      .body as AponoAccessRequest;
    expect(model.status.status).toBe('Rejected');
  });

  it('escalation: a later tier decides only after the request was escalated to it', async () => {
    const { as, admin } = sandboxApp();
    const tasks = await as(alex).get(`/access-requests?scope=MyTasks&request_ids=${ids.notYetEscalated}`);
    expect(tasks.body.data).toEqual([]);
    const refused = await as(alex).post(`/access-requests/${ids.notYetEscalated}/approve`).expect(403);
    expect(refused.body.message).toMatch(/tier \(2\)/);
    await admin().post(`/api/sandbox/requests/${ids.notYetEscalated}/escalate`).expect(200);
    const model = (await as(alex).get(`/access-requests/${ids.notYetEscalated}`)).body as AponoAccessRequest;
    expect(toApprovalRequest(model, { email: alex }).approval?.currentTier).toBe(2);
    await as(alex).post(`/access-requests/${ids.notYetEscalated}/approve`).expect(200);
  });

  it('an escalated request shows its tiers and can be approved by the escalated tier', async () => {
    const { as } = sandboxApp();
    const model = (await as(alex).get(`/access-requests/${ids.threeTiersEscalated}`))
      .body as AponoAccessRequest;
    expect(model.challenge!.approvers.map((a) => a.tier)).toEqual([1, 2, 3]);
    expect(toApprovalRequest(model, { email: alex }).approval?.currentTier).toBe(3);
    await as(alex).post(`/access-requests/${ids.escalated}/approve`).expect(200);
  });

  it('refuses self-approval when the flow says so, while the requester still approves others', async () => {
    const { as } = sandboxApp();
    const res = await as(isaiah)
      .post(`/access-requests/${ids.selfApproval}/approve`, { justification: null })
      .expect(403);
    expect(res.body.message).toMatch(/own access requests/);
    const model = (await as(isaiah).get(`/access-requests/${ids.selfApproval}`)).body as AponoAccessRequest;
    expect(toApprovalRequest(model, { email: isaiah }).viewer).toMatchObject({
      isRequester: true,
      canDecide: false,
    });
    await as(isaiah).post('/access-requests/AR-1017/approve').expect(200);
  });

  it('refuses people who are not approvers', async () => {
    const { as } = sandboxApp();
    await as(patti).post(`/access-requests/${ids.plain}/approve`).expect(404);
    const own = await as(lynne).post(`/access-requests/${ids.hostileMarkdown}/approve`).expect(403);
    expect(own.body.message).toMatch(/not an approver/);
  });

  it('enforces the reason rule: required by the flow, at most 123 characters', async () => {
    const { as } = sandboxApp();
    const path = `/access-requests/${ids.requiresReason}`;
    const missing = await as(alex).post(`${path}/approve`, { justification: '   ' }).expect(400);
    expect(missing.body.message).toMatch(/requires a reason/);
    await as(alex).post(`${path}/reject`, {}).expect(400);
    const long = await as(alex)
      .post(`${path}/approve`, { justification: reasonOf(124) })
      .expect(400);
    expect(long.body.message).toMatch(/124 characters/);
    await as(alex)
      .post(`${path}/approve`, { justification: reasonOf(123) })
      .expect(200);
    await as(alex)
      .post(`/access-requests/${ids.plain}/approve`, { justification: reasonOf(124) })
      .expect(400);
  });

  it('rejects a justification that is not a string, and bad JSON', async () => {
    const { as, admin, base } = sandboxApp();
    await as(alex).post(`/access-requests/${ids.plain}/approve`, { justification: 42 }).expect(400);
    const res = await admin()
      .post(`${base}/access-requests/${ids.plain}/approve`)
      .set('authorization', 'Bearer apono-sandbox-alexw')
      .set('content-type', 'application/json')
      .send('{"justification":')
      .expect(400);
    expect(res.body).toEqual({ message: 'The request body is not valid JSON' });
  });
});
