// "Sign in with Apono" over HTTP. /start is authenticated like the rest of /api; /callback is public
// because the browser lands there from Apono in a sign-in window. It answers with a redirect to the
// tab's /auth-end page, which tells the tab (through window.opener outside Teams, or teams-js
// authentication.notifySuccess / notifyFailure in Teams' sign-in window) and shows the outcome as text.
import type { Express, Router } from 'express';
import { AppError } from '../http/errors.js';
import type { Logger } from '../log.js';
import { authenticate, callerOf } from './middleware.js';
import { OAuthFailure, type AponoOAuth } from './oauth.js';
import type { Identity } from './service.js';
import type { TokenRules } from './tokens.js';

export interface OAuthRouteDeps {
  oauth: AponoOAuth;
  identity: Identity;
  tokenRules: TokenRules;
  log: Logger;
}

interface Outcome {
  ok: boolean;
  error?: string;
  /** English, for a page that does not know `error`; /auth-end says a known one in its reader's words. */
  title: string;
  text: string;
  /** The case's parts that /auth-end's words name (tab.authEnd.*): `who`, `detail`, `account`. */
  parts?: Record<string, string>;
}

const again = 'Close this window, go back to the Approvals tab and choose Sign in with Apono again.';

/** The tab's /auth-end page, with the outcome in the address (it renders it as text, never as markup). */
function authEnd(o: Outcome): string {
  const outcome = new URLSearchParams({ status: o.ok ? 'ok' : 'error' });
  if (o.error) outcome.set('reason', o.error);
  for (const [name, value] of Object.entries(o.parts ?? {})) if (value) outcome.set(name, value);
  outcome.set('title', o.title);
  outcome.set('message', o.text);
  return `/auth-end?${outcome}`;
}

function outcomeOf(err: unknown): Outcome | null {
  if (err instanceof OAuthFailure) {
    switch (err.kind) {
      case 'state':
        return {
          ok: false,
          error: 'expired',
          title: 'This sign-in has expired',
          text: `This sign-in window is older than 10 minutes or was already used. ${again}`,
        };
      case 'invalid_grant':
        return {
          ok: false,
          error: 'invalid_grant',
          title: 'Apono did not accept this sign-in',
          text: `The sign-in code was already used or has expired. ${again}`,
        };
      case 'unavailable':
        return {
          ok: false,
          error: 'apono_unavailable',
          title: 'Apono is not answering',
          text: 'Apono is not answering right now. Close this window, wait a minute and try again.',
        };
      default:
        return null;
    }
  }
  if (err instanceof AppError && (err.code === 'apono_token_invalid' || err.code === 'apono_unavailable'))
    return {
      ok: false,
      error: err.code,
      title: 'Apono did not accept the sign-in',
      text:
        err.code === 'apono_unavailable'
          ? 'Apono is not answering right now. Close this window, wait a minute and try again.'
          : `Apono signed you in but did not accept the access it gave. ${again}`,
    };
  if (err instanceof AppError && err.code === 'apono_account_mismatch')
    return {
      ok: false,
      error: err.code,
      title: 'This is not your Apono account',
      parts: { account: typeof err.details?.aponoUser === 'string' ? err.details.aponoUser : '' },
      // /auth-end shows it as text: the Apono name in it is never markup.
      text: `${err.message} If this browser is signed in to Apono as someone else, sign out of Apono there first.`,
    };
  return null;
}

export function oauthRoutes(deps: OAuthRouteDeps): (router: Router) => void {
  const { oauth, identity, log } = deps;
  return (router) => {
    router.get('/connection/oauth/start', authenticate(deps.tokenRules), async (_req, res) => {
      const { state, authorizeUrl } = await oauth.start(callerOf(res));
      // The sign-in window opens on startUrl, a page of ours: Teams' authenticate() shows an empty
      // window for a first page on another domain (Microsoft Learn, "Enable authentication using
      // third-party OAuth provider" for tabs). authorizeUrl is where it goes next.
      res
        .set('Cache-Control', 'no-store')
        .json({ startUrl: `/auth-start?${new URLSearchParams({ state })}`, authorizeUrl });
    });

    router.get('/connection/oauth/callback', async (req, res) => {
      // The outcome travels in the address; /auth-end renders it as text, never as markup.
      const send = (o: Outcome) =>
        res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).redirect(303, authEnd(o));
      const param = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : '');
      const state = param('state');
      const code = param('code');
      if (param('error')) {
        const denied = param('error') === 'access_denied';
        send({
          ok: false,
          error: denied ? 'access_denied' : 'authorize_failed',
          parts: denied ? {} : { detail: param('error').slice(0, 100) },
          title: denied ? 'Sign-in was cancelled' : 'Apono could not sign you in',
          text: denied
            ? `You did not allow this app to use your Apono account. ${again}`
            : `Apono answered "${param('error').slice(0, 100)}". ${again} If it happens again, tell your administrator.`,
        });
        return;
      }
      if (!state || !code) {
        send({
          ok: false,
          error: 'bad_request',
          title: 'This sign-in link is not complete',
          text: `The link has no code or state. ${again}`,
        });
        return;
      }
      try {
        const { caller, credential } = await oauth.finish(state, code);
        const connection = await identity.connectWith(caller, 'oauth', credential);
        const who = connection.aponoUser.name ?? connection.aponoUser.email ?? 'your Apono account';
        send({
          ok: true,
          parts: { who: connection.aponoUser.name ?? connection.aponoUser.email ?? '' },
          title: 'Connected',
          text: `Connected to Apono as ${who} — you can close this window.`,
        });
      } catch (err) {
        const outcome = outcomeOf(err);
        // Never the error object's fields beyond its kind: a provider's message might echo a token.
        req.log.warn(
          { oauthFailure: err instanceof OAuthFailure ? err.kind : (err as { code?: string }).code },
          'Apono sign-in failed',
        );
        if (outcome) return send(outcome);
        log.error({ kind: (err as Error).name }, 'Apono sign-in failed unexpectedly');
        send({
          ok: false,
          error: 'internal',
          title: 'Apono sign-in is not working',
          text: 'Apono answered in a way this app does not understand. Tell your administrator: the Apono OAuth settings may be wrong.',
        });
      }
    });
  };
}

/**
 * GET /auth-start?state=…: the first page of the sign-in window, on the app's own domain. It sends the
 * window to Apono's sign-in page for a state this app issued and that is still waiting, and nowhere
 * else (the address is never taken from the query, so this is not an open redirect). A state that is
 * unknown, used or older than ten minutes ends on /auth-end with what to do.
 */
export function oauthStartPage(deps: Pick<OAuthRouteDeps, 'oauth'>): (app: Express) => void {
  return (app) => {
    app.get('/auth-start', async (req, res, next) => {
      try {
        const state = typeof req.query.state === 'string' ? req.query.state : '';
        const target = state ? await deps.oauth.authorizeUrlFor(state) : null;
        res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
        if (target) return res.redirect(302, target);
        res.redirect(303, authEnd(outcomeOf(new OAuthFailure('state', 'unknown or expired state'))!));
      } catch (err) {
        next(err);
      }
    });
  };
}
