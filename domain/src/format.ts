// Human wording shared by the tab and the cards: durations, ages, and where an AllOf approval stands.
import { approverPhrase, type ApprovalRequest, type ApproverStatus } from './approval-request.js';

const units: Array<[number, string]> = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

/** "1 hour", "2 days 4 hours", "45 minutes"; null means access with no end date. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || seconds <= 0) return 'No end date';
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : `${Math.round(seconds)} seconds`;
}

/** How long a request has waited: "just now", "12 min", "3 h", "2 d". */
export function formatWaited(createdAt: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(createdAt)) / 60000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

/**
 * Where an AllOf request stands: the approver entries that approved and those still pending (as
 * phrases, "group SRE Leads"), from Apono's challenge.approvers. Null for AnyOf or no approvers.
 */
export function allOfProgress(
  approval: ApprovalRequest['approval'],
): { approved: string[]; needed: string[] } | null {
  if (approval?.relation !== 'AllOf' || !approval.approvers.length) return null;
  const phrases = (status: ApproverStatus) =>
    approval.approvers.filter((a) => a.status === status).map(approverPhrase);
  return { approved: phrases('Approved'), needed: phrases('Pending') };
}
