// One i18next set-up for the tab and the API: the catalogues are domain/locales/<language>.json,
// each holding its namespaces as top-level keys (the per-language shape i18next resources take).
// The caller supplies the catalogues (the API reads all of them; the tab bundles English and
// imports the others when a reader needs them), so this module does no I/O.
import { createInstance, type i18n, type InitOptions, type ResourceLanguage } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './locale.js';

export const NAMESPACES = ['common', 'tab', 'cards'] as const;
export type Catalogue = ResourceLanguage;

export const i18nOptions: InitOptions = {
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  ns: [...NAMESPACES],
  defaultNS: 'common',
  // React escapes what it renders and the cards escape every sentence (card-text.ts); i18next's
  // own HTML escaping would show "&amp;" in both. skipOnVariables keeps a name Apono sent, such as
  // "{{x}}" or "$t(…)", from being read as i18next syntax (its default, stated because it matters).
  interpolation: { escapeValue: false, skipOnVariables: true },
  returnNull: false,
  // Resources are given up front, so t() works as soon as init returns.
  initAsync: false,
};

/** A ready i18next instance over the given catalogues, reading `language`. */
export function createTranslator(
  catalogues: Partial<Record<Language, Catalogue>>,
  language: Language = DEFAULT_LANGUAGE,
): i18n {
  const instance = createInstance();
  void instance.init({ ...i18nOptions, lng: language, resources: catalogues });
  return instance;
}
