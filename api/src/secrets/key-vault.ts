// App Service resolves Key Vault references (`@Microsoft.KeyVault(SecretUri=...)` app settings) with
// the app's managed identity when it starts the app. Right after `teamsapp provision` the identity's
// role assignment on the vault may not have propagated yet, and App Service then hands the app the
// reference itself as the value (Microsoft Learn, "Use Key Vault references as app settings":
// unresolved references are left as the literal string). Rather than fail on it and crash-loop, the
// server reads those secrets itself, with the same managed identity, and retries until it may.
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

/**
 * Reads one secret with the App Service managed identity (the IDENTITY_ENDPOINT / IDENTITY_HEADER
 * REST protocol, api-version 2019-08-01) and Key Vault's Get Secret (api-version 7.4).
 */
export async function readSecret(secretUri: string, env: NodeJS.ProcessEnv): Promise<string> {
  const uri = new URL(secretUri);
  if (!allowedVault(uri)) throw new Error(`${uri.hostname} is not a Key Vault address`);
  const endpoint = env.IDENTITY_ENDPOINT;
  const header = env.IDENTITY_HEADER;
  if (!endpoint || !header)
    throw new Error(
      `no managed identity here (${endpoint ? 'IDENTITY_HEADER' : 'IDENTITY_ENDPOINT'} is not set)`,
    );
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
  if (!answer.ok || typeof body.value !== 'string')
    throw new Error(`Key Vault answered ${answer.status}${body.error?.code ? ` ${body.error.code}` : ''}`);
  return body.value;
}

/**
 * Reads every reference into `env`, trying again (5 s, doubling to 60 s) until all are read. Says
 * at each try which settings it waits for and why, never their values.
 */
export async function resolveReferences(
  env: NodeJS.ProcessEnv,
  log: Logger,
  options: { firstDelayMs?: number; onWaiting?: (names: string[], detail: string) => void } = {},
): Promise<void> {
  let waiting = unresolvedReferences(env);
  let delay = options.firstDelayMs ?? 5000;
  while (waiting.length) {
    const failures: string[] = [];
    for (const ref of waiting) {
      try {
        env[ref.name] = await readSecret(ref.secretUri, env);
      } catch (err) {
        failures.push(`${ref.name}: ${(err as Error).message}`);
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
      "Key Vault secrets are not readable yet. Right after a provision the web app's access to Key Vault can take a few minutes to propagate; retrying.",
    );
    await new Promise((ok) => setTimeout(ok, delay));
    delay = Math.min(delay * 2, 60_000);
  }
}
