// A stand-in for the Teams web client: an https://teams.microsoft.com page (served by Playwright)
// that frames the tab and answers the teams-js calls it makes (initialize, getContext, SSO token),
// and can push a theme change, as Teams does.
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
    await route.fulfill({ response: await route.fetch({ url }) });
  });
}

export interface FakeTeamsOptions {
  tabUrl: string;
  token: string;
  theme: 'default' | 'dark' | 'contrast';
  subPageId?: string;
}

export const fakeTeamsUrl = 'https://teams.microsoft.com/_test/approvals';
/**
 * Where the framed tab is loaded from. Chromium refuses to frame a loopback address inside a
 * public https page (Local Network Access), so the tab gets a public-looking https origin that
 * Playwright forwards to the local server.
 */
export const tabOrigin = 'https://approvals.contoso.test';

export function fakeTeamsPage({ tabUrl, token, theme, subPageId }: FakeTeamsOptions): string {
  const context = {
    locale: 'en-us',
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
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (event.source !== tab.contentWindow || !message || typeof message.id !== 'number') return;
    window.hostCalls.push(message.func);
    const reply = (args) => tab.contentWindow.postMessage({ id: message.id, args }, '*');
    switch (message.func) {
      case 'initialize':
        return reply(['content', 'web', '2.0.0', '2.0.0']);
      case 'getContext':
        return reply([${JSON.stringify(context)}]);
      case 'authentication.getAuthToken':
        return reply([true, ${JSON.stringify(token)}]);
      default:
        return reply([]);
    }
  });
  window.setTeamsTheme = (name) => tab.contentWindow.postMessage({ func: 'themeChange', args: [name] }, '*');
</script>
</body></html>`;
}
