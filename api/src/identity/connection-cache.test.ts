// A connection is decrypted once and reused for a few seconds, but never after it changed: a
// disconnected or replaced credential is not served from memory.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../store/db.js';
import { createConnectionStore } from './connections.js';
import { keyringFrom } from './secret-box.js';

const alex = { tenantId: 't1', objectId: 'alex' };
const credentialOf = (token: string) => ({
  method: 'token' as const,
  aponoUser: { id: 'u1', name: 'Alex Wilber', email: 'alexw@example.com' },
  credential: { accessToken: token },
});

let db: Db;
/** Reads of the connections table reach the database only through here, counted. */
let reads = 0;
let hold: Promise<void> | null = null;

beforeAll(async () => {
  db = await openDb({ pgliteDir: null });
});
afterAll(() => db.close());

function storeOverCountedDb() {
  const counted: Db = {
    ...db,
    query: async (sql, params) => {
      if (/^\s*select method/.test(sql)) {
        reads++;
        const rows = await db.query(sql, params);
        if (hold) await hold;
        return rows as never;
      }
      return db.query(sql, params);
    },
    transaction: (fn) => db.transaction(fn),
  };
  reads = 0;
  return createConnectionStore(
    counted,
    keyringFrom({ id: 'k1', base64: randomBytes(32).toString('base64') }, ''),
  );
}

describe('the decrypted Apono credential in memory', () => {
  it('is read from the database once for a burst of requests', async () => {
    const store = storeOverCountedDb();
    await store.save(alex, credentialOf('apono-token-1'));
    for (let i = 0; i < 5; i++) expect((await store.get(alex))?.credential.accessToken).toBe('apono-token-1');
    expect(reads).toBe(1);
  });

  it('is not served after the person disconnects, nor after the sandbox marks them disconnected', async () => {
    const store = storeOverCountedDb();
    await store.save(alex, credentialOf('apono-token-1'));
    await store.get(alex);
    await store.remove(alex);
    expect(await store.get(alex)).toBeNull();
    await store.save(alex, credentialOf('apono-token-2'));
    expect((await store.get(alex))?.credential.accessToken).toBe('apono-token-2');
    await store.markDisconnected(alex);
    expect(await store.get(alex)).toBeNull();
  });

  it('is the renewed one once a renewal under the row lock stored it', async () => {
    const store = storeOverCountedDb();
    await store.save(alex, credentialOf('old'));
    await store.get(alex);
    await store.locked(alex, (_current, tx) => tx.save(credentialOf('renewed')));
    expect((await store.get(alex))?.credential.accessToken).toBe('renewed');
  });

  it('is not remembered from a read that began before a disconnect and ended after it', async () => {
    const store = storeOverCountedDb();
    await store.save(alex, credentialOf('apono-token-1'));
    let release = () => undefined as void;
    hold = new Promise<void>((ok) => (release = ok));
    const slow = store.get(alex);
    await new Promise((r) => setTimeout(r, 20));
    hold = null;
    await store.remove(alex);
    release();
    expect((await slow)?.credential.accessToken).toBe('apono-token-1');
    expect(await store.get(alex)).toBeNull();
  });
});
