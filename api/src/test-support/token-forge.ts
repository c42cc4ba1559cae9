// Signs Entra-shaped tokens for tests, and the one matrix of bad tokens that every layer of the
// SSO check (the function, and the API over HTTP) must refuse.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface TokenForge {
  /** The public key set the server should trust. */
  jwks: { keys: JWK[] };
  claims(over?: JWTPayload): JWTPayload;
  sign(payload: JWTPayload, options?: { key?: 'good' | 'other'; kid?: string }): Promise<string>;
  /** A token of one of the BAD_TOKENS kinds, none of which may be accepted. */
  badToken(kind: BadToken): Promise<string | undefined>;
}

/** Every way a bearer token must fail: known when tests are collected, made once keys exist. */
export const BAD_TOKENS = [
  'missing',
  'not a JWT',
  'expired',
  'not yet valid',
  'issued in the future',
  'wrong audience',
  'wrong issuer',
  'issuer of another tenant than tid',
  'tenant not allowed',
  'missing scope',
  'wrong scope',
  'signed with another key',
  'unknown key ID',
  'alg none',
  'tampered payload',
  'HS256 signed with the key ID as secret',
  'missing object ID',
] as const;
export type BadToken = (typeof BAD_TOKENS)[number];

const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const OTHER_TENANT = '11111111-1111-1111-1111-111111111111';

export async function createTokenForge(options: {
  tenant: string;
  audience: string;
  issuerFor: (tenant: string) => string;
  user: { oid: string; email: string; name: string };
  kid: string;
}): Promise<TokenForge> {
  const pair = await generateKeyPair('RS256');
  const other: CryptoKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: options.kid, alg: 'RS256', use: 'sig' };
  const { tenant, issuerFor } = options;

  const claims = (over: JWTPayload = {}): JWTPayload => ({
    iss: issuerFor(tenant),
    aud: options.audience,
    tid: tenant,
    oid: options.user.oid,
    preferred_username: options.user.email,
    name: options.user.name,
    scp: 'access_as_user',
    ver: '2.0',
    iat: now(),
    nbf: now(),
    exp: now() + 3600,
    ...over,
  });
  const sign: TokenForge['sign'] = (payload, { key = 'good', kid = options.kid } = {}) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(key === 'good' ? pair.privateKey : other);

  const bad: Record<BadToken, () => Promise<string | undefined>> = {
    missing: async () => undefined,
    'not a JWT': async () => 'not-a-token',
    expired: () => sign(claims({ exp: now() - 3600, iat: now() - 7200, nbf: now() - 7200 })),
    'not yet valid': () => sign(claims({ nbf: now() + 3600 })),
    'issued in the future': () => sign(claims({ nbf: undefined, iat: now() + 3600 })),
    'wrong audience': () => sign(claims({ aud: 'api://someone-else' })),
    'wrong issuer': () => sign(claims({ iss: `https://evil.example/${tenant}/v2.0` })),
    'issuer of another tenant than tid': () => sign(claims({ iss: issuerFor(OTHER_TENANT) })),
    'tenant not allowed': () => sign(claims({ tid: OTHER_TENANT, iss: issuerFor(OTHER_TENANT) })),
    'missing scope': () => sign(claims({ scp: undefined })),
    'wrong scope': () => sign(claims({ scp: 'User.Read' })),
    'signed with another key': () => sign(claims(), { key: 'other' }),
    'unknown key ID': () => sign(claims(), { kid: `${options.kid}-unknown` }),
    'alg none': async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`,
    'tampered payload': async () => {
      const [h, , s] = (await sign(claims())).split('.');
      return `${h}.${b64(claims({ oid: 'someone-else', preferred_username: 'adelev@example.com' }))}.${s}`;
    },
    'HS256 signed with the key ID as secret': () =>
      new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: options.kid })
        .sign(new TextEncoder().encode(options.kid)),
    'missing object ID': () => sign(claims({ oid: undefined })),
  };

  return {
    jwks: { keys: [jwk] },
    claims,
    sign,
    badToken: (kind) => bad[kind](),
  };
}
