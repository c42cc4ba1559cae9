// What the server answers while it waits for its Key Vault secrets: alive (/healthz, so App Service
// does not restart it in a loop), not ready (/readyz says what it waits for), and 503 "starting" for
// everything else. It listens on the app's own port and steps aside once the secrets are read.
import { createServer } from 'node:http';
import { errorBody } from '@apono-teams/domain/errors.js';
import {
  misaddressedAdvice,
  misaddressedReferences,
  missingIdentity,
  noIdentityAdvice,
} from './key-vault.js';

export async function startWaitingServer(port: number, host: string, env = process.env) {
  const state = { waitingFor: [] as string[] };
  const missing = missingIdentity(env);
  const misaddressed = misaddressedReferences(env);
  // A role assignment propagating fixes itself; a missing identity or a wrong address does not.
  const message = missing.length
    ? noIdentityAdvice(missing)
    : misaddressed.length
      ? misaddressedAdvice(misaddressed)
      : 'Waiting to read secrets from Key Vault: the web app may not have been granted access yet (role assignments can take minutes to propagate after a provision).';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return send(200, { status: 'ok', starting: true });
    if (path === '/readyz')
      return send(503, {
        status: 'not ready',
        detail: 'key_vault',
        message,
        waitingFor: state.waitingFor,
      });
    send(503, errorBody('starting'));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  return {
    state,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
