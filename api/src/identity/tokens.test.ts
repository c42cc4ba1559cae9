import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../http/errors.js';
import { BAD_TOKENS, createTokenForge, type TokenForge } from '../test-support/token-forge.js';
import { localRules, VERIFIED_TOKEN_SECONDS, verifyCaller, type TokenRules } from './tokens.js';

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

describe('remembering a token that passed', () => {
  afterEach(() => vi.useRealTimers());

  /** The same rules, counting how often a signature is checked against the keys. */
  const counted = () => {
    const seen = { checks: 0 };
    const counting: TokenRules = {
      ...rules,
      keys: (header, token) => {
        seen.checks++;
        return rules.keys(header, token);
      },
    };
    return { rules: counting, seen };
  };

  it("checks the tab's token once while it is sent again and again", async () => {
    const { rules: r, seen } = counted();
    const token = await forge.sign(forge.claims());
    for (let i = 0; i < 5; i++) expect((await verifyCaller(token, r)).email).toBe('alexw@example.com');
    expect(seen.checks).toBe(1);
  });

  it.each(BAD_TOKENS)('still refuses a token that is %s after a good one was remembered', async (kind) => {
    const { rules: r } = counted();
    await verifyCaller(await forge.sign(forge.claims()), r);
    const error = await verifyCaller(await forge.badToken(kind), r).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('unauthenticated');
  });

  it('refuses the remembered token with one byte of its signature changed', async () => {
    const { rules: r } = counted();
    const token = await forge.sign(forge.claims());
    await verifyCaller(token, r);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const forged = token.slice(0, -2) + last + token.at(-1);
    await expect(verifyCaller(forged, r)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('forgets a token at its exp, even when that comes before the usual while', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { rules: r, seen } = counted();
    const token = await forge.sign(forge.claims({ exp: now() + 5 }));
    await verifyCaller(token, r);
    vi.setSystemTime(Date.now() + 4_000);
    await verifyCaller(token, r);
    expect(seen.checks).toBe(1);
    // Past exp and past the clock tolerance: checked again, and refused as expired.
    vi.setSystemTime(Date.now() + 62_000);
    await expect(verifyCaller(token, r)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(seen.checks).toBe(2);
  });

  it('checks a long-lived token again after VERIFIED_TOKEN_SECONDS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { rules: r, seen } = counted();
    const token = await forge.sign(forge.claims({ exp: now() + 3600 }));
    await verifyCaller(token, r);
    vi.setSystemTime(Date.now() + (VERIFIED_TOKEN_SECONDS + 1) * 1000);
    await verifyCaller(token, r);
    expect(seen.checks).toBe(2);
  });
});
