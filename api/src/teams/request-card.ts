// The one Adaptive Card for an access request: what the approver sees in chat, in a channel, in a
// message-extension result and in an unfurled link. Built from the view model the tab shows, with
// everyone's typed text escaped and long text cut so the card stays well under Teams' 28 KB.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import { escapeCardMarkdown, firstOf, truncateText } from '@apono-teams/domain/card-text.js';
import { formatDuration, formatWaited } from '@apono-teams/domain/format.js';
import { MAX_REASON_LENGTH, type Decision } from '@apono-teams/domain/reason.js';
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
  /** Apono's web portal, e.g. https://app.apono.io. */
  portalUrl: string;
}

export interface RequestCardOptions {
  links: CardLinks;
  /**
   * `viewer`: the card one person sees (their reasons, their buttons when they can decide).
   * `everyone`: the copy in a shared conversation; approvers get their own view through refresh.
   */
  audience: 'viewer' | 'everyone';
  /** Entra object IDs that Teams refreshes automatically into their own view (at most 60). */
  approverIds?: string[];
  /** A sentence about what went wrong with the last action, shown above the buttons. */
  error?: string | null;
  /** The reason the approver typed, kept when the card is shown again after an error. */
  reason?: string | null;
  /** The decision is on its way to Apono: say so, and offer no buttons. */
  working?: Decision | null;
  now?: Date;
}

export const REASON_INPUT_ID = 'reason';
export const MAX_JUSTIFICATION_CHARS = 600;
export const MAX_UNITS = 8;
const MAX_REFRESH_USERS = 60;

const plain = (text: string | null | undefined) => escapeCardMarkdown(text);

const statusColor: Record<string, TextColor> = {
  PENDING: 'Warning',
  APPROVED: 'Good',
  GRANTED: 'Good',
  REJECTED: 'Attention',
  FAILED: 'Attention',
};

