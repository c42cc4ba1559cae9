import { describe, expect, it } from 'vitest';
import { isRequestId } from './request-id.js';

describe('request IDs from outside', () => {
  it('accepts Apono friendly IDs and UUIDs', () => {
    for (const id of ['AR-1042', '3f1c2a9e-6b7d-4e1f-9a0b-1c2d3e4f5a6b', 'a', 'req_1.2:3'])
      expect(isRequestId(id)).toBe(true);
  });

  it('refuses anything that could become another path, or is not an ID at all', () => {
    for (const id of [
      '.',
      '..',
      '.hidden',
      '-x',
      'AR-1/approve',
      'AR 1',
      '',
      'a'.repeat(101),
      '%2E',
      'AR-1?x=1',
      null,
      42,
    ]) {
      expect(isRequestId(id)).toBe(false);
    }
  });
});
