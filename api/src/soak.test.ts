// A bounded soak of the built server as a process (`npm start`'s code, embedded sandbox and PGlite):
// eight clients for SOAK_SECONDS (60 unless set) list, open, decide, create requests, send webhooks,
// hostile IDs and bad tokens, and reset the sandbox now and then. Nothing may answer 5xx, the process
// must stay up, and its resident memory at the end must stay within a generous bound of the start
// (a leak of what each call holds grows without bound; a bounded cache does not).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runProcess, SERVER_MAIN } from './test-support/process.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CLIENTS = 8;
const SECRET = 'soak-webhook-secret';

/** Resident set size of a process, in MB, from Linux's /proc. */
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

it(
  `survives ${SECONDS} s of mixed traffic from ${CLIENTS} clients: no 5xx, memory bounded`,
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apono-soak-'));
    const server = runProcess(SERVER_MAIN, {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      APONO_WEBHOOK_SECRET: SECRET,
      DECISIONS_PER_MINUTE: '100000',
    });
    const { child } = server;
    let exited: number | null | undefined;
    void server.exited.then((code) => (exited = code));
    try {
      const url = (await server.printed(/running on (http:\/\/localhost:\d+)/, 30_000))[1]!;
      const statuses = new Map<number, number>();
      const fivexx: string[] = [];
      async function call(method: string, path: string, token?: string, body?: unknown, auth?: string) {
        const res = await fetch(url + path, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(auth ? { authorization: auth } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fivexx.push(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
        return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
      }
      const signIn = async (email: string) =>
        (await call('POST', '/api/sandbox/sign-in', undefined, { email })).body!.token as string;
      const tokens = [await signIn('alexw@example.com'), await signIn('adelev@example.com')];

      // Warm up (JIT, caches, PGlite's first pages), then take the starting figure.
      for (let i = 0; i < 20; i++) await call('GET', '/api/requests', tokens[i % 2]);
      const rssStart = rssMb(child.pid!);
      const end = Date.now() + SECONDS * 1000;
      let rounds = 0;

      async function client(n: number) {
        const token = tokens[n % 2]!;
        while (Date.now() < end) {
          rounds++;
          const list = await call('GET', '/api/requests', token);
          const pending = ((list.body?.requests ?? []) as Array<{ id: string }>).map((r) => r.id);
          const id = pending[(rounds * 7 + n) % Math.max(pending.length, 1)];
          if (id) {
            await call('GET', `/api/requests/${encodeURIComponent(id)}`, token);
            await call(
              'POST',
              `/api/requests/${encodeURIComponent(id)}/${rounds % 3 ? 'approve' : 'reject'}`,
              token,
              {
                reason: `soak ${rounds}`,
              },
            );
          }
          switch (rounds % 6) {
            case 0:
              await call('POST', '/api/sandbox/requests', undefined, {
                requesterEmail: 'meganb@example.com',
                flowId: 'flow-prod-db',
                justification: `soak ${rounds} <b>not bold</b> **nor this**`,
              });
              break;
            case 1:
              await call(
                'POST',
                '/api/apono/webhook',
                undefined,
                { event_type: 'AccessRequestCreated', data: { id: id ?? 'AR-1001' } },
                `Bearer ${SECRET}`,
              );
              break;
            case 2:
              await call('POST', '/api/apono/webhook', undefined, { data: { id: 'AR-1' } }, 'Bearer wrong');
              break;
            case 3:
              await call('GET', '/api/requests/..%2Fsession', token);
              await call('GET', '/api/requests', 'forged.token.value');
              break;
            case 4:
              await call('GET', '/healthz');
              await call('GET', '/api/requests/history', token);
              break;
            case 5:
              if (rounds % 60 === 5) await call('POST', '/api/sandbox/reset', undefined, {});
              break;
          }
        }
      }
      await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
      const rssEnd = rssMb(child.pid!);
      const calls = [...statuses.values()].reduce((a, b) => a + b, 0);
      console.log(
        `soak: ${SECONDS} s, ${CLIENTS} clients, ${calls} calls, statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS ${rssStart.toFixed(0)} MB at start, ${rssEnd.toFixed(0)} MB at end`,
      );
      expect(fivexx).toEqual([]);
      expect(exited).toBeUndefined();
      expect(calls).toBeGreaterThan(SECONDS * 10);
      // Embedded PGlite's WebAssembly memory grows to its working size under load and never shrinks
      // (linear memory cannot), so a server that idles small (~200 MB since issue 11) is given room
      // for that one-time growth; a leak of what each call holds still runs past it.
      expect(rssEnd).toBeLessThan(Math.max(rssStart, 300) + 200);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  (SECONDS + 90) * 1000,
);
