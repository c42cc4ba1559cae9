import { message } from '@apono-teams/domain/message.js';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';

/** A pending request as the API sends it, with only what a test cares about changed. */
export function pendingRequest(overrides: Partial<ApprovalRequest> & { id: string }): ApprovalRequest {
  return {
    displayId: overrides.id,
    status: 'Pending',
    state: 'waiting',
    statusLabel: 'Pending',
    statusDescription: null,
    requester: { id: 'u-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: null,
    // Apono's client API names no access flow.
    accessFlow: null,
    justification: 'Investigating an incident',
    createdAt: '2026-01-01T10:00:00.000Z',
    durationSeconds: 3600,
    requireReason: false,
    reasonDisabled: false,
    integrations: [{ id: 'i-pg', name: 'Postgres prod', type: 'postgresql', typeDisplayName: 'PostgreSQL' }],
    resourceTypes: ['database'],
    accessUnits: [
      {
        resource: 'orders',
        resourcePath: null,
        resourceType: 'database',
        integration: 'Postgres prod',
        permission: 'read',
      },
    ],
    accessUnitsComplete: true,
    totalResources: 1,
    totalPermissions: 1,
    approval: null,
    viewer: {
      email: 'alexw@example.com',
      isRequester: false,
      approverReasons: [
        message('why.oneOf', { entries: [message('approver.group', { name: 'SRE Leads' })] }),
      ],
      canDecide: true,
      cannotDecide: null,
      decided: null,
    },
    decision: null,
    ...overrides,
  };
}

/** The same request once Apono granted it (approved through this app by Alex). */
export function approvedRequest(overrides: Partial<ApprovalRequest> & { id: string }): ApprovalRequest {
  return pendingRequest({
    status: 'Active',
    state: 'active',
    statusLabel: 'Active',
    viewer: {
      email: 'alexw@example.com',
      isRequester: false,
      approverReasons: [],
      canDecide: false,
      cannotDecide: 'not_pending',
      decided: 'approved',
    },
    decision: {
      outcome: 'approved',
      decidedBy: { name: 'Alex Wilber', email: 'alexw@example.com', kind: null },
      decidedAt: '2026-01-01T11:00:00.000Z',
      reason: null,
      source: 'app',
    },
    ...overrides,
  });
}
