import type { Decision } from '@apono-teams/domain/reason.js';

export const reasonDialogTitle = (decision: Decision) =>
  `Please provide a reason for ${decision === 'approve' ? 'approval' : 'rejection'}`;
