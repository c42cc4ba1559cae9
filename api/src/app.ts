// The Express app: everything the server answers, assembled from each capability's routes.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import express, { Router, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { z } from 'zod';
import type { Config } from './config.js';
import { adminRoutes, isAdmin } from './admin/routes.js';
import { AppError, errorHandler, notFound } from './http/errors.js';
import { securityHeaders } from './http/security.js';
import { parseBody, refuseUnsafeJson, requireJsonBody } from './http/validate.js';
import { authenticate } from './identity/middleware.js';
import { identityRoutes } from './identity/routes.js';
import type { SandboxIssuer } from './identity/sandbox-issuer.js';
import type { Identity } from './identity/service.js';
import type { TokenRules } from './identity/tokens.js';
import { redactRequest, redactUrl, type Logger } from './log.js';
import { requestRoutes } from './requests/routes.js';
import type { RequestService } from './requests/service.js';
import type { Db } from './store/db.js';
import type { Delivery } from './delivery/queue.js';
import { signedInRecorder } from './teams/people.js';
import { createRoutingStore } from './teams/routing.js';
import { createTeamsStore } from './teams/store.js';

export interface SandboxUser {
  name: string;
  email: string;
  aadObjectId: string;
  tenantId: string;
  role: string;
}

/** What sandbox mode adds: sign-in as a sandbox user, and the embedded sandbox's admin API. */
export interface SandboxMount {
  adminRouter: Router | undefined;
  users: SandboxUser[];
  issuer: SandboxIssuer;
}

export interface AppDeps {
  config: Config;
  log: Logger;
  db: Db;
  tokenRules: TokenRules;
  identity: Identity;
  requests: RequestService;
  sandbox?: SandboxMount | undefined;
  /** The embedded Apono sandbox's client API, served at /sandbox/apono like api.apono.io. */
  aponoSandboxRouter?: Router | undefined;
  /** Extra routers mounted under /api before authentication (bot endpoint, webhook). */
  publicApi?: Array<(router: Router) => void>;
  /** Mounted on the app itself before /api, with their own body parsers (the Teams bot at /api/messages). */
  beforeApi?: Array<(app: Express) => void>;
  tabDir?: string;
  /** The durable job queue: /readyz fails while it is not worked; admins see it at /api/admin/delivery. */
  delivery?: Delivery | undefined;
}

const signInBody = z.object({ email: z.string().trim().toLowerCase() });

export function createApp(deps: AppDeps): Express {
  const { config, log, db } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.production ? 1 : false);

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // OAuth codes and states arrive in query strings, and leave in sandbox redirects.
      serializers: {
        req: redactRequest,
        res: (res: { headers?: Record<string, unknown> }) =>
          res.headers?.location
            ? { ...res, headers: { ...res.headers, location: redactUrl(res.headers.location) } }
            : res,
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(securityHeaders({ https: config.publicUrl.startsWith('https:') }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready while the database answers within 2 s; 503 while it cannot be reached or hangs, and ready
  // again as soon as it answers (the pool opens new connections by itself).
  app.get('/readyz', async (req, res) => {
    const probe = db.query('select 1');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((ok) => {
      timer = setTimeout(() => ok('timeout'), 2000);
    });
    try {
      const answer = await Promise.race([probe, timeout]);
      if (answer !== 'timeout') {
        // Work that waits minutes past its time means no instance is taking jobs.
        if (deps.delivery && !(await deps.delivery.healthy())) {
          req.log.warn('not ready: queued deliveries are not being worked');
          res.status(503).json({ status: 'not ready', database: db.kind, detail: 'delivery' });
          return;
        }
        res.json({ status: 'ready', database: db.kind });
        return;
      }
      probe.catch(() => undefined);
      req.log.warn('not ready: the database did not answer within 2 s');
      res.status(503).json({ status: 'not ready', database: db.kind, detail: 'timeout' });
    } catch (err) {
      req.log.warn({ err }, 'not ready: the database cannot be reached');
      res.status(503).json({ status: 'not ready', database: db.kind, detail: 'unreachable' });
    } finally {
      clearTimeout(timer);
    }
  });

  // Apono's client API imitation sits outside /api: it has its own tokens, like api.apono.io.
  if (deps.aponoSandboxRouter)
    app.use('/sandbox/apono', express.json({ limit: '64kb' }), deps.aponoSandboxRouter);

  for (const mount of deps.beforeApi ?? []) mount(app);

  // The tab's API and its files, compressed when the client accepts it (the pending list is JSON that
  // shrinks ~10x). Not the bot endpoint, nor the embedded Apono sandbox above, which answers as Apono does.
  // Brotli at quality 3, not compression's 4: several times cheaper for ~8% more bytes (the lists and
  // details are compressed once per body in requests/fresh.ts; this covers the tab's files and the rest).
  app.use(compression({ brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 3 } } }));

  const api = Router();
  // Apono's webhook reads its admin-written body with its own parser; everything else speaks JSON.
  for (const mount of deps.publicApi ?? []) mount(api);
  api.use(requireJsonBody, express.json({ limit: '32kb' }), refuseUnsafeJson({ characters: false }));
  api.get('/config', (_req, res) => {
    res.json({
      mode: config.APP_MODE,
      aponoPortalUrl: config.APONO_PORTAL_URL,
      aponoOAuth: !!config.APONO_OAUTH_CLIENT_ID,
    });
  });
  if (deps.sandbox) mountSandboxApi(api, deps.sandbox);
  const teamsStore = createTeamsStore(db);
  api.use(authenticate(deps.tokenRules, signedInRecorder(teamsStore), log));
  api.use(
    adminRoutes({
      adminEmails: config.ADMIN_EMAILS,
      store: teamsStore,
      routes: createRoutingStore(db),
      delivery: deps.delivery,
    }),
  );
  api.use(identityRoutes(deps.identity, (caller) => isAdmin(caller, config.ADMIN_EMAILS)));
  api.use(requestRoutes(deps.requests, config.risk));
  app.use('/api', api);

  const tabDir = deps.tabDir ?? resolve(import.meta.dirname, '../../tabs/dist');
  if (existsSync(tabDir)) {
    app.use(express.static(tabDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|sandbox\/).*/, (_req, res) =>
      res.sendFile(resolve(tabDir, 'index.html'), { maxAge: 0 }),
    );
  }

  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}

function mountSandboxApi(api: Router, sandbox: SandboxMount) {
  api.get('/sandbox/users', (_req, res) => {
    res.json({ users: sandbox.users.map(({ name, email, role }) => ({ name, email, role })) });
  });
  api.post('/sandbox/sign-in', async (req, res) => {
    const { email } = parseBody(signInBody, req.body);
    const user = sandbox.users.find((u) => u.email === email);
    if (!user)
      throw new AppError(
        'not_found',
        `${email} is not a sandbox user. Pick one of: ${sandbox.users.map((u) => u.email).join(', ')}.`,
      );
    const token = await sandbox.issuer.signIn({
      name: user.name,
      email: user.email,
      tenantId: user.tenantId,
      objectId: user.aadObjectId,
    });
    res.json({ token });
  });
  if (sandbox.adminRouter) api.use('/sandbox', sandbox.adminRouter);
}
