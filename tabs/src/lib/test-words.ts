// The tab's words outside React, for unit tests: the same catalogues and i18next set-up the tab uses.
import { createTranslator } from '@apono-teams/domain/i18n.js';
import { formatters, type Language } from '@apono-teams/domain/locale.js';
import ar from '@apono-teams/domain/locales/ar.json';
import de from '@apono-teams/domain/locales/de.json';
import en from '@apono-teams/domain/locales/en.json';
import { renderMessage, type Message, type Translate } from '@apono-teams/domain/message.js';

export function testWords(language: Language, timeZone = 'UTC') {
  const i18n = createTranslator({ en, de, ar }, language);
  const f = formatters(language, timeZone);
  const tab = i18n.getFixedT(language, 'tab');
  const t: Translate = (key, params) => tab(key, { locale: f.locale, ...params });
  const common = i18n.getFixedT(language, 'common');
  return { t, f, say: (m: Message) => renderMessage(m, common, f), dateTime: f.dateTime };
}
