import { describe, expect, it } from 'vitest';
import { isSameAccount, parseAccountMappings } from './account-match.js';

describe('isSameAccount', () => {
  it('matches the Apono email with any of the Teams names, ignoring case and spaces', () => {
    expect(isSameAccount(['AdeleV@Contoso.com'], ' adelev@contoso.com ')).toBe(true);
    expect(isSameAccount(['adele@contoso.onmicrosoft.com', 'adelev@contoso.com'], 'adelev@contoso.com')).toBe(
      true,
    );
  });

  it('refuses another person, an empty Apono email and no Teams names', () => {
    expect(isSameAccount(['adelev@contoso.com'], 'alexw@contoso.com')).toBe(false);
    expect(isSameAccount(['adelev@contoso.com'], '')).toBe(false);
    expect(isSameAccount(['adelev@contoso.com'], null)).toBe(false);
    expect(isSameAccount([], 'adelev@contoso.com')).toBe(false);
    expect(isSameAccount([''], '')).toBe(false);
  });

  it('never matches a part of an address', () => {
    expect(isSameAccount(['adelev@contoso.com'], 'adelev@contoso.com.evil.io')).toBe(false);
    expect(isSameAccount(['xadelev@contoso.com'], 'adelev@contoso.com')).toBe(false);
  });

  it('follows an admin mapping of one person, or of a whole domain keeping the local part', () => {
    const mappings = parseAccountMappings(
      '@contoso.onmicrosoft.com=@contoso.com, adele@fabrikam.com=adele.vance@contoso.com',
    );
    expect(isSameAccount(['alexw@contoso.onmicrosoft.com'], 'alexw@contoso.com', mappings)).toBe(true);
    expect(isSameAccount(['alexw@contoso.onmicrosoft.com'], 'adelev@contoso.com', mappings)).toBe(false);
    expect(isSameAccount(['adele@fabrikam.com'], 'adele.vance@contoso.com', mappings)).toBe(true);
    expect(isSameAccount(['alex@fabrikam.com'], 'adele.vance@contoso.com', mappings)).toBe(false);
    // A domain pair maps only that exact domain, not one that ends with it.
    expect(isSameAccount(['alexw@evilcontoso.onmicrosoft.com'], 'alexw@contoso.com', mappings)).toBe(false);
  });
});

describe('parseAccountMappings', () => {
  it('reads pairs, skipping empty entries', () => {
    expect(parseAccountMappings(' @A.io=@b.io ,, x@a.io=y@b.io ')).toEqual([
      { teams: '@a.io', apono: '@b.io' },
      { teams: 'x@a.io', apono: 'y@b.io' },
    ]);
    expect(parseAccountMappings('')).toEqual([]);
  });

  it('names the first pair it cannot read', () => {
    for (const bad of ['a@x.io', '@x.io=b@y.io', 'a@x.io=@y.io', 'a=b', '@x=@y=@z', 'a b@x.io=c@y.io'])
      expect(() => parseAccountMappings(bad)).toThrow(`"${bad}" is not a pair`);
  });
});
