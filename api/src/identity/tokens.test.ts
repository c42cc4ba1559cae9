import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { localRules, verifyCaller, type TokenRules } from './tokens.js';

const TENANT = '00000000-0000-0000-0000-0000000000001';
const ISSUER_BASE = 'http://localhost/sandbox/issuer';
const AUDIENCE = 'api://localhost/test';

let rules: TokenRules;
let good: CryptoKey;
let other: CryptoKey;

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: JWTPayload = {}): JWTPayload => ({
  iss: `${ISSUER_BASE}/${TENANT}/v2.0`,
  aud: AUDIENCE,
  tid: TENANT,
  oid: '00000000-0000-0000-0000-0000000000020',
  preferred_username: 'alexw@example.com',
  name: 'Alex Wilber',
  scp: 'access_as_user',
  iat: now(),
  nbf: now(),
  exp: now() + 3600,
  ...over,
});
const sign = (payload: JWTPayload, key: CryptoKey = good, kid = 'k1') =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  good = pair.privateKey;
  other = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
  rules = localRules(
    { keys: [jwk] },
    { issuerBase: ISSUER_BASE, audience: AUDIENCE, allowedTenants: [TENANT] },
  );
});

describe('validating a Teams SSO token', () => {
  it('accepts a valid token and names the caller', async () => {
    await expect(verifyCaller(await sign(claims()), rules)).resolves.toEqual({
      tenantId: TENANT,
      objectId: '00000000-0000-0000-0000-0000000000020',
      name: 'Alex Wilber',
      email: 'alexw@example.com',
    });
  });

  it('tolerates a small clock skew', async () => {
    await expect(verifyCaller(await sign(claims({ exp: now() - 30 })), rules)).resolves.toBeTruthy();
  });

  const bad: Array<[string, () => Promise<string | undefined>]> = [
    ['missing', async () => undefined],
    ['not a JWT', async () => 'not-a-token'],
    ['expired', () => sign(claims({ exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 }))],
    ['not yet valid', () => sign(claims({ nbf: now() + 3600 }))],
    ['issued in the future', () => sign(claims({ nbf: undefined, iat: now() + 3600 }))],
    ['wrong audience', () => sign(claims({ aud: 'api://someone-else' }))],
    ['wrong issuer', () => sign(claims({ iss: `https://evil.example/${TENANT}/v2.0` }))],
    [
      'issuer of another tenant than tid',
      () => sign(claims({ iss: `${ISSUER_BASE}/11111111-1111-1111-1111-111111111111/v2.0` })),
    ],
    [
      'tenant not allowed',
      () =>
        sign(
          claims({
            tid: '11111111-1111-1111-1111-111111111111',
            iss: `${ISSUER_BASE}/11111111-1111-1111-1111-111111111111/v2.0`,
          }),
        ),
    ],
    ['missing scope', () => sign(claims({ scp: undefined }))],
    ['wrong scope', () => sign(claims({ scp: 'User.Read' }))],
    ['signed with another key', () => sign(claims(), other)],
    ['unknown key ID', () => sign(claims(), good, 'k2')],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'tampered payload',
      async () => {
        const [h, , s] = (await sign(claims())).split('.');
        return `${h}.${b64(claims({ oid: 'someone-else', preferred_username: 'adelev@example.com' }))}.${s}`;
      },
    ],
    [
      'HS256 signed with the public key text',
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .sign(new TextEncoder().encode('k1')),
    ],
    ['missing object ID', () => sign(claims({ oid: undefined }))],
  ];

  it.each(bad)('refuses a token that is %s', async (_why, make) => {
    const token = await make();
    const error = await verifyCaller(token, rules).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unauthenticated');
    expect((error as AppError).status).toBe(401);
  });

  it('has at least 12 bad tokens in the matrix', () => {
    expect(bad.length).toBeGreaterThanOrEqual(12);
  });
});
