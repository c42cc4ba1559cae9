// The one Adaptive Card for an access request: what the approver sees in chat, in a channel, in a
// message-extension result and in an unfurled link. Built from the view model the tab shows, with
// everyone's typed text escaped and long text cut so the card stays well under Teams' 28 KB.
import { approverPhrase, type ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { escapeCardMarkdown, firstOf, truncateText } from '@apono-teams/domain/card-text.js';
import { displayText } from '@apono-teams/domain/display-text.js';
import { englishWords } from './words.js';
import { allOfProgress, formatDuration, formatWaited } from '@apono-teams/domain/format.js';
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
export function deciderOf(request: ApprovalRequest): string | null {
  const by = request.decision?.decidedBy;
  if (!by?.name) return null;
  if (request.decision?.source === 'app' || !by.kind || by.email) return by.name;
  // An entry Apono lists reads as its kind and name; a person a webhook named reads as their name.
  const isEntry = (request.approval?.approvers ?? []).some(
    (a) => a.name === by.name && a.type.toLowerCase() === by.kind!.toLowerCase(),
  );
  return isEntry ? approverPhrase({ name: by.name, type: by.kind }) : by.name;
}

/** "Approved by Alex Wilber", "Rejected in Apono by group SRE Leads", "Approved in Apono". */
export function outcomeLine(request: ApprovalRequest): string | null {
  const d = request.decision;
  if (!d) return null;
  const verb = d.outcome === 'approved' ? 'Approved' : 'Rejected';
  const who = deciderOf(request);
  const where = d.source === 'apono' ? ' in Apono' : '';
  return `${verb}${where}${who ? ` by ${who}` : ''}`;
}

/** What became of the access after approval, in the words of Apono's status. */
const accessNote: Partial<Record<RequestState, string>> = {
  granting: 'granting access',
  active: 'access active',
  revoking: 'revoking access',
  revoked: 'access revoked',
};

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The status in one line: "Pending: one approval is enough", "Approved by Alex Wilber; access active",
 * "Rejected in Apono by group SRE Leads", "Failed", or a status this app does not know, verbatim.
 */
export function statusLine(request: ApprovalRequest): string {
  if (isWaiting(request.state)) {
    const relation =
      request.approval?.relation === 'AllOf' ? 'every approver must approve' : 'one approval is enough';
    const tier = request.approval?.currentTier != null ? `, tier ${request.approval.currentTier}` : '';
    return `Pending: ${relation}${tier}`;
  }
  const outcome = outcomeLine(request);
  if (outcomeOfState(request.state) && outcome) {
    const note = accessNote[request.state];
    return note ? `${outcome}; ${note}` : outcome;
  }
  return outcome ? `${request.statusLabel}; ${lowerFirst(outcome)}` : request.statusLabel;
}

function statusColor(request: ApprovalRequest): TextColor {
  if (isWaiting(request.state)) return 'Warning';
  if (request.state === 'failed') return 'Attention';
  // The decision, not the status alone: Revoked is also how access that nobody approved runs out.
  const outcome = request.decision?.outcome;
  return outcome === 'approved' ? 'Good' : outcome === 'rejected' ? 'Attention' : 'Default';
}

function headerSection(request: ApprovalRequest): CardElement[] {
  const requester = request.requester.email
    ? `${request.requester.name} (${request.requester.email})`
    : request.requester.name;
  return [
    new TextBlock(`Access request ${plain(request.displayId)}`, {
      style: 'heading',
      size: 'Medium',
      wrap: true,
    }),
    new TextBlock(plain(statusLine(request)), {
      color: statusColor(request),
      weight: 'Bolder',
      spacing: 'None',
      wrap: true,
    }),
    new TextBlock(`${plain(requester)} asks for access`, { spacing: 'Small', wrap: true, isSubtle: true }),
  ];
}

function reasonsSection(request: ApprovalRequest): CardElement[] {
  if (!request.viewer.approverReasons.length) return [];
  return [
    new Container(
      new TextBlock('Why you are an approver', { weight: 'Bolder', wrap: true }),
      ...request.viewer.approverReasons.map(
        (why) =>
          new TextBlock(plain(englishWords().say(why)), { spacing: 'None', wrap: true, isSubtle: true }),
      ),
    ).withOptions({ style: 'emphasis', spacing: 'Medium' }),
  ];
}

/** Each hint on its own line, in words (not colour alone): the reasons quote Apono's names, so escaped. */
function riskSection(hints: readonly RiskHint[] | undefined): CardElement[] {
  if (!hints?.length) return [];
  return [
    new Container(
      new TextBlock(`Risk hints (${hints.length})`, { weight: 'Bolder', wrap: true }),
      ...hints.map(
        (h) =>
          new TextBlock(`⚠ ${plain(truncateText(englishWords().say(h.message), MAX_HINT_CHARS).text)}`, {
            spacing: 'None',
            wrap: true,
          }),
      ),
    ).withOptions({ style: 'warning', spacing: 'Medium' }),
  ];
}

function factsSection(request: ApprovalRequest, now: Date): CardElement {
  const integrations = [...new Set(request.integrations.map((i) => i.name))];
  const facts = [
    new Fact('Request ID', plain(request.displayId)),
    new Fact(
      'Status',
      plain(
        request.statusDescription
          ? `${request.statusLabel}: ${request.statusDescription}`
          : request.statusLabel,
      ),
    ),
    new Fact('Requester', plain(request.requester.name)),
    ...(request.grantee && request.grantee.name !== request.requester.name
      ? [new Fact('For', plain(`${request.grantee.name} (${request.grantee.type})`))]
      : []),
    ...(request.accessFlow ? [new Fact('Access flow', plain(request.accessFlow))] : []),
    ...(integrations.length ? [new Fact('Integration', plain(firstList(integrations, 3)))] : []),
    ...progressFacts(request),
    new Fact('Duration', plain(formatDuration(request.durationSeconds) ?? 'No end date')),
    new Fact('Waited', plain(formatWaited(request.createdAt, now))),
  ];
  return new FactSet(...facts).withOptions({ spacing: 'Medium' });
}

/** A waiting AllOf request: which approver entries approved, and which must still approve. */
function progressFacts(request: ApprovalRequest): Fact[] {
  const progress = isWaiting(request.state) ? allOfProgress(request.approval) : null;
  if (!progress) return [];
  return [
    new Fact(
      'Approved by',
      plain(firstList(progress.approved.map(englishWords().say), MAX_UNITS) || 'No one yet'),
    ),
    new Fact(
      'Still needed',
      plain(firstList(progress.needed.map(englishWords().say), MAX_UNITS) || 'No one'),
    ),
  ];
}

function firstList(items: string[], max: number): string {
  const { shown, more } = firstOf(items, max);
  return [shown.join(', '), more].filter(Boolean).join(' ');
}

function accessSection(request: ApprovalRequest): CardElement[] {
  const { shown, more } = firstOf(request.accessUnits, MAX_UNITS);
  const hidden = Math.max(0, request.totalResources - new Set(shown.map((u) => u.resource)).size);
  const lines = shown.map((u) => {
    const where = [u.integration, u.resourceType].filter(Boolean).join(' · ');
    return `${plain(u.resource)}${where ? ` (${plain(where)})` : ''}: ${plain(u.permission)}`;
  });
  const tail = more ?? (!request.accessUnitsComplete && hidden > 0 ? `…and ${hidden} more` : null);
  return [
    new TextBlock(`Resources (${request.totalResources}) and permissions (${request.totalPermissions})`, {
      weight: 'Bolder',
      spacing: 'Medium',
      wrap: true,
    }),
    ...lines.map((line) => new TextBlock(line, { spacing: 'None', wrap: true })),
    ...(tail ? [new TextBlock(tail, { spacing: 'None', isSubtle: true, wrap: true })] : []),
    // Each line names its permission, so no "Permissions:" line under them (it only repeated them).
  ];
}

function justificationSection(request: ApprovalRequest): CardElement[] {
  const { text, truncated } = truncateText(request.justification?.trim() || '', MAX_JUSTIFICATION_CHARS);
  return [
    new TextBlock('Justification', { weight: 'Bolder', spacing: 'Medium', wrap: true }),
    new TextBlock(text ? escapeCardMarkdown(text, { multiline: true }) : 'No justification given.', {
      spacing: 'None',
      wrap: true,
      isSubtle: !text,
    }),
    ...(truncated
      ? [
          new TextBlock('Shortened here; open the request to read all of it.', {
            isSubtle: true,
            spacing: 'None',
            wrap: true,
          }),
        ]
      : []),
  ];
}

/** Decided requests: the outcome, who decided, when, and the reason, or that Apono does not share it. */
function decisionSection(request: ApprovalRequest): CardElement[] {
  const d = request.decision;
  if (!d || isWaiting(request.state)) return [];
  const who = deciderOf(request);
  const facts = [
    new Fact('Outcome', d.outcome === 'approved' ? 'Approved' : 'Rejected'),
    new Fact(
      'Decided by',
      d.source === 'apono'
        ? `${who ? plain(who) : 'An approver Apono does not name'}, in Apono`
        : plain(who ?? 'Another approver'),
    ),
    ...(d.decidedAt ? [new Fact('When', plain(new Date(d.decidedAt).toUTCString()))] : []),
    new Fact(
      'Reason',
      d.source === 'apono'
        ? 'Apono does not share the reason for a decision made outside this app.'
        : d.reason
          ? escapeCardMarkdown(d.reason)
          : 'No reason given',
    ),
  ];
  return [
    new Container(new FactSet(...facts)).withOptions({
      style: d.outcome === 'approved' ? 'good' : 'attention',
      spacing: 'Medium',
    }),
  ];
}

function reasonInput(request: ApprovalRequest, options: RequestCardOptions): TextInput {
  const required = request.requireReason;
  const reason = new TextInput({ id: REASON_INPUT_ID })
    .withLabel(required ? 'Reason (required)' : 'Reason (optional)')
    .withPlaceholder(`Up to ${MAX_REASON_LENGTH} characters`)
    .withMaxLength(MAX_REASON_LENGTH)
    .withIsMultiline(true);
  if (options.reason) reason.withValue([...options.reason].slice(0, MAX_REASON_LENGTH).join(''));
  if (required)
    reason
      .withIsRequired(true)
      .withErrorMessage('This access flow requires a reason. Type one, then choose again.');
  return reason;
}

function decideSection(request: ApprovalRequest, options: RequestCardOptions): CardElement[] {
  // The Apono account turned approver reasons off (session settings.disable_approver_reason): no
  // reason box, and the buttons send none.
  const withReason = !request.reasonDisabled;
  const data = { requestId: request.id };
  const associatedInputs = withReason ? 'auto' : 'none';
  return [
    withReason
      ? reasonInput(request, options)
      : new TextBlock('Your Apono account does not take reasons from approvers.', {
          isSubtle: true,
          spacing: 'Medium',
          wrap: true,
        }),
    new ActionSet(
      new ExecuteAction({ title: 'Approve', verb: 'approve', data, style: 'positive', associatedInputs }),
      new ExecuteAction({ title: 'Reject', verb: 'reject', data, style: 'destructive', associatedInputs }),
    ),
  ];
}

/** Why a person who opened their own view of a pending request has no buttons, when we know. */
function cannotDecideLine(request: ApprovalRequest): string | null {
  switch (request.viewer.cannotDecide) {
    case 'requester':
      return 'You asked for this access, so other approvers decide it.';
    case 'already_decided':
      return 'You have decided; Apono waits for the other approvers.';
    case 'tier_not_reached':
      return 'Apono has not escalated this request to your approver tier yet.';
    default:
      return null;
  }
}

/** The access request as one card. */
export function requestCard(request: ApprovalRequest, options: RequestCardOptions): IAdaptiveCard {
  const now = options.now ?? new Date();
  const forViewer = options.audience === 'viewer';
  const pending = isWaiting(request.state);
  const canDecide = forViewer && pending && request.viewer.canDecide && !options.working;
  const body: CardElement[] = [
    ...headerSection(request),
    ...(forViewer ? reasonsSection(request) : []),
    ...riskSection(options.risk),
    factsSection(request, now),
    ...accessSection(request),
    ...justificationSection(request),
    ...decisionSection(request),
  ];
  if (options.working) {
    body.push(
      new TextBlock(
        `Sending your ${options.working === 'approve' ? 'approval' : 'rejection'} to Apono… This card updates when Apono answers.`,
        { color: 'Accent', weight: 'Bolder', spacing: 'Medium', wrap: true },
      ),
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
  const whyNot = forViewer && pending && !canDecide && !options.working ? cannotDecideLine(request) : null;
  if (canDecide) body.push(...decideSection(request, options));
  else if (whyNot) body.push(new TextBlock(whyNot, { isSubtle: true, wrap: true }));

  const data = { requestId: request.id };
  const deepLink = approvalsDeepLink(options.links, request.id);
  const links = [
    ...(pending && !forViewer
      ? [new ExecuteAction({ title: 'Approve or reject', verb: 'refresh', data })]
      : []),
    ...(deepLink ? [new OpenUrlAction(deepLink, { title: 'Open in Approvals' })] : []),
    new OpenUrlAction(portalLink(options.links), { title: 'Open in Apono' }),
  ];

  const card = new AdaptiveCard(...body)
    .withVersion('1.5')
    // Plain text (notifications, screen readers): not markdown, but still the display rule.
    .withFallbackText(
      displayText(
        `Access request ${request.displayId} from ${request.requester.name}: ${statusLine(request)}`,
      ),
    )
    .withActions(...links);
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
export function noticeCard(title: string, lines: string[], color: TextColor = 'Default'): IAdaptiveCard {
  return toJson(
    new AdaptiveCard(
      new TextBlock(title, { style: 'heading', size: 'Medium', wrap: true, color }),
      ...lines.map((line) => new TextBlock(line, { wrap: true, spacing: 'Small' })),
    ).withVersion('1.5'),
  );
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
