// A TCP port on 127.0.0.1 that nothing listens on right now, for a child process the tests start
// (PostgreSQL, the Agents Playground) that needs its port before it runs.
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}
