// Universal Actions through the real server: refresh, approve and reject from a card, every error in
// words on the card, Apono down or slow, and the updates and notices that follow a decision.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { escapeCardMarkdown } from '@apono-teams/domain/card-text.js';
import { defaultMessages } from '@apono-teams/domain/errors.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { cardProblems } from './adaptive-card-schema.js';
import { activities, people, post, useBotServer, waitUntil, type Person } from './support.js';

// Long enough for a decision against the in-process sandbox; the slow case injects more latency than this.
const bot = useBotServer({ BOT_DECISION_WAIT_MS: '2000' });

interface CardAnswer {
  statusCode: number;
  type: string;
  value: IAdaptiveCard;
}

async function act(
  who: Person,
  verb: string,
  data: Record<string, unknown>,
  replyToId = `msg-${verb}-${data.requestId}`,
) {
  const res = await post(
    bot.server,
    activities.cardAction(who, verb, data, { serviceUrl: bot.connector.url, replyToId }),
  );
  expect(res.status).toBe(200);
  const answer = res.body as CardAnswer;
  expect(answer.statusCode).toBe(200);
  expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardProblems(answer.value)).toEqual([]);
  return answer.value;
}

const text = (card: unknown) => JSON.stringify(card);
const hasButtons = (card: IAdaptiveCard) => text(card).includes('"verb":"approve"');
const reasonValue = (card: IAdaptiveCard) =>
  (card.body.find((e) => (e as { id?: string }).id === 'reason') as { value?: string } | undefined)?.value;

describe('refresh', () => {
  it('gives an approver their actionable view', async () => {
    const card = await act(people.alex, 'refresh', { requestId: 'AR-1007' });
    expect(hasButtons(card)).toBe(true);
    expect(text(card)).toContain('Why you are an approver');
    expect(card.refresh?.userIds).toContain(people.alex.id);
  });

  it('gives anyone else a read-only card', async () => {
    const card = await act(people.patti, 'refresh', { requestId: 'AR-1007' });
    expect(hasButtons(card)).toBe(false);
  });

  it('in a channel, shows someone who is not an approver the shared copy and says so, not "not found"', async () => {
    const inChannel = (who: Person) =>
      post(
        bot.server,
        activities.cardAction(
          who,
          'refresh',
          { requestId: 'AR-1012' },
          {
            serviceUrl: bot.connector.url,
            conversationType: 'channel',
            conversationId: '19:approvals@thread.tacv2',
            replyToId: 'channel-card-1012',
          },
        ),
      );
    // An approver opened it there first: the bot posted its own copy of AR-1012 in that channel.
    expect(text((await inChannel(people.alex)).body)).toContain('"verb":"approve"');
    await waitUntil(bot.server, () =>
      bot.connector.sent().some((c) => c.path === '/v3/conversations/19:approvals@thread.tacv2/activities'),
    );
    const answer = (await inChannel(people.patti)).body as CardAnswer;
    expect(answer.statusCode).toBe(200);
    expect(cardProblems(answer.value)).toEqual([]);
    expect(text(answer.value)).toContain('Access request AR-1012');
    expect(text(answer.value)).toContain('You are not an approver of this request.');
    expect(text(answer.value)).not.toMatch(/was not found|Why you are an approver/);
    expect(hasButtons(answer.value)).toBe(false);
  });

  it('never shows the request to someone who cannot read it through a message it was not known to show', async () => {
    const res = await post(
      bot.server,
      activities.cardAction(
        people.patti,
        'refresh',
        { requestId: 'AR-1013' },
        {
          serviceUrl: bot.connector.url,
          conversationType: 'channel',
          conversationId: '19:elsewhere@thread.tacv2',
          replyToId: 'some-other-message',
        },
      ),
    );
    const card = (res.body as CardAnswer).value;
    expect(text(card)).toMatch(/was not found/);
    expect(text(card)).not.toContain('Justification');
  });
});

