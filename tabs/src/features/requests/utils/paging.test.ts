import { describe, expect, it } from 'vitest';
import { pageOf } from './paging.js';

describe('paging the access units of a large request', () => {
  const units = Array.from({ length: 45 }, (_, i) => i + 1);

  it('shows 20 per page and says which ones', () => {
    expect(pageOf(units, 3, 20)).toMatchObject({
      items: [41, 42, 43, 44, 45],
      page: 3,
      pageCount: 3,
      first: 41,
      last: 45,
    });
  });

  it('keeps the page in range', () => {
    expect(pageOf(units, 9, 20).page).toBe(3);
    expect(pageOf([], 1, 20)).toMatchObject({ items: [], pageCount: 1, first: 0, last: 0 });
  });
});
