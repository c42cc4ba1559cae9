import { describe, expect, it } from 'vitest';
import type { AponoAccessRequest, AponoAccessRequestPage } from '@apono-teams/domain/apono.js';
import { seededRequestIds as ids } from './seed.js';
import { adele, alex, isaiah, lynne, megan, patti, sandboxApp } from './testing.js';

const reasonOf = (n: number) => 'r'.repeat(n);
type Get = (path: string) => PromiseLike<{ body: unknown }>;
const tasksOf = async (get: Get, query = '') =>
  (
    (await get(`/access-requests?scope=MyTasks&statuses=Pending${query}`)).body as AponoAccessRequestPage
  ).data.map((r) => r.id);

describe('deciding access requests', () => {
  it('AnyOf: one approval moves the request to Active; a second decision is refused', async () => {
    const { as } = sandboxApp();
    const res = await as(alex)
      .post(`/access-requests/${ids.plain}/approve`, { justification: null })
      .expect(200);
    expect(res.body).toEqual({ message: `Access request ${ids.plain} approved` });
    const model = (await as(megan).get(`/access-requests/${ids.plain}`)).body as AponoAccessRequest;
    expect(model.status.status).toBe('Active');
    expect(model.revocation_time).toBeGreaterThan(model.creation_time);
    expect(model.challenge!.approvers.map((a) => [a.name, a.status])).toEqual([
      ['Alex Wilber', 'Approved'],
      ['Adele Vance', 'Pending'],
    ]);
    const again = await as(adele)
      .post(`/access-requests/${ids.plain}/reject`, { justification: 'no' })
      .expect(400);
    expect(again.body.message).toBe(`Access request ${ids.plain} is not pending (status: Active)`);
    expect(await tasksOf(as(adele).get)).not.toContain(ids.plain);
    const history = await as(adele).get('/access-requests?scope=MyHistoricTasks&request_ids=' + ids.plain);
    expect(history.body.data).toHaveLength(1);
  });

  it('shows Granting first and Active shortly after when granting takes time', async () => {
    const { as } = sandboxApp({ grantDelayMs: 50 });
    await as(alex).post(`/access-requests/${ids.plain}/approve`).expect(200);
    const granting = (await as(alex).get(`/access-requests/${ids.plain}`)).body as AponoAccessRequest;
    expect(granting.status.status).toBe('Granting');
    expect(granting.revocation_time).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await as(alex).get(`/access-requests/${ids.plain}`)).body.status.status).toBe('Active');
  });

  it('a rejection says nothing about who decided or why: only the entry status changes', async () => {
    const { as } = sandboxApp();
    await as(alex)
      .post(`/access-requests/${ids.requiresReason}/reject`, { justification: '  Use ReadOnly  ' })
      .expect(200);
    const res = await as(megan).get(`/access-requests/${ids.requiresReason}`);
    const model = res.body as AponoAccessRequest;
    expect(model.status).toEqual({ status: 'Rejected', description: null, metadata: {} });
    expect(model.challenge!.approvers).toEqual([
      {
        name: 'SRE Leads',
        type: 'group',
        status: 'Rejected',
        metadata: {},
        tier: null,
        tier_escalated_at: null,
      },
    ]);
    expect(res.text).not.toMatch(/Use ReadOnly|alexw@|decided/);
  });

  it('AllOf: the request stays pending until every approver approves', async () => {
    const { as } = sandboxApp();
    expect(await tasksOf(as(alex).get)).toContain(ids.allOf);
    await as(alex).post(`/access-requests/${ids.allOf}/approve`, { justification: 'Checked' }).expect(200);
    let model = (await as(alex).get(`/access-requests/${ids.allOf}`)).body as AponoAccessRequest;
    expect(model.status.status).toBe('Pending');
    expect(model.challenge!.approvers.map((a) => a.status)).toEqual(['Approved', 'Pending']);
    // Alex has decided his entry: no longer waiting for him, still waiting for Adele.
    expect(await tasksOf(as(alex).get)).not.toContain(ids.allOf);
    expect(await tasksOf(as(adele).get)).toContain(ids.allOf);
    const twice = await as(alex)
      .post(`/access-requests/${ids.allOf}/approve`, { justification: 'Twice' })
      .expect(400);
    expect(twice.body.message).toMatch(/already decided/);
    await as(adele)
      .post(`/access-requests/${ids.allOf}/approve`, { justification: 'Second pair of eyes' })
      .expect(200);
    model = (await as(alex).get(`/access-requests/${ids.allOf}`)).body as AponoAccessRequest;
    expect(model.status.status).toBe('Active');
  });

  it('any rejection rejects an AllOf request even after another approver approved', async () => {
    const { as } = sandboxApp();
    expect(await tasksOf(as(adele).get)).not.toContain(ids.allOfHalfApproved); // Adele approved it
    await as(alex)
      .post(`/access-requests/${ids.allOfHalfApproved}/reject`, { justification: 'Too broad' })
      .expect(200);
    const model = (await as(lynne).get(`/access-requests/${ids.allOfHalfApproved}`))
      .body as AponoAccessRequest;
    expect(model.status.status).toBe('Rejected');
    expect(model.challenge!.approvers.map((a) => a.status)).toEqual(['Rejected', 'Approved']);
  });

  it('escalation: a later tier is listed and decides only after the request was escalated to it', async () => {
    const { as, admin } = sandboxApp();
    expect(await tasksOf(as(alex).get, `&request_ids=${ids.notYetEscalated}`)).toEqual([]);
    const refused = await as(alex).post(`/access-requests/${ids.notYetEscalated}/approve`).expect(403);
    expect(refused.body.message).toMatch(/tier \(2\)/);
    await admin().post(`/api/sandbox/requests/${ids.notYetEscalated}/escalate`).expect(200);
    expect(await tasksOf(as(alex).get, `&request_ids=${ids.notYetEscalated}`)).toEqual([ids.notYetEscalated]);
    const model = (await as(alex).get(`/access-requests/${ids.notYetEscalated}`)).body as AponoAccessRequest;
    expect(model.challenge!.approvers.map((a) => [a.tier, a.tier_escalated_at != null])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    await as(alex).post(`/access-requests/${ids.notYetEscalated}/approve`).expect(200);
  });

  it('an escalated request shows its tiers and can be approved by the escalated tier', async () => {
    const { as } = sandboxApp();
    const model = (await as(alex).get(`/access-requests/${ids.threeTiersEscalated}`))
      .body as AponoAccessRequest;
    expect(model.challenge!.approvers.map((a) => a.tier)).toEqual([1, 2, 3]);
    expect(model.challenge!.approvers.every((a) => a.tier === 1 || a.tier_escalated_at != null)).toBe(true);
    await as(alex).post(`/access-requests/${ids.escalated}/approve`).expect(200);
  });

  it("lists the requester's own request under MyTasks when they are its approver, and refuses self-approval", async () => {
    const { as } = sandboxApp();
    const tasks = await tasksOf(as(isaiah).get);
    expect(tasks).toEqual(expect.arrayContaining([ids.selfApproval, 'AR-1017']));
    const res = await as(isaiah)
      .post(`/access-requests/${ids.selfApproval}/approve`, { justification: null })
      .expect(403);
    expect(res.body.message).toMatch(/own access requests/);
    expect((await as(isaiah).get(`/access-requests/${ids.selfApproval}`)).body.status.status).toBe('Pending');
    await as(isaiah).post('/access-requests/AR-1017/approve').expect(200);
    expect(await tasksOf(as(isaiah).get)).not.toContain('AR-1017');
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
    await as(alex).post(`${path}/reject`, { justification: null }).expect(400);
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
