// A request that arrives while the server starts is answered or refused, never left hanging: on a fixed
// port the server listens only once every route is attached.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';
import { freePort } from './test-support/ports.js';

type Outcome = 'refused' | 'hung' | number;

function probe(port: number): Promise<Outcome> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 1500 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('timeout', () => {
      req.destroy();
      done('hung');
    });
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'refused' : 'hung'));
    req.end();
  });
}

describe('starting the server', () => {
  it('on a fixed port, refuses connections until it can answer them, then answers every one', async () => {
    const port = await freePort();
    const outcomes: Outcome[] = [];
    let started = false;
    const probing = (async () => {
      while (!started) {
        outcomes.push(await probe(port));
        await new Promise((r) => setTimeout(r, 5));
      }
      outcomes.push(await probe(port));
    })();
    const server = await startServer(
      loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: ':memory:', LOG_LEVEL: 'silent' }),
      { log: createLogger('silent') },
    );
    started = true;
    await probing;
    await server.close();
    expect(outcomes).not.toContain('hung');
    expect(outcomes.filter((o) => typeof o === 'number').every((o) => o === 200)).toBe(true);
    expect(outcomes.at(-1)).toBe(200);
  });
});
