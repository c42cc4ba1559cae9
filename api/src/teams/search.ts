// The message extension: search your pending requests (composeExtension/query, command
// searchRequests) and unfurl Apono portal links (composeExtension/queryLink). Results are request
// cards that a person inserts into a chat or channel, where approvers act on them.
import { isRequestId } from '@apono-teams/domain/request-id.js';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import {
  cardAttachment,
  type Client as ApiClient,
  type MessagingExtensionAttachment,
  type MessagingExtensionResponse,
  type IMessageExtensionQueryInvokeActivity,
  type IMessageExtensionQueryLinkInvokeActivity,
} from '@microsoft/teams.api';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { Caller } from '../identity/tokens.js';
import type { RequestService } from '../requests/service.js';
import { messageOf } from './card-actions.js';
import type { CardViews } from './card-views.js';
import type { People } from './people.js';
import { approvalsDeepLink, statusLine, type CardLinks } from './request-card.js';
import { forUnfurl } from './unfurl-card.js';
import { defaultWords, wordsOfActivity, type Words } from './words.js';
import { AppError } from '../http/errors.js';

export const SEARCH_COMMAND = 'searchRequests';
const PAGE = 25;

export interface SearchDeps {
  requests: RequestService;
  people: People;
  views: CardViews;
  links: CardLinks;
  /** Where the tab lives, for someone who must connect Apono there first. */
  publicUrl: string;
  /** Apono's share of Teams' 5 seconds for a search or an unfurl (default 3.5 s). */
  aponoBudgetMs?: number;
  /** "Sign in with Apono" for this caller (our /auth-start page), or null where only tokens connect. */
  signInUrl?: ((caller: Caller) => Promise<string | null>) | undefined;
}

/**
 * Teams waits 5 seconds for a message extension's answer (Microsoft Learn, "Respond to search
 * command": the response must arrive within 5 s); Apono gets most of that, the rest is ours.
 */
export const APONO_BUDGET_MS = 3500;
const SLOW = Symbol('slow');

