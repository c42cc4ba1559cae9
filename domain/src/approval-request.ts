// The approval request as an approver sees it, shared by the tab, the API and the cards, and the
// one mapping from Apono's client model to it.
import { approverMetadata, statusMetadata } from './apono.js';
import type { AponoAccessRequest, AponoAccessUnit, AponoApprover } from './apono.js';

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
  /** True when this entry names the viewer (as a user, group member, manager, owner or on-call). */
  includesViewer: boolean;
}

export interface DecisionRecord {
  outcome: Outcome;
  decidedBy: { name: string; email: string | null } | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface ApprovalRequest {
  id: string;
  /** Upper-case Apono status: PENDING, APPROVED, REJECTED, GRANTED, EXPIRED, REVOKED, FAILED... */
  status: string;
  statusDescription: string | null;
  requester: Person;
  grantee: { name: string; type: string } | null;
  accessFlow: string | null;
  justification: string | null;
  createdAt: string;
  durationSeconds: number | null;
  requireReason: boolean;
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
    /** Why the viewer is an approver of this request, one sentence per matching approver entry. */
    approverReasons: string[];
    /** The viewer may decide now: the request is pending and one of their reached entries still waits. */
    canDecide: boolean;
    /** Why not, when canDecide is false. */
    cannotDecide: CannotDecide | null;
  };
  decision: DecisionRecord | null;
}

export type CannotDecide =
  'not_pending' | 'requester' | 'not_an_approver' | 'tier_not_reached' | 'already_decided';

export interface Viewer {
  email: string;
  aponoUserId?: string | null;
}

const toIso = (seconds: number): string => new Date(Math.round(seconds * 1000)).toISOString();

export const sameEmail = (a: string | null | undefined, b: string | null | undefined): boolean =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

export function approverIncludes(approver: AponoApprover, viewer: Viewer): boolean {
  const meta = approver.metadata ?? {};
  return (
    meta[approverMetadata.includesYou] === 'true' || sameEmail(meta[approverMetadata.userEmail], viewer.email)
  );
}

export function whyApprover(approver: Pick<AponoApprover, 'name' | 'type'>): string {
  switch (approver.type.toLowerCase()) {
    case 'user':
      return 'You are named as an approver in this access flow';
    case 'group':
      return `You are a member of ${approver.name}`;
    case 'manager':
      return "You are the requester's manager";
    case 'resource_owner':
      return `You own the requested resource (${approver.name})`;
    case 'integration_owner':
      return `You own the integration (${approver.name})`;
    case 'oncall':
    case 'on_call':
      return `You are on call (${approver.name})`;
    default:
      return `You are an approver as ${approver.type}: ${approver.name}`;
  }
}

