// Real Apono sends `metadata: {}` on the request status and on every approver entry: the spec
// documents no key and Apono's CLI reads none. The sandbox must not send more, anywhere.
import { describe, expect, it } from 'vitest';
import type { AponoAccessRequest, AponoAccessRequestPage } from '@apono-teams/domain/apono.js';
import { seededRequestIds as ids } from './seed.js';
import { adele, alex, isaiah, lynne, megan, patti, sandboxApp } from './testing.js';

const scopes = ['MyTasks', 'MyRequests', 'MyHistoricTasks', 'MyDelegatedRequests'];

/** Every `metadata` map in a JSON answer: its path and its keys. */
function metadataMaps(node: unknown, path = '$'): Array<{ path: string; keys: string[] }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => metadataMaps(item, `${path}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => [
    ...(key === 'metadata'
      ? [
          {
            path: `${path}.${key}`,
            keys: typeof value === 'object' && value ? Object.keys(value) : ['<not a map>'],
          },
        ]
      : []),
    ...metadataMaps(value, `${path}.${key}`),
  ]);
}

describe.each(['friendly', 'internal'] as const)('no sandbox answer carries metadata (%s IDs)', (mode) => {
  it('session, every list scope, every request, every unit page; before and after decisions', async () => {
    const { as, idOf, admin } = sandboxApp({ requestIds: mode });
    const seen: Array<{ path: string; keys: string[] }> = [];
    const scan = (what: string, body: unknown) =>
      seen.push(...metadataMaps(body).map((m) => ({ ...m, path: `${what} ${m.path}` })));

    async function sweep() {
      for (const email of [alex, adele, megan, isaiah, lynne, patti]) {
        const user = as(email);
        scan(`${email} session`, (await user.get('/session').expect(200)).body);
        const requests = new Map<string, AponoAccessRequest>();
        for (const scope of scopes) {
          const res = await user.get(`/access-requests?scope=${scope}&limit=1000`).expect(200);
          scan(`${email} ${scope}`, res.body);
          for (const r of (res.body as AponoAccessRequestPage).data) requests.set(r.id, r);
        }
        for (const id of requests.keys()) {
          const res = await user.get(`/access-requests/${id}`).expect(200);
          scan(`${email} ${id}`, res.body);
          for (const group of (res.body as AponoAccessRequest).access_groups) {
            const units = await user.get(`/access-groups/${group.id}/units?limit=1000`).expect(200);
            scan(`${email} ${group.id}`, units.body);
          }
        }
      }
    }

    await sweep();
    await as(alex).post(`/access-requests/${idOf(ids.plain)}/approve`, { justification: 'Looks right' });
    await as(alex).post(`/access-requests/${idOf(ids.requiresReason)}/reject`, {
      justification: 'Too broad',
    });
    await as(alex).post(`/access-requests/${idOf(ids.allOf)}/approve`, { justification: 'Half' });
    await admin().post(`/api/sandbox/requests/${ids.plain}/expire`).expect(200);
    await sweep();

    expect(seen.length).toBeGreaterThan(500); // the sweep did look at status and approver maps
    expect(seen.filter((m) => m.keys.length > 0)).toEqual([]);
  });

  it('the scan itself finds a non-empty metadata map', () => {
    const found = metadataMaps({ data: [{ status: { metadata: { includes_you: 'true' } } }] });
    expect(found).toEqual([{ path: '$.data[0].status.metadata', keys: ['includes_you'] }]);
  });
});
