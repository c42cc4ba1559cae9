import { describe, expect, it } from 'vitest';
import request from 'supertest';
import type { AponoAccessRequest, AponoAccessRequestPage } from '@apono-teams/domain/apono.js';
import { seededRequestIds as ids } from './seed.js';
import { adele, alex, aponoStatuses, patti, sandboxApp } from './testing.js';

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
  it('gives Alex at least 25 pending requests, each one he can decide, over every kind of approver', async () => {
    const { as } = sandboxApp();
    const pending = await allPages(as(alex).get, 'scope=MyTasks&statuses=Pending');
    expect(pending.length).toBeGreaterThanOrEqual(25);
    expect(new Set(pending.map((r) => r.id)).size).toBe(pending.length);
    expect(pending.every((r) => r.status.status === 'Pending')).toBe(true);
    // A request whose entries are all of one kind reached Alex through that kind.
    const kinds = new Set(
      pending
        .map((r) => new Set(r.challenge!.approvers.map((a) => a.type)))
        .filter((types) => types.size === 1)
        .flatMap((types) => [...types]),
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
    // Being listed means Apono accepts his decision: every one of them.
    for (const model of pending)
      await as(alex).post(`/access-requests/${model.id}/approve`, { justification: 'Checked' }).expect(200);
    expect((await as(alex).get('/access-requests?scope=MyTasks').expect(200)).body.data).toEqual([]);
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
      '/access-requests?scope=MyHistoricTasks&statuses=Active&statuses=Rejected',
    );
    const comma = await as(adele).get('/access-requests?scope=MyHistoricTasks&statuses=Active,Rejected');
    expect(repeated.body).toEqual(comma.body);
    expect(new Set(comma.body.data.map((r: AponoAccessRequest) => r.status.status))).toEqual(
      new Set(['Active', 'Rejected']),
    );
    const byId = await as(alex).get(
      `/access-requests?scope=MyTasks&request_ids=${ids.allOf},${ids.escalated}`,
    );
    expect(byId.body.data.map((r: AponoAccessRequest) => r.id).sort()).toEqual([ids.allOf, ids.escalated]);
  });

  it("shows Alex's decided history in Apono's statuses, with the deciding entries", async () => {
    const { as } = sandboxApp();
    const history = await allPages(as(alex).get, 'scope=MyHistoricTasks');
    const statuses = new Set(history.map((r) => r.status.status));
    expect([...statuses].every((s) => aponoStatuses.includes(s) && s !== 'Pending')).toBe(true);
    expect(statuses).toEqual(new Set(['Active', 'Revoked', 'Rejected', 'Failed']));
    const status = (id: string) => history.find((r) => r.id === id)?.status.status;
    expect(status(ids.approvedByAlex)).toBe('Revoked');
    expect(status(ids.revoked)).toBe('Revoked');
    expect(status(ids.rejectedByAlex)).toBe('Rejected');
    expect(status(ids.approvedByAdele)).toBe('Active');
    expect(status(ids.allOfApproved)).toBe('Active');
    expect(status(ids.failed)).toBe('Failed');
    const rejected = history.find((r) => r.id === ids.rejectedByAlex)!;
    expect(rejected.challenge!.approvers.map((a) => [a.name, a.status])).toEqual([['SRE Leads', 'Rejected']]);
    const revoked = history.find((r) => r.id === ids.approvedByAlex)!;
    expect(revoked.revocation_time).toBe(revoked.creation_time + 10 * 60 + 5 + 3600);
    const active = history.find((r) => r.id === ids.approvedByAdele)!;
    expect(active.revocation_time).toBeGreaterThan(Date.parse('2026-03-02T09:00:00Z') / 1000);
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
    expect(model.access_groups[0]).toMatchObject({ total_resources: 15, total_permissions: 3 });
    const group = model.access_groups[0]!.id;
    const units = [];
    for (let skip = 0; ; skip += 20) {
      const page = await as(alex).get(`/access-groups/${group}/units?skip=${skip}&limit=20`).expect(200);
      units.push(...page.body.data);
      if (!page.body.pagination.has_more) break;
    }
    expect(units).toHaveLength(45);
    expect(new Set(units.map((u: { id: string }) => u.id)).size).toBe(45);
    await as(patti).get(`/access-groups/${group}/units`).expect(404);
  });
});
