// The approval request as an approver sees it, shared by the tab, the API and the cards, and the
// one mapping from Apono's client model to it. It reads only what Apono's client API sends
// (client-openapi.json, AccessRequestClientModel): `metadata` maps are never read, because Apono
// documents no key in them. What Apono does not say (who decided elsewhere, why, which approver
// entry is the viewer) comes from this app's own records or from webhook deliveries, or is not claimed.
import type { AponoAccessRequest, AponoAccessUnit, AponoApprover } from './apono.js';
import { displayText } from './display-text.js';
import { isWaiting, outcomeOfState, stateOf, statusLabel, type RequestState } from './status.js';
import { message, type Message } from './message.js';

export type ApprovalRelation = 'AnyOf' | 'AllOf';
export type ApproverStatus = 'Approved' | 'Rejected' | 'Pending';
export type Outcome = 'approved' | 'rejected';

export interface Person {
  id: string;
  name: string;
  email: string;
}

export interface AccessUnit {
  resource: string;
  resourcePath: string | null;
  resourceType: string | null;
  integration: string | null;
  permission: string;
}

export interface Integration {
  id: string;
  name: string;
  type: string;
  typeDisplayName: string;
}

export interface ApproverEntry {
  name: string;
  type: string;
  status: ApproverStatus;
  tier: number | null;
  escalatedAt: string | null;
  /** True only when the data shows this entry names the viewer: a user entry with their name or
   * email, or a webhook delivery that named them for it. False means "not known", not "not you". */
  includesViewer: boolean;
}

export interface DecisionRecord {
  outcome: Outcome;
  /** A person when this app recorded the decision or a webhook named them; else the approver entry
   * whose status changed (kind set, email null); null when Apono shows no such entry. */
  decidedBy: { name: string; email: string | null; kind: string | null } | null;
  decidedAt: string | null;
  reason: string | null;
  /** 'app': decided through this app, so who, when and why are known. 'apono': decided elsewhere;
   * Apono's client API does not share the reason. */
  source: 'app' | 'apono';
}

export interface ApprovalRequest {
  /** The ID Apono's client API uses for this request (the `id` MyTasks returns): every path takes it. */
  id: string;
  /** The ID people know from Apono's UI (a webhook's friendly_id) when known, else `id`. */
  displayId: string;
  /** Apono's status exactly as sent ("Pending", "Active", ... or a value this app does not know). */
  status: string;
  state: RequestState;
  /** What a person reads for the status; an unknown status verbatim. */
  statusLabel: string;
  statusDescription: string | null;
  requester: Person;
  grantee: { name: string; type: string } | null;
  /** Apono's client API has no flow name; a webhook delivery's access_flow.name when one was seen. */
  accessFlow: string | null;
  justification: string | null;
  createdAt: string;
  durationSeconds: number | null;
  /** The approver's reason is mandatory (the flow's Require Approve Reason), unless the account disables reasons. */
  requireReason: boolean;
  /** The account turned approver reasons off (session settings.disable_approver_reason): no reason field. */
  reasonDisabled: boolean;
  integrations: Integration[];
  resourceTypes: string[];
  accessUnits: AccessUnit[];
  /** False when accessUnits holds only Apono's summary; the details view loads every unit. */
  accessUnitsComplete: boolean;
  totalResources: number;
  totalPermissions: number;
  approval: {
    relation: ApprovalRelation;
    currentTier: number | null;
    approvers: ApproverEntry[];
  } | null;
  viewer: {
    email: string;
    isRequester: boolean;
    /** Why the viewer is an approver, claiming no more than the data shows; empty when unknown. */
    /** Why Apono asks this viewer, as catalogue messages (common.why.*) the tab and cards word. */
    approverReasons: Message[];
    /** Apono asks the viewer now (listed under MyTasks), the request waits, and it is not their own. */
    canDecide: boolean;
    /** Why not, when canDecide is false. */
    cannotDecide: CannotDecide | null;
    /** The viewer's own decision, when this app recorded it or a user entry naming them shows it. */
    decided: Outcome | null;
  };
  decision: DecisionRecord | null;
}

export type CannotDecide =
  'not_pending' | 'requester' | 'not_an_approver' | 'tier_not_reached' | 'already_decided';

export interface Viewer {
  email: string;
  name?: string | null;
  aponoUserId?: string | null;
}

