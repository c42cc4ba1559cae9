// Finds the Apono credential of the person calling, connects and disconnects it. Nothing here ever
// falls back to a shared credential: no connection means not_connected.
import { AponoError, type AponoClient } from '../apono/client.js';
import { AppError } from '../http/errors.js';
import type { Connection, ConnectionMethod, ConnectionStore } from './connections.js';
import type { Caller } from './tokens.js';

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
}

export function viewOf(connection: Connection | null): ConnectionView {
  if (!connection) return { connected: false };
  return {
    connected: true,
    method: connection.method,
    aponoUser: { name: connection.aponoUser.name, email: connection.aponoUser.email },
  };
}

export function createIdentity(options: IdentityOptions) {
  const { connections, apono } = options;

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
        throw new AppError(
          'apono_token_invalid',
          'Apono did not accept this token. Create a new personal API token in Apono (Settings → API tokens) and paste it again.',
        );
      }
      if (err instanceof AponoError && err.kind === 'unavailable')
        throw new AppError('apono_unavailable', undefined, undefined, { 'Retry-After': '30' });
      throw err;
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

    /** The caller's usable connection, renewed when it has expired; not_connected when there is none. */
    async require(caller: Caller): Promise<Connection> {
      const connection = await this.find(caller);
      if (!connection) throw new AppError('not_connected');
      const expired =
        connection.credential.expiresAt != null && connection.credential.expiresAt < Date.now() + 30_000;
      if (expired && options.refresh) {
        const credential = await options.refresh(connection);
        if (!credential) {
          await connections.remove(caller);
          throw new AppError(
            'not_connected',
            'Your Apono sign-in has expired. Open the Approvals tab and sign in with Apono again.',
          );
        }
        await connections.save(caller, { ...connection, credential });
        return { ...connection, credential };
      }
      return connection;
    },

    /** Forgets the credential; in the sandbox it also stops the automatic connection until they connect again. */
    async disconnect(caller: Caller): Promise<void> {
      if (options.sandboxTokenFor) await connections.markDisconnected(caller);
      else await connections.remove(caller);
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
