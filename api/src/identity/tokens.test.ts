import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { BAD_TOKENS, createTokenForge, type TokenForge } from '../test-support/token-forge.js';
import { localRules, verifyCaller, type TokenRules } from './tokens.js';

const TENANT = '00000000-0000-0000-0000-0000000000001';
const ISSUER_BASE = 'http://localhost/sandbox/issuer';
const AUDIENCE = 'api://localhost/test';

let rules: TokenRules;
let forge: TokenForge;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  forge = await createTokenForge({
    tenant: TENANT,
    audience: AUDIENCE,
    issuerFor: (tid) => `${ISSUER_BASE}/${tid}/v2.0`,
    user: { oid: '00000000-0000-0000-0000-0000000000020', email: 'alexw@example.com', name: 'Alex Wilber' },
    kid: 'k1',
  });
  rules = localRules(forge.jwks, { issuerBase: ISSUER_BASE, audience: AUDIENCE, allowedTenants: [TENANT] });
});

describe('validating a Teams SSO token', () => {
  it('accepts a valid token and names the caller', async () => {
    await expect(verifyCaller(await forge.sign(forge.claims()), rules)).resolves.toEqual({
      tenantId: TENANT,
      objectId: '00000000-0000-0000-0000-0000000000020',
      name: 'Alex Wilber',
      email: 'alexw@example.com',
      names: ['alexw@example.com'],
    });
  });

  it('keeps every sign-in name (preferred_username, email, upn) to match the Apono account with', async () => {
    const caller = await verifyCaller(
      await forge.sign(
        forge.claims({
          preferred_username: 'alexw@contoso.onmicrosoft.com',
          email: 'alexw@example.com',
          upn: 'alexw@contoso.onmicrosoft.com',
        }),
      ),
      rules,
    );
    expect(caller.email).toBe('alexw@contoso.onmicrosoft.com');
    expect(caller.names).toEqual(['alexw@contoso.onmicrosoft.com', 'alexw@example.com']);
  });

  it('tolerates a small clock skew', async () => {
    await expect(
      verifyCaller(await forge.sign(forge.claims({ exp: now() - 30 })), rules),
    ).resolves.toBeTruthy();
  });

  it.each(BAD_TOKENS)('refuses a token that is %s', async (kind) => {
    const token = await forge.badToken(kind);
    const error = await verifyCaller(token, rules).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unauthenticated');
    expect((error as AppError).status).toBe(401);
  });

  it('has at least 12 bad tokens in the matrix', () => {
    expect(BAD_TOKENS.length).toBeGreaterThanOrEqual(12);
  });
});
