// Every catalogue holds exactly the keys English has, with the plural forms its own language needs
// (Intl.PluralRules' categories, the suffixes i18next selects), and the same interpolation
// variables: a missing or misspelt key fails here, not in front of a German or Arabic reader.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from './locale.js';
import { NAMESPACES } from './i18n.js';

const catalogue = (language: Language): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../locales/${language}.json`, import.meta.url), 'utf8'));

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') return out.set(prefix, value);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${prefix}: a catalogue entry is a string or an object of them`);
  for (const [key, inner] of Object.entries(value))
    for (const [k, v] of flatten(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The keys a language must have: English's, with each plural group in that language's forms. */
function expectedKeys(english: Map<string, string>, language: Language): Map<string, string> {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const expected = new Map<string, string>();
  for (const [key, text] of english) {
    const base = key.replace(PLURAL, '');
    const plural = base !== key && english.has(`${base}_other`);
    if (!plural) expected.set(key, text);
    else for (const form of categories) expected.set(`${base}_${form}`, english.get(`${base}_other`)!);
  }
  return expected;
}

const variables = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)/g)]
    .map((m) => m[1] ?? '')
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();

const english = flatten(catalogue('en'));

describe('the catalogues', () => {
  it('hold their namespaces as top-level keys, English the source', () => {
    expect(Object.keys(catalogue('en')).sort()).toEqual([...NAMESPACES].sort());
    expect(expectedKeys(english, 'en').size).toBe(english.size);
  });

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language}: every key English has, in ${language}'s plural forms, and nothing else`, () => {
      const keys = flatten(catalogue(language));
      const expected = expectedKeys(english, language);
      expect(
        [...expected.keys()].filter((k) => !keys.has(k)),
        'missing',
      ).toEqual([]);
      expect(
        [...keys.keys()].filter((k) => !expected.has(k)),
        'extra',
      ).toEqual([]);
    });

    it(`${language}: the same interpolation variables as English`, () => {
      const keys = flatten(catalogue(language));
      const differing = [...expectedKeys(english, language)].flatMap(([key, source]) => {
        const text = keys.get(key);
        if (text === undefined) return [];
        // A plural form may leave the number out ("طلب واحد", one request); every other variable stays.
        const skipCount = PLURAL.test(key) ? (v: string) => v !== 'count' : () => true;
        const mine = variables(text).filter(skipCount);
        const theirs = variables(source).filter(skipCount);
        return mine.join() === theirs.join() ? [] : [`${key}: ${mine.join()} ≠ ${theirs.join()}`];
      });
      expect(differing).toEqual([]);
      // No sentence left untranslated by accident: a copy of English may be right for a name, rarely for more.
      const copied = [...keys]
        .filter(([k, v]) => /\s\w+\s\w+\s/.test(v) && v === english.get(k))
        .map(([k]) => k);
      expect(copied).toEqual([]);
    });
  }
});
