// App Service resolves Key Vault references (`@Microsoft.KeyVault(SecretUri=...)` app settings) with
// the app's managed identity when it starts the app. Right after `teamsapp provision` the identity's
// role assignment on the vault may not have propagated yet, and App Service then hands the app the
// reference itself as the value (Microsoft Learn, "Use Key Vault references as app settings":
// unresolved references are left as the literal string). Rather than fail on it and crash-loop, the
// server reads those secrets itself, with the same managed identity, and retries until it may. With
// no managed identity at all there is nothing to wait for, and it says so instead.
import type { Logger } from '../log.js';

const REFERENCE = /^@Microsoft\.KeyVault\((.*)\)\s*$/i;

export interface Reference {
  /** The environment variable that holds it. */
  name: string;
  /** The secret's address: https://<vault>.vault.azure.net/secrets/<name>[/<version>]. */
  secretUri: string;
}

/** The reference's two documented forms: SecretUri=..., or VaultName=...;SecretName=...[;SecretVersion=...]. */
export function secretUriOf(value: string): string | null {
  const inner = REFERENCE.exec(value)?.[1];
  if (inner === undefined) return null;
  const parts = Object.fromEntries(
    inner.split(';').map((p) => {
      const at = p.indexOf('=');
      return [p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim()];
    }),
  );
  if (parts.secreturi) return parts.secreturi;
  if (!parts.vaultname || !parts.secretname) return null;
  const version = parts.secretversion ? `/${encodeURIComponent(parts.secretversion)}` : '';
  return `https://${encodeURIComponent(parts.vaultname)}.vault.azure.net/secrets/${encodeURIComponent(parts.secretname)}${version}`;
}

/** Every setting App Service left as a Key Vault reference. */
export function unresolvedReferences(env: NodeJS.ProcessEnv): Reference[] {
  return Object.entries(env).flatMap(([name, value]) => {
    const secretUri = value ? secretUriOf(value) : null;
    return secretUri ? [{ name, secretUri }] : [];
  });
}

/** Only Key Vault itself, or this machine (tests): a reference must not send the identity's token elsewhere. */
function allowedVault(uri: URL): boolean {
  if (uri.protocol === 'https:')
    return /\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)$/i.test(uri.hostname);
  return uri.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(uri.hostname);
}

/** A reference's address is one this server may send the managed identity's token to. */
function isVaultAddress(secretUri: string): boolean {
  try {
    return allowedVault(new URL(secretUri));
  } catch {
    return false;
  }
}

/** The settings whose reference points somewhere that is not a Key Vault. */
export function misaddressedReferences(env: NodeJS.ProcessEnv): string[] {
  return unresolvedReferences(env)
    .filter((r) => !isVaultAddress(r.secretUri))
    .map((r) => r.name);
}

/** What is wrong and what to do about it, for the log and /readyz. */
export const misaddressedAdvice = (names: string[]) =>
  `These Key Vault references do not point at a Key Vault (https://<vault>.vault.azure.net/secrets/<name>): ${names.join(', ')}. Correct them in the web app's settings (or the Bicep that writes them); the app then restarts. Until then it stays up but not ready, and does not try again.`;

/** Key Vault said no; a 403 is what a role assignment that has not propagated yet looks like. */
class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    code: string | undefined,
  ) {
    super(`Key Vault answered ${status}${code ? ` ${code}` : ''}`);
  }
}

/** App Service sets both when the app has a managed identity ("Use managed identities for App Service"). */
export function missingIdentity(env: NodeJS.ProcessEnv): string[] {
  return ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER'].filter((name) => !env[name]);
}

const notSet = (names: string[]) => `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not set`;
const noIdentity = (missing: string[]) => `no managed identity here (${notSet(missing)})`;

/** What is wrong and what to do about it, for the log and /readyz. */
export const noIdentityAdvice = (missing: string[]) =>
  `This server has no managed identity to read its Key Vault references with (${notSet(missing)}). Turn on the web app's system-assigned managed identity (App Service > Identity, or \`az webapp identity assign\`) and give it the "Key Vault Secrets User" role on the vault, or set IDENTITY_ENDPOINT and IDENTITY_HEADER; then restart the app. Until then it stays up but not ready, and does not try again: nothing changes without a restart.`;

