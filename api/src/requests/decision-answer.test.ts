// A decision is answered once Apono accepted it, from the read before it and the decision (issue 11,
// 3): the read that confirms it comes after the answer, and what it finds is what the cards and the
// requester are told. Reads after the decision are held at a gate here, so the order is shown
// without measuring time.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startServer, type RunningServer } from '../server.js';
import type { RequestDecided } from './events.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Reads held after a decision reached Apono, until the test lets them go (or answers them itself). */
function gate() {
  let armed = false;
  let open!: () => void;
  const opened = new Promise<void>((ok) => (open = ok));
  const held: string[] = [];
  let answer: (() => Response) | null = null;
  return {
    held,
    /** Let the held reads through to Apono; or answer them with `instead`. */
    release(instead?: () => Response) {
      answer = instead ?? null;
      open();
    },
    async fetch(request: Request): Promise<Response> {
      const path = new URL(request.url).pathname.replace(/^.*\/api\/client\/v1/, '');
      if (request.method === 'POST' && /\/(approve|reject)$/.test(path)) {
        const response = await fetch(request);
        armed = response.ok;
        return response;
      }
      if (!armed || path === '/session') return fetch(request);
      held.push(path);
      await opened;
      return answer ? answer() : fetch(request);
    },
  };
}

async function start() {
  const reads = gate();
  server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }),
    { log: createLogger('silent'), aponoFetch: (request) => reads.fetch(request) },
  );
  const decided: RequestDecided[] = [];
  server.events.on('decided', (e) => decided.push(e));
  const url = server.url;
  const { token } = (await (
    await fetch(`${url}/api/sandbox/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alexw@example.com' }),
    })
  ).json()) as { token: string };
  const alex = { authorization: `Bearer ${token}` };
  const decide = async (id: string, action: string, reason: string | null) => {
    const res = await fetch(`${url}/api/requests/${id}/${action}`, {
      method: 'POST',
      headers: { ...alex, 'content-type': 'application/json' },
      body: JSON.stringify({ reason }),
    });
    return { status: res.status, body: (await res.json()) as { request: ApprovalRequest } };
  };
  // The tab read the list just before the click: that read is the one the decision starts from.
  await fetch(`${url}/api/requests`, { headers: alex });
  return { server, reads, decided, decide };
}

describe('the answer to a decision', () => {
  it('comes once Apono accepted it, while the read that confirms it is still waiting', async () => {
    const { server, reads, decided, decide } = await start();
    const answer = await decide('AR-1001', 'approve', 'Matches INC-2231');

    expect(answer.status).toBe(200);
    expect(answer.body.request).toMatchObject({
      id: 'AR-1001',
      status: 'Granting',
      state: 'granting',
      viewer: { canDecide: false, decided: 'approved' },
      decision: {
        outcome: 'approved',
        decidedBy: { name: 'Alex Wilber', email: 'alexw@example.com' },
        reason: 'Matches INC-2231',
        source: 'app',
      },
    });
    // The confirming read was sent and is held: the answer did not wait for it, nor did the cards start.
    expect(reads.held).toContain('/access-requests/AR-1001');
    expect(decided).toEqual([]);

    reads.release();
    await server.bot.notifications.idle();
    // The sandbox grants at once, so Apono already says Active: the cards are told that, not Granting.
    expect(decided).toHaveLength(1);
    expect(decided[0]!.request).toMatchObject({ id: 'AR-1001', status: 'Active' });
    expect(decided[0]!.request.decision).toMatchObject({ outcome: 'approved', reason: 'Matches INC-2231' });
  });

  it('under AllOf says the request still waits for the others, as the confirming read does', async () => {
    const { server, reads, decided, decide } = await start();
    const answer = await decide('AR-1013', 'approve', 'Scope checked');

    expect(answer.status).toBe(200);
    expect(answer.body.request).toMatchObject({
      status: 'Pending',
      viewer: { canDecide: false, decided: 'approved', cannotDecide: 'already_decided' },
      decision: null,
    });
    const alexEntry = answer.body.request.approval!.approvers.find((a) => a.includesViewer);
    expect(alexEntry?.status).toBe('Approved');
    expect(answer.body.request.approval!.approvers.some((a) => a.status === 'Pending')).toBe(true);

    reads.release();
    await server.bot.notifications.idle();
    expect(decided[0]!.request).toMatchObject({ status: 'Pending', viewer: { decided: 'approved' } });
  });

  it('when the confirming read fails, tells the cards the outcome Apono accepted', async () => {
    const { server, reads, decided, decide } = await start();
    const answer = await decide('AR-1005', 'reject', 'Not on the rota');
    expect(answer.status).toBe(200);
    expect(answer.body.request).toMatchObject({ status: 'Rejected', decision: { outcome: 'rejected' } });

    reads.release(() => Response.json({ message: 'down for maintenance' }, { status: 503 }));
    await server.bot.notifications.idle();
    expect(decided).toHaveLength(1);
    expect(decided[0]!.request).toMatchObject({
      id: 'AR-1005',
      status: 'Rejected',
      decision: { outcome: 'rejected', reason: 'Not on the rota', source: 'app' },
    });
  });
});
