// The Teams bot and message extension on the server's own Express app, at /api/messages. In teams
// mode the Teams SDK checks the Bot Framework token (single tenant: BOT_ID, BOT_PASSWORD,
// BOT_TENANT_ID). In sandbox mode (never in production: config refuses it) activities come without a
// token from the Agents Playground, so they are accepted only from this machine (loopback).
import express, { type Express, type RequestHandler } from 'express';
import { App, ExpressAdapter } from '@microsoft/teams.apps';
import type { ILogger } from '@microsoft/teams.common';
import type { SandboxUser } from '../app.js';
import type { Config } from '../config.js';
import type { AponoOAuth } from '../identity/oauth.js';
import { refuseUnsafeJson } from '../http/validate.js';
import type { Logger } from '../log.js';
import { createSharedPacer } from '../delivery/pace.js';
import type { Delivery } from '../delivery/queue.js';
import type { RequestDecided, RequestEvents } from '../requests/events.js';
import { onDecisionIntent } from '../requests/records.js';
import { signalReader, SIGNAL_QUEUE, type WebhookSignal } from '../webhooks/apono-webhook.js';
import type { RequestService } from '../requests/service.js';
import type { Db } from '../store/db.js';
import { cardResponse, createCardActions } from './card-actions.js';
import { createCardViews } from './card-views.js';
import { createChat } from './chat.js';
import { createMessenger } from './messenger.js';
import { createNotifications } from './notifications.js';
import { createCopyUpdater } from './copies.js';
import { createGraphInstaller } from './graph-install.js';
import { createPeople } from './people.js';
import { createReach } from './reach.js';
import { createReminders } from './reminders.js';
import { createDecisionSweep, DECISION_CHECK_QUEUE } from './decision-sweep.js';
import { createRouting, createRoutingStore } from './routing.js';
import { noticeCard } from './request-card.js';
import { createSearch } from './search.js';
import { refuseMalformedActivity } from './activity-shape.js';
import { createTeamsStore } from './store.js';
import { wordsOfActivity } from './words.js';

export const MESSAGING_PATH = '/api/messages';

export interface TeamsBotDeps {
  config: Config;
  log: Logger;
  db: Db;
  events: RequestEvents;
  requests: RequestService;
  sandboxUsers?: SandboxUser[] | undefined;
  /** How long a card action waits for Apono before answering "working on it" (default 2.5 s: the answer must reach Teams well inside its 5 s). */
  decisionWaitMs?: number;
  /** "Sign in with Apono", when configured: the message extension offers it to unconnected people. */
  oauth?: AponoOAuth | null | undefined;
  /** This server's address as Teams reaches it (PUBLIC_URL, or where it listens). */
  origin?: string;
  /** The durable job queue: Apono's webhook deliveries and the app's decisions are worked from it. */
  delivery: Delivery;
}

/** Decisions made through the app, queued for their card updates and the requester's notice. */
export const DECIDED_QUEUE = 'app-decided';
export const REMINDER_QUEUE = 'reminders';
export const SWEEP_QUEUE = 'decision-sweep';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopback(address: string | undefined): boolean {
  return !!address && (LOOPBACK.has(address) || /^(::ffff:)?127\./.test(address));
}

