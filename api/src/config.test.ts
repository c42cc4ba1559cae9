import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to the embedded sandbox on port 3978', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      APP_MODE: 'sandbox',
      sandboxApono: true,
      aponoBaseUrl: 'http://127.0.0.1:3978/sandbox/apono',
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ APONO_BASE_URL: 'not a url' })).toThrow(/APONO_BASE_URL/);
    expect(() => loadConfig({ TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/TOKEN_ENCRYPTION_KEY must be 32/);
    expect(() => loadConfig({ APONO_ACCOUNT_MAP: '@contoso.com=adele@contoso.com' })).toThrow(
      'APONO_ACCOUNT_MAP: "@contoso.com=adele@contoso.com" is not a pair',
    );
  });

  it('refuses to run the sandbox in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/cannot run with NODE_ENV=production/);
    const teams = {
      APP_MODE: 'teams',
      AAD_APP_CLIENT_ID: 'c',
      AAD_APP_TENANT_ID: 't',
      BOT_ID: 'b',
      BOT_PASSWORD: 'p',
      BOT_TENANT_ID: 't',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
      APONO_WEBHOOK_SECRET: 'a-long-enough-secret',
    };
    expect(() => loadConfig({ NODE_ENV: 'production', ...teams, SANDBOX_APONO: 'true' })).toThrow(
      /SANDBOX_APONO=true .* cannot run/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', ...teams, APONO_BASE_URL: 'https://api.apono.io' }).sandboxApono,
    ).toBe(false);
  });

  it('lists what Teams mode is missing', () => {
    expect(() => loadConfig({ APP_MODE: 'teams' })).toThrow(
      /AAD_APP_CLIENT_ID, AAD_APP_TENANT_ID, BOT_ID, BOT_PASSWORD, BOT_TENANT_ID.*APONO_BASE_URL/,
    );
  });

  it('needs all of the Apono OAuth settings or none', () => {
    expect(() => loadConfig({ APONO_OAUTH_CLIENT_ID: 'x' })).toThrow(/APONO_OAUTH_AUTHORIZE_URL/);
  });
});
