// The tab's language: Teams' context.app.locale (teams-js) inside Teams, the browser's language
// outside, `?locale=de-DE` over both for testing (like ?theme=). The English words the first screen
// reads are bundled (first-words.ts), the rest of English is fetched once that screen shows, and the
// other catalogues (domain/locales/<language>.json) are fetched with import() when a reader needs
// them, so the first load stays small. The time zone is the browser's: teams-js's context has none.
import { createTranslator, type Catalogue } from '@apono-teams/domain/i18n.js';
import {
  formatLocale,
  formatters,
  isRtl,
  languageOf,
  type Formatters,
  type Language,
} from '@apono-teams/domain/locale.js';
import { renderMessage, type Message, type Translate } from '@apono-teams/domain/message.js';
import firstScreenEnglish from 'virtual:en-first-screen';
import { useCallback, useMemo, useSyncExternalStore } from 'react';

const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Catalogue }>> = {
  de: () => import('@apono-teams/domain/locales/de.json'),
  fr: () => import('@apono-teams/domain/locales/fr.json'),
  ja: () => import('@apono-teams/domain/locales/ja.json'),
  ar: () => import('@apono-teams/domain/locales/ar.json'),
};

/**
 * i18next, set up as for the API (domain/src/i18n.ts), without react-i18next: the few lines below
 * tell React when the language changed, which is all the tab used of it (~3 KB gzip less).
 */
export const i18n = createTranslator({ en: firstScreenEnglish });

let restOfEnglish: Promise<void> | undefined;
const loadRestOfEnglish = () =>
  (restOfEnglish ??= import('virtual:en-rest').then(
    ({ default: rest }) => {
      // A deep merge: the groups split in two (details) get their other keys.
      for (const [namespace, words] of Object.entries(rest))
        i18n.addResourceBundle('en', namespace, words, true, true);
    },
    (error: unknown) => {
      restOfEnglish = undefined; // tried again by the next caller
      throw error;
    },
  ));

/**
 * `loading` once the rest of English is there too. Code loaded after the first screen (its lazy
 * components) comes through here, so it never renders a word the first part lacks; English is
 * also every other language's fallback.
 */
export function withAllWords<T>(loading: Promise<T>): Promise<T> {
  return Promise.all([loading, loadRestOfEnglish()]).then(([loaded]) => loaded);
}
let revision = 0;
const listeners = new Set<() => void>();
i18n.on('languageChanged', () => {
  revision++;
  for (const listener of listeners) listener();
});
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

let reader = { tag: 'en', timeZone: browserZone() };
let latest = 0;

/**
 * Read in this BCP 47 tag from now on: loads its catalogue, then switches the words, <html lang>
 * and <html dir>. The last call wins even if an earlier catalogue arrives later.
 */
export async function setLocale(tag: string | null | undefined): Promise<void> {
  const mine = ++latest;
  const language = languageOf(tag);
  if (language !== 'en' && !i18n.hasResourceBundle(language, 'tab')) {
    const catalogue = (await loaders[language]()).default;
    // The cards' namespace stays with the API.
    for (const namespace of ['common', 'tab'])
      i18n.addResourceBundle(language, namespace, catalogue[namespace] ?? {});
  }
  if (mine !== latest) return;
  reader = { tag: tag || 'en', timeZone: browserZone() };
  document.documentElement.lang = formatLocale(tag);
  document.documentElement.dir = isRtl(tag) ? 'rtl' : 'ltr';
  await i18n.changeLanguage(language);
}

/** The tag asked for outside Teams: `?locale=` first, then the browser's own languages. */
export const browserLocale = (): string => navigator.languages?.[0] ?? navigator.language ?? 'en';

export interface Words {
  /** The tab's words (namespace "tab"); "common:…" reaches the shared ones. */
  t: Translate;
  /** Dates, durations, ages and counts in the reader's locale and time zone. */
  f: Formatters;
  /** A domain message (why you approve, a risk hint) in words. */
  say: (m: Message) => string;
  dir: 'ltr' | 'rtl';
}

/** The reader's words and formatters; re-renders when the language changes. */
export function useWords(): Words {
  const changes = useSyncExternalStore(subscribe, () => revision);
  const { language } = i18n;
  // The formatters follow the reader's tag (fr-CA dates), the words its language.
  const { tag, timeZone } = reader;
  const f = useMemo(() => formatters(tag, timeZone), [tag, timeZone, changes]);
  const translate = useMemo(() => i18n.getFixedT(language, 'tab'), [language]);
  const common = useMemo(() => i18n.getFixedT(language, 'common'), [language]);
  // `locale`: i18next's {{n, number}} then writes the reader's digits (ar-SA's, not ar's).
  const t = useCallback<Translate>(
    (key, params) => translate(key, { locale: f.locale, ...params }),
    [translate, f],
  );
  const say = useCallback((m: Message) => renderMessage(m, common, f), [common, f]);
  return { t, f, say, dir: isRtl(tag) ? 'rtl' : 'ltr' };
}
