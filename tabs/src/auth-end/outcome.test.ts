import { describe, expect, it } from 'vitest';
import { isOAuthMessage, messageFor, openerOf, outcomeFrom } from './outcome.js';

describe('the sign-in outcome in /auth-end', () => {
  it('reads success and failure from the address', () => {
    const ok = outcomeFrom('?status=ok&title=Connected&message=Connected+to+Apono+as+Alex');
    expect(ok).toEqual({ ok: true, title: 'Connected', message: 'Connected to Apono as Alex' });
    expect(messageFor(ok)).toEqual({ type: 'apono-oauth', ok: true });
    const denied = outcomeFrom('?status=error&reason=access_denied&title=Cancelled&message=Try+again');
    expect(messageFor(denied)).toEqual({ type: 'apono-oauth', ok: false, error: 'access_denied' });
  });

  it('passes on only a code as the reason, never free text, and clips long text', () => {
    expect(outcomeFrom('?status=error&reason=<b>hi</b>').reason).toBe('failed');
    expect(outcomeFrom('?status=error').reason).toBe('failed');
    expect(outcomeFrom(`?status=ok&message=${'x'.repeat(1000)}`).message).toHaveLength(300);
    // Anything but status=ok is a failure, with sentences of its own when the address has none.
    const bare = outcomeFrom('');
    expect(bare.ok).toBe(false);
    expect(bare.message).toMatch(/choose Sign in with Apono again/);
  });

  it('knows the tab (same origin) from Teams (another origin) and from no opener', () => {
    const location = { origin: 'https://approvals.example' } as Location;
    expect(openerOf({ opener: null, location })).toBe('none');
    expect(openerOf({ opener: { location: { origin: 'https://approvals.example' } }, location })).toBe('tab');
    const crossOrigin = {
      get location(): Location {
        throw new DOMException('Blocked a frame', 'SecurityError');
      },
    };
    expect(openerOf({ opener: crossOrigin, location })).toBe('other');
  });

  it('recognises only its own message shape', () => {
    expect(isOAuthMessage({ type: 'apono-oauth', ok: true })).toBe(true);
    expect(isOAuthMessage({ type: 'apono-oauth' })).toBe(false);
    expect(isOAuthMessage('apono-oauth')).toBe(false);
  });
});
