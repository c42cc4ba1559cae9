// AES-256-GCM for credentials at rest. Each ciphertext records the ID of the key that sealed it, so
// keys can rotate: new writes use the current key, old rows still open with the key they name.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Keyring {
  currentId: string;
  keys: Map<string, Buffer>;
}

export function keyringFrom(current: { id: string; base64: string }, old: string | undefined): Keyring {
  const keys = new Map<string, Buffer>([[current.id, Buffer.from(current.base64, 'base64')]]);
  for (const entry of (old ?? '').split(',').filter(Boolean)) {
    const [id, b64] = entry.split(':');
    if (id && b64) keys.set(id.trim(), Buffer.from(b64.trim(), 'base64'));
  }
  for (const [id, key] of keys)
    if (key.length !== 32) throw new Error(`Encryption key ${id} is not 32 bytes`);
  return { currentId: current.id, keys };
}

/** `context` (the owner's tenant and object ID) is bound into the tag: a row copied to another user does not open. */
export function seal(
  keyring: Keyring,
  plaintext: string,
  context: string,
): { keyId: string; secret: string } {
  const key = keyring.keys.get(keyring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId: keyring.currentId,
    secret: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
  };
}

export function open(keyring: Keyring, sealed: { keyId: string; secret: string }, context: string): string {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new Error(`No encryption key with ID ${sealed.keyId}; add it to TOKEN_ENCRYPTION_OLD_KEYS`);
  const raw = Buffer.from(sealed.secret, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