/** A decision made through this app, as our store keeps it. */
export interface AppDecision {
  outcome: Outcome;
  by: { name: string; email: string | null };
  reason: string | null;
  /** ISO time. */
  at: string;
}

/** What webhook deliveries said about a request (docs.apono.io "Webhook Payload Schema Reference"). */
export interface RequestFacts {
  friendlyId?: string | null;
  accessFlow?: string | null;
  /** `approvals[]`: which approver entry named whom; `at` is the delivery's event time (ISO). */
  approvers?: Array<{
    entry: string;
    kind: string;
    status: ApproverStatus | null;
    person: { name: string | null; email: string | null };
    at: string | null;
  }>;
}

export interface MappingContext {
  viewer: Viewer;
  /** Apono lists this request under the viewer's MyTasks: the only sign that they may decide. */
  listedForViewer: boolean;
  /** Every unit of every access group, for the details. */
  units?: AponoAccessUnit[];
  /** Decisions recorded by this app for this request, oldest first. */
  decisions?: AppDecision[];
  facts?: RequestFacts | null;
  /** Session settings.disable_approver_reason. */
  reasonDisabled?: boolean;
  now?: Date;
}

const toIso = (seconds: number): string => new Date(Math.round(seconds * 1000)).toISOString();

export const sameEmail = (a: string | null | undefined, b: string | null | undefined): boolean =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

const sameName = (a: string | null | undefined, b: string | null | undefined): boolean =>
  !!a && !!b && a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/** An entry names the viewer when it is a user entry with their name or email, or a webhook said so. */
function namesViewer(entry: AponoApprover, viewer: Viewer, facts: RequestFacts | null | undefined): boolean {
  if (
    entry.type.toLowerCase() === 'user' &&
    (sameEmail(entry.name, viewer.email) || sameName(entry.name, viewer.name))
  )
    return true;
  return (facts?.approvers ?? []).some(
    (h) => h.entry === entry.name && sameKind(h.kind, entry.type) && sameEmail(h.person.email, viewer.email),
  );
}

const sameKind = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** An approver entry as a phrase in the reader's language (catalogue keys common.approver.*). */
export function approverMessage(entry: Pick<AponoApprover, 'name' | 'type'>): Message {
  const kind = entry.type.toLowerCase();
  const name = entry.name;
  if (kind === 'user') return message('approver.user', { name });
  if (kind === 'manager') return message('approver.manager');
  if (kind.includes('owner')) return message('approver.owner', { name });
  if (kind === 'oncall' || kind === 'on_call') return message('approver.onCall', { name });
  if (kind === 'group') return message('approver.group', { name });
  return message('approver.other', { kind, name });
}

/** An escalation tier is open from the start (the first tier) or once Apono escalated it. */
function tierReached(approver: AponoApprover, all: AponoApprover[], nowSeconds: number): boolean {
  if (approver.tier == null) return true;
  const first = Math.min(...all.map((a) => a.tier ?? Infinity));
  return (
    approver.tier <= first || (approver.tier_escalated_at != null && approver.tier_escalated_at <= nowSeconds)
  );
}

/**
 * When the mapping of `model` would next change with nothing else changing, in epoch ms: the mapping
 * reads the clock only to tell which escalation tiers are open (tierReached), so that is the first
 * tier_escalated_at still ahead of `now`; Infinity when none is.
 */
export function mappingHoldsUntil(model: AponoAccessRequest, now: Date): number {
  const nowSeconds = now.getTime() / 1000;
  const ahead = (model.challenge?.approvers ?? [])
    .map((a) => a.tier_escalated_at)
    .filter((at): at is number => at != null && at > nowSeconds);
  return ahead.length ? Math.min(...ahead) * 1000 : Infinity;
}

function whyApprover(
  mine: AponoApprover[],
  all: AponoApprover[],
  listed: boolean,
  nowSeconds: number,
): Message[] {
  const reasons = mine.map((e) =>
    e.type.toLowerCase() === 'user'
      ? message('why.named')
      : message('why.through', { entry: approverMessage(e) }),
  );
  if (reasons.length || !listed) return uniqueMessages(reasons);
  const open = all.filter((a) => a.status === 'Pending' && tierReached(a, all, nowSeconds));
  if (!open.length) return [];
  return [message('why.oneOf', { entries: uniqueMessages(open.map(approverMessage)) })];
}

