// The catalogues read from disk, for Node: the API's cards and the tests. (The tab bundles English
// and imports the others itself, so it never loads this file.)
import { readFileSync } from 'node:fs';
import { createTranslator, type Catalogue } from './i18n.js';
import { formatters, LANGUAGES, type Language } from './locale.js';
import { renderMessage, type Message } from './message.js';

export function readCatalogues(): Record<Language, Catalogue> {
  return Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      JSON.parse(readFileSync(new URL(`../locales/${language}.json`, import.meta.url), 'utf8')) as Catalogue,
    ]),
  ) as Record<Language, Catalogue>;
}

let english: ((m: Message) => string) | null = null;

/** A message in English, as the English tab and cards word it (tests compare with it). */
export function inEnglish(value: Message): string {
  if (!english) {
    const t = createTranslator({ en: readCatalogues().en }).getFixedT('en');
    const f = formatters('en', 'UTC');
    english = (m) => renderMessage(m, t, f);
  }
  return english(value);
}
