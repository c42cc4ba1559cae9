// The request card as one person sees it, with the approvers Teams should refresh into their own view.
// Shared by card actions, search, unfurling, chat and notifications so every path draws it alike.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { riskHints } from '@apono-teams/domain/risk.js';
import type { RiskSettings } from '@apono-teams/domain/risk-settings.js';
import { isWaiting } from '@apono-teams/domain/status.js';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { readerDefaults, riskSettings } from '../config.js';
import type { Caller } from '../identity/tokens.js';
import type { RequestService } from '../requests/service.js';
import { requestCard, type CardLinks, type RequestCardOptions } from './request-card.js';
import type { TeamsStore } from './store.js';
import { defaultWords, wordsFor } from './words.js';

export interface CardViewsOptions {
  store: TeamsStore;
  requests: RequestService;
  links: CardLinks;
  /** The risk hints' settings; those of the loaded configuration when not given. */
  risk?: RiskSettings;
}

const REMEMBERED = 1000;

export function createCardViews(options: CardViewsOptions) {
  const { store, links } = options;
  const risk = options.risk ?? riskSettings();
  // The last view each person saw of each request, so a card can be shown again, with the error and
  // the typed reason, when Apono cannot be read at that moment.
  const lastSeen = new Map<string, ApprovalRequest>();
  const key = (email: string, id: string) => `${email.toLowerCase()}|${id}`;
  function remember(request: ApprovalRequest): void {
    const k = key(request.viewer.email, request.id);
    lastSeen.delete(k);
    lastSeen.set(k, request);
    if (lastSeen.size > REMEMBERED) lastSeen.delete(lastSeen.keys().next().value!);
  }

  /** Remembers that this person may decide the request, so refresh shows them their buttons. */
  async function noteApprover(caller: Caller, request: ApprovalRequest): Promise<void> {
    if (isWaiting(request.state) && request.viewer.canDecide)
      await store.addApprover(request.id, caller.tenantId, caller.objectId);
  }

  async function render(
    request: ApprovalRequest,
    extra: Omit<RequestCardOptions, 'links' | 'approverMris' | 'risk'>,
  ): Promise<IAdaptiveCard> {
    if (extra.audience === 'viewer') remember(request);
    const approverMris = isWaiting(request.state) ? await store.approverMrisOf(request.id) : [];
    // The requester's own Teams time zone when the bot has met them; a card shows one request, with
    // no listing to compare with, so no "first request" hint here.
    const requester = await store.userByEmail(request.requester.email).catch(() => null);
    const hints = riskHints(request, risk, { requesterTimeZone: requester?.timeZone ?? null });
    return requestCard(request, {
      ...extra,
      links,
      approverMris,
      risk: hints,
      words: await wordsOf(request, extra),
    });
  }

  /**
   * Whose language the card is in: the words given (the activity of the person acting), else for
   * one person's view their stored Teams locale and zone, else (a shared copy) DEFAULT_LOCALE.
   */
  async function wordsOf(request: ApprovalRequest, extra: Pick<RequestCardOptions, 'audience' | 'words'>) {
    if (extra.words) return extra.words;
    if (extra.audience !== 'viewer') return defaultWords();
    const viewer = await store.userByEmail(request.viewer.email).catch(() => null);
    const defaults = readerDefaults();
    return wordsFor(viewer?.locale ?? defaults.locale, viewer?.timeZone ?? defaults.timeZone);
  }

  return {
    noteApprover,
    render,

    /** What this person last saw of the request, if anything. */
    lastSeenBy(caller: Caller, requestId: string): ApprovalRequest | null {
      return lastSeen.get(key(caller.email, requestId)) ?? null;
    },

    /** Reads the request as `caller` and draws their own view. */
    async forViewer(
      caller: Caller,
      requestId: string,
      extra: Omit<RequestCardOptions, 'links' | 'approverMris' | 'audience' | 'risk'> = {},
    ): Promise<{ request: ApprovalRequest; card: IAdaptiveCard }> {
      const request = await options.requests.get(caller, requestId);
      await noteApprover(caller, request);
      return { request, card: await render(request, { ...extra, audience: 'viewer' }) };
    },
  };
}

export type CardViews = ReturnType<typeof createCardViews>;