describe('approving and rejecting from the card', () => {
  it('approves with a reason: the card shows Approved, every copy is updated and the requester is told', async () => {
    // The copy Alex got in his personal chat earlier; the approval comes from a channel copy.
    await post(bot.server, activities.message(people.alex, 'pending', { serviceUrl: bot.connector.url }));
    const copies = await bot.server.db.query<{ activity_id: string }>(
      "select activity_id from teams_cards where request_id = 'AR-1001'",
    );
    bot.connector.reset();

    const card = await act(people.alex, 'approve', { requestId: 'AR-1001', reason: 'Matches INC-2231' });
    expect(text(card)).toContain('Approved by Alex Wilber');
    expect(text(card)).toContain('"title":"Reason","value":"Matches INC-2231"');
    expect(hasButtons(card)).toBe(false);

    await bot.server.bot.notifications.idle();
    const updated = bot.connector.updates().map((u) => u.path.split('/').pop());
    expect(updated).toEqual(
      expect.arrayContaining(['msg-approve-AR-1001', ...copies.map((c) => c.activity_id)]),
    );
    for (const update of bot.connector.updates()) {
      const [attachment] = update.body.attachments as Array<{ content: IAdaptiveCard }>;
      expect(cardProblems(attachment?.content)).toEqual([]);
      expect(text(attachment?.content)).toContain('Approved by Alex Wilber');
      expect(hasButtons(attachment!.content)).toBe(false);
    }

    // Megan never talked to the bot: a 1:1 chat is opened for her, then she is told.
    const opened = bot.connector.calls.find((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(opened?.body).toMatchObject({
      isGroup: false,
      tenantId: '00000000-0000-0000-0000-0000000000001',
      members: [{ id: people.megan.aadObjectId }],
    });
    const notice = bot.connector
      .sent()
      .find((c) => String(c.body.summary).startsWith('Your access request AR-1001'));
    expect(notice?.body.summary).toBe(
      'Your access request AR-1001 was **approved** by Alex Wilber. Reason: "Matches INC-2231"',
    );
  });

  it('rejects without a reason when the flow does not require one; the requester hears in her own chat', async () => {
    await post(bot.server, activities.botInstalled(people.megan, { serviceUrl: bot.connector.url }));
    bot.connector.reset();
    const card = await act(people.alex, 'reject', { requestId: 'AR-1028', reason: '' });
    expect(text(card)).toContain('Rejected by Alex Wilber');
    expect(text(card)).toContain('"title":"Reason","value":"No reason given"');
    await bot.server.bot.notifications.idle();
    const notice = bot.connector
      .sent()
      .find((c) => String(c.body.summary).startsWith('Your access request AR-1028'));
    expect(notice?.body.summary).toContain('was **rejected** by Alex Wilber. No reason was given.');
    expect(notice?.path).toBe(`/v3/conversations/a:personal-${people.megan.aadObjectId}/activities`);
    expect(bot.connector.calls.filter((c) => c.path === '/v3/conversations')).toEqual([]);
  });

  it('refuses a missing reason when the flow requires one, and keeps the buttons', async () => {
    const card = await act(people.alex, 'reject', { requestId: 'AR-1003', reason: '   ' });
    expect(text(card)).toContain('This access flow requires a reason for rejection');
    expect(hasButtons(card)).toBe(true);
  });

  it('refuses a 124-character reason, says by how much, and keeps what was typed', async () => {
    const typed = 'r'.repeat(124);
    const card = await act(people.alex, 'approve', { requestId: 'AR-1003', reason: typed });
    expect(text(card)).toContain('The reason is 124 characters; Apono accepts up to 123. Shorten it by 1.');
    expect(reasonValue(card)).toBe('r'.repeat(123));
    expect(hasButtons(card)).toBe(true);

    const ok = await act(people.alex, 'approve', { requestId: 'AR-1003', reason: 'r'.repeat(123) });
    expect(text(ok)).toContain('Approved by Alex Wilber');
  });

  it('says who decided when the request was already decided', async () => {
    const card = await act(people.alex, 'approve', { requestId: 'AR-1036', reason: 'late' });
    expect(text(card)).toMatch(/This request was already (approved|granted) by Adele Vance/);
    expect(hasButtons(card)).toBe(false);
  });

  it('refuses someone Apono does not show the request to, as not found', async () => {
    const card = await act(people.patti, 'approve', { requestId: 'AR-1007', reason: 'why not' });
    expect(text(card)).toMatch(/was not found/);
    expect(hasButtons(card)).toBe(false);
  });

  it('refuses an approver whose escalation tier has not been reached', async () => {
    const card = await act(people.alex, 'approve', { requestId: 'AR-1032', reason: 'too early' });
    expect(text(card)).toMatch(/not been escalated to your approver tier/);
    expect(hasButtons(card)).toBe(false);
  });

  it('refuses a requester approving their own request', async () => {
    const card = await act(people.isaiah, 'approve', { requestId: 'AR-1018', reason: 'mine' });
    expect(text(card)).toContain('You requested this access yourself');
    expect(hasButtons(card)).toBe(false);
  });

  it('says Apono is not answering when it is down, and keeps the card and the reason', async () => {
    await act(people.alex, 'refresh', { requestId: 'AR-1005' });
    await request(bot.server.url).post('/api/sandbox/faults').send({ status: 503 }).expect(200);
    try {
      const card = await act(people.alex, 'approve', { requestId: 'AR-1005', reason: 'on call' });
      expect(text(card)).toContain('Apono is not answering right now');
      expect(text(card)).toContain('Access request AR-1005');
      expect(reasonValue(card)).toBe('on call');
      expect(hasButtons(card)).toBe(true);
    } finally {
      await request(bot.server.url).delete('/api/sandbox/faults').expect(200);
    }
    const card = await act(people.alex, 'refresh', { requestId: 'AR-1005' });
    expect(hasButtons(card)).toBe(true);
  });

  it('answers "working on it" when Apono is slow, then updates the card in place', async () => {
    await act(people.alex, 'refresh', { requestId: 'AR-1009' }, 'msg-slow');
    // Each client-API call waits 3 s: the decision alone (one Apono call, the read before it being the
    // refresh's) outlasts the 2.5 s the card waits.
    await request(bot.server.url).post('/api/sandbox/faults').send({ latencyMs: 3000 }).expect(200);
    let card: IAdaptiveCard;
    try {
      card = await act(people.alex, 'approve', { requestId: 'AR-1009', reason: 'owner ok' }, 'msg-slow');
    } finally {
      await request(bot.server.url).delete('/api/sandbox/faults').expect(200);
    }
    // The request as Alex last saw it, saying the approval is on its way, with nothing to click.
    expect(text(card)).toContain('Access request AR-1009');
    expect(text(card)).toContain('Sending your approval to Apono… This card updates when Apono answers.');
    expect(hasButtons(card)).toBe(false);

    const deadline = Date.now() + 20_000;
    let final: IAdaptiveCard | undefined;
    while (!final && Date.now() < deadline) {
      const update = bot.connector
        .updates()
        .find(
          (u) => u.path.endsWith('/activities/msg-slow') && text(u.body).includes('Approved by Alex Wilber'),
        );
      final = (update?.body.attachments as Array<{ content: IAdaptiveCard }> | undefined)?.[0]?.content;
      if (!final) await new Promise((r) => setTimeout(r, 100));
    }
    expect(final).toBeDefined();
    expect(cardProblems(final)).toEqual([]);
    expect(text(final)).toContain('"title":"Reason","value":"owner ok"');
  }, 30_000);

  it('asks someone without an Apono connection to connect first', async () => {
    const stranger = {
      id: '29:newcomer',
      aadObjectId: '00000000-0000-0000-0000-0000000000099',
      name: 'Newcomer',
    };
    const card = await act(stranger, 'approve', { requestId: 'AR-1007', reason: 'hi' });
    expect(text(card)).toContain(escapeCardMarkdown(defaultMessages.not_connected));
    expect(hasButtons(card)).toBe(false);
    const search = await post(
      bot.server,
      activities.search(stranger, null, { serviceUrl: bot.connector.url }),
    );
    // The message extension offers the place to connect instead (a "config" answer: the Approvals tab).
    expect(search.body).toMatchObject({
      composeExtension: {
        type: 'config',
        suggestedActions: { actions: [{ type: 'openUrl', title: 'Connect Apono in the Approvals tab' }] },
      },
    });
  });

  it('refuses an action it does not know or a card without a request', async () => {
    const unknown = await post(
      bot.server,
      activities.cardAction(
        people.alex,
        'delete',
        { requestId: 'AR-1001' },
        { serviceUrl: bot.connector.url },
      ),
    );
    expect(unknown.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    const noId = await post(
      bot.server,
      activities.cardAction(people.alex, 'approve', {}, { serviceUrl: bot.connector.url }),
    );
    expect(noId.body).toMatchObject({ statusCode: 400 });
  });
});

describe('new requests', () => {
  it('reach each approver in their personal chat as their own card', async () => {
    // Adele talks to the bot once, so she has a chat; the sandbox's webhook announces the new request.
    await post(bot.server, activities.message(people.adele, 'help', { serviceUrl: bot.connector.url }));
    bot.connector.reset();
    const created = await request(bot.server.url)
      .post('/api/sandbox/requests')
      .send({
        requesterEmail: 'meganb@example.com',
        flowId: 'flow-prod-db',
        justification: 'Need **orders** now',
      })
      .expect(201);
    const id = (created.body as { id: string }).id;

    const forAdele = () =>
      bot.connector
        .sent()
        .filter((c) => c.path === `/v3/conversations/a:personal-${people.adele.aadObjectId}/activities`);
    await waitUntil(bot.server, () => forAdele().length > 0);

    const [message] = forAdele();
    expect(message?.body.summary).toBe('New access request from Megan Bowen waits for your decision.');
    const [attachment] = message?.body.attachments as Array<{ content: IAdaptiveCard }>;
    expect(cardProblems(attachment?.content)).toEqual([]);
    expect(text(attachment?.content)).toContain(`Access request ${id}`);
    expect(text(attachment?.content)).toContain('Need \\\\*\\\\*orders\\\\*\\\\* now');
    expect(hasButtons(attachment!.content)).toBe(true);
    // Alex (the other approver) gets his own copy too, in a chat opened for him if needed.
    const owners = await bot.server.db.query<{ owner_object_id: string }>(
      'select owner_object_id from teams_cards where request_id = $1 and personal order by owner_object_id',
      [id],
    );
    expect(owners.map((o) => o.owner_object_id)).toEqual([people.alex.aadObjectId, people.adele.aadObjectId]);
  });
});

describe('changes made outside Teams', () => {
  it('an approval in the Apono portal updates every copy and tells the requester', async () => {
    const created = await request(bot.server.url)
      .post('/api/sandbox/requests')
      .send({ requesterEmail: 'meganb@example.com', flowId: 'flow-prod-db', justification: 'Portal test' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await waitUntil(bot.server, () =>
      bot.connector.sent().some((c) => text(c.body).includes(`Access request ${id}`)),
    );
    const copies = await bot.server.db.query<{ activity_id: string }>(
      'select activity_id from teams_cards where request_id = $1',
      [id],
    );
    expect(copies.length).toBeGreaterThan(0);
    bot.connector.reset();

    // Adele approves in Apono itself (its client API, with her own token): Apono's webhook tells us.
    await request(bot.server.url)
      .post(`/sandbox/apono/api/client/v1/access-requests/${id}/approve`)
      .set('Authorization', 'Bearer apono-sandbox-adelev')
      .send({ justification: 'Approved in the portal' })
      .expect(200);
    await waitUntil(bot.server, () => bot.connector.updates().length >= copies.length);

    expect(bot.connector.updates().map((u) => u.path.split('/').pop())).toEqual(
      expect.arrayContaining(copies.map((c) => c.activity_id)),
    );
    for (const update of bot.connector.updates()) {
      const [attachment] = update.body.attachments as Array<{ content: IAdaptiveCard }>;
      expect(cardProblems(attachment?.content)).toEqual([]);
      // The webhook named who approved; Apono shares no reason for it.
      expect(text(attachment?.content)).toContain('Approved in Apono by Adele Vance; access active');
      expect(text(attachment?.content)).toContain('"title":"Decided by","value":"Adele Vance, in Apono"');
      expect(text(attachment?.content)).toContain(
        '"title":"Reason","value":"Apono does not share the reason for a decision made outside this app."',
      );
      expect(text(attachment?.content)).not.toContain('Approved in the portal');
      expect(hasButtons(attachment!.content)).toBe(false);
    }
    const notice = bot.connector
      .sent()
      .find((c) => String(c.body.summary).startsWith(`Your access request ${id}`));
    expect(notice?.body.summary).toBe(
      `Your access request ${id} was **approved** in Apono by Adele Vance. Apono does not share the reason for decisions made outside this app.`,
    );
  });

  it('a request nobody approved that ran out shows Revoked everywhere, without buttons, and tells no one it was approved', async () => {
    await post(bot.server, activities.message(people.alex, 'pending', { serviceUrl: bot.connector.url }));
    const [first] = await bot.server.db.query<{ request_id: string }>(
      "select request_id from teams_cards where owner_object_id = $1 and conversation_id like 'a:personal-%' order by id desc limit 1",
      [people.alex.aadObjectId],
    );
    const id = first!.request_id;
    bot.connector.reset();
    await request(bot.server.url).post(`/api/sandbox/requests/${id}/expire`).expect(200);
    await waitUntil(bot.server, () => bot.connector.updates().length > 0);
    const [update] = bot.connector.updates();
    // The "pending" message holds ten requests: the one that ran out is among them.
    const attachment = (update?.body.attachments as Array<{ content: IAdaptiveCard }>).find((a) =>
      text(a.content).includes(`Access request ${id}`),
    );
    expect(cardProblems(attachment?.content)).toEqual([]);
    expect(text(attachment?.content)).toContain('"text":"Revoked"');
    expect(text(attachment?.content)).toContain('"title":"Status","value":"Revoked"');
    expect(text(attachment?.content)).not.toMatch(/Approved|Decided by/);
    expect(hasButtons(attachment!.content)).toBe(false);
    expect(
      bot.connector.sent().filter((c) => String(c.body.summary).startsWith('Your access request')),
    ).toEqual([]);
  });

  it('access that failed after approval shows Failed, and who approved, on every copy', async () => {
    const approved = await act(
      people.alex,
      'approve',
      { requestId: 'AR-1007', reason: 'Owner here' },
      'msg-fail',
    );
    expect(text(approved)).toContain('Approved by Alex Wilber');
    await bot.server.bot.notifications.idle();
    bot.connector.reset();
    await request(bot.server.url).post('/api/sandbox/requests/AR-1007/fail').expect(200);
    await waitUntil(bot.server, () =>
      bot.connector.updates().some((u) => u.path.endsWith('/activities/msg-fail')),
    );
    const update = bot.connector.updates().find((u) => u.path.endsWith('/activities/msg-fail'));
    const [attachment] = update?.body.attachments as Array<{ content: IAdaptiveCard }>;
    expect(cardProblems(attachment?.content)).toEqual([]);
    expect(text(attachment?.content)).toContain('"text":"Failed; approved by Alex Wilber"');
    expect(text(attachment?.content)).toContain('"title":"Status","value":"Failed"');
    expect(text(attachment?.content)).toContain('"title":"Reason","value":"Owner here"');
    expect(hasButtons(attachment!.content)).toBe(false);
    // A failure is not a new outcome: the requester was told of the approval once, and nothing more.
    expect(
      bot.connector.sent().filter((c) => String(c.body.summary).startsWith('Your access request')),
    ).toEqual([]);
  });
});

describe('an Apono account with approver reasons turned off', () => {
  it('shows no reason box, and a decision from the card carries no reason', async () => {
    await request(bot.server.url)
      .post('/api/sandbox/settings')
      .send({ disableApproverReason: true })
      .expect(200);
    try {
      // AR-1004's flow requires a reason; with reasons off for the account, none is asked.
      const card = await act(people.alex, 'refresh', { requestId: 'AR-1004' }, 'msg-noreason');
      expect(hasButtons(card)).toBe(true);
      expect(card.body.find((e) => (e as { id?: string }).id === 'reason')).toBeUndefined();
      expect(text(card)).toContain('Your Apono account does not take reasons from approvers.');
      expect(text(card)).toContain('"associatedInputs":"none"');

      // Even a client that sends one anyway: the decision carries none.
      const decided = await act(
        people.alex,
        'approve',
        { requestId: 'AR-1004', reason: 'typed anyway' },
        'msg-noreason',
      );
      expect(text(decided)).toContain('Approved by Alex Wilber');
      expect(text(decided)).toContain('"title":"Reason","value":"No reason given"');
      expect(text(decided)).not.toContain('typed anyway');
    } finally {
      await request(bot.server.url)
        .post('/api/sandbox/settings')
        .send({ disableApproverReason: false })
        .expect(200);
    }
  });
});

describe('a card someone shared into a channel with the message extension', () => {
  const channel = '19:shared@thread.tacv2;messageid=1700000000000';
  const inChannel = (who: Person, verb: string, data: Record<string, unknown>) =>
    post(
      bot.server,
      activities.cardAction(who, verb, data, {
        serviceUrl: bot.connector.url,
        conversationType: 'channel',
        conversationId: channel,
        replyToId: 'shared-by-alex-1',
      }),
    );
  const botPosts = () =>
    bot.connector.sent().filter((c) => c.path === `/v3/conversations/${channel}/activities`);

  it('is never kept as a copy to edit: the bot posts its own card there once, and keeps that one true', async () => {
    expect(text((await inChannel(people.alex, 'refresh', { requestId: 'AR-1014' })).body)).toContain(
      '"verb":"approve"',
    );
    await waitUntil(bot.server, () => botPosts().length > 0);
    // Refreshed again (each approver who opens it): still one card of the bot's.
    await inChannel(people.adele, 'refresh', { requestId: 'AR-1014' });
    await inChannel(people.alex, 'refresh', { requestId: 'AR-1014' });
    await bot.server.bot.notifications.idle();
    expect(botPosts()).toHaveLength(1);
    expect(text(botPosts()[0]!.body)).toContain('Access request AR-1014');
    const rows = await bot.server.db.query<{ activity_id: string; personal: boolean }>(
      'select activity_id, personal from teams_cards where conversation_id = $1',
      [channel],
    );
    expect(rows.map((r) => r.activity_id)).not.toContain('shared-by-alex-1');
    expect(rows).toHaveLength(1);

    // Decided from the shared card: the answer updates it for Alex, and the bot edits only its own.
    bot.connector.reset();
    const answer = (await inChannel(people.alex, 'approve', { requestId: 'AR-1014', reason: 'ok' })).body;
    expect(text(answer)).toContain('Approved by Alex Wilber');
    await bot.server.bot.notifications.idle();
    const edited = bot.connector.updates().filter((u) => u.path.startsWith(`/v3/conversations/${channel}/`));
    // (Apono's webhook for the same decision may update it again: the same message each time.)
    expect([...new Set(edited.map((u) => u.path.split('/').pop()))]).toEqual([rows[0]!.activity_id]);
    expect(text(edited[0]!.body)).toContain('Approved by Alex Wilber');
    expect(botPosts()).toHaveLength(0);
  });

  it('decided before the bot had a card there: the bot posts its card showing the outcome', async () => {
    const answer = (await inChannel(people.alex, 'reject', { requestId: 'AR-1015', reason: 'not now' })).body;
    expect(text(answer)).toContain('Rejected by Alex Wilber');
    await waitUntil(bot.server, () => botPosts().some((c) => text(c.body).includes('AR-1015')));
    const posted = botPosts().find((c) => text(c.body).includes('AR-1015'));
    expect(text(posted!.body)).toContain('Rejected by Alex Wilber');
    expect(bot.connector.updates().some((u) => u.path.endsWith('/shared-by-alex-1'))).toBe(false);
  });
});
