// Configuration from the environment, checked once at start. A missing or bad variable stops the
// server with a sentence that names it.
import { parseAccountMappings, type AccountMapping } from '@apono-teams/domain/account-match.js';
import {
  checkTimeZone,
  defaultRiskSettings,
  parsePatterns,
  parseWorkHours,
  type RiskSettings,
} from '@apono-teams/domain/risk-settings.js';
import { LANGUAGES, shippedLanguage, timeZoneOr } from '@apono-teams/domain/locale.js';
import { parseDuration, parseQuietHours, type QuietHours } from '@apono-teams/domain/quiet-hours.js';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['true', '1', 'on', 'yes'].includes(v));
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  APP_MODE: z.enum(['sandbox', 'teams']).default('sandbox'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APONO_BASE_URL: z.url().optional(),
  /** Apono's end-user portal (My Tasks at /tasks), where "Open in Apono" leads. */
  APONO_PORTAL_URL: z.url().default('https://portal.apono.io'),
  APONO_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(8000),
  APONO_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SANDBOX_APONO: bool.optional(),
  /** Which request ID the embedded sandbox's client API shows and takes (Apono does not publish which). */
  SANDBOX_REQUEST_IDS: z.enum(['friendly', 'internal']).default('friendly'),
  TOKEN_ENCRYPTION_KEY: z.string().optional(),
  TOKEN_ENCRYPTION_KEY_ID: z.string().default('k1'),
  TOKEN_ENCRYPTION_OLD_KEYS: z.string().optional(),
  AAD_APP_CLIENT_ID: z.string().optional(),
  AAD_APP_TENANT_ID: z.string().optional(),
  AAD_APP_ID_URI: z.string().optional(),
  ALLOWED_TENANT_IDS: list.optional(),
  /**
   * Where Teams sign-in names and Apono emails differ: `teams=apono` pairs of addresses or of
   * `@domains` (domain/src/account-match.ts). Without it, an Apono account connects only to the
   * Teams user with the same email or UPN.
   */
  APONO_ACCOUNT_MAP: z.string().optional(),
  BOT_ID: z.string().optional(),
  BOT_PASSWORD: z.string().optional(),
  BOT_TENANT_ID: z.string().optional(),
  TEAMS_APP_ID: z.string().optional(),
  APONO_OAUTH_CLIENT_ID: z.string().optional(),
  APONO_OAUTH_AUTHORIZE_URL: z.url().optional(),
  APONO_OAUTH_TOKEN_URL: z.url().optional(),
  /** The scopes Apono's own CLI asks for (apono-io/apono-cli): read and decide access requests. */
  APONO_OAUTH_SCOPES: z.string().default('end_user:access_requests:read end_user:access_requests:write'),
  /** People who may see the app's admin pages and endpoints (GET /api/admin/unreachable), by email or UPN. */
  ADMIN_EMAILS: list.optional(),
  /**
   * Install the app for approvers who do not have it yet, through Microsoft Graph (application
   * permission TeamsAppInstallation.ReadWriteSelfForUser.All, granted by an admin), then message them.
   */
  GRAPH_INSTALL: bool.default(false),
  /**
   * The Entra app that calls Graph for GRAPH_INSTALL. "Self" in TeamsAppInstallation.ReadWriteSelfForUser.All
   * is the Teams app whose manifest webApplicationInfo.id names the caller, which here is the SSO app
   * (AAD_APP_CLIENT_ID): set these to it and one of its secrets. Unset: the bot's app (BOT_ID/BOT_PASSWORD).
   */
  GRAPH_CLIENT_ID: z.string().optional(),
  GRAPH_CLIENT_SECRET: z.string().optional(),
  /** The app's ID in the org's app catalog; looked up by the manifest ID (TEAMS_APP_ID) when unset. */
  TEAMS_CATALOG_APP_ID: z.string().optional(),
  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com'),
  ENTRA_LOGIN_URL: z.url().default('https://login.microsoftonline.com'),
  /**
   * The durable job queue (pg-boss): how long a claimed job may run before another instance takes
   * it over, how often it is retried before it becomes a dead letter, how often expired claims are
   * noticed, and how often an idle worker looks for work.
   */
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  DELIVERY_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(8),
  DELIVERY_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  DELIVERY_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  /** Webhook deliveries and decisions' card updates worked at once per instance: each mostly waits on Apono and Teams. */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(8),
  /** How often the periodic jobs (the decision sweep, reminders) are queued, once across instances. */
  DELIVERY_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** A decision left "sent" this long (and at least twice Apono's timeout) was lost with its instance. */
  DECISION_GRACE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Remind approvers who have not acted on a request still pending this long ("4h"); off when unset. */
  REMIND_AFTER: z.string().optional(),
  /** When nobody is reminded, in each approver's own time zone (Teams' localTimezone), e.g. 20:00-08:00. */
  QUIET_HOURS: z.string().default('20:00-08:00'),
  /** The time zone of approvers whose Teams client has not told theirs yet. */
  DEFAULT_TIME_ZONE: z.string().default('UTC'),
  /**
   * The language of cards many people read (a channel copy) and of people the bot has not heard
   * from yet: a BCP 47 tag of a shipped language (en, de, fr, ja, ar).
   */
  DEFAULT_LOCALE: z.string().default('en'),
  DECISIONS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** How long a card button waits for Apono before answering "working on it" and updating later. */
  BOT_DECISION_WAIT_MS: z.coerce.number().int().min(50).max(60000).default(2500),
  /** Risk hints (domain/src/risk.ts): comma-separated patterns, matched ignoring case; `off` turns a rule off. */
  RISK_PROD_PATTERNS: z.string().optional(),
  RISK_ADMIN_PATTERNS: z.string().optional(),
  RISK_BREAK_GLASS_PATTERNS: z.string().optional(),
  RISK_INSTRUCTION_PATTERNS: z.string().optional(),
  RISK_MAX_HOURS: z.coerce.number().positive().max(8760).default(defaultRiskSettings.maxHours),
  RISK_WORK_HOURS: z.string().optional(),
  /** The zone working hours are read in when the requester's is unknown; DEFAULT_TIME_ZONE when unset. */
  RISK_TIME_ZONE: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Env {
  publicUrl: string;
  /** The in-process Apono sandbox is mounted at /sandbox/apono. */
  sandboxApono: boolean;
  aponoBaseUrl: string;
  production: boolean;
  accountMappings: AccountMapping[];
  risk: RiskSettings;
  /** REMIND_AFTER in milliseconds; null: no reminders. */
  remindAfterMs: number | null;
  quietHours: QuietHours | null;
}

export class ConfigError extends Error {}

let riskInForce: RiskSettings = defaultRiskSettings;
/**
 * The risk settings of the configuration loaded last (the server loads it once, at start), for the
 * places that draw requests without being handed the configuration; the defaults before any.
 */
export const riskSettings = (): RiskSettings => riskInForce;

let readerInForce = { locale: 'en', timeZone: 'UTC' };
/** DEFAULT_LOCALE and DEFAULT_TIME_ZONE of the configuration loaded last, for the cards' words. */
export const readerDefaults = (): { locale: string; timeZone: string } => readerInForce;

/** Patterns from a variable when set, `off` for none (the rule says nothing), else the defaults. */
const patterns = (raw: string | undefined, fallback: string[]) =>
  raw === undefined ? fallback : raw.trim().toLowerCase() === 'off' ? [] : parsePatterns(raw);

function loadRisk(e: Env): RiskSettings {
  const d = defaultRiskSettings;
  const read = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      throw new ConfigError(`${name}: ${(err as Error).message}.`);
    }
  };
  return {
    prodPatterns: patterns(e.RISK_PROD_PATTERNS, d.prodPatterns),
    adminPatterns: patterns(e.RISK_ADMIN_PATTERNS, d.adminPatterns),
    breakGlassPatterns: patterns(e.RISK_BREAK_GLASS_PATTERNS, d.breakGlassPatterns),
    instructionPatterns: patterns(e.RISK_INSTRUCTION_PATTERNS, d.instructionPatterns),
    maxHours: e.RISK_MAX_HOURS,
    workHours: e.RISK_WORK_HOURS
      ? read('RISK_WORK_HOURS', () => parseWorkHours(e.RISK_WORK_HOURS!))
      : d.workHours,
    timeZone: read(e.RISK_TIME_ZONE ? 'RISK_TIME_ZONE' : 'DEFAULT_TIME_ZONE', () =>
      checkTimeZone(e.RISK_TIME_ZONE ?? e.DEFAULT_TIME_ZONE),
    ),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration is not valid. Fix these environment variables: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const sandboxApono = e.SANDBOX_APONO ?? (e.APP_MODE === 'sandbox' && !e.APONO_BASE_URL);
  const aponoBaseUrl = (e.APONO_BASE_URL ?? `http://127.0.0.1:${e.PORT}/sandbox/apono`).replace(/\/$/, '');
  const missing = (names: Array<keyof Env>) => names.filter((n) => !e[n]);

  if (production && e.APP_MODE === 'sandbox') {
    throw new ConfigError(
      'APP_MODE=sandbox accepts unauthenticated bot traffic and sandbox sign-in, so it cannot run with NODE_ENV=production. Set APP_MODE=teams.',
    );
  }
  if (production && e.SANDBOX_APONO) {
    throw new ConfigError(
      'SANDBOX_APONO=true serves a pretend Apono whose tokens are public, so it cannot run with NODE_ENV=production. Set SANDBOX_APONO=false and APONO_BASE_URL=https://api.apono.io.',
    );
  }
  if (e.APP_MODE === 'teams') {
    const need = missing([
      'AAD_APP_CLIENT_ID',
      'AAD_APP_TENANT_ID',
      'BOT_ID',
      'BOT_PASSWORD',
      'BOT_TENANT_ID',
    ]);
    if (!e.APONO_BASE_URL && !e.SANDBOX_APONO) need.push('APONO_BASE_URL');
    if (production) need.push(...missing(['TOKEN_ENCRYPTION_KEY', 'APONO_WEBHOOK_SECRET']));
    if (need.length) {
      throw new ConfigError(
        `APP_MODE=teams needs these environment variables: ${need.join(', ')}. See the README's configuration table.`,
      );
    }
  }
  const oauth = [e.APONO_OAUTH_CLIENT_ID, e.APONO_OAUTH_AUTHORIZE_URL, e.APONO_OAUTH_TOKEN_URL];
  if (oauth.some(Boolean) && !oauth.every(Boolean)) {
    throw new ConfigError(
      'Apono OAuth needs all three of APONO_OAUTH_CLIENT_ID, APONO_OAUTH_AUTHORIZE_URL and APONO_OAUTH_TOKEN_URL.',
    );
  }
  if (e.TOKEN_ENCRYPTION_KEY && Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64').length !== 32) {
    throw new ConfigError(
      'TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64 (for example: openssl rand -base64 32).',
    );
  }
  let accountMappings: AccountMapping[];
  try {
    accountMappings = parseAccountMappings(e.APONO_ACCOUNT_MAP ?? '');
  } catch (err) {
    throw new ConfigError(`APONO_ACCOUNT_MAP: ${(err as Error).message}.`);
  }
  const risk = loadRisk(e);
  riskInForce = risk;
  const defaultLocale = e.DEFAULT_LOCALE.trim();
  if (!shippedLanguage(defaultLocale))
    throw new ConfigError(
      `DEFAULT_LOCALE: "${defaultLocale}" is not a tag of a shipped language (${LANGUAGES.join(', ')}), e.g. de-DE.`,
    );
  readerInForce = { locale: defaultLocale, timeZone: timeZoneOr(e.DEFAULT_TIME_ZONE) };
  let remindAfterMs: number | null;
  let quietHours: QuietHours | null;
  try {
    remindAfterMs = e.REMIND_AFTER ? parseDuration(e.REMIND_AFTER) : null;
    quietHours = parseQuietHours(e.QUIET_HOURS);
  } catch (err) {
    throw new ConfigError(`REMIND_AFTER or QUIET_HOURS: ${(err as Error).message}.`);
  }
  return {
    ...e,
    publicUrl,
    sandboxApono,
    aponoBaseUrl,
    production,
    accountMappings,
    risk,
    remindAfterMs,
    quietHours,
  };
}
