// Shapes a stored request into Apono's client model for one caller: `includes_you` on the entries
// that name them (only once their tier is reached, so the app never offers a decision Apono would
// refuse), `user_email` on user entries, the flow name and the decision in the metadata maps.
import { approverMetadata, statusMetadata } from '@apono-teams/domain/apono.js';
import type { AponoAccessRequest, AponoAccessUnit, AponoApprover } from '@apono-teams/domain/apono.js';
import { findFlow, findIntegration, findResource } from './catalog.js';
import type { Integration } from './catalog.js';
import { tierReached, names } from './decide.js';
import type { AccessGroupRecord, ApproverEntry, DecisionMark, RequestRecord } from './model.js';
import { findUser } from './users.js';

const icons = { png: '', svg: '' };

function decisionMetadata(mark: DecisionMark | null): Record<string, string> {
  if (!mark) return {};
  return {
    [statusMetadata.decidedByName]: mark.byName,
    [statusMetadata.decidedByEmail]: mark.byEmail,
    [statusMetadata.decidedAt]: String(mark.at),
    ...(mark.reason ? { [statusMetadata.reason]: mark.reason } : {}),
  };
}

function approverFor(
  request: RequestRecord,
  entry: ApproverEntry,
  callerEmail: string,
  at: number,
): AponoApprover {
  const metadata: Record<string, string> = { ...decisionMetadata(entry.decision) };
  if (entry.userEmail) metadata[approverMetadata.userEmail] = entry.userEmail;
  if (names(entry, callerEmail) && tierReached(request, entry, at))
    metadata[approverMetadata.includesYou] = 'true';
  return {
    name: entry.name,
    type: entry.kind,
    status: entry.status,
    metadata,
    tier: entry.tier,
    tier_escalated_at: entry.escalatedAt,
  };
}

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

export function toClientModel(
  request: RequestRecord,
  callerEmail: string,
  at: number,
  summaryLimit = 5,
): AponoAccessRequest {
  const requester = findUser(request.requesterEmail);
  const flow = findFlow(request.flowId);
  const units = request.accessGroups.flatMap((g) => unitModels(g));
  const distinct = (values: string[]) => new Set(values).size;
  return {
    id: request.id,
    requestor: {
      id: requester?.id ?? request.requesterEmail,
      name: requester?.name ?? '',
      email: request.requesterEmail,
    },
    grantee: requester
      ? { id: requester.id, source_id: requester.email, display_name: requester.name, type: 'user' }
      : null,
    creation_time: request.createdAt,
    revocation_time:
      request.grantedAt != null && request.durationSeconds != null
        ? request.grantedAt + request.durationSeconds
        : null,
    status: {
      status: request.status,
      description: null,
      metadata: {
        ...(flow ? { [statusMetadata.accessFlowName]: flow.name } : {}),
        ...decisionMetadata(request.decision),
      },
    },
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
      approvers: request.approvers.map((a) => approverFor(request, a, callerEmail, at)),
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
