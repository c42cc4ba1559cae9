// The English words bundled with the first screen (pending list, cards, filters, view tabs, shell,
// their loading, empty and error states), as namespace paths of domain/locales/en.json: whole
// groups, or one key of a group the first screen reads a single word of. The rest of the catalogue
// is a chunk of its own (vite.config.ts builds both parts), merged in before any code loaded later
// renders (i18n.ts, withAllWords). first-words.test.ts checks the sources' keys against this list.
import type { Catalogue } from '@apono-teams/domain/i18n.js';

export const firstScreenWords: Record<'common' | 'tab', readonly string[]> = {
  // The list's risk hints and "why you" (approver, why, risk), status badges, and the errors the
  // server sends for any request (errors, errorCase). Not the decisions' refusals, nor the reason rule.
  common: ['appName', 'noEndDate', 'approver', 'why', 'risk', 'status', 'errors', 'errorCase'],
  tab: [
    'app',
    'errors',
    'signInFailure',
    'shell',
    'tryAgain',
    'decide',
    'request',
    'cannotDecide',
    'progress',
    'risk',
    'card',
    'filters',
    'details.integration',
    'page',
  ],
};

type Tree = Record<string, unknown>;

/** `catalogue` cut in two: the first screen's paths, and everything else (same keys, same words). */
export function splitCatalogue(catalogue: Catalogue, first = firstScreenWords): [Catalogue, Catalogue] {
  const firstPart: Tree = {};
  const rest: Tree = {};
  for (const namespace of Object.keys(first)) rest[namespace] = structuredClone(catalogue[namespace] ?? {});
  for (const [namespace, paths] of Object.entries(first)) {
    for (const path of paths) {
      const parts = path.split('.');
      const last = parts.pop()!;
      let from = rest[namespace] as Tree | undefined;
      let to = (firstPart[namespace] ??= {}) as Tree;
      for (const part of parts) {
        from = from?.[part] as Tree | undefined;
        to = (to[part] ??= {}) as Tree;
      }
      if (from?.[last] === undefined) throw new Error(`en.json has no ${namespace}.${path}`);
      to[last] = from[last];
      delete from[last];
    }
  }
  return [firstPart as Catalogue, rest as Catalogue];
}
