import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFrom, open, seal } from './secret-box.js';

const key = () => randomBytes(32).toString('base64');

describe('credentials at rest', () => {
  it('round-trips, never stores the plaintext, and binds the owner', () => {
    const ring = keyringFrom({ id: 'k1', base64: key() }, undefined);
    const sealed = seal(ring, 'apono-personal-token-123', 'tenant/alex');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.secret, 'base64').toString('latin1')).not.toContain('apono-personal-token');
    expect(open(ring, sealed, 'tenant/alex')).toBe('apono-personal-token-123');
    expect(() => open(ring, sealed, 'tenant/adele')).toThrow();
  });

  it('opens rows sealed with an old key after rotation, and seals new ones with the new key', () => {
    const oldKey = key();
    const before = seal(keyringFrom({ id: 'k1', base64: oldKey }, undefined), 'secret', 'ctx');
    const rotated = keyringFrom({ id: 'k2', base64: key() }, `k1:${oldKey}`);
    expect(open(rotated, before, 'ctx')).toBe('secret');
    expect(seal(rotated, 'secret', 'ctx').keyId).toBe('k2');
  });

  it('refuses a tampered ciphertext and a key of the wrong size', () => {
    const ring = keyringFrom({ id: 'k1', base64: key() }, undefined);
    const sealed = seal(ring, 'secret', 'ctx');
    const raw = Buffer.from(sealed.secret, 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => open(ring, { ...sealed, secret: raw.toString('base64') }, 'ctx')).toThrow();
    expect(() => keyringFrom({ id: 'k1', base64: Buffer.alloc(16).toString('base64') }, undefined)).toThrow(
      /32 bytes/,
    );
  });
});