/** The answer, or SLOW once the budget is spent (the call itself goes on and is not waited for). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof SLOW> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof SLOW>((ok) => {
    timer = setTimeout(() => ok(SLOW), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

/** Every word must appear in the request's IDs, requester, resources, permissions, flow or justification. */
export function matches(request: ApprovalRequest, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = [
    request.displayId,
    request.id,
    request.requester.name,
    request.requester.email,
    request.accessFlow,
    request.justification,
    ...request.integrations.map((i) => `${i.name} ${i.typeDisplayName}`),
    ...request.accessUnits.map(
      (u) => `${u.resource} ${u.resourcePath ?? ''} ${u.permission} ${u.integration ?? ''}`,
    ),
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** Apono's own hosts (portal.apono.io, app.apono.io, ...) and the configured portal's. */
function isAponoHost(host: string, portalUrl: string): boolean {
  const name = host.toLowerCase();
  let portal: string | null = null;
  try {
    portal = new URL(portalUrl).hostname.toLowerCase();
  } catch {
    // no configured portal: only Apono's own hosts
  }
  return name === portal || name === 'apono.io' || name.endsWith('.apono.io');
}

/**
 * The request ID in an Apono link (…/access-requests/AR-1001, …/requests/AR-1001,
 * …?requestId=AR-1001), or null. Apono documents no per-request address, so any Apono link that
 * carries an ID is read, and one that carries none (such as My Tasks) is left alone.
 */
export function requestIdFromLink(url: string, portalUrl: string): string | null {
  let link: URL;
  try {
    link = new URL(url);
  } catch {
    return null;
  }
  if (!isAponoHost(link.hostname, portalUrl)) return null;
  const fromQuery =
    link.searchParams.get('requestId') ?? link.searchParams.get('request_id') ?? link.searchParams.get('id');
  let path = link.pathname;
  try {
    path = decodeURIComponent(link.pathname);
  } catch {
    // a malformed escape: read the path as it is
  }
  const fromPath = /requests?\/([A-Za-z0-9._:-]{1,100})\/?$/.exec(path)?.[1];
  const id = fromQuery ?? fromPath ?? /\bAR-\d+\b/.exec(url)?.[0] ?? null;
  return isRequestId(id) ? id : null;
}

function message(text: string): MessagingExtensionResponse {
  return { composeExtension: { type: 'message', text } };
}

export function createSearch(deps: SearchDeps) {
  const { requests, people, views } = deps;
  const budget = deps.aponoBudgetMs ?? APONO_BUDGET_MS;

  /**
   * Someone without a working Apono connection: Teams shows a sign-in prompt that opens our
   * /auth-start in its sign-in window (type "auth"), or, where only a personal token connects, the
   * Approvals tab (type "config"); Microsoft Learn, "Add authentication to your message extension".
   */
  async function connectFirst(caller: Caller, w: Words): Promise<MessagingExtensionResponse> {
    const signIn = await deps.signInUrl?.(caller);
    const [type, value, title] = signIn
      ? (['auth', signIn, w.t('search.signIn')] as const)
      : (['config', approvalsDeepLink(deps.links, '') ?? deps.publicUrl, w.t('search.connect')] as const);
    return { composeExtension: { type, suggestedActions: { actions: [{ type: 'openUrl', value, title }] } } };
  }

  const needsConnection = (err: unknown) =>
    err instanceof AppError && (err.code === 'not_connected' || err.code === 'apono_token_invalid');

  async function attachment(
    caller: Caller,
    request: ApprovalRequest,
    w: Words,
  ): Promise<MessagingExtensionAttachment> {
    await views.noteApprover(caller, request);
    // The card goes into the conversation, for everyone there: DEFAULT_LOCALE (card-views.ts).
    const card = await views.render(request, { audience: 'everyone' });
    const units = [...new Set(request.accessUnits.map((u) => u.resource))];
    const shown = w.f.list(units.slice(0, 3));
    const resources =
      units.length > 3 ? w.t('search.moreResources', { list: shown, count: units.length - 3 }) : shown;
    // The preview is plain text that only the searcher sees in the result list: their language,
    // the display rule, no markdown.
    return {
      ...cardAttachment('adaptive', card),
      preview: cardAttachment('thumbnail', {
        title: displayText(`${request.displayId} · ${request.requester.name}`),
        subtitle: displayText(statusLine(request, w)),
        text: displayText(w.t('search.preview', { resources, age: w.f.waited(request.createdAt) })),
      }),
    };
  }

  return {
    async query(
      activity: IMessageExtensionQueryInvokeActivity,
      api: ApiClient,
    ): Promise<MessagingExtensionResponse> {
      const value = activity.value;
      const w = wordsOfActivity(activity);
      // No command ID: a client without the manifest (the Agents Playground) means the only search there is.
      if (value.commandId && value.commandId !== SEARCH_COMMAND)
        return message(w.t('search.unknown', { command: value.commandId }));
      const caller = await people.callerOf(activity, api);
      if (!caller) return message(w.t('search.whoAreYou'));
      // Teams sends parameters as an array of { name, value } strings and queryOptions as numbers; a
      // client that sends anything else gets the first page of everything rather than an error.
      const parameters = (Array.isArray(value.parameters) ? value.parameters : []).filter(
        (p): p is { name: string; value: unknown } => typeof p === 'object' && p !== null,
      );
      const initialRun = parameters.some((p) => p.name === 'initialRun');
      const parameter =
        parameters.find((p) => p.name === 'query') ?? parameters.find((p) => p.name !== 'initialRun');
      const query = initialRun || typeof parameter?.value !== 'string' ? '' : parameter.value;
      const option = (n: unknown, fallback: number) =>
        typeof n === 'number' && Number.isFinite(n) ? n : fallback;
      const skip = Math.max(0, Math.floor(option(value.queryOptions?.skip, 0)));
      const count = Math.min(PAGE, Math.max(1, Math.floor(option(value.queryOptions?.count, PAGE))));
      let answer: ApprovalRequest[] | typeof SLOW;
      try {
        answer = await within(requests.pending(caller), budget);
      } catch (err) {
        return needsConnection(err) ? connectFirst(caller, w) : message(messageOf(err, w));
      }
      if (answer === SLOW) return message(w.t('search.slow'));
      const pending = answer;
      const found = pending
        .filter((r) => matches(r, query.trim()))
        // Newest first: what someone shares is usually what just arrived.
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        .slice(skip, skip + count);
      if (!found.length && skip === 0)
        return message(query ? w.t('search.noMatch', { query: displayText(query) }) : w.t('search.nothing'));
      return {
        composeExtension: {
          type: 'result',
          attachmentLayout: 'list',
          attachments: await Promise.all(found.map((r) => attachment(caller, r, w))),
        },
      };
    },

    async queryLink(
      activity: IMessageExtensionQueryLinkInvokeActivity,
      api: ApiClient,
    ): Promise<MessagingExtensionResponse> {
      // Teams caches an unfurl for 30 minutes unless told not to (Microsoft Learn, "Link unfurling":
      // remove the link unfurling cache with setCachePolicy / cacheInfo no-cache). A request decided
      // a minute later must never unfurl as pending.
      return { ...(await unfurl(activity, api)), cacheInfo: { cacheType: 'no-cache' } };
    },
  };

  async function unfurl(
    activity: IMessageExtensionQueryLinkInvokeActivity,
    api: ApiClient,
  ): Promise<MessagingExtensionResponse> {
    const id = requestIdFromLink(activity.value.url ?? '', deps.links.portalUrl);
    if (!id) return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
    const w = wordsOfActivity(activity);
    const caller = await people.callerOf(activity, api);
    if (!caller) return message(w.t('search.whoAreYouLink'));
    try {
      const request = await within(requests.get(caller, id), budget);
      if (request === SLOW) return message(w.t('search.slow'));
      const shared = await attachment(caller, request, w);
      // The unfurled card stays in the conversation for everyone: DEFAULT_LOCALE, like the card.
      const card = forUnfurl(shared.content as IAdaptiveCard, deps.links, request.id, defaultWords());
      return {
        composeExtension: {
          type: 'result',
          attachmentLayout: 'list',
          attachments: [{ ...shared, content: card }],
        },
      };
    } catch (err) {
      return needsConnection(err) ? connectFirst(caller, w) : message(messageOf(err, w));
    }
  }
}
