// Validates the bearer token the tab gets from Teams SSO (authentication.getAuthToken): an Entra ID
// v2 access token for our API. Sandbox mode uses the same checks against the server's own keys.
import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { AppError } from '../http/errors.js';

export interface Caller {
  tenantId: string;
  objectId: string;
  name: string;
  email: string;
  /**
   * Every name the sign-in gave (preferred_username, email, upn), to match the Apono account that is
   * connected; `email` alone when absent.
   */
  names?: string[];
}

/** Every name the caller signed in with; their email when the sign-in listed none. */
export const signInNames = (caller: Caller): string[] =>
  (caller.names?.length ? caller.names : [caller.email]).filter(Boolean);

export interface TokenRules {
  keys: JWTVerifyGetKey;
  audiences: string[];
  /** The issuer a token of tenant `tid` must carry. */
  issuerFor: (tenantId: string) => string;
  allowedTenants: string[];
  scope: string;
  clockToleranceSeconds?: number;
}

export const ACCESS_SCOPE = 'access_as_user';
const ENTRA_KEYS = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

export function entraRules(options: {
  clientId: string;
  appIdUri?: string | undefined;
  allowedTenants: string[];
  /** Where Entra publishes its signing keys; tests serve their own over HTTP. */
  jwksUrl?: string | undefined;
}): TokenRules {
  return {
    // The "common" key set covers every tenant's v2 tokens; the issuer check pins the tenant.
    keys: createRemoteJWKSet(new URL(options.jwksUrl ?? ENTRA_KEYS)),
    audiences: [options.clientId, ...(options.appIdUri ? [options.appIdUri] : [])],
    issuerFor: (tid) => `https://login.microsoftonline.com/${tid}/v2.0`,
    allowedTenants: options.allowedTenants,
    scope: ACCESS_SCOPE,
  };
}

export function localRules(
  jwks: { keys: object[] },
  options: { issuerBase: string; audience: string; allowedTenants: string[] },
): TokenRules {
  return {
    keys: createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]),
    audiences: [options.audience],
    issuerFor: (tid) => `${options.issuerBase}/${tid}/v2.0`,
    allowedTenants: options.allowedTenants,
    scope: ACCESS_SCOPE,
  };
}

const unauthenticated = (why: string) =>
  new AppError(
    'unauthenticated',
    `Your sign-in is not valid (${why}). Reload the app to sign in again.`,
    undefined,
    { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  );

/** How long a token that passed every check is trusted without checking it again; never past its `exp`. */
export const VERIFIED_TOKEN_SECONDS = 60;

interface Verified {
  caller: Caller;
  /** Epoch milliseconds: the token's own `exp`, or (remembered) the earlier of it and the while. */
  until: number;
}

/** Tokens that passed, by the SHA-256 of the whole token: a token that differs in any byte is checked afresh. */
const verifiedTokens = new WeakMap<TokenRules, LRUCache<string, Verified>>();

function cacheOf(rules: TokenRules): LRUCache<string, Verified> {
  let cache = verifiedTokens.get(rules);
  if (!cache)
    verifiedTokens.set(rules, (cache = new LRUCache({ max: 10_000, ttl: VERIFIED_TOKEN_SECONDS * 1000 })));
  return cache;
}

/**
 * The caller a Teams SSO token names, after every check. The tab sends the same token for as long as
 * it lives, so one that passed is remembered (per set of rules) until the earlier of its `exp` and
 * VERIFIED_TOKEN_SECONDS; only tokens that passed are remembered.
 */
export async function verifyCaller(token: string | undefined, rules: TokenRules): Promise<Caller> {
  if (!token) throw unauthenticated('no token');
  const key = createHash('sha256').update(token).digest('base64url');
  const cache = cacheOf(rules);
  const known = cache.get(key);
  if (known && Date.now() < known.until) return { ...known.caller };
  const { caller, until: exp } = await verify(token, rules);
  const until = Math.min(exp, Date.now() + VERIFIED_TOKEN_SECONDS * 1000);
  if (until > Date.now()) cache.set(key, { caller, until }, { ttl: until - Date.now() });
  return { ...caller };
}

async function verify(token: string, rules: TokenRules): Promise<Verified> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, rules.keys, {
      audience: rules.audiences,
      algorithms: ['RS256'],
      clockTolerance: rules.clockToleranceSeconds ?? 60,
      requiredClaims: ['exp', 'iat', 'iss', 'aud', 'tid', 'oid'],
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw unauthenticated('expired');
    if (err instanceof errors.JOSEError) throw unauthenticated(err.code.replace(/^ERR_/, '').toLowerCase());
    throw err;
  }
  const tid = String(payload.tid);
  if (payload.iss !== rules.issuerFor(tid)) throw unauthenticated('wrong issuer');
  if (!rules.allowedTenants.includes(tid)) throw unauthenticated('tenant not allowed');
  if (
    payload.nbf === undefined &&
    payload.iat !== undefined &&
    payload.iat > Date.now() / 1000 + (rules.clockToleranceSeconds ?? 60)
  ) {
    throw unauthenticated('issued in the future');
  }
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes(rules.scope)) throw unauthenticated('missing scope');
  const claims = payload as JWTPayload & {
    name?: string;
    preferred_username?: string;
    email?: string;
    upn?: string;
  };
  const email = claims.preferred_username ?? claims.email ?? claims.upn ?? '';
  const names = [...new Set([claims.preferred_username, claims.email, claims.upn])].filter(
    (n): n is string => typeof n === 'string' && n !== '',
  );
  return {
    caller: { tenantId: tid, objectId: String(payload.oid), name: claims.name ?? email, email, names },
    until: Number(payload.exp) * 1000,
  };
}