/**
 * Reads one secret with the App Service managed identity (the IDENTITY_ENDPOINT / IDENTITY_HEADER
 * REST protocol, api-version 2019-08-01) and Key Vault's Get Secret (api-version 7.4).
 */
export async function readSecret(secretUri: string, env: NodeJS.ProcessEnv): Promise<string> {
  const uri = new URL(secretUri);
  if (!allowedVault(uri)) throw new Error(`${uri.hostname} is not a Key Vault address`);
  const endpoint = env.IDENTITY_ENDPOINT;
  const header = env.IDENTITY_HEADER;
  if (!endpoint || !header) throw new Error(noIdentity(missingIdentity(env)));
  const tokenUrl = new URL(endpoint);
  tokenUrl.searchParams.set('resource', 'https://vault.azure.net');
  tokenUrl.searchParams.set('api-version', '2019-08-01');
  const tokenAnswer = await fetch(tokenUrl, {
    headers: { 'X-IDENTITY-HEADER': header },
    signal: AbortSignal.timeout(10_000),
  });
  const token = ((await tokenAnswer.json().catch(() => ({}))) as { access_token?: string }).access_token;
  if (!tokenAnswer.ok || !token)
    throw new Error(`the managed identity endpoint answered ${tokenAnswer.status}`);
  uri.searchParams.set('api-version', '7.4');
  const answer = await fetch(uri, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await answer.json().catch(() => ({}))) as { value?: unknown; error?: { code?: string } };
  if (!answer.ok || typeof body.value !== 'string') throw new KeyVaultError(answer.status, body.error?.code);
  return body.value;
}

/**
 * Reads every reference into `env`, trying again (5 s, doubling to 60 s) until all are read. Says
 * at each try which settings it waits for and why, never their values. Without a managed identity it
 * says what to do once and never settles: a process's environment is fixed when it starts, so trying
 * again could not succeed, and settling would start the server without its secrets. The same for a
 * reference whose address is not a Key Vault's.
 */
export async function resolveReferences(
  env: NodeJS.ProcessEnv,
  log: Logger,
  options: { firstDelayMs?: number; onWaiting?: (names: string[], detail: string) => void } = {},
): Promise<void> {
  let waiting = unresolvedReferences(env);
  const missing = missingIdentity(env);
  if (waiting.length && missing.length) {
    const names = waiting.map((r) => r.name);
    options.onWaiting?.(names, noIdentity(missing));
    log.error({ waitingFor: names, missing }, noIdentityAdvice(missing));
    return new Promise<never>(() => undefined);
  }
  // A reference to somewhere that is not Key Vault is a typo in the app settings: no retry fixes it.
  const misaddressed = misaddressedReferences(env);
  if (misaddressed.length) {
    const names = waiting.map((r) => r.name);
    options.onWaiting?.(names, `not Key Vault addresses: ${misaddressed.join(', ')}`);
    log.error({ waitingFor: names, notKeyVault: misaddressed }, misaddressedAdvice(misaddressed));
    return new Promise<never>(() => undefined);
  }
  let delay = options.firstDelayMs ?? 5000;
  while (waiting.length) {
    const failures: string[] = [];
    let forbidden = false;
    for (const ref of waiting) {
      try {
        env[ref.name] = await readSecret(ref.secretUri, env);
      } catch (err) {
        failures.push(`${ref.name}: ${(err as Error).message}`);
        if (err instanceof KeyVaultError && err.status === 403) forbidden = true;
      }
    }
    waiting = unresolvedReferences(env);
    if (!waiting.length) break;
    const detail = failures.join('; ');
    options.onWaiting?.(
      waiting.map((r) => r.name),
      detail,
    );
    log.warn(
      { waitingFor: waiting.map((r) => r.name), detail, retryInMs: delay },
      forbidden
        ? "Key Vault secrets are not readable yet. Right after a provision the web app's access to Key Vault can take a few minutes to propagate; retrying."
        : 'Key Vault secrets are not readable yet; retrying.',
    );
    await new Promise((ok) => setTimeout(ok, delay));
    delay = Math.min(delay * 2, 60_000);
  }
}
