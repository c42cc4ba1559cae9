// "Sign in with Apono" as the sandbox provides it: OAuth 2.0 authorization code with PKCE (S256)
// and rotating refresh tokens (RFC 6749, RFC 7636). There is no password: the user is named by
// `login_hint` (a sandbox user's email) or picked from a list. Access tokens it issues are accepted
// by the client API like personal tokens, until they expire.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import { findUser, sandboxUsers } from './users.js';
import type { SandboxUser } from './users.js';

export interface OAuthSettings {
  /** Lifetime of an access token (`expires_in`). */
  accessTokenTtlSeconds: number;
  /** Lifetime of an authorization code. */
  codeTtlSeconds: number;
}

export const defaultOAuthSettings: OAuthSettings = { accessTokenTtlSeconds: 3600, codeTtlSeconds: 60 };

export type OAuthErrorCode =
  'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'unsupported_response_type';

/** An RFC 6749 §5.2 error: `{ error, error_description }`, status 400. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

interface Code {
  email: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
  /** The grant family created by redeeming it, so a replayed code can revoke what it issued. */
  family: string | null;
}

interface Grant {
  email: string;
  clientId: string;
  family: string;
}

const opaque = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// RFC 7636 §4.1: 43 to 128 unreserved characters.
const verifierShape = /^[A-Za-z0-9\-._~]{43,128}$/;
const challengeShape = /^[A-Za-z0-9_-]{43}$/;

export class SandboxOAuth {
  settings: OAuthSettings;
  private codes = new Map<string, Code>();
  private accessTokens = new Map<string, Grant & { expiresAt: number }>();
  private refreshTokens = new Map<string, Grant & { spent: boolean }>();
  /** Families whose refresh token was used twice (or whose code was replayed): all revoked. */
  private revokedFamilies = new Set<string>();

  constructor(
    private readonly nowMs: () => number,
    settings: Partial<OAuthSettings> = {},
  ) {
    this.settings = { ...defaultOAuthSettings, ...settings };
  }

  configure(settings: Partial<OAuthSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** The validated authorization request; throws OAuthError for what must be redirected back. */
  authorize(input: {
    email: string;
    clientId: string;
    redirectUri: string;
    responseType: string;
    codeChallenge: string;
    codeChallengeMethod: string;
  }): string {
    if (input.responseType !== 'code')
      throw new OAuthError('unsupported_response_type', 'Only response_type=code is supported');
    if (input.codeChallengeMethod !== 'S256')
      throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
    if (!challengeShape.test(input.codeChallenge))
      throw new OAuthError('invalid_request', 'code_challenge must be a base64url SHA-256 digest');
    const user = findUser(input.email);
    if (!user) throw new OAuthError('invalid_request', 'Unknown user');
    this.sweep();
    const code = opaque('code-');
    this.codes.set(code, {
      email: user.email,
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      challenge: input.codeChallenge,
      expiresAt: this.nowMs() + this.settings.codeTtlSeconds * 1000,
      family: null,
    });
    return code;
  }

  /** The token endpoint: authorization_code and refresh_token grants. */
  token(form: Record<string, unknown>): TokenResponse {
    const field = (name: string): string => {
      const value = form[name];
      if (typeof value !== 'string' || !value) throw new OAuthError('invalid_request', `${name} is required`);
      return value;
    };
    const grantType = field('grant_type');
    if (grantType === 'authorization_code') {
      const code = field('code');
      const redirectUri = field('redirect_uri');
      const clientId = field('client_id');
      const verifier = field('code_verifier');
      const entry = this.codes.get(code);
      if (!entry) throw new OAuthError('invalid_grant', 'The authorization code is not valid');
      if (entry.family) {
        // RFC 6749 §4.1.2: a code used twice revokes the tokens it already issued.
        this.revokeFamily(entry.family);
        throw new OAuthError('invalid_grant', 'The authorization code was already used');
      }
      if (entry.expiresAt <= this.nowMs()) {
        this.codes.delete(code);
        throw new OAuthError('invalid_grant', 'The authorization code has expired');
      }
      if (entry.clientId !== clientId || entry.redirectUri !== redirectUri)
        throw new OAuthError('invalid_grant', 'client_id or redirect_uri does not match the authorization');
      if (!verifierShape.test(verifier))
        throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 unreserved characters');
      if (!sameText(s256(verifier), entry.challenge))
        throw new OAuthError('invalid_grant', 'code_verifier does not match code_challenge');
      const family = opaque('');
      entry.family = family;
      return this.issue({ email: entry.email, clientId, family });
    }
    if (grantType === 'refresh_token') {
      const refreshToken = field('refresh_token');
      const entry = this.refreshTokens.get(refreshToken);
      if (!entry || this.revokedFamilies.has(entry.family))
        throw new OAuthError('invalid_grant', 'The refresh token is not valid');
      if (entry.spent) {
        // Rotation: each refresh token works once. Presented again, it has leaked: revoke the family.
        this.revokeFamily(entry.family);
        throw new OAuthError('invalid_grant', 'The refresh token was already used');
      }
      const clientId = typeof form.client_id === 'string' ? form.client_id : entry.clientId;
      if (clientId !== entry.clientId)
        throw new OAuthError('invalid_grant', 'The refresh token was issued to another client');
      entry.spent = true;
      return this.issue({ email: entry.email, clientId: entry.clientId, family: entry.family });
    }
    throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
  }

  userForAccessToken(token: string): SandboxUser | undefined {
    const grant = this.accessTokens.get(token);
    if (!grant || this.revokedFamilies.has(grant.family)) return undefined;
    if (grant.expiresAt <= this.nowMs()) {
      this.accessTokens.delete(token);
      return undefined;
    }
    return findUser(grant.email);
  }

  /**
   * RFC 7009 token revocation: an access token stops working alone (its refresh token still renews
   * it); a refresh token takes its whole grant with it. Unknown tokens are ignored, as §2.2 asks.
   */
  revokeToken(token: string): void {
    if (this.accessTokens.delete(token)) return;
    const grant = this.refreshTokens.get(token);
    if (grant) this.revokeFamily(grant.family);
  }

  /** Signs a user out of every client: their access and refresh tokens stop working. */
  revokeUser(email: string): void {
    const wanted = email.trim().toLowerCase();
    for (const grant of [...this.accessTokens.values(), ...this.refreshTokens.values()])
      if (grant.email === wanted) this.revokeFamily(grant.family);
  }

  private revokeFamily(family: string): void {
    this.revokedFamilies.add(family);
    for (const [token, grant] of this.accessTokens)
      if (grant.family === family) this.accessTokens.delete(token);
    for (const [token, grant] of this.refreshTokens)
      if (grant.family === family) this.refreshTokens.delete(token);
  }

  private issue(grant: Grant): TokenResponse {
    if (this.revokedFamilies.has(grant.family))
      throw new OAuthError('invalid_grant', 'The grant was revoked');
    const accessToken = opaque('apono-oauth-at-');
    const refreshToken = opaque('apono-oauth-rt-');
    const expiresIn = this.settings.accessTokenTtlSeconds;
    this.accessTokens.set(accessToken, { ...grant, expiresAt: this.nowMs() + expiresIn * 1000 });
    this.refreshTokens.set(refreshToken, { ...grant, spent: false });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
    };
  }

