// Wording shared by the tab and the cards: durations, ages, and where an AllOf approval stands.
// Numbers and units are written by Intl in the reader's locale (locale.ts); sentences are
// catalogue messages (message.ts).
import { approverMessage, type ApprovalRequest, type ApproverStatus } from './approval-request.js';
import { formatters } from './locale.js';
import type { Message } from './message.js';

/** "1 hour", "2 Stunden", "1 day 2 hours" in `locale`; null means access with no end date. */
export function formatDuration(seconds: number | null | undefined, locale = 'en'): string | null {
  return formatters(locale).duration(seconds);
}

/** How long a request has waited, in `locale`: "now", "12 min", "3 hr", "2 days". */
export function formatWaited(createdAt: string, now: Date = new Date(), locale = 'en'): string {
  return formatters(locale).waited(createdAt, now);
}

/**
 * Where an AllOf request stands: the approver entries that approved and those still pending (as
 * phrases, "group SRE Leads"), from Apono's challenge.approvers. Null for AnyOf or no approvers.
 */
export function allOfProgress(
  approval: ApprovalRequest['approval'],
): { approved: Message[]; needed: Message[] } | null {
  if (approval?.relation !== 'AllOf' || !approval.approvers.length) return null;
  const phrases = (status: ApproverStatus) =>
    approval.approvers.filter((a) => a.status === status).map(approverMessage);
  return { approved: phrases('Approved'), needed: phrases('Pending') };
}
