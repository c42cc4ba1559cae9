// Microsoft Graph and the Entra token endpoint on 127.0.0.1, answering the calls proactive
// installation makes in the shapes Microsoft Learn documents (userTeamworkInstalledApps: POST answers
// 201, or 409 when the app is installed already; installedApps/{id}/chat answers the chat), and
// remembering what it was asked.
import type { AddressInfo } from 'node:net';
import express from 'express';

export const CATALOG_APP_ID = 'catalog-app-1';

export async function startFakeGraph(manifestAppId: string) {
  const calls: Array<{ method: string; url: string; body: unknown; auth: string | undefined }> = [];
  const installed = new Set<string>();
  /** Users Graph does not know (404), or may not install for (403). */
  const refuse = new Map<string, 403 | 404>();
  /**
   * The next calls (to a path containing `on`, when given) are answered with these, one each, in
   * order; status 0 drops the connection instead.
   */
  const busyNext: Array<{ status: number; retryAfter?: string; on?: string }> = [];
  /** The app's real client secret, when set: any other is refused as Entra refuses it. */
  const entra = { clientSecret: null as string | null };
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  app.use((req, res, next) => {
    calls.push({
      method: req.method,
      url: decodeURIComponent(req.originalUrl),
      body: req.body,
      auth: req.get('authorization'),
    });
    const at = busyNext.findIndex((b) => !b.on || req.originalUrl.includes(b.on));
    if (at === -1) return next();
    const [busy] = busyNext.splice(at, 1);
    if (!busy) return next();
    if (busy.status === 0) return void req.socket.destroy();
    if (busy.retryAfter) res.set('Retry-After', busy.retryAfter);
    res.status(busy.status).json({ error: { code: 'TooManyRequests', message: 'throttled' } });
  });
  app.post('/:tenant/oauth2/v2.0/token', (req, res) => {
    const ok =
      req.body.grant_type === 'client_credentials' &&
      req.body.scope === 'https://graph.microsoft.com/.default';
    if (!ok) return void res.status(400).json({ error: 'invalid_request' });
    // Microsoft identity platform, "client credentials flow": a wrong or expired secret is a 401
    // invalid_client (AADSTS7000215).
    if (entra.clientSecret !== null && req.body.client_secret !== entra.clientSecret)
      return void res.status(401).json({
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
      });
    res.json({ token_type: 'Bearer', expires_in: 3599, access_token: 'graph-app-token' });
  });
  const authorized: express.RequestHandler = (req, res, next) => {
    if (req.get('authorization') !== 'Bearer graph-app-token')
      return void res.status(401).json({ error: { code: 'InvalidAuthenticationToken', message: 'no' } });
    next();
  };
  app.get('/v1.0/appCatalogs/teamsApps', authorized, (req, res) => {
    const wanted = `externalId eq '${manifestAppId}'`;
    res.json({
      value: req.query.$filter === wanted ? [{ id: CATALOG_APP_ID, externalId: manifestAppId }] : [],
    });
  });
  const userOf = (req: express.Request) => String(req.params.user).toLowerCase();
  const refused = (user: string, res: express.Response) => {
    const status = refuse.get(user.toLowerCase());
    if (!status) return false;
    res
      .status(status)
      .json({ error: { code: status === 404 ? 'NotFound' : 'Forbidden', message: 'refused' } });
    return true;
  };
  app.post('/v1.0/users/:user/teamwork/installedApps', authorized, (req, res) => {
    if (refused(userOf(req), res)) return;
    const bind = (req.body as Record<string, unknown>)['teamsApp@odata.bind'];
    if (typeof bind !== 'string' || !bind.endsWith(`/appCatalogs/teamsApps/${CATALOG_APP_ID}`))
      return void res.status(400).json({ error: { code: 'BadRequest', message: 'unknown app' } });
    const user = userOf(req);
    if (installed.has(user))
      return void res.status(409).json({ error: { code: 'Conflict', message: 'installed' } });
    installed.add(user);
    res.status(201).end();
  });
  app.get('/v1.0/users/:user/teamwork/installedApps', authorized, (req, res) => {
    const user = userOf(req);
    const match = req.query.$filter === `teamsApp/id eq '${CATALOG_APP_ID}'` && installed.has(user);
    res.json({ value: match ? [{ id: `installation-${user}` }] : [] });
  });
  app.get('/v1.0/users/:user/teamwork/installedApps/:installation/chat', authorized, (req, res) => {
    res.json({ id: `19:chat-${userOf(req)}@unq.gbl.spaces` });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((ok) => server.once('listening', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    installed,
    refuse,
    busyNext,
    entra,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
