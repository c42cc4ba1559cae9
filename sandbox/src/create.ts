// Builds a new pending request from a flow and the requested resources, resolving each approver
// spec into the entries (and the people they name) that Apono would show.
import { findFlow, findIntegration, findResource, groups, oncallSchedules } from './catalog.js';
import type { AccessFlow, ApproverSpec, Resource } from './catalog.js';
import { SandboxError } from './errors.js';
import type { AccessGroupRecord, ApproverEntry, RequestRecord } from './model.js';
import { internalIdOf, stableUuid } from './request-ids.js';
import { findUser } from './users.js';
import type { SandboxUser } from './users.js';

export interface NewRequest {
  /** AR-1042; the internal ID is derived from it. */
  friendlyId: string;
  requesterEmail: string;
  flowId: string;
  /** Resource id or name, and permission name. */
  units: Array<[resource: string, permission: string]>;
  justification: string | null;
  /** Epoch seconds. */
  createdAt: number;
  durationSeconds: number | null;
}

const entry = (
  spec: ApproverSpec,
  name: string,
  members: string[],
  userEmail: string | null = null,
): ApproverEntry => ({
  kind: spec.kind,
  name,
  tier: spec.tier ?? null,
  escalatedAt: null,
  members,
  userEmail,
  status: 'Pending',
  decision: null,
});

function resolve(spec: ApproverSpec, requester: SandboxUser, requested: Resource[]): ApproverEntry[] {
  switch (spec.kind) {
    case 'user': {
      const user = findUser(spec.ref ?? '');
      return user ? [entry(spec, user.name, [user.email], user.email)] : [];
    }
    case 'group': {
      const group = groups[spec.ref ?? ''];
      return group ? [entry(spec, group.name, group.members)] : [];
    }
    case 'oncall': {
      const schedule = oncallSchedules[spec.ref ?? ''];
      return schedule ? [entry(spec, schedule.name, schedule.onCall)] : [];
    }
    case 'manager':
      return [entry(spec, "Requester's manager", requester.managerEmail ? [requester.managerEmail] : [])];
    case 'resource_owner':
      return requested.filter((r) => r.owners.length).map((r) => entry(spec, r.name, r.owners));
    case 'integration_owner':
      return [...new Set(requested.map((r) => r.integrationId))].map((id) => {
        const integration = findIntegration(id);
        return entry(spec, integration?.name ?? id, integration?.owners ?? []);
      });
  }
}

function groupUnits(
  request: NewRequest,
  flow: AccessFlow,
): { groups: AccessGroupRecord[]; requested: Resource[] } {
  const groupsById = new Map<string, AccessGroupRecord>();
  const requested: Resource[] = [];
  for (const [name, permission] of request.units) {
    const resource = findResource(name);
    if (!resource) throw new SandboxError(400, `Resource ${name} was not found`);
    if (!flow.integrationIds.includes(resource.integrationId))
      throw new SandboxError(400, `Access flow ${flow.name} does not cover resource ${resource.name}`);
    const allowed = findIntegration(resource.integrationId)?.permissions ?? [];
    if (!allowed.includes(permission))
      throw new SandboxError(400, `Permission ${permission} does not exist on ${resource.name}`);
    const groupId = stableUuid(`access-group/${request.friendlyId}/${resource.integrationId}`);
    const group = groupsById.get(groupId) ?? {
      id: groupId,
      integrationId: resource.integrationId,
      units: [],
    };
    group.units.push({
      id: stableUuid(`access-unit/${groupId}/${group.units.length + 1}`),
      resourceId: resource.id,
      permission,
    });
    groupsById.set(groupId, group);
    if (!requested.includes(resource)) requested.push(resource);
  }
  return { groups: [...groupsById.values()], requested };
}

export function createRequestRecord(request: NewRequest): RequestRecord {
  const requester = findUser(request.requesterEmail);
  if (!requester) throw new SandboxError(400, `User ${request.requesterEmail} was not found`);
  const flow = findFlow(request.flowId);
  if (!flow) throw new SandboxError(400, `Access flow ${request.flowId} was not found`);
  if (!request.units.length) throw new SandboxError(400, 'Request at least one resource');
  const { groups: accessGroups, requested } = groupUnits(request, flow);
  return {
    friendlyId: request.friendlyId,
    internalId: internalIdOf(request.friendlyId),
    requesterEmail: requester.email,
    flowId: flow.id,
    justification: request.justification,
    createdAt: request.createdAt,
    durationSeconds: request.durationSeconds,
    status: 'Pending',
    accessGroups,
    approvers: flow.approvers.flatMap((spec) => resolve(spec, requester, requested)),
    grantedAt: null,
    revokedAt: null,
  };
}