/** The final decision; a pending request (an AllOf half-approved, say) has none yet. */
function decisionOf(model: AponoAccessRequest): DecisionRecord | null {
  if (model.status.status.toLowerCase() === 'pending') return null;
  const approvers = model.challenge?.approvers ?? [];
  const rejected = approvers.find((a) => a.status === 'Rejected');
  const status = model.status.status.toLowerCase();
  const outcome: Outcome | null =
    rejected || status === 'rejected'
      ? 'rejected'
      : approvers.some((a) => a.status === 'Approved') || ['approved', 'granted'].includes(status)
        ? 'approved'
        : null;
  if (!outcome) return null;
  const decider = rejected ?? approvers.filter((a) => a.status === 'Approved').at(-1);
  const meta = { ...(decider?.metadata ?? {}), ...model.status.metadata };
  const name = meta[statusMetadata.decidedByName] ?? meta[approverMetadata.decidedByName];
  const email = meta[statusMetadata.decidedByEmail] ?? null;
  const at = meta[statusMetadata.decidedAt];
  return {
    outcome,
    decidedBy: name ? { name, email } : null,
    decidedAt: at ? toIso(Number(at)) : null,
    reason: meta[statusMetadata.reason] || null,
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

/** An escalation tier is open from the start (the first tier) or once Apono escalated it. */
function tierReached(approver: AponoApprover, all: AponoApprover[], nowSeconds: number): boolean {
  if (approver.tier == null) return true;
  const first = Math.min(...all.map((a) => a.tier ?? Infinity));
  return (
    approver.tier <= first || (approver.tier_escalated_at != null && approver.tier_escalated_at <= nowSeconds)
  );
}

function cannotDecide(
  status: string,
  isRequester: boolean,
  mine: AponoApprover[],
  all: AponoApprover[],
  nowSeconds: number,
): CannotDecide | null {
  if (status !== 'PENDING') return 'not_pending';
  if (isRequester) return 'requester';
  if (!mine.length) return 'not_an_approver';
  const reached = mine.filter((a) => tierReached(a, all, nowSeconds));
  if (!reached.length) return 'tier_not_reached';
  return reached.some((a) => a.status === 'Pending') ? null : 'already_decided';
}

/** Map Apono's request to what the viewer sees. Pass `units` (every access-group unit) for the full details. */
export function toApprovalRequest(
  model: AponoAccessRequest,
  viewer: Viewer,
  units?: AponoAccessUnit[],
  now: Date = new Date(),
): ApprovalRequest {
  const status = model.status.status.toUpperCase();
  const approvers = model.challenge?.approvers ?? [];
  const mine = approvers.filter((a) => approverIncludes(a, viewer));
  const isRequester =
    sameEmail(model.requestor.email, viewer.email) ||
    (!!viewer.aponoUserId && viewer.aponoUserId === model.requestor.id);
  const tiers = approvers.filter((a) => a.tier != null);
  const escalated = tiers.filter((a) => a.tier_escalated_at != null).map((a) => a.tier as number);
  const currentTier = tiers.length
    ? escalated.length
      ? Math.max(...escalated)
      : Math.min(...tiers.map((a) => a.tier as number))
    : null;
  const accessUnits = units ? units.map(unitFromApono) : unitsFromModel(model);
  const blocked = cannotDecide(status, isRequester, mine, approvers, now.getTime() / 1000);
  const sum = (
    pick: (g: AponoAccessRequest['access_groups'][number]) => number | null | undefined,
    fallback: number,
  ) => model.access_groups.reduce((n, g) => n + (pick(g) ?? 0), 0) || fallback;
  return {
    id: model.id,
    status,
    statusDescription: model.status.description ?? null,
    requester: { id: model.requestor.id, name: model.requestor.name, email: model.requestor.email },
    grantee: model.grantee ? { name: model.grantee.display_name, type: model.grantee.type } : null,
    accessFlow: model.status.metadata[statusMetadata.accessFlowName] ?? null,
    justification: model.justification ?? null,
    createdAt: toIso(model.creation_time),
    durationSeconds: model.duration_in_sec ?? null,
    requireReason: model.require_approver_reason === true,
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
            includesViewer: approverIncludes(a, viewer),
          })),
        }
      : null,
    viewer: {
      email: viewer.email,
      isRequester,
      approverReasons: [...new Set(mine.map(whyApprover))],
      canDecide: blocked === null,
      cannotDecide: blocked,
    },
    decision: decisionOf(model),
  };
}

/** Oldest first, so nothing ages out unseen. */
export function oldestFirst(a: ApprovalRequest, b: ApprovalRequest): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** The viewer's own decision with this outcome is recorded: the request's final decision names them, or
 * (still pending, AllOf) one of their approver entries carries it. A group colleague's decision does not count. */
export function viewerDecided(request: ApprovalRequest, outcome: Outcome): boolean {
  if (request.decision)
    return (
      request.decision.outcome === outcome &&
      sameEmail(request.decision.decidedBy?.email, request.viewer.email)
    );
  const entryStatus: ApproverStatus = outcome === 'approved' ? 'Approved' : 'Rejected';
  const mine = request.approval?.approvers.filter((a) => a.includesViewer) ?? [];
  return request.status === 'PENDING' && mine.some((a) => a.status === entryStatus);
}
