// Sandbox mode only: the server signs Entra-shaped tokens for the sandbox users with a key pair it
// makes at start, and validates them with the same verifyCaller as real Teams SSO tokens.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { localRules, ACCESS_SCOPE, type TokenRules } from './tokens.js';

export const SANDBOX_AUDIENCE = 'api://localhost/apono-teams-sandbox';

export interface SandboxIdentity {
  name: string;
  email: string;
  tenantId: string;
  objectId: string;
}

export interface SandboxIssuer {
  rules: TokenRules;
  signIn(user: SandboxIdentity, lifetimeSeconds?: number): Promise<string>;
}

export async function createSandboxIssuer(issuerBase: string, tenants: string[]): Promise<SandboxIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'sandbox-1', alg: 'RS256', use: 'sig' };
  return {
    rules: localRules({ keys: [jwk] }, { issuerBase, audience: SANDBOX_AUDIENCE, allowedTenants: tenants }),
    signIn: (user, lifetimeSeconds = 3600) => sign(privateKey, issuerBase, user, lifetimeSeconds),
  };
}

function sign(
  key: CryptoKey,
  issuerBase: string,
  user: SandboxIdentity,
  lifetimeSeconds: number,
): Promise<string> {
  return new SignJWT({
    tid: user.tenantId,
    oid: user.objectId,
    name: user.name,
    preferred_username: user.email,
    scp: ACCESS_SCOPE,
    ver: '2.0',
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'sandbox-1', typ: 'JWT' })
    .setIssuer(`${issuerBase}/${user.tenantId}/v2.0`)
    .setAudience(SANDBOX_AUDIENCE)
    .setSubject(user.objectId)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(key);
}
