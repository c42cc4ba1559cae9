// What a card says, in its reader's language: the Bot Framework activity's `locale` for the person
// acting, the stored locale of a recipient for proactive cards, DEFAULT_LOCALE for a channel copy
// many people read. Catalogues are domain/locales/<language>.json, all read once at start.
import { createTranslator } from '@apono-teams/domain/i18n.js';
import { formatters, isRtl, languageOf, type Formatters, type Language } from '@apono-teams/domain/locale.js';
import { renderMessage, type Message, type Translate } from '@apono-teams/domain/message.js';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import { readerDefaults } from '../config.js';

const i18n = createTranslator(readCatalogues());

export interface Words {
  language: Language;
  /** The BCP 47 tag the cards format with (formatLocale: the reader's tag when its language ships). */
  locale: string;
  timeZone: string;
  /** Adaptive Cards 1.5 `rtl`: true for Arabic (and any right-to-left tag, even unshipped). */
  rtl: boolean;
  /** The cards' words (namespace "cards"); "common:…" reaches the shared ones. */
  t: Translate;
  f: Formatters;
  say: (m: Message) => string;
}

/** Words for a reader with this BCP 47 tag and IANA zone; unknown tags fall back to English, zones to UTC. */
export function wordsFor(tag?: string | null, timeZone?: string | null): Words {
  const language = languageOf(tag);
  const fixed = i18n.getFixedT(language, 'cards');
  const f = formatters(tag, timeZone);
  // `locale`: i18next's {{n, number}} writes the reader's digits (ar-SA's, not ar's).
  const t: Translate = (key, params) => fixed(key, { locale: f.locale, ...params });
  const common = i18n.getFixedT(language, 'common');
  return {
    language,
    locale: f.locale,
    timeZone: f.timeZone,
    rtl: isRtl(tag),
    t,
    f,
    say: (m) => renderMessage(m, common, f),
  };
}

const english = wordsFor('en');
/** English in UTC: the default of code that is not told whom it writes for (tests, logs). */
export const englishWords = (): Words => english;

/** DEFAULT_LOCALE in DEFAULT_TIME_ZONE: a channel copy many people read, or someone not met yet. */
export const defaultWords = (): Words => {
  const { locale, timeZone } = readerDefaults();
  return wordsFor(locale, timeZone);
};

/**
 * The reader of an activity: Bot Framework's `locale` and `localTimezone` on the activity (Teams
 * sets both), else its clientInfo entity's `locale` and `timezone` (Bot Framework Activity schema).
 */
export function readerOf(activity: unknown): { locale: string | null; timeZone: string | null } {
  const a = (activity ?? {}) as {
    locale?: unknown;
    localTimezone?: unknown;
    entities?: Array<{ type?: unknown; locale?: unknown; timezone?: unknown }>;
  };
  const client = (a.entities ?? []).find((e) => e?.type === 'clientInfo');
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return {
    locale: text(a.locale) ?? text(client?.locale),
    timeZone: text(a.localTimezone) ?? text(client?.timezone),
  };
}

/** The words for the person who sent an activity, falling back to the defaults for what it omits. */
export function wordsOfActivity(activity: unknown): Words {
  const { locale, timeZone } = readerOf(activity);
  const defaults = readerDefaults();
  return wordsFor(locale ?? defaults.locale, timeZone ?? defaults.timeZone);
}
