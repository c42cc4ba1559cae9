// The tab's own reading of the catalogues says every sentence as i18next does with the API's
// set-up (domain/i18n.ts): every key of the tab's namespaces in every language, with each of its
// parameters, counts for every plural category, the reader's digits, and the edge cases a name
// from Apono can bring ("{{x}}" or "$t(…)" in it, a parameter missing or null).
import { createTranslator, type Catalogue } from '@apono-teams/domain/i18n.js';
import { LANGUAGES, type Language } from '@apono-teams/domain/locale.js';
import ar from '@apono-teams/domain/locales/ar.json';
import de from '@apono-teams/domain/locales/de.json';
import en from '@apono-teams/domain/locales/en.json';
import fr from '@apono-teams/domain/locales/fr.json';
import ja from '@apono-teams/domain/locales/ja.json';
import { describe, expect, it } from 'vitest';
import { Translator } from './translator.js';

const catalogues: Record<Language, Catalogue> = { en, de, fr, ja, ar };
const namespaces = ['common', 'tab'] as const;
const counts = [0, 1, 2, 3, 5, 11, 21, 100, 101, 1.5, 1234567];
const locales = [undefined, 'en-US', 'de-DE', 'fr-CA', 'ar-SA', 'ja-JP'];

/** Every key of a namespace, plural suffixes taken off, with the parameters its sentences name. */
function keysOf(tree: Record<string, unknown>, prefix = '', into = new Map<string, Set<string>>()) {
  for (const [name, value] of Object.entries(tree)) {
    const path = `${prefix}${name}`;
    if (typeof value === 'object' && value) keysOf(value as Record<string, unknown>, `${path}.`, into);
    else {
      const key = path.replace(/_(zero|one|two|few|many|other)$/, '');
      const params = into.get(key) ?? new Set<string>();
      for (const m of String(value).matchAll(/\{\{(.+?)\}\}/g))
        params.add(m[1]!.replace(/^-/, '').split(',')[0]!.trim());
      into.set(key, params);
    }
  }
  return into;
}

function both(language: Language) {
  const reference = createTranslator(catalogues, language);
  const ours = new Translator();
  for (const lng of LANGUAGES)
    for (const ns of namespaces) ours.addResourceBundle(lng, ns, catalogues[lng][ns] ?? {});
  ours.changeLanguage(language);
  return {
    theirs: (ns: string) => reference.getFixedT(language, ns),
    ours: (ns: string) => ours.getFixedT(null, ns),
  };
}

describe('the tab reads the catalogues as i18next does', () => {
  for (const language of LANGUAGES) {
    it(`in ${language}: every key of common and tab, every parameter and plural category`, () => {
      const { theirs, ours } = both(language);
      let compared = 0;
      for (const ns of namespaces) {
        const t = ours(ns);
        const reference = theirs(ns);
        for (const [key, names] of keysOf(catalogues.en[ns] as Record<string, unknown>)) {
          const named = Object.fromEntries([...names].map((n) => [n, `‹${n}›`]));
          for (const locale of locales) {
            const params = { ...named, ...(locale ? { locale } : {}) };
            const cases = names.has('count') ? counts.map((count) => ({ ...params, count })) : [params];
            if (names.has('n')) cases.push(...counts.map((n) => ({ ...params, n })));
            for (const p of cases) {
              expect(t(key, p), `${ns}:${key} ${JSON.stringify(p)}`).toBe(reference(key, p));
              compared++;
            }
          }
          expect(t(`${ns}:${key}`, named)).toBe(theirs('common')(`${ns}:${key}`, named));
        }
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }

  it('keeps syntax inside a parameter as text, and says a missing key or parameter as i18next does', () => {
    for (const language of ['en', 'de', 'ar'] as const) {
      const { theirs, ours } = both(language);
      const t = ours('tab');
      const reference = theirs('tab');
      const cases: [string, Record<string, unknown>?][] = [
        ['card.select', { id: '{{id}} $t(tab:page.heading)' }],
        ['card.select', { id: null }],
        ['card.select', { id: undefined }],
        ['card.select', {}],
        ['card.select'],
        ['page.pendingCount', {}],
        ['page.pendingCount', { count: '3' }],
        ['no.such.key', { count: 2 }],
        ['common:no.such.key {{x}}', { x: 'y' }],
        ['cards:anything'],
        // (A key naming a group, such as 'page', answers itself here, as i18next's next major does.)
      ];
      for (const [key, params] of cases)
        expect(t(key, params), `${language} ${key} ${JSON.stringify(params)}`).toBe(reference(key, params));
    }
  });

  it('tells whoever listens when the language changes, and reads the new one at once', () => {
    const words = new Translator();
    words.addResourceBundle('en', 'tab', en.tab);
    words.addResourceBundle('de', 'tab', de.tab);
    const t = words.getFixedT(null, 'tab');
    let heard = 0;
    const stop = words.subscribe(() => heard++);
    words.changeLanguage('de');
    expect(t('page.heading')).toBe(de.tab.page.heading);
    words.changeLanguage('de');
    stop();
    words.changeLanguage('en');
    expect(heard).toBe(2); // fr-FR then fr-CA: the same words, other dates
    expect(t('page.heading')).toBe(en.tab.page.heading);
  });
});
