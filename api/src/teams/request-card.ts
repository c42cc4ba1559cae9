// The one Adaptive Card for an access request: what the approver sees in chat, in a channel, in a
// message-extension result and in an unfurled link. Built from the view model the tab shows, with
// everyone's typed text escaped and long text cut so the card stays well under Teams' 28 KB.
import { approverMessage, type ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { escapeCardMarkdown, firstOf, truncateText } from '@apono-teams/domain/card-text.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import { allOfProgress } from '@apono-teams/domain/format.js';
import { MAX_REASON_LENGTH, type Decision } from '@apono-teams/domain/reason.js';
import type { RiskHint } from '@apono-teams/domain/risk.js';
import { isWaiting, outcomeOfState, type RequestState } from '@apono-teams/domain/status.js';
import {
  ActionSet,
  AdaptiveCard,
  Container,
  ExecuteAction,
  Fact,
  FactSet,
  OpenUrlAction,
  RefreshDefinition,
  TextBlock,
  TextInput,
  type CardElement,
  type IAdaptiveCard,
  type TextColor,
} from '@microsoft/teams.cards';
import { englishWords, type Words } from './words.js';

export interface CardLinks {
  /** The Teams app ID, for the deep link into the Approvals tab; no link without it. */
  teamsAppId?: string | undefined;
  /** Apono's end-user portal, e.g. https://portal.apono.io. */
  portalUrl: string;
}

export interface RequestCardOptions {
  links: CardLinks;
  /**
   * `viewer`: the card one person sees (their reasons, their buttons when they can decide).
   * `everyone`: the copy in a shared conversation; approvers get their own view through refresh.
   */
  audience: 'viewer' | 'everyone';
  /**
   * The approvers Teams refreshes automatically into their own view, as user MRIs (at most 60):
   * Teams matches `refresh.userIds` against MRIs, not object IDs (Microsoft Learn, "Universal
   * Actions for Adaptive Cards: user-specific views").
   */
  approverMris?: string[];
  /** A sentence about what went wrong with the last action, shown above the buttons. */
  error?: string | null;
  /** A sentence about this person and the request (not an error), shown above the buttons. */
  note?: string | null;
  /** The reason the approver typed, kept when the card is shown again after an error. */
  reason?: string | null;
  /** What to look at twice (domain/src/risk.ts), shown under the header with each reason. */
  risk?: readonly RiskHint[];
  /** The decision is on its way to Apono: say so, and offer no buttons. */
  working?: Decision | null;
  now?: Date;
  /**
   * The reader's language and time zone (words.ts): the activity's locale for the person acting,
   * a recipient's stored locale for a proactive card, DEFAULT_LOCALE for a shared copy. English in
   * UTC when not given.
   */
  words?: Words;
}

export const REASON_INPUT_ID = 'reason';
export const MAX_JUSTIFICATION_CHARS = 600;
export const MAX_UNITS = 8;
/** A hint quotes names from Apono (a flow, a resource), which may be long: cut, to keep the card small. */
export const MAX_HINT_CHARS = 240;
const MAX_REFRESH_USERS = 60;

const plain = (text: string | null | undefined) => escapeCardMarkdown(text);

export function approvalsDeepLink(links: CardLinks, requestId: string): string | null {
  if (!links.teamsAppId) return null;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: requestId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(links.teamsAppId)}/approvals?context=${context}`;
}

/**
 * Apono's end-user portal, My Tasks page (`/tasks`, where Apono lists what waits for the approver).
 * Apono documents no per-request portal address, so no request ID goes into the link.
 */
export function portalLink(links: CardLinks): string {
  return `${links.portalUrl.replace(/\/+$/, '')}/tasks`;
}

/**
 * Who decided, in words: the person for a decision made through this app or named by a webhook;
 * otherwise the approver entry Apono shows ("group SRE Leads"). Null when nobody is known.
 */
export function deciderOf(request: ApprovalRequest, w: Words = englishWords()): string | null {
  const by = request.decision?.decidedBy;
  if (!by?.name) return null;
  if (request.decision?.source === 'app' || !by.kind || by.email) return by.name;
  // An entry Apono lists reads as its kind and name; a person a webhook named reads as their name.
  const isEntry = (request.approval?.approvers ?? []).some(
    (a) => a.name === by.name && a.type.toLowerCase() === by.kind!.toLowerCase(),
  );
  return isEntry ? w.say(approverMessage({ name: by.name, type: by.kind })) : by.name;
}

/** The catalogue key of a decision's line: cards.outcome.approvedInAponoBy and the like. */
function outcomeKey(request: ApprovalRequest, w: Words): { key: string; who: string | null } | null {
  const d = request.decision;
  if (!d) return null;
  const who = deciderOf(request, w);
  return { key: `${d.outcome}${d.source === 'apono' ? 'InApono' : ''}${who ? 'By' : ''}`, who };
}

/** "Approved by Alex Wilber", "Rejected in Apono by group SRE Leads", "Approved in Apono". */
export function outcomeLine(request: ApprovalRequest, w: Words = englishWords()): string | null {
  const outcome = outcomeKey(request, w);
  return outcome ? w.t(`outcome.${outcome.key}`, { who: outcome.who }) : null;
}

/** What became of the access after approval, in the words of Apono's status (cards.access.*). */
const accessNote: Partial<Record<RequestState, string>> = {
  granting: 'granting',
  active: 'active',
  revoking: 'revoking',
  revoked: 'revoked',
};

/** The status in the reader's words; a status this app does not know stays as Apono wrote it. */
export const statusWords = (request: ApprovalRequest, w: Words): string =>
  request.state === 'unknown' ? request.statusLabel : w.t(`common:status.${request.state}`);

/**
 * The status in one line: "Pending: one approval is enough", "Approved by Alex Wilber; access active",
 * "Rejected in Apono by group SRE Leads", "Failed", or a status this app does not know, verbatim.
 */
export function statusLine(request: ApprovalRequest, w: Words = englishWords()): string {
  if (isWaiting(request.state)) {
    const relation = request.approval?.relation === 'AllOf' ? 'allOf' : 'anyOf';
    const tier = request.approval?.currentTier;
    return tier != null
      ? w.t(`pending.${relation}Tier`, { tier: w.f.count(tier) })
      : w.t(`pending.${relation}`);
  }
  const outcome = outcomeKey(request, w);
  if (outcomeOfState(request.state) && outcome) {
    const line = w.t(`outcome.${outcome.key}`, { who: outcome.who });
    const note = accessNote[request.state];
    return note ? w.t('withAccess', { outcome: line, access: w.t(`access.${note}`) }) : line;
  }
  const status = statusWords(request, w);
  return outcome ? w.t(`afterStatus.${outcome.key}`, { status, who: outcome.who }) : status;
}

function statusColor(request: ApprovalRequest): TextColor {
  if (isWaiting(request.state)) return 'Warning';
  if (request.state === 'failed') return 'Attention';
  // The decision, not the status alone: Revoked is also how access that nobody approved runs out.
  const outcome = request.decision?.outcome;
  return outcome === 'approved' ? 'Good' : outcome === 'rejected' ? 'Attention' : 'Default';
}

function headerSection(request: ApprovalRequest, w: Words): CardElement[] {
  const requester = request.requester.email
    ? w.t('nameWithEmail', { name: request.requester.name, email: request.requester.email })
    : request.requester.name;
  return [
    new TextBlock(w.t('title', { id: plain(request.displayId) }), {
      style: 'heading',
      size: 'Medium',
      wrap: true,
    }),
    new TextBlock(plain(statusLine(request, w)), {
      color: statusColor(request),
      weight: 'Bolder',
      spacing: 'None',
      wrap: true,
    }),
    new TextBlock(w.t('asks', { requester: plain(requester) }), {
      spacing: 'Small',
      wrap: true,
      isSubtle: true,
    }),
  ];
}

function reasonsSection(request: ApprovalRequest, w: Words): CardElement[] {
  if (!request.viewer.approverReasons.length) return [];
  return [
    new Container(
      new TextBlock(w.t('whyYou'), { weight: 'Bolder', wrap: true }),
      ...request.viewer.approverReasons.map(
        (why) => new TextBlock(plain(w.say(why)), { spacing: 'None', wrap: true, isSubtle: true }),
      ),
    ).withOptions({ style: 'emphasis', spacing: 'Medium' }),
  ];
}

/** Each hint on its own line, in words (not colour alone): the reasons quote Apono's names, so escaped. */
function riskSection(hints: readonly RiskHint[] | undefined, w: Words): CardElement[] {
  if (!hints?.length) return [];
  return [
    new Container(
      new TextBlock(w.t('riskHints', { count: hints.length }), { weight: 'Bolder', wrap: true }),
      ...hints.map(
        (h) =>
          new TextBlock(`⚠ ${plain(truncateText(w.say(h.message), MAX_HINT_CHARS).text)}`, {
            spacing: 'None',
            wrap: true,
          }),
      ),
    ).withOptions({ style: 'warning', spacing: 'Medium' }),
  ];
}

function factsSection(request: ApprovalRequest, now: Date, w: Words): CardElement {
  const integrations = [...new Set(request.integrations.map((i) => i.name))];
  const status = statusWords(request, w);
  const facts = [
    new Fact(w.t('facts.id'), plain(request.displayId)),
    new Fact(
      w.t('facts.status'),
      plain(
        request.statusDescription
          ? w.t('statusWithDescription', { status, description: request.statusDescription })
          : status,
      ),
    ),
    new Fact(w.t('facts.requester'), plain(request.requester.name)),
    ...(request.grantee && request.grantee.name !== request.requester.name
      ? [
          new Fact(
            w.t('facts.for'),
            plain(w.t('grantee', { name: request.grantee.name, type: request.grantee.type })),
          ),
        ]
      : []),
    ...(request.accessFlow ? [new Fact(w.t('facts.accessFlow'), plain(request.accessFlow))] : []),
    ...(integrations.length
      ? [new Fact(w.t('facts.integration'), plain(firstList(integrations, 3, w)))]
      : []),
    ...progressFacts(request, w),
    new Fact(w.t('facts.duration'), plain(w.f.duration(request.durationSeconds) ?? w.t('common:noEndDate'))),
    new Fact(w.t('facts.waited'), plain(w.f.waited(request.createdAt, now))),
    // When it was asked, in the reader's own zone (their Teams client's localTimezone), not GMT.
    new Fact(w.t('facts.requested'), plain(w.f.dateTime(request.createdAt))),
  ];
  return new FactSet(...facts).withOptions({ spacing: 'Medium' });
}

/** A waiting AllOf request: which approver entries approved, and which must still approve. */
function progressFacts(request: ApprovalRequest, w: Words): Fact[] {
  const progress = isWaiting(request.state) ? allOfProgress(request.approval) : null;
  if (!progress) return [];
  return [
    new Fact(
      w.t('facts.approvedBy'),
      plain(firstList(progress.approved.map(w.say), MAX_UNITS, w) || w.t('noOneYet')),
    ),
    new Fact(
      w.t('facts.stillNeeded'),
      plain(firstList(progress.needed.map(w.say), MAX_UNITS, w) || w.t('noOne')),
    ),
  ];
}

/** The first `max` items, the reader's way ("A, B, C"), and how many more there are. */
function firstList(items: string[], max: number, w: Words): string {
  const { shown } = firstOf(items, max);
  const more = items.length - shown.length;
  const list = w.f.list(shown);
  return more > 0 ? w.t('andMore', { list, count: more }) : list;
}

function accessSection(request: ApprovalRequest, w: Words): CardElement[] {
  const { shown } = firstOf(request.accessUnits, MAX_UNITS);
  const notShown = request.accessUnits.length - shown.length;
  const hidden = Math.max(0, request.totalResources - new Set(shown.map((u) => u.resource)).size);
  const lines = shown.map((u) => {
    const where = [u.integration, u.resourceType].filter(Boolean).join(' · ');
    const resource = plain(u.resource);
    const permission = plain(u.permission);
    return where
      ? w.t('unitWhere', { resource, where: plain(where), permission })
      : w.t('unit', { resource, permission });
  });
  const tail =
    notShown > 0
      ? w.t('moreUnits', { count: notShown })
      : !request.accessUnitsComplete && hidden > 0
        ? w.t('moreUnits', { count: hidden })
        : null;
  return [
    new TextBlock(
      w.t('accessHeader', {
        resources: w.f.count(request.totalResources),
        permissions: w.f.count(request.totalPermissions),
      }),
      {
        weight: 'Bolder',
        spacing: 'Medium',
        wrap: true,
      },
    ),
    ...lines.map((line) => new TextBlock(line, { spacing: 'None', wrap: true })),
    ...(tail ? [new TextBlock(tail, { spacing: 'None', isSubtle: true, wrap: true })] : []),
    // Each line names its permission, so no "Permissions:" line under them (it only repeated them).
  ];
}

function justificationSection(request: ApprovalRequest, w: Words): CardElement[] {
  const { text, truncated } = truncateText(request.justification?.trim() || '', MAX_JUSTIFICATION_CHARS);
  return [
    new TextBlock(w.t('justification'), { weight: 'Bolder', spacing: 'Medium', wrap: true }),
    new TextBlock(text ? escapeCardMarkdown(text, { multiline: true }) : w.t('noJustification'), {
      spacing: 'None',
      wrap: true,
      isSubtle: !text,
    }),
    ...(truncated
      ? [
          new TextBlock(w.t('shortened'), {
            isSubtle: true,
            spacing: 'None',
            wrap: true,
          }),
        ]
      : []),
  ];
}

/** Decided requests: the outcome, who decided, when, and the reason, or that Apono does not share it. */
function decisionSection(request: ApprovalRequest, w: Words): CardElement[] {
  const d = request.decision;
  if (!d || isWaiting(request.state)) return [];
  const who = deciderOf(request, w);
  const facts = [
    new Fact(w.t('facts.outcome'), w.t(`decided.${d.outcome}`)),
    new Fact(
      w.t('facts.decidedBy'),
      d.source === 'apono'
        ? w.t('decided.inApono', { who: who ? plain(who) : w.t('decided.unnamed') })
        : plain(who ?? w.t('decided.another')),
    ),
    // In the reader's time zone and language (Intl), never GMT.
    ...(d.decidedAt ? [new Fact(w.t('facts.when'), plain(w.f.dateTime(d.decidedAt)))] : []),
    new Fact(
      w.t('facts.reason'),
      d.source === 'apono'
        ? w.t('decided.reasonNotShared')
        : d.reason
          ? escapeCardMarkdown(d.reason)
          : w.t('decided.noReason'),
    ),
  ];
  return [
    new Container(new FactSet(...facts)).withOptions({
      style: d.outcome === 'approved' ? 'good' : 'attention',
      spacing: 'Medium',
    }),
  ];
}

function reasonInput(request: ApprovalRequest, options: RequestCardOptions, w: Words): TextInput {
  const required = request.requireReason;
  const reason = new TextInput({ id: REASON_INPUT_ID })
    .withLabel(required ? w.t('reasonRequired') : w.t('reasonOptional'))
    .withPlaceholder(w.t('reasonPlaceholder', { max: w.f.count(MAX_REASON_LENGTH) }))
    .withMaxLength(MAX_REASON_LENGTH)
    .withIsMultiline(true);
  if (options.reason) reason.withValue([...options.reason].slice(0, MAX_REASON_LENGTH).join(''));
  if (required) reason.withIsRequired(true).withErrorMessage(w.t('reasonMissing'));
  return reason;
}

function decideSection(request: ApprovalRequest, options: RequestCardOptions, w: Words): CardElement[] {
  // The Apono account turned approver reasons off (session settings.disable_approver_reason): no
  // reason box, and the buttons send none.
  const withReason = !request.reasonDisabled;
  const data = { requestId: request.id };
  const associatedInputs = withReason ? 'auto' : 'none';
  return [
    withReason
      ? reasonInput(request, options, w)
      : new TextBlock(w.t('noReasons'), {
          isSubtle: true,
          spacing: 'Medium',
          wrap: true,
        }),
    new ActionSet(
      new ExecuteAction({
        title: w.t('approve'),
        verb: 'approve',
        data,
        style: 'positive',
        associatedInputs,
      }),
      new ExecuteAction({
        title: w.t('reject'),
        verb: 'reject',
        data,
        style: 'destructive',
        associatedInputs,
      }),
    ),
  ];
}

/** Why a person who opened their own view of a pending request has no buttons, when we know. */
function cannotDecideLine(request: ApprovalRequest, w: Words): string | null {
  switch (request.viewer.cannotDecide) {
    case 'requester':
    case 'already_decided':
    case 'tier_not_reached':
      return w.t(`cannotDecide.${request.viewer.cannotDecide}`);
    default:
      return null;
  }
}

/** The access request as one card. */
export function requestCard(request: ApprovalRequest, options: RequestCardOptions): IAdaptiveCard {
  const now = options.now ?? new Date();
  const w = options.words ?? englishWords();
  const forViewer = options.audience === 'viewer';
  const pending = isWaiting(request.state);
  const canDecide = forViewer && pending && request.viewer.canDecide && !options.working;
  const body: CardElement[] = [
    ...headerSection(request, w),
    ...(forViewer ? reasonsSection(request, w) : []),
    ...riskSection(options.risk, w),
    factsSection(request, now, w),
    ...accessSection(request, w),
    ...justificationSection(request, w),
    ...decisionSection(request, w),
  ];
  if (options.working) {
    body.push(
      new TextBlock(w.t(`working.${options.working}`), {
        color: 'Accent',
        weight: 'Bolder',
        spacing: 'Medium',
        wrap: true,
      }),
    );
  }
  if (options.error) {
    body.push(
      new TextBlock(plain(options.error), {
        color: 'Attention',
        weight: 'Bolder',
        spacing: 'Medium',
        wrap: true,
      }),
    );
  }
  if (options.note)
    body.push(new TextBlock(plain(options.note), { weight: 'Bolder', spacing: 'Medium', wrap: true }));
  const whyNot = forViewer && pending && !canDecide && !options.working ? cannotDecideLine(request, w) : null;
  if (canDecide) body.push(...decideSection(request, options, w));
  else if (whyNot) body.push(new TextBlock(whyNot, { isSubtle: true, wrap: true }));

  const data = { requestId: request.id };
  const deepLink = approvalsDeepLink(options.links, request.id);
  const links = [
    ...(pending && !forViewer
      ? [new ExecuteAction({ title: w.t('approveOrReject'), verb: 'refresh', data })]
      : []),
    ...(deepLink ? [new OpenUrlAction(deepLink, { title: w.t('openInApprovals') })] : []),
    new OpenUrlAction(portalLink(options.links), { title: w.t('openInApono') }),
  ];

  const card = new AdaptiveCard(...body)
    .withVersion('1.5')
    // Plain text (notifications, screen readers): not markdown, but still the display rule.
    .withFallbackText(
      displayText(
        w.t('fallback', {
          id: request.displayId,
          requester: request.requester.name,
          status: statusLine(request, w),
        }),
      ),
    )
    .withActions(...links);
  // Adaptive Cards 1.5 `rtl`: the card's containers lay out right to left (Arabic, Hebrew…).
  if (w.rtl) card.withRtl(true);
  const userIds = [...new Set(options.approverMris ?? [])].slice(0, MAX_REFRESH_USERS);
  if (pending && userIds.length) {
    card.withRefresh(
      new RefreshDefinition({
        action: new ExecuteAction({ title: 'Refresh', verb: 'refresh', data }),
        userIds,
      }),
    );
  }
  return toJson(card);
}

/**
 * A short card with a title and a sentence: errors where no request can be shown, help, greetings.
 * Its lines are markdown written by this app; anything from elsewhere must be escaped by the caller.
 */
export function noticeCard(
  title: string,
  lines: string[],
  color: TextColor = 'Default',
  w: Pick<Words, 'rtl'> = englishWords(),
): IAdaptiveCard {
  const card = new AdaptiveCard(
    new TextBlock(title, { style: 'heading', size: 'Medium', wrap: true, color }),
    ...lines.map((line) => new TextBlock(line, { wrap: true, spacing: 'Small' })),
  ).withVersion('1.5');
  if (w.rtl) card.withRtl(true);
  return toJson(card);
}

// The builders fill in every default, including properties newer than 1.5 (Teams ignores them, but
// they cost bytes and a strict 1.5 reader refuses them). Leave out what says nothing.
const NEWER_THAN_1_5 = new Set(['isSortKey', 'showBorder', 'roundedCorners', 'conditionallyEnabled']);
const DEFAULTS: Record<string, unknown> = {
  isVisible: true,
  separator: false,
  height: 'auto',
  spacing: 'Default',
  isEnabled: true,
  mode: 'primary',
  bleed: false,
};

/** Builders are classes; Teams and the tests want plain JSON without the noise. */
export function toJson(card: AdaptiveCard | IAdaptiveCard): IAdaptiveCard {
  return JSON.parse(
    JSON.stringify(card, (key, value: unknown) => {
      if (NEWER_THAN_1_5.has(key) || DEFAULTS[key] === value) return undefined;
      if (key === 'requires' && value && typeof value === 'object' && !Object.keys(value).length)
        return undefined;
      return value;
    }),
  ) as IAdaptiveCard;
}