const uniqueMessages = (messages: Message[]): Message[] => [
  ...new Map(messages.map((m) => [JSON.stringify(m), m])).values(),
];

/** The outcome the status and the approver entries show; a pending request has none yet. */
function outcomeOf(model: AponoAccessRequest, state: RequestState): Outcome | null {
  if (isWaiting(state)) return null;
  const approvers = model.challenge?.approvers ?? [];
  // Revoked also ends access that ran out; only an approver entry shows whether anyone approved it.
  const revoked = state === 'revoked' || state === 'revoking';
  if (revoked && approvers.length && !approvers.some((a) => a.status === 'Approved')) return null;
  return (
    outcomeOfState(state) ??
    (approvers.some((a) => a.status === 'Rejected')
      ? 'rejected'
      : state === 'failed' && approvers.some((a) => a.status === 'Approved')
        ? 'approved'
        : null)
  );
}

function decisionOf(
  model: AponoAccessRequest,
  state: RequestState,
  context: MappingContext,
): DecisionRecord | null {
  const outcome = outcomeOf(model, state);
  if (!outcome) return null;
  const ours = (context.decisions ?? []).filter((d) => d.outcome === outcome).at(-1);
  if (ours)
    return {
      outcome,
      decidedBy: { name: ours.by.name, email: ours.by.email, kind: null },
      decidedAt: ours.at,
      reason: ours.reason,
      source: 'app',
    };
  const entryStatus: ApproverStatus = outcome === 'approved' ? 'Approved' : 'Rejected';
  const entry = (model.challenge?.approvers ?? []).filter((a) => a.status === entryStatus).at(-1);
  const hint = entry
    ? (context.facts?.approvers ?? []).find(
        (h) =>
          h.entry === entry.name &&
          sameKind(h.kind, entry.type) &&
          h.status === entryStatus &&
          (h.person.name || h.person.email),
      )
    : undefined;
  return {
    outcome,
    decidedBy: hint
      ? { name: hint.person.name ?? hint.person.email ?? '', email: hint.person.email, kind: entry!.type }
      : entry
        ? { name: entry.name, email: null, kind: entry.type }
        : null,
    decidedAt: hint?.at ?? null,
    reason: null,
    source: 'apono',
  };
}

function unitsFromModel(model: AponoAccessRequest): AccessUnit[] {
  const onlyGroup = model.access_groups.length === 1 ? model.access_groups[0] : undefined;
  return (model.access_units_summary ?? []).map((u) => ({
    resource: u.resource_name,
    resourcePath: null,
    resourceType: onlyGroup?.resource_types[0]?.name ?? null,
    integration: onlyGroup?.integration.name ?? null,
    permission: u.permission_name,
  }));
}

export function unitFromApono(unit: AponoAccessUnit): AccessUnit {
  return {
    resource: unit.resource.name,
    resourcePath: unit.resource.path,
    resourceType: unit.resource.type.name,
    integration: unit.resource.integration.name,
    permission: unit.permission.name,
  };
}

function cannotDecide(
  state: RequestState,
  isRequester: boolean,
  decided: Outcome | null,
  listed: boolean,
  mine: AponoApprover[],
  all: AponoApprover[],
  nowSeconds: number,
): CannotDecide | null {
  if (!isWaiting(state)) return 'not_pending';
  if (isRequester) return 'requester';
  if (decided) return 'already_decided';
  if (listed) return null;
  const unreached = mine.length > 0 && mine.every((a) => !tierReached(a, all, nowSeconds));
  return unreached ? 'tier_not_reached' : 'not_an_approver';
}

function viewerDecision(mine: AponoApprover[], viewer: Viewer, decisions: AppDecision[]): Outcome | null {
  const recorded = decisions.filter((d) => sameEmail(d.by.email, viewer.email)).at(-1);
  if (recorded) return recorded.outcome;
  // A user entry names one person, so its status is that person's decision.
  const own = mine.find((a) => a.type.toLowerCase() === 'user' && a.status !== 'Pending');
  return own ? (own.status === 'Approved' ? 'approved' : 'rejected') : null;
}

/**
 * Every string of the view model through the display rule (display-text.ts), so no bidi control
 * that someone typed into Apono reaches the tab, a card or a search match; a field added later is
 * covered too. `id` keys stay as Apono's API gave them: requests are addressed by them.
 */