/** Unauthenticated bot traffic from anywhere but this machine is refused before the SDK sees it. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  // The socket's address, not req.ip: X-Forwarded-For must not make a remote caller look local.
  if (isLoopback(req.socket.remoteAddress)) return next();
  res.status(401).json({
    error: {
      code: 'unauthenticated',
      message:
        'Sandbox mode accepts bot activities only from this machine. Use APP_MODE=teams with Bot Framework credentials.',
    },
  });
};

function sdkLogger(log: Logger): ILogger {
  const logger: ILogger = {
    debug: (...msg: unknown[]) => log.debug({ sdk: 'teams' }, msg.map(String).join(' ')),
    info: (...msg: unknown[]) => log.debug({ sdk: 'teams' }, msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => log.warn({ sdk: 'teams' }, msg.map(String).join(' ')),
    error: (...msg: unknown[]) => log.error({ sdk: 'teams' }, msg.map(String).join(' ')),
    trace: (...msg: unknown[]) => log.trace({ sdk: 'teams' }, msg.map(String).join(' ')),
    log: (level, ...msg: unknown[]) => logger[level](...msg),
    child: () => logger,
  };
  return logger;
}

export function createTeamsBot(deps: TeamsBotDeps) {
  const { config, log, requests } = deps;
  const sandboxMode = config.APP_MODE === 'sandbox';
  const links = { teamsAppId: config.TEAMS_APP_ID, portalUrl: config.APONO_PORTAL_URL };

  // The SDK's routes live on their own Express app, mounted on ours at the right place.
  const botExpress = express();
  botExpress.disable('x-powered-by');
  if (sandboxMode) botExpress.use(MESSAGING_PATH, loopbackOnly);
  // Teams never sends a NUL or half an emoji; one that does would reach the database as a name or ID.
  botExpress.use(MESSAGING_PATH, express.json({ limit: '256kb' }), refuseUnsafeJson({ characters: true }));
  // Unsigned activities only: in teams mode the SDK checks the token first, and a signed activity
  // comes from the Bot Connector, whole.
  if (sandboxMode) botExpress.use(MESSAGING_PATH, refuseMalformedActivity);

  const app = new App({
    httpServerAdapter: new ExpressAdapter(botExpress),
    messagingEndpoint: MESSAGING_PATH,
    logger: sdkLogger(log),
    ...(sandboxMode
      ? // No credentials at all, so nothing is read from CLIENT_ID/CLIENT_SECRET in the environment.
        { dangerouslyAllowUnauthenticatedRequests: true, token: undefined, clientId: '', clientSecret: '' }
      : {
          clientId: config.BOT_ID,
          clientSecret: config.BOT_PASSWORD,
          tenantId: config.BOT_TENANT_ID,
          // Explicit, so that DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS in the environment (which the
          // SDK reads when this option is left out) can never switch Bot Framework auth off.
          dangerouslyAllowUnauthenticatedRequests: false,
        }),
  });

  const store = createTeamsStore(deps.db, log, { claimSeconds: config.DELIVERY_LEASE_SECONDS });
  const people = createPeople({ store, log, sandboxUsers: sandboxMode ? deps.sandboxUsers : undefined });
  // Paced across every instance on this database: Teams counts what reaches it from all of them.
  const messenger = createMessenger({
    http: () => app.api.http,
    botId: () => config.BOT_ID,
    pacer: createSharedPacer(deps.db),
  });
  const views = createCardViews({ store, requests, links, risk: config.risk });
  const copies = createCopyUpdater({ store, messenger, log });
  const services = { requests, people, views, store, messenger, copies, log };

  const oauth = deps.oauth;
  const origin = deps.origin ?? config.publicUrl;
  const search = createSearch({
    requests,
    people,
    views,
    links,
    publicUrl: origin,
    signInUrl: oauth
      ? async (caller) =>
          `${origin}/auth-start?${new URLSearchParams({ state: (await oauth.start(caller)).state })}`
      : undefined,
  });
  const chat = createChat({ ...services, links });
  const installer =
    config.GRAPH_INSTALL &&
    config.BOT_ID &&
    config.BOT_PASSWORD &&
    config.BOT_TENANT_ID &&
    config.TEAMS_APP_ID
      ? createGraphInstaller({
          graphUrl: config.GRAPH_BASE_URL,
          loginUrl: config.ENTRA_LOGIN_URL,
          tenantId: config.BOT_TENANT_ID,
          clientId: config.GRAPH_CLIENT_ID ?? config.BOT_ID,
          clientSecret: config.GRAPH_CLIENT_SECRET ?? config.BOT_PASSWORD,
          manifestAppId: config.TEAMS_APP_ID,
          catalogAppId: config.TEAMS_CATALOG_APP_ID,
          log,
        })
      : null;
  if (config.GRAPH_INSTALL && !installer)
    log.warn(
      'GRAPH_INSTALL is on but BOT_ID, BOT_PASSWORD, BOT_TENANT_ID or TEAMS_APP_ID is missing: it stays off',
    );
  const reach = createReach({
    store,
    people,
    messenger,
    log,
    installer,
    tenantId: config.BOT_TENANT_ID ?? null,
  });
  const routes = createRoutingStore(deps.db);
  const routing = createRouting({ ...services, routes });
  const notifications = createNotifications({ ...services, reach, routing });
  const { delivery } = deps;
  const reminders = config.remindAfterMs
    ? createReminders({
        ...services,
        db: deps.db,
        remindAfterMs: config.remindAfterMs,
        quietHours: config.quietHours,
        defaultTimeZone: config.DEFAULT_TIME_ZONE,
        defaultLocale: config.DEFAULT_LOCALE,
      })
    : null;
  const graceMs = Math.max(config.DECISION_GRACE_SECONDS * 1000, config.APONO_TIMEOUT_MS * 2);
  const sweep = createDecisionSweep({
    db: deps.db,
    requests,
    log,
    onDecided: (event) => notifications.onDecided(event),
    decidedQueued: (requestId, outcome) => delivery.has(DECIDED_QUEUE, `${requestId}|${outcome}`),
    graceMs,
  });
  // Each decision's intent row commits its own check job, due once the grace has passed: a process
  // killed right after Apono accepted still leaves the work of updating every card behind (issue 10.2).
  onDecisionIntent(deps.db, async (tx, intent) => {
    await delivery.send(DECISION_CHECK_QUEUE, `attempt|${intent.id}`, { attemptId: intent.id }, tx, {
      startAfterSeconds: Math.ceil(graceMs / 1000),
    });
  });
  let minuteTimer: NodeJS.Timeout | undefined;
  const readSignal = signalReader(deps.db, requests);
  // One job per decision: the same outcome of the same request told twice is one job.
  deps.events.on('decided', (event) =>
    notifications.track(
      delivery
        .send(DECIDED_QUEUE, `${event.request.id}|${event.outcome}`, { ...event, readAt: Date.now() })
        .then(() => delivery.nudge(DECIDED_QUEUE)),
    ),
  );
  const cardActions = createCardActions({
    ...services,
    decisionWaitMs: deps.decisionWaitMs ?? 2500,
    background: notifications.track,
  });

  app.on('card.action', async ({ activity, api }) => {
    try {
      // The latest 1:1 conversation with each person, whatever they did in it last.
      await chat.rememberConversation(activity);
      return await cardActions(activity, api);
    } catch (err) {
      log.error({ err }, 'card action failed');
      const w = wordsOfActivity(activity);
      return cardResponse(noticeCard(w.t('failed.title'), [w.t('failed.body')], 'Attention', w));
    }
  });
  app.on('message.ext.query', ({ activity, api }) => search.query(activity, api));
  app.on('message.ext.query-link', ({ activity, api }) => search.queryLink(activity, api));
  app.on('message', async ({ activity, api }) => {
    // Every activity keeps the sender's email and UPN (read from Teams once a day): reachable later.
    await people.callerOf(activity, api);
    await routes.rememberChannel(activity);
    await chat.onMessage(activity, api);
  });
  app.on('install.add', async ({ activity, api }) => {
    await people.rememberMembers(activity, api);
    await chat.onInstalled(activity);
  });
  app.on('conversationUpdate', async ({ activity, api }) => {
    // Added to a team, or a channel created or renamed there: a channel admins may route requests to.
    await routes.rememberChannel(activity);
    const added = activity.membersAdded ?? [];
    const botJoined = added.some((m) => m.id === activity.recipient.id);
    if (botJoined) {
      // Added to a team or group chat: its members can be messaged from now on, so keep who they are.
      await people.rememberMembers(activity, api);
      await chat.onInstalled(activity);
    }
    const others = added.filter((m) => m.id !== activity.recipient.id).map((m) => m.id);
    if (others.length && !botJoined) await people.rememberAdded(activity, api, others);
  });

  return {
    app,
    notifications: {
      ...notifications,
      /** Resolves when the work started so far, queued jobs included, has finished (20 s at most). */
      async idle(): Promise<void> {
        const deadline = Date.now() + 20_000;
        for (;;) {
          await notifications.idle();
          if ((await delivery.pending()) === 0 || Date.now() > deadline) break;
          await new Promise((ok) => setTimeout(ok, 50));
        }
        await notifications.idle();
      },
    },
    store,
    routes,
    /** Null unless REMIND_AFTER is set; `run(at)` sends what is due at that time. */
    reminders,
    /** Decisions Apono accepted that no instance saw answered; `run(at)` recovers what is due then. */
    sweep,
    stop(): void {
      clearInterval(minuteTimer);
    },
    /** Adds the bot endpoint to the server's Express app; call before the app's /api router. */
    mount(server: Express): void {
      server.use(botExpress);
    },
    /** Registers the SDK's POST route; no listening socket of its own. */
    async start(): Promise<void> {
      await app.initialize();
      const together = { concurrency: config.DELIVERY_CONCURRENCY };
      await delivery.work<WebhookSignal>(
        SIGNAL_QUEUE,
        async (signal) => {
          const change = await readSignal(signal);
          // Told to whoever watches (tests, logs); the cards are worked here, in this job.
          deps.events.emit('changed', change);
          await notifications.onChanged(change);
        },
        together,
      );
      await delivery.work<RequestDecided>(DECIDED_QUEUE, (event) => notifications.onDecided(event), together);
      await delivery.work<{ attemptId: number }>(DECISION_CHECK_QUEUE, ({ attemptId }) =>
        sweep.check(attemptId),
      );
      await delivery.work(SWEEP_QUEUE, async () => {
        await sweep.run();
      });
      if (reminders)
        await delivery.work(REMINDER_QUEUE, async () => {
          await reminders.run();
        });
      // One job a minute of each kind across every instance (its key is the minute).
      minuteTimer = setInterval(() => {
        const tickMs = config.DELIVERY_TICK_SECONDS * 1000;
        const minute = Math.floor(Date.now() / tickMs);
        for (const queue of reminders ? [SWEEP_QUEUE, REMINDER_QUEUE] : [SWEEP_QUEUE])
          delivery
            .send(queue, `minute-${minute}`, {})
            .catch((err: unknown) =>
              log.warn({ err: (err as Error).message, queue }, "could not queue the minute's work"),
            );
      }, config.DELIVERY_TICK_SECONDS * 1000);
      minuteTimer.unref();
      // Copies of requests final for more than 30 days are forgotten at start, then whenever a request ends.
      const pruned = await store.pruneCards().catch((err: unknown) => {
        log.warn({ err: (err as Error).message }, 'could not prune remembered cards');
        return 0;
      });
      if (pruned) log.info({ pruned }, 'forgot the cards of requests final for more than 30 days');
    },
  };
}

export type TeamsBot = ReturnType<typeof createTeamsBot>;
