import { describe, expect, it } from 'vitest';
import { hasUnstorableCharacter, jsonProblem } from './storable-text.js';

describe('text the app can store', () => {
  it('refuses a NUL and half an emoji, and takes whole emoji, tabs and other scripts', () => {
    expect(hasUnstorableCharacter('a\u0000b')).toBe(true);
    expect(hasUnstorableCharacter('cut \ud83d')).toBe(true);
    expect(hasUnstorableCharacter('\ude00 alone')).toBe(true);
    expect(hasUnstorableCharacter('ok 😀\tשלום\n日本')).toBe(false);
  });
});

describe('parsed JSON the app can keep', () => {
  it('finds nesting deeper than the limit without overflowing its own stack', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as unknown;
    expect(jsonProblem(deep)).toBe('too_deep');
    expect(jsonProblem({ a: [[{ b: 1 }]] }, 4)).toBeNull();
    expect(jsonProblem({ a: [[{ b: 1 }]] }, 3)).toBe('too_deep');
  });

  it('finds an unstorable character in a value or a key, at any depth', () => {
    expect(jsonProblem({ data: { approvals: [{ name: 'x\u0000' }] } })).toBe('unstorable');
    expect(jsonProblem({ ['k\ud800']: 1 })).toBe('unstorable');
    expect(jsonProblem({ data: { friendly_id: 'AR-1001', n: 3, ok: true, none: null } })).toBeNull();
  });
});