function shown<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (key === 'id' ? value : displayText(value)) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => shown(item)) as T;
  if (value && typeof value === 'object') {
    // One new object per object, not entries and pairs too: a listing maps thousands of these.
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(value)) copy[k] = shown((value as Record<string, unknown>)[k], k);
    return copy as T;
  }
  return value;
}

/** Map Apono's request to what the viewer sees. */
export function toApprovalRequest(model: AponoAccessRequest, context: MappingContext): ApprovalRequest {
  return shown(mapRequest(model, context));
}

function mapRequest(model: AponoAccessRequest, context: MappingContext): ApprovalRequest {
  const { viewer, facts, units } = context;
  const nowSeconds = (context.now ?? new Date()).getTime() / 1000;
  const state = stateOf(model.status.status);
  const approvers = model.challenge?.approvers ?? [];
  const mine = approvers.filter((a) => namesViewer(a, viewer, facts));
  const isRequester =
    sameEmail(model.requestor.email, viewer.email) ||
    (!!viewer.aponoUserId && viewer.aponoUserId === model.requestor.id);
  const decided = viewerDecision(mine, viewer, context.decisions ?? []);
  const tiers = approvers.filter((a) => a.tier != null);
  const escalated = tiers.filter((a) => a.tier_escalated_at != null).map((a) => a.tier as number);
  const currentTier = tiers.length
    ? escalated.length
      ? Math.max(...escalated)
      : Math.min(...tiers.map((a) => a.tier as number))
    : null;
  const accessUnits = units ? units.map(unitFromApono) : unitsFromModel(model);
  const listed = context.listedForViewer;
  const blocked = cannotDecide(state, isRequester, decided, listed, mine, approvers, nowSeconds);
  const sum = (
    pick: (g: AponoAccessRequest['access_groups'][number]) => number | null | undefined,
    fallback: number,
  ) => model.access_groups.reduce((n, g) => n + (pick(g) ?? 0), 0) || fallback;
  const reasonDisabled = context.reasonDisabled === true;
  return {
    id: model.id,
    displayId: facts?.friendlyId || model.id,
    status: model.status.status,
    state,
    statusLabel: statusLabel(model.status.status),
    statusDescription: model.status.description ?? null,
    requester: { id: model.requestor.id, name: model.requestor.name, email: model.requestor.email },
    grantee: model.grantee ? { name: model.grantee.display_name, type: model.grantee.type } : null,
    accessFlow: facts?.accessFlow ?? null,
    justification: model.justification ?? null,
    createdAt: toIso(model.creation_time),
    durationSeconds: model.duration_in_sec ?? null,
    requireReason: !reasonDisabled && model.require_approver_reason === true,
    reasonDisabled,
    integrations: model.access_groups.map((g) => ({
      id: g.integration.id,
      name: g.integration.name,
      type: g.integration.type,
      typeDisplayName: g.integration.type_display_name,
    })),
    resourceTypes: [
      ...new Set(model.access_groups.flatMap((g) => g.resource_types.map((t) => t.display_path || t.name))),
    ],
    accessUnits,
    accessUnitsComplete: !!units || accessUnits.length >= sum((g) => g.total_resources, 0),
    totalResources: sum((g) => g.total_resources, new Set(accessUnits.map((u) => u.resource)).size),
    totalPermissions: sum((g) => g.total_permissions, new Set(accessUnits.map((u) => u.permission)).size),
    approval: model.challenge
      ? {
          relation: model.challenge.logical_relation,
          currentTier,
          approvers: approvers.map((a) => ({
            name: a.name,
            type: a.type,
            status: a.status,
            tier: a.tier ?? null,
            escalatedAt: a.tier_escalated_at != null ? toIso(a.tier_escalated_at) : null,
            includesViewer: mine.includes(a),
          })),
        }
      : null,
    viewer: {
      email: viewer.email,
      isRequester,
      approverReasons: whyApprover(mine, approvers, listed && !isRequester, nowSeconds),
      canDecide: blocked === null,
      cannotDecide: blocked,
      decided,
    },
    decision: decisionOf(model, state, context),
  };
}

/** Oldest first, so nothing ages out unseen. */
export function oldestFirst(a: ApprovalRequest, b: ApprovalRequest): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** The viewer's own decision with this outcome is known (our record, or a user entry naming them).
 * A group colleague's decision does not count. */
export function viewerDecided(request: ApprovalRequest, outcome: Outcome): boolean {
  return request.viewer.decided === outcome;
}
