// Each approver's own Apono credential, stored encrypted and keyed by Entra tenant + object ID.
import { LRUCache } from 'lru-cache';
import type { Db } from '../store/db.js';
import { open, seal, type Keyring } from './secret-box.js';
import type { Caller } from './tokens.js';

export type ConnectionMethod = 'token' | 'oauth' | 'sandbox';
/** Stored in place of a connection when someone disconnects: sandbox auto-connect then leaves them be. */
const DISCONNECTED = 'disconnected';

export interface Credential {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent for personal API tokens. */
  expiresAt?: number;
  /** Epoch milliseconds when it was issued, so the renewal margin can follow its lifetime. */
  issuedAt?: number;
}

export interface Connection {
  method: ConnectionMethod;
  aponoUser: { id: string | null; name: string | null; email: string | null };
  credential: Credential;
  keyId: string;
}

interface Row {
  method: ConnectionMethod;
  apono_user_id: string | null;
  apono_name: string | null;
  apono_email: string | null;
  key_id: string;
  secret: string;
}

const context = (c: Pick<Caller, 'tenantId' | 'objectId'>) => `${c.tenantId}/${c.objectId}`;

/**
 * How long a decrypted connection is reused by this process. Every change made here forgets it at
 * once; a change made by another instance on the same database is seen within this time.
 */
export const CONNECTION_CACHE_MS = 5_000;

type Query = Pick<Db, 'query'>;
type Who = Pick<Caller, 'tenantId' | 'objectId'>;

async function read(q: Query, caller: Who, lock: boolean): Promise<Row | null> {
  const [row] = await q.query<Row>(
    `select method, apono_user_id, apono_name, apono_email, key_id, secret from apono_connections
     where tenant_id = $1 and object_id = $2${lock ? ' for update' : ''}`,
    [caller.tenantId, caller.objectId],
  );
  return row ?? null;
}

export function createConnectionStore(db: Db, keyring: Keyring) {
  // Only connections that exist: someone who connects on another instance is not told "not connected".
  const recent = new LRUCache<string, Connection>({ max: 10_000, ttl: CONNECTION_CACHE_MS });
  // Counts changes, so a read that began before one is not remembered after it.
  let changes = 0;
  const forget = (caller: Who) => {
    changes++;
    recent.delete(context(caller));
  };

  function opened(caller: Who, row: Row | null): Connection | null {
    if (!row || (row.method as string) === DISCONNECTED) return null;
    let plaintext: string;
    try {
      plaintext = open(keyring, { keyId: row.key_id, secret: row.secret }, context(caller));
    } catch {
      // A key that was rotated away without TOKEN_ENCRYPTION_OLD_KEYS: ask the person to connect again.
      return null;
    }
    return {
      method: row.method,
      aponoUser: { id: row.apono_user_id, name: row.apono_name, email: row.apono_email },
      credential: JSON.parse(plaintext) as Credential,
      keyId: row.key_id,
    };
  }

  async function save(q: Query, caller: Who, connection: Omit<Connection, 'keyId'>): Promise<void> {
    const sealed = seal(keyring, JSON.stringify(connection.credential), context(caller));
    await q.query(
      `insert into apono_connections (tenant_id, object_id, method, apono_user_id, apono_name, apono_email, key_id, secret)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (tenant_id, object_id) do update set method = excluded.method, apono_user_id = excluded.apono_user_id,
         apono_name = excluded.apono_name, apono_email = excluded.apono_email, key_id = excluded.key_id,
         secret = excluded.secret, updated_at = now()`,
      [
        caller.tenantId,
        caller.objectId,
        connection.method,
        connection.aponoUser.id,
        connection.aponoUser.name,
        connection.aponoUser.email,
        sealed.keyId,
        sealed.secret,
      ],
    );
    forget(caller);
  }

  async function remove(q: Query, caller: Who): Promise<void> {
    await q.query('delete from apono_connections where tenant_id = $1 and object_id = $2', [
      caller.tenantId,
      caller.objectId,
    ]);
    forget(caller);
  }

  return {
    async get(caller: Who): Promise<Connection | null> {
      const known = recent.get(context(caller));
      if (known) return known;
      const before = changes;
      const connection = opened(caller, await read(db, caller, false));
      if (connection && changes === before) recent.set(context(caller), connection);
      return connection;
    },

    save: (caller: Who, connection: Omit<Connection, 'keyId'>) => save(db, caller, connection),

    /**
     * Runs `fn` in one transaction holding the person's connection row (select ... for update), so
     * instances sharing the database change one credential one at a time. `fn` must use only the
     * `save` and `remove` it is given: on PGlite any other query would wait for this transaction.
     */
    async locked<T>(
      caller: Who,
      fn: (
        current: Connection | null,
        tx: { save(connection: Omit<Connection, 'keyId'>): Promise<void>; remove(): Promise<void> },
      ) => Promise<T>,
    ): Promise<T> {
      try {
        return await db.transaction(async (tx) =>
          fn(opened(caller, await read(tx, caller, true)), {
            save: (connection) => save(tx, caller, connection),
            remove: () => remove(tx, caller),
          }),
        );
      } finally {
        // What the transaction wrote is in effect only now (or was rolled back): read it afresh.
        forget(caller);
      }
    },

    async disconnectedOnPurpose(caller: Who): Promise<boolean> {
      const rows = await db.query(
        'select 1 from apono_connections where tenant_id = $1 and object_id = $2 and method = $3',
        [caller.tenantId, caller.objectId, DISCONNECTED],
      );
      return rows.length > 0;
    },

    async markDisconnected(caller: Who): Promise<void> {
      const sealed = seal(keyring, '{}', context(caller));
      await db.query(
        `insert into apono_connections (tenant_id, object_id, method, key_id, secret) values ($1, $2, $3, $4, $5)
         on conflict (tenant_id, object_id) do update set method = excluded.method, apono_user_id = null, apono_name = null,
           apono_email = null, key_id = excluded.key_id, secret = excluded.secret, updated_at = now()`,
        [caller.tenantId, caller.objectId, DISCONNECTED, sealed.keyId, sealed.secret],
      );
      forget(caller);
    },

    remove: (caller: Who) => remove(db, caller),
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
