import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';

/** A pending request as the API sends it, with only what a test cares about changed. */
export function pendingRequest(overrides: Partial<ApprovalRequest> & { id: string }): ApprovalRequest {
  return {
    status: 'PENDING',
    statusDescription: null,
    requester: { id: 'u-megan', name: 'Megan Bowen', email: 'meganb@example.com' },
    grantee: null,
    accessFlow: 'Production databases',
    justification: 'Investigating an incident',
    createdAt: '2026-01-01T10:00:00.000Z',
    durationSeconds: 3600,
    requireReason: false,
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
      approverReasons: [],
      canDecide: true,
      cannotDecide: null,
    },
    decision: null,
    ...overrides,
  };
}