  private sweep(): void {
    const now = this.nowMs();
    for (const [code, entry] of this.codes) if (entry.expiresAt + 3_600_000 < now) this.codes.delete(code); // kept a while to detect replays
    for (const [token, grant] of this.accessTokens)
      if (grant.expiresAt <= now) this.accessTokens.delete(token);
  }
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function validRedirect(value: string): URL | null {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.hash ? url : null;
  } catch {
    return null;
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

function page(res: Response, status: number, title: string, body: string) {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

/** GET /authorize, POST /token and POST /revoke, mounted under the sandbox's prefix at /oauth. */
export function createOAuthRouter(oauth: SandboxOAuth): Router {
  const router = Router();

  router.get('/authorize', (req: Request, res: Response) => {
    const q = req.query;
    const clientId = str(q.client_id);
    const redirect = validRedirect(str(q.redirect_uri));
    // Without a client and a safe redirect URI there is nobody to send the answer to (RFC 6749 §4.1.2.1).
    if (!clientId || !redirect) {
      page(
        res,
        400,
        'Sign-in request is not valid',
        '<p>client_id and an http(s) redirect_uri are required.</p>',
      );
      return;
    }
    const back = (params: Record<string, string>) => {
      const target = new URL(redirect);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      if (str(q.state)) target.searchParams.set('state', str(q.state));
      res.set('Cache-Control', 'no-store').redirect(302, target.toString());
    };
    const hint = str(q.login_hint);
    if (!hint || !findUser(hint)) {
      // The "login page": pick a sandbox user; each link is this request with login_hint set.
      const links = sandboxUsers
        .map((u) => {
          const params = new URLSearchParams();
          for (const [k, v] of Object.entries(q)) if (typeof v === 'string') params.set(k, v);
          params.set('login_hint', u.email);
          const href = `${req.baseUrl}/authorize?${params.toString()}`;
          return `<li><a href="${escapeHtml(href)}">${escapeHtml(u.name)} (${escapeHtml(u.email)})</a></li>`;
        })
        .join('');
      const note = hint ? `<p>${escapeHtml(hint)} is not a sandbox user.</p>` : '';
      page(res, 200, 'Sign in to Apono (sandbox)', `${note}<p>Continue as:</p><ul>${links}</ul>`);
      return;
    }
    try {
      const code = oauth.authorize({
        email: hint,
        clientId,
        redirectUri: str(q.redirect_uri),
        responseType: str(q.response_type),
        codeChallenge: str(q.code_challenge),
        codeChallengeMethod: str(q.code_challenge_method),
      });
      back({ code });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      back({ error: err.error, error_description: err.description });
    }
  });

  router.post(
    '/token',
    express.urlencoded({ extended: false, limit: '16kb' }),
    (req: Request, res: Response) => {
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      if (!req.is('application/x-www-form-urlencoded')) {
        res.status(400).json({
          error: 'invalid_request',
          error_description: 'The body must be application/x-www-form-urlencoded',
        });
        return;
      }
      const form = (req.body ?? {}) as Record<string, unknown>;
      try {
        res.json(oauth.token(form));
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        res.status(400).json({ error: err.error, error_description: err.description });
      }
    },
  );

  router.post(
    '/revoke',
    express.urlencoded({ extended: false, limit: '16kb' }),
    (req: Request, res: Response) => {
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      const token = str((req.body as Record<string, unknown> | undefined)?.token);
      if (!req.is('application/x-www-form-urlencoded') || !token) {
        res.status(400).json({ error: 'invalid_request', error_description: 'token is required' });
        return;
      }
      oauth.revokeToken(token);
      res.status(200).end();
    },
  );

  return router;
}
