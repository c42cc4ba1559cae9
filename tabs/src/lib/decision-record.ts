// How a decision reads, wherever the tab shows one (history, details, "already decided"). A
// decision made through this app names who, when and why; one made elsewhere shows only what
// Apono's client API gives: the approver entry whose status changed, and no reason.
import { approverPhrase, type DecisionRecord } from '@apono-teams/domain/approval-request.js';

export const reasonNotShared = 'Apono does not share the reason for decisions made outside this app.';

/**
 * Who decided: a person ("Adele Vance", with their email when `withEmail`), or the approver entry
 * Apono shows ("group SRE Leads", "the requester's manager"); null when nothing says.
 */
export function deciderName(record: DecisionRecord, options: { withEmail?: boolean } = {}): string | null {
  const by = record.decidedBy;
  if (!by) return null;
  // An email means a person (our own record, or a webhook delivery that named them).
  if (by.email) {
    if (!by.name || by.name === by.email) return by.email;
    return options.withEmail ? `${by.name} (${by.email})` : by.name;
  }
  return by.kind ? approverPhrase({ name: by.name, type: by.kind }) : by.name || null;
}

/** One or two sentences: "Adele Vance approved it on …. Their reason: “…”." */
export function describeDecisionRecord(record: DecisionRecord, formatDate: (iso: string) => string): string {
  const verb = record.outcome === 'approved' ? 'approved' : 'rejected';
  const when = record.decidedAt ? ` on ${formatDate(record.decidedAt)}` : '';
  const who = deciderName(record);
  if (record.source === 'apono') {
    const past = record.outcome === 'approved' ? 'Approved' : 'Rejected';
    return `${past} in Apono${who ? ` by ${who}` : ''}${when}. ${reasonNotShared}`;
  }
  const why = record.reason ? ` Their reason: “${record.reason}”.` : '';
  return `${who ?? 'Someone'} ${verb} it${when}.${why}`;
}
