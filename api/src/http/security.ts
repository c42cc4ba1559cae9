// Security headers. The tab runs inside Teams' iframe, so framing is allowed for Teams and
// Microsoft 365 hosts only (CSP frame-ancestors), and X-Frame-Options is not sent.
import helmet from 'helmet';

export const teamsFrameAncestors = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.teams.microsoft.us',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
];

/** `https` only where the app is served over TLS: on a laptop's http://localhost these would break it. */
export function securityHeaders(options: { https: boolean }) {
  return helmet({
    frameguard: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", 'https://res.cdn.office.net'],
        // Fluent UI (Griffel) inserts style rules at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'", 'https://res.cdn.office.net'],
        frameAncestors: teamsFrameAncestors,
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: options.https ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
    // No Cross-Origin-Opener-Policy: Teams opens "Sign in with Apono" in a window of its own and hears the
    // outcome through window.opener, which COOP (even same-origin-allow-popups) would cut.
    crossOriginOpenerPolicy: false,
    strictTransportSecurity: options.https,
  });
}
