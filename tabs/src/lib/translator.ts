// The catalogues read as domain/i18n.ts sets up i18next for the API, without i18next and
// react-i18next in the tab's first load (about 17 KB gzip of the first 200, issue 11, 5): what the
// tab's words use of them, and no more. A key is "namespace:path.to.key" (the fixed namespace when
// it has none); with a numeric `count`, `key_zero` for 0, then `key_<Intl.PluralRules category>`,
// then `key`, in the reader's language and then in English; `{{name}}` takes the parameter and
// `{{name, number}}` writes it with Intl.NumberFormat in `locale` (else the language). A parameter
// is never read again as syntax (i18next's skipOnVariables), one not given stays as written, and
// a key found nowhere answers itself. translator.test.ts holds this to i18next over every key of
// every catalogue.
import type { Catalogue } from '@apono-teams/domain/i18n.js';
import { DEFAULT_LANGUAGE, type Language } from '@apono-teams/domain/locale.js';
import type { Translate } from '@apono-teams/domain/message.js';

type Tree = { readonly [key: string]: unknown };

const plurals = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();
const cached = <T>(map: Map<string, T>, key: string, make: () => T): T => {
  let held = map.get(key);
  if (!held) map.set(key, (held = make()));
  return held;
};

function lookUp(tree: Tree | undefined, path: string): string | undefined {
  let at: unknown = tree;
  for (const part of path.split('.')) at = (at as Tree | undefined)?.[part];
  return typeof at === 'string' ? at : undefined;
}

function interpolate(text: string, params: Readonly<Record<string, unknown>>, language: string): string {
  return text.replace(/\{\{(.+?)\}\}/g, (written, inner: string) => {
    const [rawName = '', ...format] = inner.replace(/^-/, '').split(',');
    const name = rawName.trim();
    const value = params[name];
    if (format.join(',').trim() === 'number') {
      const locale = typeof params.locale === 'string' && params.locale ? params.locale : language;
      return cached(numbers, locale, () => new Intl.NumberFormat(locale)).format(value as number);
    }
    if (value === undefined) return Object.hasOwn(params, name) ? '' : written;
    return value === null ? '' : String(value);
  });
}

export class Translator {
  private readonly held = new Map<string, Tree>();
  private readonly listeners = new Set<() => void>();
  language: Language = DEFAULT_LANGUAGE;
  /** Counts the changes of language, asked for again in the same one included (fr-FR to fr-CA). */
  revision = 0;

  /** Adds (over what is held) one namespace of a language's catalogue. */
  addResourceBundle(language: Language, namespace: string, words: Catalogue[string]): void {
    this.held.set(`${language}/${namespace}`, words as Tree);
  }

  hasResourceBundle(language: Language, namespace: string): boolean {
    return this.held.has(`${language}/${namespace}`);
  }

  /** Reads `language` from now on; whoever subscribed hears of it, even if it is the same one. */
  changeLanguage(language: Language): void {
    this.language = language;
    this.revision++;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A `t` in `language` (null: the language read when it is called), keys without one in `namespace`. */
  getFixedT(language: Language | null, namespace: string): Translate {
    return (key, params = {}) => {
      const lng = language ?? this.language;
      const split = key.indexOf(':');
      const ns = split >= 0 ? key.slice(0, split) : namespace;
      const path = split >= 0 ? key.slice(split + 1) : key;
      const { count } = params;
      const plural = count !== undefined && typeof count !== 'string';
      for (const code of lng === DEFAULT_LANGUAGE ? [lng] : [lng, DEFAULT_LANGUAGE]) {
        const tree = this.held.get(`${code}/${ns}`);
        const paths = [path];
        if (plural) {
          const rules = cached(plurals, code, () => new Intl.PluralRules(code));
          paths.unshift(`${path}_${rules.select(count as number)}`);
          if (count === 0) paths.unshift(`${path}_zero`);
        }
        for (const candidate of paths) {
          const found = lookUp(tree, candidate);
          if (found !== undefined) return interpolate(found, params, lng);
        }
      }
      return interpolate(path, params, lng);
    };
  }
}
