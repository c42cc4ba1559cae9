// Shapes a stored request into Apono's client model, exactly as Apono sends it: `metadata` maps are
// empty (Apono documents no key and its CLI reads none), and nothing depends on who asks. Which
// entry names the caller and who decided it stay in the sandbox's record.
import type { AponoAccessRequest, AponoAccessUnit, AponoApprover } from '@apono-teams/domain/apono.js';
import { findFlow, findIntegration, findResource } from './catalog.js';
import type { Integration } from './catalog.js';
import type { AccessGroupRecord, ApproverEntry, RequestRecord } from './model.js';
import { findUser } from './users.js';

const icons = { png: '', svg: '' };

/** A user entry's name is the person's display name ("Alex Wilber"), as Apono shows it. */
const approverModel = (entry: ApproverEntry): AponoApprover => ({
  name: entry.name,
  type: entry.kind,
  status: entry.status,
  metadata: {},
  tier: entry.tier,
  tier_escalated_at: entry.escalatedAt,
});

const integrationModel = (i: Integration) => ({
  id: i.id,
  type: i.type,
  type_display_name: i.typeDisplayName,
  name: i.name,
  icons,
});

const resourceTypeModel = (i: Integration) => ({
  id: i.resourceType.id,
  name: i.resourceType.name,
  display_path: `${i.typeDisplayName}/${i.resourceType.name}`,
  allow_multiple_permissions: true,
  icons,
});

/** When access ends or ended: the revocation, else the grant plus the duration; null before a grant. */
export function revocationTime(request: RequestRecord): number | null {
  if (request.revokedAt != null) return request.revokedAt;
  return request.grantedAt != null && request.durationSeconds != null
    ? request.grantedAt + request.durationSeconds
    : null;
}

export function unitModels(group: AccessGroupRecord): AponoAccessUnit[] {
  const integration = findIntegration(group.integrationId);
  if (!integration) return [];
  return group.units.map((unit) => {
    const resource = findResource(unit.resourceId);
    const name = resource?.name ?? unit.resourceId;
    return {
      id: unit.id,
      resource: {
        id: unit.resourceId,
        source_id: name,
        name,
        path: `${integration.name}/${name}`,
        type: resourceTypeModel(integration),
        integration: integrationModel(integration),
      },
      permission: { id: `perm-${unit.permission}`, name: unit.permission },
      status: null,
    };
  });
}

/** `id` is the ID the client API shows in the sandbox's mode (friendly or internal). */
export function toClientModel(request: RequestRecord, id: string, summaryLimit = 5): AponoAccessRequest {
  const requester = findUser(request.requesterEmail);
  const flow = findFlow(request.flowId);
  const units = request.accessGroups.flatMap((g) => unitModels(g));
  const distinct = (values: string[]) => new Set(values).size;
  return {
    id,
    requestor: {
      id: requester?.id ?? request.requesterEmail,
      name: requester?.name ?? '',
      email: request.requesterEmail,
    },
    grantee: requester
      ? { id: requester.id, source_id: requester.email, display_name: requester.name, type: 'user' }
      : null,
    creation_time: request.createdAt,
    revocation_time: revocationTime(request),
    status: { status: request.status, description: null, metadata: {} },
    justification: request.justification,
    access_groups: request.accessGroups.flatMap((g) => {
      const integration = findIntegration(g.integrationId);
      if (!integration) return [];
      return [
        {
          id: g.id,
          integration: integrationModel(integration),
          resource_types: [resourceTypeModel(integration)],
          has_new_credentials: false,
          status: { status: 'Success' as const, message: null },
          total_resources: distinct(g.units.map((u) => u.resourceId)),
          total_permissions: distinct(g.units.map((u) => u.permission)),
        },
      ];
    }),
    bundle: null,
    challenge: {
      logical_relation: flow?.relation ?? 'AnyOf',
      approvers: request.approvers.map(approverModel),
    },
    duration_in_sec: request.durationSeconds,
    custom_fields: {},
    require_approver_reason: flow?.requireApproverReason ?? false,
    favorite: false,
    access_units_summary: units
      .slice(0, Math.max(0, summaryLimit))
      .map((u) => ({ resource_name: u.resource.name, permission_name: u.permission.name })),
    distinct_resource_names: [...new Set(units.map((u) => u.resource.name))],
    extension_count: 0,
    extend_options: {
      can_extend: false,
      extension_availability: 'NotAvailable',
      extend_duration_in_sec: 0,
      remaining_extensions: 0,
    },
  };
}
