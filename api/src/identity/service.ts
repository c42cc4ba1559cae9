// Finds the Apono credential of the person calling, connects and disconnects it. Nothing here ever
// falls back to a shared credential: no connection means not_connected.
import { isSameAccount, type AccountMapping } from '@apono-teams/domain/account-match.js';
import { AponoError, type AponoClient } from '../apono/client.js';
import { message } from '@apono-teams/domain/message.js';
import { AppError } from '../http/errors.js';
import { localizedError } from '../localized-error.js';
import type { Connection, ConnectionMethod, ConnectionStore } from './connections.js';
import { signInNames, type Caller } from './tokens.js';

export interface ConnectionView {
  connected: boolean;
  method?: ConnectionMethod;
  aponoUser?: { name: string | null; email: string | null };
}

export interface IdentityOptions {
  connections: ConnectionStore;
  apono: AponoClient;
  /** Sandbox mode: the sandbox's personal token for a sandbox user, so they are connected automatically. */
  sandboxTokenFor?: (email: string) => string | null;
  /**
   * Renews an OAuth credential that has expired (set when Apono OAuth is configured); null when
   * Apono no longer accepts the refresh token, so the person has to sign in again.
   */
  refresh?: (connection: Connection) => Promise<Connection['credential'] | null>;
  /** Admin-written pairs of Teams and Apono names for one person (APONO_ACCOUNT_MAP). */
  accountMappings?: AccountMapping[];
}

export function viewOf(connection: Connection | null): ConnectionView {
  if (!connection) return { connected: false };
  return {
    connected: true,
    method: connection.method,
    aponoUser: { name: connection.aponoUser.name, email: connection.aponoUser.email },
  };
}

/** Renew this long before expiry at most... */
export const RENEWAL_MARGIN_MS = 30_000;
/** ...and at most this fraction of the token's lifetime before, so short-lived tokens are not renewed at each use. */
export const RENEWAL_FRACTION = 0.25;

/** True when an expiring credential should be renewed now: within min(30 s, a quarter of its lifetime) of expiry. */
export function needsRenewal(credential: Connection['credential'], now = Date.now()): boolean {
  if (credential.expiresAt == null) return false;
  const lifetime = credential.issuedAt != null ? credential.expiresAt - credential.issuedAt : NaN;
  const margin = lifetime > 0 ? Math.min(RENEWAL_MARGIN_MS, lifetime * RENEWAL_FRACTION) : RENEWAL_MARGIN_MS;
  return credential.expiresAt - margin <= now;
}

const SIGN_IN_AGAIN = message('errorCase.signInExpired');

export function createIdentity(options: IdentityOptions) {
  const { connections, apono } = options;
  /** One renewal per person at a time in this process; the row lock does the same across instances. */
  const renewing = new Map<string, Promise<Connection>>();

  function renew(caller: Caller, seen: Connection, why: 'expiring' | 'refused'): Promise<Connection> {
    const key = `${caller.tenantId}/${caller.objectId}`;
    const running = renewing.get(key);
    if (running) return running;
    const attempt = connections
      // Returns null (rather than throwing, which would roll back the removal) when they must sign in again.
      .locked(caller, async (current, tx): Promise<Connection | null> => {
        if (!current) return null;
        const renewedElsewhere = current.credential.accessToken !== seen.credential.accessToken;
        // Another request or instance stored a new credential while we waited for the lock: use it.
        if (renewedElsewhere && !needsRenewal(current.credential)) return current;
        if (!renewedElsewhere && why === 'expiring' && !needsRenewal(current.credential)) return current;
        const credential = await options.refresh!(current);
        if (!credential) {
          await tx.remove();
          return null;
        }
        const renewed = { ...current, credential };
        await tx.save(renewed);
        return renewed;
      })
      .then((connection) => {
        if (!connection) throw localizedError('not_connected', SIGN_IN_AGAIN);
        return connection;
      })
      .finally(() => renewing.delete(key));
    renewing.set(key, attempt);
    return attempt;
  }

  async function connectWith(
    caller: Caller,
    method: ConnectionMethod,
    credential: Connection['credential'],
  ): Promise<Connection> {
    let session;
    try {
      session = await apono.session(credential.accessToken);
    } catch (err) {
      if (err instanceof AponoError && (err.kind === 'unauthorized' || err.kind === 'forbidden')) {
        throw localizedError('apono_token_invalid', message('errorCase.tokenRefused'));
      }
      if (err instanceof AponoError && err.kind === 'unavailable')
        throw new AppError('apono_unavailable', undefined, undefined, { 'Retry-After': '30' });
      throw err;
    }
    // Deciding with someone else's account would decide as them under this person's name.
    const names = signInNames(caller);
    if (!isSameAccount(names, session.user.email, options.accountMappings)) {
      const someoneElse = message('errorCase.someoneElse');
      throw localizedError(
        'apono_account_mismatch',
        message('errorCase.notYourAccount', {
          name: session.user.name || someoneElse,
          email: session.user.email || message('errorCase.noEmail'),
          you: caller.email || names[0] || someoneElse,
        }),
        { aponoUser: session.user.email },
      );
    }
    const connection = {
      method,
      credential,
      aponoUser: { id: session.user.id, name: session.user.name, email: session.user.email },
    };
    await connections.save(caller, connection);
    return { ...connection, keyId: '' };
  }

  return {
    connectWith,

    async find(caller: Caller): Promise<Connection | null> {
      const existing = await connections.get(caller);
      if (existing) return existing;
      const sandboxToken = caller.email ? options.sandboxTokenFor?.(caller.email) : null;
      if (!sandboxToken || (await connections.disconnectedOnPurpose(caller))) return null;
      return connectWith(caller, 'sandbox', { accessToken: sandboxToken });
    },

    /** The caller's usable connection, renewed when it is about to expire; not_connected when there is none. */
    async require(caller: Caller): Promise<Connection> {
      const connection = await this.find(caller);
      if (!connection) throw new AppError('not_connected');
      if (options.refresh && needsRenewal(connection.credential))
        return renew(caller, connection, 'expiring');
      return connection;
    },

    /**
     * Apono answered 401 to `refused`: a renewed connection to retry a read with (another instance
     * may already have renewed it). not_connected when the refresh token is no longer accepted;
     * apono_token_invalid when the credential cannot be renewed (a personal API token).
     */
    async renewRefused(caller: Caller, refused: Connection): Promise<Connection> {
      if (!options.refresh || refused.method !== 'oauth' || !refused.credential.refreshToken)
        throw new AppError('apono_token_invalid');
      return renew(caller, refused, 'refused');
    },

    /** Forgets the credential; in the sandbox it also stops the automatic connection until they connect again. */
    async disconnect(caller: Caller): Promise<void> {
      if (options.sandboxTokenFor) await connections.markDisconnected(caller);
      else await connections.remove(caller);
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
