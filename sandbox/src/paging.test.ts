// Reading a long My Tasks list page by page: every request once, in Apono's order, and a change
// between two pages shows on the next page (the sandbox reuses one selection only until something changes).
import { describe, expect, it } from 'vitest';
import type { AponoAccessRequestPage } from '@apono-teams/domain/apono.js';
import { alex, megan, sandboxApp } from './testing.js';

type Get = (path: string) => PromiseLike<{ body: unknown }>;
const pageOf = async (get: Get, skip: number, limit = 100) =>
  (await get(`/access-requests?scope=MyTasks&statuses=Pending&skip=${skip}&limit=${limit}`))
    .body as AponoAccessRequestPage;

describe('paging through My Tasks', () => {
  it('an approver with 1,500 pending requests reads each of them exactly once, newest first', async () => {
    const { sandbox, as } = sandboxApp();
    for (let i = 0; i < 1500; i++) sandbox.createRequest({ requesterEmail: megan, flowId: 'flow-prod-db' });
    const first = await pageOf(as(alex).get, 0);
    const total = first.pagination.total!;
    expect(total).toBeGreaterThan(1500);
    const read = [...first.data];
    for (let skip = 100; skip < total; skip += 100) read.push(...(await pageOf(as(alex).get, skip)).data);
    const ids = read.map((r) => r.id);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    const times = read.map((r) => r.creation_time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('a request decided between two pages is gone from the next one, and a new one appears', async () => {
    const { sandbox, as } = sandboxApp();
    for (let i = 0; i < 150; i++) sandbox.createRequest({ requesterEmail: megan, flowId: 'flow-prod-db' });
    const first = await pageOf(as(alex).get, 0);
    const decided = (await pageOf(as(alex).get, 100)).data[0]!.id;
    await as(alex).post(`/access-requests/${decided}/approve`, { justification: 'ok' }).expect(200);
    const second = await pageOf(as(alex).get, 100);
    expect(second.pagination.total).toBe(first.pagination.total! - 1);
    expect(second.data.map((r) => r.id)).not.toContain(decided);
    const added = sandbox.createRequest({ requesterEmail: megan, flowId: 'flow-prod-db' });
    const fresh = await pageOf(as(alex).get, 0);
    expect(fresh.pagination.total).toBe(first.pagination.total);
    expect(fresh.data.map((r) => r.id)).toContain(added.id);
  });
});
