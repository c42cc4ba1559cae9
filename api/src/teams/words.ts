// What a card says, in its reader's language: the Bot Framework activity's `locale` for the person
// acting, the stored locale of a recipient for proactive cards, DEFAULT_LOCALE for a channel copy
// many people read. Catalogues are domain/locales/<language>.json, all read once at start.
import { createTranslator } from '@apono-teams/domain/i18n.js';
import { formatters, isRtl, languageOf, type Formatters, type Language } from '@apono-teams/domain/locale.js';
import { renderMessage, type Message } from '@apono-teams/domain/message.js';
import { readCatalogues } from '@apono-teams/domain/read-catalogues.js';
import type { TFunction } from 'i18next';

const i18n = createTranslator(readCatalogues());

export interface Words {
  language: Language;
  /** The BCP 47 tag the cards format with (formatLocale: the reader's tag when its language ships). */
  locale: string;
  timeZone: string;
  /** Adaptive Cards 1.5 `rtl`: true for Arabic (and any right-to-left tag, even unshipped). */
  rtl: boolean;
  t: TFunction;
  f: Formatters;
  say: (m: Message) => string;
}

/** Words for a reader with this BCP 47 tag and IANA zone; unknown tags fall back to English, zones to UTC. */
export function wordsFor(tag?: string | null, timeZone?: string | null): Words {
  const language = languageOf(tag);
  const t = i18n.getFixedT(language);
  const f = formatters(tag, timeZone);
  return {
    language,
    locale: f.locale,
    timeZone: f.timeZone,
    rtl: isRtl(tag),
    t,
    f,
    say: (m) => renderMessage(m, t, f),
  };
}

export const englishWords = (): Words => wordsFor('en');
