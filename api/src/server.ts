// Builds every service from configuration and starts listening. Used by main.ts and by the tests,
// which start a real server on a free port.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { errorBody } from '@apono-teams/domain/errors.js';
import { createAponoClient } from './apono/client.js';
import { createApp, type SandboxMount } from './app.js';
import { answerClientError } from './http/errors.js';
import type { Config } from './config.js';
import { createConnectionStore } from './identity/connections.js';
import { createAponoOAuth } from './identity/oauth.js';
import { oauthRoutes, oauthStartPage } from './identity/oauth-routes.js';
import { keyringFrom } from './identity/secret-box.js';
import { createSandboxIssuer } from './identity/sandbox-issuer.js';
import { createIdentity } from './identity/service.js';
import { entraRules } from './identity/tokens.js';
import { createLogger, type Logger } from './log.js';
import { RequestEvents } from './requests/events.js';
import { createRequestService } from './requests/service.js';
import {
  mountSandbox,
  resetAppState,
  sandboxPeople,
  sandboxTokenFor,
  type EmbeddedSandbox,
} from './sandbox-mount.js';
import { openDb, type Db } from './store/db.js';
import { createDelivery, type Delivery } from './delivery/queue.js';
import { createTeamsBot, type TeamsBot } from './teams/bot.js';
import { webhookChore, webhookRoutes } from './webhooks/apono-webhook.js';
import { startHousekeeping } from './store/housekeeping.js';
import { decisionChore } from './requests/idempotency.js';

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  log: Logger;
  events: RequestEvents;
  sandbox: EmbeddedSandbox | undefined;
  /** The Teams bot and message extension at /api/messages. */
  bot: TeamsBot;
  /** The durable job queue the webhook and the bot's notifications run on. */
  delivery: Delivery;
  close(): Promise<void>;
}

