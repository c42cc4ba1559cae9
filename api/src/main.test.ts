// `npm start` as a process: it says where it runs and who the sandbox users are, stops cleanly on
// SIGTERM, and refuses bad configuration with a sentence naming the variable. Runs the built server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess, SERVER_MAIN } from './test-support/process.js';

const run = (env: Record<string, string>) => runProcess(SERVER_MAIN, env);

describe('the server process', () => {
  it('starts on the embedded sandbox, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'apono-main-'));
    const server = run({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      await server.printed(/running on http:\/\/localhost:\d+/, 30_000);
      const url = /running on (http:\/\/localhost:\d+)/.exec(server.output())![1]!;
      expect(server.output()).toContain('alexw@example.com');
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      const list = await fetch(
        `${url}/sandbox/apono/api/client/v1/access-requests?scope=MyTasks&statuses=Pending`,
        { headers: { authorization: 'Bearer apono-sandbox-alexw' } },
      );
      expect(((await list.json()) as { data: unknown[] }).data.length).toBeGreaterThanOrEqual(25);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('shutting down');
    } finally {
      server.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a bad variable with a sentence naming it, and exits', async () => {
    const server = run({ PORT: 'eighty' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toMatch(/Fix these environment variables: PORT/);
  });

  it('refuses to run the sandbox in production', async () => {
    const server = run({ NODE_ENV: 'production' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toMatch(/APP_MODE=sandbox .* cannot run with NODE_ENV=production/);
  });
});
