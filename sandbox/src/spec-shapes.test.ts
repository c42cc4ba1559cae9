// Every answer the sandbox gives on Apono's client API matches the shape Apono's own OpenAPI spec
// declares for it, checked at run time against the spec (not only by the generated types).
import { describe, expect, it } from 'vitest';
import { specErrors as check } from './spec-check.js';
import { sandboxApp } from './testing.js';

describe.each(['friendly', 'internal'] as const)("the sandbox answers in Apono's shapes (%s IDs)", (mode) => {
  const { as, idOf } = sandboxApp({ requestIds: mode });
  const alex = as('alexw@example.com');

  it('session', async () => {
    const res = await alex.get('/session').expect(200);
    expect(check('/api/client/v1/session', 'get', res.body)).toEqual([]);
  });

  it('every scope of the request list, and requests in each seeded status', async () => {
    for (const scope of ['MyTasks', 'MyRequests', 'MyHistoricTasks', 'MyDelegatedRequests']) {
      const res = await alex.get(`/access-requests?scope=${scope}&limit=100`).expect(200);
      expect(check('/api/client/v1/access-requests', 'get', res.body), scope).toEqual([]);
    }
    // Pending, AllOf, escalated, many units, Revoked, Rejected, Active, Failed.
    for (const id of [
      'AR-1001',
      'AR-1013',
      'AR-1016',
      'AR-1019',
      'AR-1034',
      'AR-1035',
      'AR-1038',
      'AR-1040',
    ]) {
      const res = await alex.get(`/access-requests/${idOf(id)}`).expect(200);
      expect(check('/api/client/v1/access-requests/{id}', 'get', res.body), id).toEqual([]);
    }
  });

  it('access-group units', async () => {
    const request = (await alex.get(`/access-requests/${idOf('AR-1019')}`).expect(200)).body as {
      access_groups: Array<{ id: string }>;
    };
    const res = await alex.get(`/access-groups/${request.access_groups[0]!.id}/units?limit=100`).expect(200);
    expect(check('/api/client/v1/access-groups/{id}/units', 'get', res.body)).toEqual([]);
  });

  it('approve and reject', async () => {
    const approved = await alex
      .post(`/access-requests/${idOf('AR-1001')}/approve`, { justification: 'ok' })
      .expect(200);
    expect(check('/api/client/v1/access-requests/{id}/approve', 'post', approved.body)).toEqual([]);
    const rejected = await alex
      .post(`/access-requests/${idOf('AR-1007')}/reject`, { justification: null })
      .expect(200);
    expect(check('/api/client/v1/access-requests/{id}/reject', 'post', rejected.body)).toEqual([]);
  });

  it('the check itself catches a wrong shape', () => {
    expect(check('/api/client/v1/session', 'get', { user: { id: 1 } })).not.toEqual([]);
  });
});
