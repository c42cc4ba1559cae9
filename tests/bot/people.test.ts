// Who is acting, outside sandbox mode: the email comes from Teams' member API, once, then from memory.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client as ApiClient } from '@microsoft/teams.api';
import type { Activity } from '@microsoft/teams.api';
import { createLogger } from '../../api/src/log.js';
import { openDb, type Db } from '../../api/src/store/db.js';
import { createMessenger } from '../../api/src/teams/messenger.js';
import { createPeople, signedInRecorder } from '../../api/src/teams/people.js';
import { createReach } from '../../api/src/teams/reach.js';
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

it('keeps every member of a team the bot is added to, page by page, findable by email or UPN', async () => {
  const store = createTeamsStore(db);
  const team = createPeople({ store, log: createLogger('silent') });
  // 1,200 members: Teams gives at most 500 a page, with a continuation token.
  connector.answers.members = Array.from({ length: 1200 }, (_, i) => ({
    id: `29:member-${i}`,
    name: `Member ${i}`,
    aadObjectId: `aad-member-${i}`,
    email: `member${i}@example.com`,
    userPrincipalName: `m${i}@contoso.example`,
  }));
  connector.reset();
  const joined = activities.botInstalled(people.adele, {
    serviceUrl: connector.url,
    conversationType: 'channel',
    conversationId: '19:team@thread.tacv2',
  }) as unknown as Activity;
  expect(await team.rememberMembers(joined, new ApiClient(connector.url))).toBe(1200);
  const paged = connector.calls.filter((c) => c.path.endsWith('/pagedMembers'));
  expect(paged).toHaveLength(3);
  expect(await team.byEmail('M1199@contoso.example')).toMatchObject({ aadObjectId: 'aad-member-1199' });
  const member = await store.user(TENANT, 'aad-member-7');
  expect(member).toMatchObject({
    email: 'member7@example.com',
    upn: 'm7@contoso.example',
    userId: '29:member-7',
  });
  // They have no chat with the bot yet, but the Bot Connector address of the team to open one.
  expect(member?.serviceUrl).toBe(connector.url);
  connector.answers.members = [];
});

it('finds who searches in a chat the bot is not in from the tab sign-in, not from Teams', async () => {
  const store = createTeamsStore(db);
  const team = createPeople({ store, log: createLogger('silent') });
  const isaiah = { ...people.isaiah, aadObjectId: 'aad-isaiah-sso' };
  await signedInRecorder(store)({
    tenantId: TENANT,
    objectId: isaiah.aadObjectId,
    name: 'Isaiah',
    email: 'isaiah@example.com',
  });
  connector.answers.strangerIn.add('19:other@thread.v2');
  const search = activities.search(isaiah, 'db', {
    serviceUrl: connector.url,
    conversationType: 'groupChat',
    conversationId: '19:other@thread.v2',
  }) as unknown as Activity;
  expect((await team.callerOf(search, new ApiClient(connector.url)))?.email).toBe('isaiah@example.com');
  connector.answers.strangerIn.clear();
});

it("reads a person's profile from Teams at most once a day, and again after that", async () => {
  const store = createTeamsStore(db);
  const team = createPeople({ store, log: createLogger('silent') });
  const lynne = { id: '29:lynne', aadObjectId: 'aad-lynne', name: 'Lynne' };
  const hello = activities.message(lynne, 'hi', { serviceUrl: connector.url }) as unknown as Activity;
  connector.answers.members = [
    { id: '29:lynne', name: 'Lynne', aadObjectId: 'aad-lynne', email: 'lynne@old.example' },
  ];
  connector.reset();
  await team.callerOf(hello, new ApiClient(connector.url));
  await team.callerOf(hello, new ApiClient(connector.url));
  expect(connector.calls.filter((c) => c.path.includes('/members/'))).toHaveLength(1);
  // A day later her email has changed in Entra: the next activity brings it in.
  await db.query(
    "update teams_users set profile_at = now() - interval '25 hours' where aad_object_id = 'aad-lynne'",
  );
  connector.answers.members = [
    {
      id: '29:lynne',
      name: 'Lynne',
      aadObjectId: 'aad-lynne',
      email: 'lynne@new.example',
      userPrincipalName: 'lynne@contoso.example',
    },
  ];
  expect((await team.callerOf(hello, new ApiClient(connector.url)))?.email).toBe('lynne@new.example');
  expect((await store.user(TENANT, 'aad-lynne'))?.upn).toBe('lynne@contoso.example');
  connector.answers.members = [];
});

it('lists an approver nobody can reach when the app may not install itself', async () => {
  const store = createTeamsStore(db);
  const log = createLogger('silent');
  const team = createPeople({ store, log });
  const messenger = createMessenger({
    http: () => new ApiClient(connector.url).http,
    botId: () => undefined,
  });
  const reach = createReach({ store, people: team, messenger, log, installer: null, tenantId: TENANT });
  expect(await reach.strangers('AR-77', ['Stranger@Example.com', 'member3@example.com'])).toEqual([]);
  expect((await store.unreachable()).map((p) => [p.email, p.reason, p.requestId])).toContainEqual([
    'stranger@example.com',
    'not_installed',
    'AR-77',
  ]);
  // A member the bot already knows is not a stranger.
  expect((await store.unreachable()).some((p) => p.email === 'member3@example.com')).toBe(false);
});
