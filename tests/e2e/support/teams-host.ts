// A stand-in for the Teams web client: an https://teams.microsoft.com page (served by Playwright)
// that frames the tab and answers the teams-js calls it makes (initialize, getContext, SSO token),
// can push a theme change, and runs authentication.authenticate as Teams on the web does: it opens
// the sign-in window itself, answers that window's teams-js as an "authentication" frame, and
// resolves the tab's call with what the window reports (notifySuccess / notifyFailure) or with
// "CancelledByUser" when the window closes without a word.
import type { BrowserContext } from 'playwright-core';

/** Serve `tabOrigin` from the real local server, and the fake Teams page at `fakeTeamsUrl`. */
export async function routeFakeTeams(
  context: BrowserContext,
  serverUrl: string,
  html: string,
): Promise<void> {
  await context.route(fakeTeamsUrl, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: html }),
  );
  await context.route(`${tabOrigin}/**`, async (route) => {
    const url = route.request().url().replace(tabOrigin, serverUrl);
    // Redirects go back to the browser, as a real server's would.
    await route.fulfill({ response: await route.fetch({ url, maxRedirects: 0 }) });
  });
}

export interface FakeTeamsOptions {
  tabUrl: string;
  token: string;
  theme: 'default' | 'dark' | 'contrast';
  subPageId?: string;
  /** Teams' language for the person (context.app.locale), "en-us" unless a test says otherwise. */
  locale?: string;
}

export const fakeTeamsUrl = 'https://teams.microsoft.com/_test/approvals';
/**
 * Where the framed tab is loaded from. Chromium refuses to frame a loopback address inside a
 * public https page (Local Network Access), so the tab gets a public-looking https origin that
 * Playwright forwards to the local server.
 */
export const tabOrigin = 'https://approvals.contoso.test';

export function fakeTeamsPage({
  tabUrl,
  token,
  theme,
  subPageId,
  locale = 'en-us',
}: FakeTeamsOptions): string {
  const context = {
    locale,
    theme,
    entityId: 'approvals',
    subEntityId: subPageId ?? '',
    frameContext: 'content',
    hostClientType: 'web',
    userPrincipalName: 'alexw@example.com',
  };
  return `<!doctype html>
<html lang="en"><head><title>Teams</title></head>
<body style="margin:0">
<iframe id="tab" title="Approvals" src="${tabUrl}" style="border:0;width:100vw;height:100vh"></iframe>
<script>
  const tab = document.getElementById('tab');
  window.hostCalls = [];
  window.authWindowCalls = [];
  let signIn = null; // { window, messageId }
  const answerSignIn = (args) => {
    if (!signIn) return;
    tab.contentWindow.postMessage({ id: signIn.messageId, args }, '*');
    clearInterval(signIn.timer);
    signIn = null;
  };
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message.id !== 'number') return;
    if (signIn && event.source === signIn.window) {
      window.authWindowCalls.push(message.func);
      const replyToWindow = (args) => signIn.window.postMessage({ id: message.id, args }, '*');
      switch (message.func) {
        case 'initialize':
          return replyToWindow(['authentication', 'web', '2.0.0', '2.0.0']);
        case 'authentication.authenticate.success':
          return answerSignIn([true, message.args[0]]);
        case 'authentication.authenticate.failure':
          return answerSignIn([false, message.args[0]]);
        default:
          return replyToWindow([]);
      }
    }
    if (event.source !== tab.contentWindow) return;
    window.hostCalls.push(message.func);
    const reply = (args) => tab.contentWindow.postMessage({ id: message.id, args }, '*');
    switch (message.func) {
      case 'initialize':
        return reply(['content', 'web', '2.0.0', '2.0.0']);
      case 'getContext':
        return reply([${JSON.stringify(context)}]);
      case 'authentication.getAuthToken':
        return reply([true, ${JSON.stringify(token)}]);
      case 'authentication.authenticate': {
        const [url, width, height] = message.args;
        window.authenticateArgs = { url, width, height };
        const opened = window.open(url, '_blank', 'width=' + width + ',height=' + height);
        if (!opened) return reply([false, 'FailedToOpenWindow']);
        signIn = { window: opened, messageId: message.id };
        signIn.timer = setInterval(() => {
          if (signIn && signIn.window.closed) answerSignIn([false, 'CancelledByUser']);
        }, 200);
        return;
      }
      default:
        return reply([]);
    }
  });
  window.setTeamsTheme = (name) => tab.contentWindow.postMessage({ func: 'themeChange', args: [name] }, '*');
</script>
</body></html>`;
}
