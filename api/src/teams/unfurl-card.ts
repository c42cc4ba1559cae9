// Link unfurling renders Adaptive Cards of version 1.3 and earlier only (Microsoft Learn, "Link
// unfurling", Note), and Universal Actions (Action.Execute, refresh) start at 1.4. An unfurled request
// is therefore the read-only card at version 1.3, with links to decide it in the Approvals tab or in
// Apono instead of buttons that Teams would not draw there.
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { approvalsDeepLink, type CardLinks } from './request-card.js';
import { englishWords, type Words } from './words.js';

type Node = Record<string, unknown>;

/**
 * Properties added after 1.3 that a 1.3 host ignores at best. `rtl` among them: it is Adaptive Cards
 * 1.5 and unfurls draw 1.3 at most, so an Arabic unfurl has Arabic words (DEFAULT_LOCALE) laid out
 * left to right, a documented limitation (README, Languages); the shared and sent cards keep it.
 */
const NEWER_PROPERTIES = ['refresh', 'authentication', 'rtl', 'isEnabled', 'mode', 'metadata'];
const NEWER_ELEMENTS = new Set(['Action.Execute', 'Table', 'Carousel']);

function downgrade(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node
      .filter((child) => {
        const type = (child as Node | null)?.type;
        return !(typeof type === 'string' && (NEWER_ELEMENTS.has(type) || type.startsWith('Input.')));
      })
      .map(downgrade)
      .filter((child) => {
        const c = child as Node | null;
        // An ActionSet whose buttons were all Universal Actions is left empty: drop it.
        return !(c?.type === 'ActionSet' && Array.isArray(c.actions) && c.actions.length === 0);
      });
  }
  if (!node || typeof node !== 'object') return node;
  const out: Node = {};
  for (const [key, value] of Object.entries(node as Node)) {
    if (NEWER_PROPERTIES.includes(key)) continue;
    // The "heading" style is 1.5: a bold, larger TextBlock says the same at 1.3.
    if (key === 'style' && value === 'heading' && (node as Node).type === 'TextBlock') {
      out.weight = 'Bolder';
      out.size = 'Medium';
      continue;
    }
    out[key] = downgrade(value);
  }
  return out;
}

export function forUnfurl(
  card: IAdaptiveCard,
  links: CardLinks,
  requestId: string,
  w: Words = englishWords(),
): IAdaptiveCard {
  const plain = downgrade(card) as IAdaptiveCard & { actions?: Node[] };
  const tab = approvalsDeepLink(links, requestId);
  const actions = (plain.actions ?? []).filter((a) => a.type === 'Action.OpenUrl');
  if (tab) actions.unshift({ type: 'Action.OpenUrl', title: w.t('decideInApprovals'), url: tab });
  return { ...plain, version: '1.3', actions } as IAdaptiveCard;
}
