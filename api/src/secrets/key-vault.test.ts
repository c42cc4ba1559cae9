// Right after a provision, App Service may hand the app its Key Vault references unresolved while the
// web app's role assignment propagates. The server must not crash-loop: it says so, stays alive with
// /readyz not ready, reads the secrets itself with the managed identity until it may, then starts.
// A real process against a loopback managed-identity endpoint and Key Vault.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test-support/ports.js';
import { runProcess, SERVER_MAIN } from '../test-support/process.js';
import { createLogger } from '../log.js';
import { readSecret, resolveReferences, secretUriOf, unresolvedReferences } from './key-vault.js';
import { startWaitingServer } from './waiting-server.js';

const WEBHOOK_SECRET = 'webhook-secret-from-key-vault-0123';
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
const secrets: Record<string, string> = {
  'apono-webhook-secret': WEBHOOK_SECRET,
  'token-encryption-key': ENCRYPTION_KEY,
};

let vault: Server;
let vaultUrl: string;
/** Until this many secret reads have been refused, Key Vault answers 403 (access not propagated). */
const state = { refuseFirst: 0, reads: 0, badHeaders: 0, asked: 0 };

beforeAll(async () => {
  vault = createServer((req, res) => {
    state.asked++;
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/msi/token') {
      if (
        req.headers['x-identity-header'] !== 'identity-header' ||
        url.searchParams.get('resource') !== 'https://vault.azure.net'
      ) {
        state.badHeaders++;
        return json(400, { error: 'bad request' });
      }
      return json(200, {
        access_token: 'vault-token',
        expires_on: '9999999999',
        resource: 'https://vault.azure.net',
      });
    }
    const name = /^\/secrets\/([^/]+)\/?$/.exec(url.pathname)?.[1];
    if (
      !name ||
      req.headers.authorization !== 'Bearer vault-token' ||
      url.searchParams.get('api-version') !== '7.4'
    )
      return json(401, { error: { code: 'Unauthorized' } });
    state.reads++;
    if (state.reads <= state.refuseFirst)
      return json(403, { error: { code: 'Forbidden', message: 'no access yet' } });
    json(200, { value: secrets[name], id: `${vaultUrl}/secrets/${name}/v1` });
  });
  await new Promise<void>((ok) => vault.listen(0, '127.0.0.1', ok));
  vaultUrl = `http://127.0.0.1:${(vault.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => vault.close(() => ok())));

/** `npm start`'s server in its own process on a free port and a fresh data folder, with `env`. */
async function startServerProcess(env: Record<string, string>) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'apono-kv-'));
  const server = runProcess(SERVER_MAIN, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...env,
  });
  let exited: number | null | undefined;
  void server.exited.then((code) => (exited = code));
  return { server, port, dataDir, exitCode: () => exited };
}

/**
 * resolveReferences(env) left running for 400 ms (time for several tries at 20 ms doubling, had it
 * kept trying): what it logged and said it waited for, and whether it settled.
 */
async function resolveFor(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });
  const waitedFor: string[][] = [];
  let settled = false;
  void resolveReferences(env, log, {
    firstDelayMs: 20,
    onWaiting: (names) => waitedFor.push(names),
  }).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 400));
  const said = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, said, waitedFor, settled: () => settled };
}

describe('Key Vault references', () => {
  it('reads both documented forms of a reference', () => {
    expect(secretUriOf('@Microsoft.KeyVault(SecretUri=https://kv1.vault.azure.net/secrets/db-url/)')).toBe(
      'https://kv1.vault.azure.net/secrets/db-url/',
    );
    expect(secretUriOf('@Microsoft.KeyVault(VaultName=kv1;SecretName=db-url;SecretVersion=abc)')).toBe(
      'https://kv1.vault.azure.net/secrets/db-url/abc',
    );
    expect(secretUriOf('postgres://user@host/db')).toBeNull();
    expect(
      unresolvedReferences({ A: '@Microsoft.KeyVault(VaultName=kv1;SecretName=a)', B: 'plain' }),
    ).toEqual([{ name: 'A', secretUri: 'https://kv1.vault.azure.net/secrets/a' }]);
  });

  it("never sends the identity's token anywhere but Key Vault", async () => {
    await expect(
      readSecret('https://attacker.example.com/secrets/x', {
        IDENTITY_ENDPOINT: `${vaultUrl}/msi/token`,
        IDENTITY_HEADER: 'identity-header',
      }),
    ).rejects.toThrow(/not a Key Vault address/);
  });

  it('keeps the server alive and not ready while access propagates, then starts with the secrets', async () => {
    state.refuseFirst = 4;
    state.reads = 0;
    const { server, port, dataDir, exitCode } = await startServerProcess({
      KEY_VAULT_RETRY_MS: '300',
      IDENTITY_ENDPOINT: `${vaultUrl}/msi/token`,
      IDENTITY_HEADER: 'identity-header',
      APONO_WEBHOOK_SECRET: `@Microsoft.KeyVault(SecretUri=${vaultUrl}/secrets/apono-webhook-secret/)`,
      TOKEN_ENCRYPTION_KEY: `@Microsoft.KeyVault(SecretUri=${vaultUrl}/secrets/token-encryption-key/)`,
    });
    const { child } = server;
    const base = `http://127.0.0.1:${port}`;
    const get = (path: string) =>
      fetch(base + path).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    try {
      // Waiting: alive, not ready, and saying for what.
      let waiting: { status: number; body: Record<string, unknown> } | null = null;
      for (let i = 0; i < 100 && !waiting; i++) {
        waiting = await get('/readyz').catch(() => null);
        if (!waiting) await new Promise((r) => setTimeout(r, 50));
      }
      expect(waiting).toMatchObject({ status: 503, body: { status: 'not ready', detail: 'key_vault' } });
      expect(waiting!.body.waitingFor).toEqual(
        expect.arrayContaining(['APONO_WEBHOOK_SECRET', 'TOKEN_ENCRYPTION_KEY']),
      );
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/api/config')).body).toMatchObject({ error: { code: 'starting' } });
      expect(exitCode()).toBeUndefined();

      // Access arrives: the server reads the secrets and starts for real.
      const end = Date.now() + 30_000;
      while (!/is running on/.test(server.output()) && Date.now() < end && exitCode() === undefined)
        await new Promise((r) => setTimeout(r, 100));
      expect(server.output()).toMatch(/is running on/);
      expect((await get('/readyz')).status).toBe(200);
      expect(state.reads).toBeGreaterThan(4);
      expect(state.badHeaders).toBe(0);
      // It uses what it read: Apono's webhook is accepted with the secret from Key Vault only.
      const hook = (secret: string) =>
        fetch(`${base}/api/apono/webhook`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            event_type: 'AccessRequestCreated',
            event_time: '1',
            data: { friendly_id: 'AR-1001' },
          }),
        }).then((r) => r.status);
      expect(await hook('wrong-secret-wrong-secret')).toBe(401);
      expect([200, 202]).toContain(await hook(WEBHOOK_SECRET));
      // A 403 is what access still propagating looks like, and the log says so.
      expect(server.output()).toMatch(/Key Vault secrets are not readable yet\. Right after a provision/);
      // Said clearly, and never the values.
      expect(server.output()).not.toContain(WEBHOOK_SECRET);
      expect(server.output()).not.toContain(ENCRYPTION_KEY);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('with no managed identity, says what to do once, and neither tries again nor settles', async () => {
    const reference = `${vaultUrl}/secrets/apono-webhook-secret/`;
    const asked = state.asked;
    await expect(readSecret(reference, {})).rejects.toThrow(
      'no managed identity here (IDENTITY_ENDPOINT and IDENTITY_HEADER are not set)',
    );
    await expect(readSecret(reference, { IDENTITY_ENDPOINT: `${vaultUrl}/msi/token` })).rejects.toThrow(
      'no managed identity here (IDENTITY_HEADER is not set)',
    );

    const env: NodeJS.ProcessEnv = { APONO_WEBHOOK_SECRET: `@Microsoft.KeyVault(SecretUri=${reference})` };
    const { lines, said, waitedFor, settled } = await resolveFor(env);
    expect(settled()).toBe(false);
    expect(waitedFor).toEqual([['APONO_WEBHOOK_SECRET']]);
    expect(env.APONO_WEBHOOK_SECRET).toBe(`@Microsoft.KeyVault(SecretUri=${reference})`);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({
      level: 50,
      waitingFor: ['APONO_WEBHOOK_SECRET'],
      missing: ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'],
    });
    expect(said[0]!.msg).toMatch(/no managed identity .*system-assigned managed identity/);
    expect(lines.join('\n')).not.toMatch(/propagat/);
    expect(state.asked).toBe(asked);
  });

  it('with a reference that is not a Key Vault address, says which once, and neither asks nor settles', async () => {
    const asked = state.asked;
    const good = `@Microsoft.KeyVault(SecretUri=${vaultUrl}/secrets/apono-webhook-secret/)`;
    const env: NodeJS.ProcessEnv = {
      IDENTITY_ENDPOINT: `${vaultUrl}/msi/token`,
      IDENTITY_HEADER: 'identity-header',
      APONO_WEBHOOK_SECRET: good,
      TOKEN_ENCRYPTION_KEY: '@Microsoft.KeyVault(SecretUri=https://example.com/secrets/token-encryption-key)',
    };
    const { said, waitedFor, settled } = await resolveFor(env);
    expect(settled()).toBe(false);
    expect(waitedFor).toEqual([['APONO_WEBHOOK_SECRET', 'TOKEN_ENCRYPTION_KEY']]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: 50, notKeyVault: ['TOKEN_ENCRYPTION_KEY'] });
    expect(said[0]!.msg).toMatch(/do not point at a Key Vault.*TOKEN_ENCRYPTION_KEY/);
    // Nothing was asked of the identity endpoint nor of the vault, the good reference included.
    expect(state.asked).toBe(asked);
    expect(env.APONO_WEBHOOK_SECRET).toBe(good);
  });

  it('/readyz names the references that are not Key Vault addresses, and what to do', async () => {
    const port = await freePort();
    const waiting = await startWaitingServer(port, '127.0.0.1', {
      IDENTITY_ENDPOINT: `${vaultUrl}/msi/token`,
      IDENTITY_HEADER: 'identity-header',
      TOKEN_ENCRYPTION_KEY: '@Microsoft.KeyVault(SecretUri=https://example.com/secrets/key)',
    });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { detail: string; message: string };
      expect(body.detail).toBe('key_vault');
      expect(body.message).toMatch(/do not point at a Key Vault.*TOKEN_ENCRYPTION_KEY.*Correct them/);
      expect(body.message).not.toMatch(/propagate/);
    } finally {
      await waiting.close();
    }
  });

  it('with no managed identity, npm start stays up, not ready, and says why once', async () => {
    const reference = `${vaultUrl}/secrets/apono-webhook-secret/`;
    const asked = state.asked;
    // Run outside App Service (no IDENTITY_ENDPOINT / IDENTITY_HEADER) with a setting left as a reference.
    const { server, port, dataDir, exitCode } = await startServerProcess({
      KEY_VAULT_RETRY_MS: '200',
      APONO_WEBHOOK_SECRET: `@Microsoft.KeyVault(SecretUri=${reference})`,
    });
    try {
      const said = /has no managed identity to read its Key Vault references with/g;
      await server.printed(said, 30_000);
      // Tries at 200 ms and 400 ms would have been logged by now, had it kept trying.
      await new Promise((r) => setTimeout(r, 1000));
      expect(server.output().match(said)).toHaveLength(1);
      expect(server.output()).toMatch(/"waitingFor":\["APONO_WEBHOOK_SECRET"\]/);
      expect(server.output()).not.toMatch(/propagat|not readable yet/);
      // Alive, not ready, saying what is wrong and what it waits for; never started without the secret.
      const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(readyz.status).toBe(503);
      const body = (await readyz.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: 'not ready',
        detail: 'key_vault',
        waitingFor: ['APONO_WEBHOOK_SECRET'],
      });
      expect(body.message).toMatch(/no managed identity .*system-assigned managed identity/);
      expect(body.message).not.toMatch(/propagat/);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(exitCode()).toBeUndefined();
      expect(server.output()).not.toMatch(/could not start|is running on|\n\s+at /);
      // Nothing was asked of Key Vault or an identity endpoint without an identity.
      expect(state.asked).toBe(asked);
    } finally {
      server.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