/** The token encryption key: from configuration, or (outside production) one kept in DATA_DIR. */
function encryptionKey(config: Config, log: Logger): string {
  if (config.TOKEN_ENCRYPTION_KEY) return config.TOKEN_ENCRYPTION_KEY;
  const file = join(config.DATA_DIR, 'token-encryption.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
  log.warn({ file }, 'TOKEN_ENCRYPTION_KEY is not set; generated a local key for this data folder');
  return key;
}

export interface ServerOptions {
  log?: Logger;
  /** Tests watch what reaches Apono through this. */
  aponoFetch?: (input: Request) => Promise<Response>;
  /** Entra's key set URL; tests serve their own keys to run the real SSO path end to end. */
  entraJwksUrl?: string;
  /** Settings that depend on this server's own origin, known only once it listens (PORT=0 in tests). */
  configure?: (origin: string) => Partial<Config>;
}

export async function startServer(
  configuration: Config,
  options: ServerOptions = {},
): Promise<RunningServer> {
  let config = configuration;
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const db = await openDb({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: config.DATA_DIR === ':memory:' ? null : join(config.DATA_DIR, 'pglite'),
  });
  const keyring = keyringFrom(
    {
      id: config.TOKEN_ENCRYPTION_KEY_ID,
      base64:
        config.DATA_DIR === ':memory:' && !config.TOKEN_ENCRYPTION_KEY
          ? randomBytes(32).toString('base64')
          : encryptionKey(config, log),
    },
    config.TOKEN_ENCRYPTION_OLD_KEYS,
  );
  const events = new RequestEvents();
  // Listen last, once every route is attached, so no request can arrive and go unanswered. Only with
  // PORT=0 (tests) must the port be known first, for the embedded sandbox's address: then a request in
  // the window is told the server is starting.
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' });
    res.end(JSON.stringify(errorBody('starting')));
  };
  const server = createServer(starting);
  server.on('clientError', answerClientError);
  const listen = async () => {
    server.listen(config.PORT, config.HOST);
    await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail));
  };
  const portFirst = config.PORT === 0;
  if (portFirst) await listen();
  const port = portFirst ? (server.address() as AddressInfo).port : config.PORT;
  const url = `http://localhost:${port}`;
  if (options.configure) config = { ...config, ...options.configure(url) };
  const origin = config.PUBLIC_URL ? config.publicUrl : url;
  const aponoBaseUrl = config.APONO_BASE_URL ? config.aponoBaseUrl : `http://127.0.0.1:${port}/sandbox/apono`;
  const apono = createAponoClient({
    baseUrl: aponoBaseUrl,
    timeoutMs: config.APONO_TIMEOUT_MS,
    ...(options.aponoFetch ? { fetch: options.aponoFetch } : {}),
  });
  // Without a configured secret (sandbox), the embedded sandbox gets a fresh one at each start.
  const webhookSecret = config.APONO_WEBHOOK_SECRET ?? randomBytes(24).toString('base64url');
  if (!config.APONO_WEBHOOK_SECRET && !config.sandboxApono)
    log.warn('APONO_WEBHOOK_SECRET is not set: Apono webhooks will be refused');

  // The embedded Apono sandbox answers at /sandbox/apono whenever configured (also under Teams F5);
  // sandbox sign-in and its admin API exist only in APP_MODE=sandbox.
  const sandbox: EmbeddedSandbox | undefined = config.sandboxApono
    ? mountSandbox({ requestIds: config.SANDBOX_REQUEST_IDS })
    : undefined;
  const sandboxMode = config.APP_MODE === 'sandbox';
  let mount: SandboxMount | undefined;
  if (sandboxMode) {
    const users = sandboxPeople();
    const issuer = await createSandboxIssuer(`${config.publicUrl}/sandbox/issuer`, [
      ...new Set(users.map((u) => u.tenantId)),
    ]);
    mount = { adminRouter: sandbox?.adminRouter, users, issuer };
  }
  const tokenRules = mount
    ? mount.issuer.rules
    : entraRules({
        clientId: config.AAD_APP_CLIENT_ID!,
        appIdUri: config.AAD_APP_ID_URI,
        allowedTenants: config.ALLOWED_TENANT_IDS ?? [config.AAD_APP_TENANT_ID!],
        jwksUrl: options.entraJwksUrl,
      });

  const oauth =
    config.APONO_OAUTH_CLIENT_ID && config.APONO_OAUTH_AUTHORIZE_URL && config.APONO_OAUTH_TOKEN_URL
      ? createAponoOAuth({
          provider: {
            clientId: config.APONO_OAUTH_CLIENT_ID,
            authorizeUrl: config.APONO_OAUTH_AUTHORIZE_URL,
            tokenUrl: config.APONO_OAUTH_TOKEN_URL,
            redirectUri: `${origin}/api/connection/oauth/callback`,
            scopes: config.APONO_OAUTH_SCOPES,
          },
          db,
          timeoutMs: config.APONO_TIMEOUT_MS,
        })
      : undefined;
  const identity = createIdentity({
    connections: createConnectionStore(db, keyring),
    apono,
    accountMappings: config.accountMappings,
    // With Apono OAuth configured, sandbox users sign in with Apono like everyone else.
    ...(sandboxMode && !oauth ? { sandboxTokenFor: sandboxTokenFor } : {}),
    ...(oauth ? { refresh: oauth.refresh } : {}),
  });
  const requests = createRequestService({
    db,
    apono,
    identity,
    events,
    log,
    decisionsPerMinute: config.DECISIONS_PER_MINUTE,
    aponoTimeoutMs: config.APONO_TIMEOUT_MS,
    // The embedded sandbox answers GET /session in-process: read its settings fresh, so a switch shows at once.
    ...(config.sandboxApono && !config.APONO_BASE_URL ? { settingsTtlMs: 0 } : {}),
  });
  // Decision claims, our decision records, card copies and notices belong to the sandbox's world:
  // after POST /api/sandbox/reset they would answer for requests that are pending again.
  const delivery = createDelivery({
    db,
    databaseUrl: config.DATABASE_URL,
    log,
    leaseSeconds: config.DELIVERY_LEASE_SECONDS,
    retryLimit: config.DELIVERY_RETRY_LIMIT,
    maintenanceSeconds: config.DELIVERY_MAINTENANCE_SECONDS,
    pollingSeconds: config.DELIVERY_POLL_SECONDS,
  });
  await delivery.start();
  sandbox?.sandbox.onReset(async () => {
    await resetAppState(db);
    await delivery.clear();
    requests.forgetCaches();
    apono.resetBreaker();
  });
  // Clearing injected faults is the sandbox saying "Apono is back". A real Apono's recovery is learned by
  // the breaker's probe after its 10 s cooldown; here the developer already knows, so close it at once.
  sandbox?.sandbox.onFaultsCleared(() => apono.resetBreaker());
  const publicApi = [webhookRoutes({ secret: webhookSecret, db, delivery, log })];
  const stopHousekeeping = startHousekeeping(db, log, [webhookChore, decisionChore]);
  if (oauth) publicApi.push(oauthRoutes({ oauth, identity, tokenRules, log }));
  // A decision's confirming read is background work of the bot's too: a clean stop (and a test) waits for it.
  events.on('confirming', (work) => bot.notifications.track(work));
  const bot = createTeamsBot({
    config,
    log,
    db,
    events,
    requests,
    sandboxUsers: sandbox?.users,
    decisionWaitMs: config.BOT_DECISION_WAIT_MS,
    oauth,
    origin,
    delivery,
  });
  const app = createApp({
    config,
    log,
    db,
    tokenRules,
    identity,
    requests,
    sandbox: mount,
    aponoSandboxRouter: sandbox?.aponoRouter,
    publicApi,
    beforeApi: [bot.mount, ...(oauth ? [oauthStartPage({ oauth })] : [])],
    delivery,
  });
  await bot.start();

  server.off('request', starting).on('request', app);
  if (!portFirst) await listen();
  sandbox?.configureWebhook({
    url: `http://127.0.0.1:${port}/api/apono/webhook`,
    bearerSecret: webhookSecret,
  });

  return {
    url,
    port,
    db,
    log,
    events,
    sandbox,
    bot,
    delivery,
    async close() {
      stopHousekeeping();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      bot.stop();
      await bot.notifications.idle();
      await delivery.stop();
      await db.close();
    },
  };
}
