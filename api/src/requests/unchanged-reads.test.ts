// An unchanged list is not built again (issue 11, 1): the same Apono bytes give back the same parsed
// objects, mapped requests and answer. These tests show that nothing a person would see goes stale
// through that: an escalation tier that opens with the bytes unchanged, and what a webhook told the
// app about a request Apono still describes in the same bytes, both show at the next read.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inEnglish } from '@apono-teams/domain/read-catalogues.js';
import type { Message } from '@apono-teams/domain/message.js';
import { reseed, startTestServer, type TestServer } from '../test-support/server.js';
import { sendCreated } from '../test-support/webhook.js';

const SECRET = 'unchanged-reads-webhook-secret-0123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Listed {
  requests: Array<{
    id: string;
    accessFlow: string | null;
    viewer: { approverReasons: Message[] };
    risk: Array<{ rule: string }>;
  }>;
}

let apono: TestServer;
let app: TestServer;
let proxy: Server;
let alex: string;
/** When the proxy's second tier of AR-1001 opens (epoch seconds), fixed so its bytes never change. */
let opensAt = 0;
/** Each MyTasks body the proxy sent, as sent. */
const bodies: string[] = [];

/**
 * A proxy to the sandbox's Apono that gives AR-1001 two group tiers, the second escalating at
 * `opensAt`: a time ahead when first read, behind later, in bytes that stay the same throughout.
 */
function tieredProxy(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const out = httpRequest(
      new URL(`${target.pathname.replace(/\/$/, '')}${req.url}`, target),
      { method: req.method, headers: { ...req.headers, host: target.host, 'accept-encoding': 'identity' } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(chunks).toString();
          if (answer.statusCode === 200 && req.url?.startsWith('/api/client/v1/access-requests?')) {
            const page = JSON.parse(body) as { data: Array<{ id: string; challenge?: unknown }> };
            for (const r of page.data)
              if (r.id === 'AR-1001')
                r.challenge = {
                  approvers: [
                    { name: 'SRE Leads', type: 'group', status: 'Pending', tier: 1, tier_escalated_at: null },
                    {
                      name: 'DB Owners',
                      type: 'group',
                      status: 'Pending',
                      tier: 2,
                      tier_escalated_at: opensAt,
                    },
                  ],
                };
            body = JSON.stringify(page);
            if (req.url.includes('scope=MyTasks') && !req.url.includes('request_ids')) bodies.push(body);
          }
          const { 'content-length': _length, 'content-encoding': _coding, ...headers } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      },
    );
    req.pipe(out);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

beforeAll(async () => {
  apono = await startTestServer();
  proxy = await tieredProxy(new URL(`${apono.url}/sandbox/apono/`));
  app = await startTestServer({
    APONO_BASE_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    APONO_WEBHOOK_SECRET: SECRET,
  });
  alex = await app.signIn('alexw@example.com');
}, 90_000);

afterAll(async () => {
  await app?.close();
  await apono?.close();
  proxy?.close();
});

beforeEach(async () => {
  await reseed(apono);
  bodies.length = 0;
});

const pending = async () => {
  const { status, body, headers } = await app.call('GET', '/api/requests', alex);
  expect(status).toBe(200);
  return { listed: body as unknown as Listed, etag: headers.get('etag') };
};
const find = (listed: Listed, id: string) => listed.requests.find((r) => r.id === id)!;
const reasonsOf = (listed: Listed, id: string) =>
  find(listed, id).viewer.approverReasons.map((m) => inEnglish(m));

describe('reads of a list Apono answers with the same bytes', () => {
  it('show an escalation tier that opened since, though Apono sent the same bytes', async () => {
    opensAt = Math.floor(Date.now() / 1000) + 2;
    const before = await pending();
    expect(reasonsOf(before.listed, 'AR-1001').join(' ')).toContain('SRE Leads');
    expect(reasonsOf(before.listed, 'AR-1001').join(' ')).not.toContain('DB Owners');
    // Read again before the tier opens: nothing changed, the same answer.
    expect((await pending()).etag).toBe(before.etag);
    while (Date.now() / 1000 <= opensAt) await sleep(100);
    const after = await pending();
    expect(new Set(bodies).size).toBe(1); // Apono's bytes were the same at every read
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    expect(reasonsOf(after.listed, 'AR-1001').join(' ')).toContain('DB Owners');
    expect(after.etag).not.toBe(before.etag);
  });

  it('show what a webhook said about a request since, though Apono sent the same bytes', async () => {
    opensAt = 0;
    const before = await pending();
    expect(find(before.listed, 'AR-1003').accessFlow).toBeNull(); // the client API has no flow name
    await breakGlassFor('AR-1003');
    const after = await pending();
    expect(new Set(bodies).size).toBe(1);
    expect(find(after.listed, 'AR-1003').accessFlow).toBe('Break-glass emergency');
    expect(find(after.listed, 'AR-1003').risk.map((h) => h.rule)).toContain('break_glass');
    expect(after.etag).not.toBe(before.etag);
  });

  it('show a change made between the pages of a walk along the cursor, on the pages after it', async () => {
    opensAt = 0;
    // The pages of one list share its narrowed, sorted view; a change in it makes the view anew.
    const walk = async () => {
      const seen: Listed['requests'] = [];
      let cursor: string | null = null;
      do {
        const path = `/api/requests?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { status, body } = await app.call('GET', path, alex);
        expect(status).toBe(200);
        const page = body as unknown as Listed & { nextCursor: string | null; version: string };
        seen.push(...page.requests);
        cursor = page.nextCursor;
        if (seen.length === 2) await onFirstPage(page.version);
      } while (cursor);
      return seen;
    };
    let versions: string[] = [];
    let onFirstPage = async (version: string) => void versions.push(version);
    const first = await walk();
    expect(first.length).toBeGreaterThan(2);
    const later = first.at(-1)!.id; // on the last page
    expect(first.at(-1)!.accessFlow).toBeNull();
    versions = [];
    onFirstPage = async (version) => {
      versions.push(version);
      await breakGlassFor(later);
    };
    const second = await walk();
    expect(new Set(bodies).size).toBe(1); // Apono's bytes were the same at every read
    expect(second.find((r) => r.id === later)?.risk.map((h) => h.rule)).toContain('break_glass');
    // A third walk, nothing changed meanwhile: the same view, so the same version on every page.
    onFirstPage = async (version) => void versions.push(version);
    await walk();
    expect(versions[1]).not.toBe(versions[0]);
  });
});

/** Apono's webhook says `id` runs under a break-glass flow (a name the client API does not give). */
async function breakGlassFor(id: string) {
  const changed = new Promise((ok) => app.events.once('changed', ok));
  const status = await sendCreated(app.url, SECRET, {
    id,
    friendlyId: id,
    flowName: 'Break-glass emergency',
  });
  expect(status).toBe(202);
  await changed;
}
