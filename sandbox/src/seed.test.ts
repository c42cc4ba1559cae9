import { describe, expect, it } from 'vitest';
import request from 'supertest';
import type { AponoAccessRequest, AponoAccessRequestPage } from '@apono-teams/domain/apono.js';
import { toApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { seededRequestIds as ids } from './seed.js';
import { adele, alex, patti, sandboxApp } from './testing.js';

async function allPages(get: (path: string) => request.Test, query: string, limit = 7) {
  const items: AponoAccessRequest[] = [];
  for (let skip = 0; ; skip += limit) {
    const res = await get(`/access-requests?${query}&skip=${skip}&limit=${limit}`).expect(200);
    const body = res.body as AponoAccessRequestPage;
    items.push(...body.data);
    expect(body.pagination).toMatchObject({ limit, offset: skip });
    if (!body.pagination.has_more) return items;
  }
}

describe('the seeded account', () => {
  it('gives Alex at least 25 pending requests, each one he can decide, for every kind of approver', async () => {
    const { as } = sandboxApp();
    const pending = await allPages(as(alex).get, 'scope=MyTasks&statuses=Pending');
    expect(pending.length).toBeGreaterThanOrEqual(25);
    expect(new Set(pending.map((r) => r.id)).size).toBe(pending.length);
    for (const model of pending) {
      const view = toApprovalRequest(model, { email: alex });
      expect(view.status).toBe('PENDING');
      expect(view.viewer.canDecide, model.id).toBe(true);
      expect(view.accessFlow).toBeTruthy();
    }
    const kinds = new Set(
      pending.flatMap((r) =>
        r.challenge!.approvers.filter((a) => a.metadata.includes_you).map((a) => a.type),
      ),
    );
    expect([...kinds].sort()).toEqual([
      'group',
      'integration_owner',
      'manager',
      'oncall',
      'resource_owner',
      'user',
    ]);
    expect(
      new Set(pending.flatMap((r) => r.access_groups.map((g) => g.integration.type))).size,
    ).toBeGreaterThanOrEqual(5);
  });

  it('gives Adele some pending requests and Patti none', async () => {
    const { as } = sandboxApp();
    expect((await allPages(as(adele).get, 'scope=MyTasks&statuses=Pending')).length).toBeGreaterThan(5);
    const patties = await as(patti).get('/access-requests?scope=MyTasks').expect(200);
    expect(patties.body.data).toEqual([]);
    expect(patties.body.pagination).toMatchObject({ total: 0, has_more: false });
  });

  it('is the same on every start with the same clock', async () => {
    const first = await sandboxApp().as(alex).get('/access-requests?scope=MyTasks&limit=100');
    const second = await sandboxApp().as(alex).get('/access-requests?scope=MyTasks&limit=100');
    expect(first.body).toEqual(second.body);
  });

  it('pages with skip and limit, newest first', async () => {
    const { as } = sandboxApp();
    const page = await as(alex)
      .get('/access-requests?scope=MyTasks&statuses=Pending&skip=5&limit=5')
      .expect(200);
    expect(page.body.data).toHaveLength(5);
    expect(page.body.pagination).toMatchObject({ limit: 5, offset: 5, has_more: true });
    const times = page.body.data.map((r: AponoAccessRequest) => r.creation_time);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    await as(alex).get('/access-requests?scope=MyTasks&limit=-1').expect(400);
  });

  it('filters statuses in the repeated and comma forms, and by request id', async () => {
    const { as } = sandboxApp();
    const repeated = await as(adele).get(
      '/access-requests?scope=MyHistoricTasks&statuses=Granted&statuses=Rejected',
    );
    const comma = await as(adele).get('/access-requests?scope=MyHistoricTasks&statuses=Granted,Rejected');
    expect(repeated.body).toEqual(comma.body);
    expect(new Set(comma.body.data.map((r: AponoAccessRequest) => r.status.status))).toEqual(
      new Set(['Granted', 'Rejected']),
    );
    const byId = await as(alex).get(
      `/access-requests?scope=MyTasks&request_ids=${ids.allOf},${ids.escalated}`,
    );
    expect(byId.body.data.map((r: AponoAccessRequest) => r.id).sort()).toEqual([ids.allOf, ids.escalated]);
  });

  it("shows Alex's decided history with who decided, when and why", async () => {
    const { as } = sandboxApp();
    const history = await allPages(as(alex).get, 'scope=MyHistoricTasks');
    expect(history.every((r) => r.status.status !== 'Pending')).toBe(true);
    const rejected = history.find((r) => r.id === ids.rejectedByAlex)!;
    const view = toApprovalRequest(rejected, { email: alex });
    expect(view.decision).toMatchObject({
      outcome: 'rejected',
      decidedBy: { name: 'Alex Wilber', email: alex },
    });
    expect(view.decision?.reason).toBe('Admin is too broad; request ReadOnly');
    expect(view.decision?.decidedAt).toMatch(/^2026-/);
    expect(history.map((r) => r.id)).toContain(ids.approvedByAdele);
  });

  it('answers 401 to a missing or unknown token, and 404 to a request the caller may not see', async () => {
    const { app, base, as } = sandboxApp();
    const res = await request(app).get(`${base}/session`).set('authorization', 'Bearer nope').expect(401);
    expect(res.body.message).toMatch(/token/);
    await request(app).get(`${base}/access-requests?scope=MyTasks`).expect(401);
    await as(alex).get('/access-requests/AR-9999').expect(404);
    await as(patti).get(`/access-requests/${ids.plain}`).expect(404);
    expect((await as(alex).get('/session').expect(200)).body.user).toMatchObject({
      email: alex,
      name: 'Alex Wilber',
    });
  });

  it('pages the 45 access units of a large request', async () => {
    const { as } = sandboxApp();
    const model = (await as(alex).get(`/access-requests/${ids.manyUnits}`).expect(200))
      .body as AponoAccessRequest;
    expect(model.access_units_summary).toHaveLength(5);
    expect(toApprovalRequest(model, { email: alex }).accessUnitsComplete).toBe(false);
    const group = model.access_groups[0]!.id;
    const units = [];
    for (let skip = 0; ; skip += 20) {
      const page = await as(alex).get(`/access-groups/${group}/units?skip=${skip}&limit=20`).expect(200);
      units.push(...page.body.data);
      if (!page.body.pagination.has_more) break;
    }
    expect(units).toHaveLength(45);
    expect(toApprovalRequest(model, { email: alex }, units).accessUnits).toHaveLength(45);
    await as(patti).get(`/access-groups/${group}/units`).expect(404);
  });
});
