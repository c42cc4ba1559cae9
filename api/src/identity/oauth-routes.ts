// "Sign in with Apono" over HTTP. /start is authenticated like the rest of /api; /callback is public
// because the browser lands there from Apono in a sign-in window, and it answers a small HTML page
// (no inline script: /done.js tells the tab, through window.opener, that it is done).
import type { Router } from 'express';
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

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Runs in the sign-in window: tells the tab that opened it, then closes on success. */
const doneScript = `(function () {
  var data = document.body.dataset;
  var message = { type: 'apono-oauth', ok: data.ok === 'true' };
  if (data.error) message.error = data.error;
  try {
    if (window.opener) window.opener.postMessage(message, window.location.origin);
  } catch (e) {}
  if (message.ok) setTimeout(function () { window.close(); }, 300);
})();
`;

interface Outcome {
  status: number;
  ok: boolean;
  error?: string;
  title: string;
  text: string;
}

const again = 'Close this window, go back to the Approvals tab and choose Sign in with Apono again.';

function outcomeOf(err: unknown): Outcome | null {
  if (err instanceof OAuthFailure) {
    switch (err.kind) {
      case 'state':
        return {
          status: 400,
          ok: false,
          error: 'expired',
          title: 'This sign-in has expired',
          text: `This sign-in window is older than 10 minutes or was already used. ${again}`,
        };
      case 'invalid_grant':
        return {
          status: 400,
          ok: false,
          error: 'invalid_grant',
          title: 'Apono did not accept this sign-in',
          text: `The sign-in code was already used or has expired. ${again}`,
        };
      case 'unavailable':
        return {
          status: 503,
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
      status: err.status,
      ok: false,
      error: err.code,
      title: 'Apono did not accept the sign-in',
      text:
        err.code === 'apono_unavailable'
          ? 'Apono is not answering right now. Close this window, wait a minute and try again.'
          : `Apono signed you in but did not accept the access it gave. ${again}`,
    };
  return null;
}

export function oauthRoutes(deps: OAuthRouteDeps): (router: Router) => void {
  const { oauth, identity, log } = deps;
  return (router) => {
    router.get('/connection/oauth/start', authenticate(deps.tokenRules), async (_req, res) => {
      res.set('Cache-Control', 'no-store').json({ authorizeUrl: await oauth.start(callerOf(res)) });
    });

    router.get('/connection/oauth/done.js', (_req, res) => {
      res.type('application/javascript').set('Cache-Control', 'public, max-age=3600').send(doneScript);
    });

    router.get('/connection/oauth/callback', async (req, res) => {
      const send = (o: Outcome) => {
        res
          .status(o.status)
          .type('html')
          .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
          .send(
            '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
              `<title>${escapeHtml(o.title)}</title></head>` +
              `<body data-ok="${o.ok}"${o.error ? ` data-error="${escapeHtml(o.error)}"` : ''}>` +
              `<h1>${escapeHtml(o.title)}</h1><p>${escapeHtml(o.text)}</p>` +
              '<script src="/api/connection/oauth/done.js"></script></body></html>',
          );
      };
      const param = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : '');
      const state = param('state');
      const code = param('code');
      if (param('error')) {
        const denied = param('error') === 'access_denied';
        send({
          status: 400,
          ok: false,
          error: denied ? 'access_denied' : 'authorize_failed',
          title: denied ? 'Sign-in was cancelled' : 'Apono could not sign you in',
          text: denied
            ? `You did not allow this app to use your Apono account. ${again}`
            : `Apono answered "${param('error')}". ${again} If it happens again, tell your administrator.`,
        });
        return;
      }
      if (!state || !code) {
        send({
          status: 400,
          ok: false,
          error: 'bad_request',
          title: 'This sign-in link is not complete',
          text: `The link has no code or state. ${again}`,
        });
        return;
      }
      try {
        const { caller, credential } = await oauth.finish(state, code);
        const connection = await identity.connectWith(
          { ...caller, name: '', email: '' },
          'oauth',
          credential,
        );
        const who = connection.aponoUser.name ?? connection.aponoUser.email ?? 'your Apono account';
        send({
          status: 200,
          ok: true,
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
          status: 502,
          ok: false,
          error: 'internal',
          title: 'Apono sign-in is not working',
          text: 'Apono answered in a way this app does not understand. Tell your administrator: the Apono OAuth settings may be wrong.',
        });
      }
    });
  };
}
