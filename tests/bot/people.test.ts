// Who is acting, outside sandbox mode: the email comes from Teams' member API, once, then from memory.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client as ApiClient } from '@microsoft/teams.api';
import type { Activity } from '@microsoft/teams.api';
import { createLogger } from '../../api/src/log.js';
import { openDb, type Db } from '../../api/src/store/db.js';
import { createPeople } from '../../api/src/teams/people.js';
import { createTeamsStore } from '../../api/src/teams/store.js';
import { activities, people, startFakeConnector, TENANT, type FakeConnector } from './support.js';

let db: Db;
let connector: FakeConnector;
beforeAll(async () => {
  db = await openDb({ databaseUrl: undefined, pgliteDir: null });
  connector = await startFakeConnector();
});
afterAll(async () => {
  await db?.close();
  await connector?.close();
});

it('asks Teams for the email of someone it has not met, then remembers it', async () => {
  const store = createTeamsStore(db);
  const team = createPeople({ store, log: createLogger('silent') });
  const api = new ApiClient(connector.url);
  const activity = activities.message(people.alex, 'pending', {
    serviceUrl: connector.url,
    conversationType: 'channel',
    conversationId: '19:general@thread.tacv2',
  }) as unknown as Activity;

  expect(await team.callerOf(activity, api)).toEqual({
    tenantId: TENANT,
    objectId: people.alex.aadObjectId,
    name: 'Someone',
    email: 'someone@example.com',
  });
  expect(connector.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
    'GET /v3/conversations/19:general@thread.tacv2/members/29:alex',
  ]);
  connector.reset();
  expect((await team.callerOf(activity, api))?.email).toBe('someone@example.com');
  expect(connector.calls).toEqual([]);
  expect((await store.user(TENANT, people.alex.aadObjectId))?.userId).toBe('29:alex');
});

it('does not act for an activity that names no Entra user', async () => {
  const team = createPeople({ store: createTeamsStore(db), log: createLogger('silent') });
  const activity = activities.message(people.alex, 'hi', { serviceUrl: connector.url }) as unknown as {
    from: Record<string, unknown>;
  };
  delete activity.from.aadObjectId;
  expect(await team.callerOf(activity as unknown as Activity, new ApiClient(connector.url))).toBeNull();
});

it('names approvers to Teams as user MRIs: the 29: ID seen in an activity, else 8:orgid:<object ID>', async () => {
  const store = createTeamsStore(db);
  await store.saveUser({ tenantId: TENANT, aadObjectId: people.megan.aadObjectId, userId: '29:megan' });
  // Known only from the tab's SSO or a search: no Teams user ID yet.
  await store.addApprover('AR-9001', TENANT, people.adele.aadObjectId);
  await store.addApprover('AR-9001', TENANT, people.megan.aadObjectId);
  expect((await store.approverMrisOf('AR-9001')).sort()).toEqual([
    '29:megan',
    `8:orgid:${people.adele.aadObjectId}`,
  ]);
});
