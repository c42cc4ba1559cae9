import { createTranslator } from '@apono-teams/domain/i18n.js';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import { describe, expect, it } from 'vitest';
import { isOAuthMessage, messageFor, openerOf, outcomeFrom } from './outcome.js';

const i18n = createTranslator(readCatalogues());
const words = (language: 'en' | 'de' | 'ar') => i18n.getFixedT(language, 'tab');
const english = words('en');

describe('the sign-in outcome in /auth-end', () => {
  it('reads success and failure from the address', () => {
    const ok = outcomeFrom('?status=ok&who=Alex+Wilber&title=Connected&message=Connected+as+Alex', english);
    expect(ok).toEqual({
      ok: true,
      title: 'Connected',
      message: 'Connected to Apono as Alex Wilber. You can close this window.',
    });
    expect(messageFor(ok)).toEqual({ type: 'apono-oauth', ok: true });
    const denied = outcomeFrom(
      '?status=error&reason=access_denied&title=Cancelled&message=Try+again',
      english,
    );
    expect(messageFor(denied)).toEqual({ type: 'apono-oauth', ok: false, error: 'access_denied' });
  });

  it('says a known outcome in the reader’s words, with the case’s parts as text, not the address’s English', () => {
    const de = words('de');
    expect(outcomeFrom('?status=ok&who=Alex+Wilber&title=Connected', de)).toMatchObject({
      title: 'Verbunden',
      message: 'Mit Apono verbunden als Alex Wilber. Sie können dieses Fenster schließen.',
    });
    const denied = outcomeFrom('?status=error&reason=access_denied&title=Sign-in+was+cancelled', de);
    expect(denied.title).toBe('Die Anmeldung wurde abgebrochen');
    expect(denied.message).toMatch(/^Sie haben dieser App nicht erlaubt/);
    const hostile = '{{who}} <b>$t(tab.shell.title)</b>';
    const failed = outcomeFrom(
      `?${new URLSearchParams({ status: 'error', reason: 'authorize_failed', detail: hostile })}`,
      words('ar'),
    );
    expect(failed.title).toBe('تعذّر على Apono تسجيل دخولك');
    expect(failed.message).toContain(`«${hostile}»`);
    const mismatch = outcomeFrom(
      '?status=error&reason=apono_account_mismatch&account=alexw%40example.com',
      de,
    );
    expect(mismatch.message).toContain('Dieses Apono-Konto (alexw@example.com) gehört jemand anderem');
    // A code this page does not know: the address's English, as the server wrote it.
    const newer = outcomeFrom('?status=error&reason=brand_new&title=New+title&message=New+text', de);
    expect(newer).toMatchObject({ reason: 'brand_new', title: 'New title', message: 'New text' });
  });

  it('passes on only a code as the reason, never free text, and clips long text', () => {
    expect(outcomeFrom('?status=error&reason=<b>hi</b>', english).reason).toBe('failed');
    expect(outcomeFrom('?status=error', english).reason).toBe('failed');
    expect(outcomeFrom(`?status=ok&who=${'x'.repeat(1000)}`, english).message).toHaveLength(300);
    expect(outcomeFrom(`?status=error&message=${'x'.repeat(1000)}`, english).message).toHaveLength(300);
    // Anything but status=ok is a failure, with sentences of its own when the address has none.
    const bare = outcomeFrom('', english);
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