export function approvalsDeepLink(links: CardLinks, requestId: string): string | null {
  if (!links.teamsAppId) return null;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: requestId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(links.teamsAppId)}/approvals?context=${context}`;
}

export function portalLink(links: CardLinks, requestId: string): string {
  return `${links.portalUrl.replace(/\/$/, '')}/access-requests/${encodeURIComponent(requestId)}`;
}

/** "Pending: needs one approval", "Approved by Alex Wilber", "Expired". */
export function statusLine(request: ApprovalRequest): string {
  const who = request.decision?.decidedBy?.name;
  switch (request.status) {
    case 'PENDING': {
      const relation =
        request.approval?.relation === 'AllOf' ? 'every approver must approve' : 'one approval is enough';
      const tier = request.approval?.currentTier != null ? `, tier ${request.approval.currentTier}` : '';
      return `Pending: ${relation}${tier}`;
    }
    case 'APPROVED':
    case 'GRANTED':
      return `Approved${who ? ` by ${who}` : ''}${request.status === 'GRANTED' ? '; access granted' : ''}`;
    case 'REJECTED':
      return `Rejected${who ? ` by ${who}` : ''}`;
    default:
      return request.status.charAt(0) + request.status.slice(1).toLowerCase();
  }
}

function headerSection(request: ApprovalRequest): CardElement[] {
  const requester = request.requester.email
    ? `${request.requester.name} (${request.requester.email})`
    : request.requester.name;
  return [
    new TextBlock(`Access request ${plain(request.id)}`, { style: 'heading', size: 'Medium', wrap: true }),
    new TextBlock(plain(statusLine(request)), {
      color: statusColor[request.status] ?? 'Default',
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
        (why) => new TextBlock(plain(why), { spacing: 'None', wrap: true, isSubtle: true }),
      ),
    ).withOptions({ style: 'emphasis', spacing: 'Medium' }),
  ];
}

function factsSection(request: ApprovalRequest, now: Date): CardElement {
  const integrations = [...new Set(request.integrations.map((i) => i.name))];
  const facts = [
    new Fact('Request ID', plain(request.id)),
    new Fact(
      'Status',
      plain(request.statusDescription ? `${request.status}: ${request.statusDescription}` : request.status),
    ),
    new Fact('Requester', plain(request.requester.name)),
    ...(request.grantee && request.grantee.name !== request.requester.name
      ? [new Fact('For', plain(`${request.grantee.name} (${request.grantee.type})`))]
      : []),
    ...(request.accessFlow ? [new Fact('Access flow', plain(request.accessFlow))] : []),
    ...(integrations.length ? [new Fact('Integration', plain(firstList(integrations, 3)))] : []),
    new Fact('Duration', plain(formatDuration(request.durationSeconds))),
    new Fact('Waited', plain(formatWaited(request.createdAt, now))),
  ];
  return new FactSet(...facts).withOptions({ spacing: 'Medium' });
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
  const permissions = [...new Set(request.accessUnits.map((u) => u.permission))];
  return [
    new TextBlock(`Resources (${request.totalResources}) and permissions (${request.totalPermissions})`, {
      weight: 'Bolder',
      spacing: 'Medium',
      wrap: true,
    }),
    ...lines.map((line) => new TextBlock(line, { spacing: 'None', wrap: true })),
    ...(tail ? [new TextBlock(tail, { spacing: 'None', isSubtle: true, wrap: true })] : []),
    ...(permissions.length
      ? [
          new TextBlock(`Permissions: ${plain(firstList(permissions, MAX_UNITS))}`, {
            spacing: 'Small',
            isSubtle: true,
            wrap: true,
          }),
        ]
      : []),
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

function decisionSection(request: ApprovalRequest): CardElement[] {
  const d = request.decision;
  if (!d || request.status === 'PENDING') return [];
  const facts = [
    new Fact('Outcome', d.outcome === 'approved' ? 'Approved' : 'Rejected'),
    new Fact('Decided by', plain(d.decidedBy?.name ?? 'Another approver')),
    ...(d.decidedAt ? [new Fact('When', plain(new Date(d.decidedAt).toUTCString()))] : []),
    new Fact('Reason', d.reason ? escapeCardMarkdown(d.reason) : 'No reason given'),
  ];
  return [
    new Container(new FactSet(...facts)).withOptions({
      style: d.outcome === 'approved' ? 'good' : 'attention',
      spacing: 'Medium',
    }),
  ];
}

function decideSection(request: ApprovalRequest, options: RequestCardOptions): CardElement[] {
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
  const data = { requestId: request.id };
  return [
    reason,
    new ActionSet(
      new ExecuteAction({
        title: 'Approve',
        verb: 'approve',
        data,
        style: 'positive',
        associatedInputs: 'auto',
      }),
      new ExecuteAction({
        title: 'Reject',
        verb: 'reject',
        data,
        style: 'destructive',
        associatedInputs: 'auto',
      }),
    ),
  ];
}

/** The access request as one card. */
export function requestCard(request: ApprovalRequest, options: RequestCardOptions): IAdaptiveCard {
  const now = options.now ?? new Date();
  const forViewer = options.audience === 'viewer';
  const pending = request.status === 'PENDING';
  const canDecide = forViewer && pending && request.viewer.canDecide && !options.working;
  const body: CardElement[] = [
    ...headerSection(request),
    ...(forViewer ? reasonsSection(request) : []),
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
  if (canDecide) body.push(...decideSection(request, options));
  else if (forViewer && pending && request.viewer.isRequester)
    body.push(
      new TextBlock('You asked for this access, so other approvers decide it.', {
        isSubtle: true,
        wrap: true,
      }),
    );

  const links = [
    ...(pending && !forViewer
      ? [new ExecuteAction({ title: 'Approve or reject', verb: 'refresh', data: { requestId: request.id } })]
      : []),
    ...(approvalsDeepLink(options.links, request.id)
      ? [new OpenUrlAction(approvalsDeepLink(options.links, request.id)!, { title: 'Open in Approvals' })]
      : []),
    new OpenUrlAction(portalLink(options.links, request.id), { title: 'Open in Apono' }),
  ];

  const card = new AdaptiveCard(...body)
    .withVersion('1.5')
    .withFallbackText(`Access request ${request.id} from ${request.requester.name}: ${statusLine(request)}`)
    .withActions(...links);
  const userIds = [...new Set(options.approverIds ?? [])].slice(0, MAX_REFRESH_USERS);
  if (pending && userIds.length) {
    card.withRefresh(
      new RefreshDefinition({
        action: new ExecuteAction({ title: 'Refresh', verb: 'refresh', data: { requestId: request.id } }),
        userIds,
      }),
    );
  }
  return toJson(card);
}

/** A short card with a title and a sentence: errors where no request can be shown, help, greetings. */
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
