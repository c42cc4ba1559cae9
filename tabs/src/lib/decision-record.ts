// How a decision reads, wherever the tab shows one (history, details, "already decided"). A
// decision made through this app names who, when and why; one made elsewhere shows only what
// Apono's client API gives: the approver entry whose status changed, and no reason.
import { approverMessage, type DecisionRecord } from '@apono-teams/domain/approval-request.js';
import type { Message, Translate } from '@apono-teams/domain/message.js';

/** The tab's `t` (namespace "tab"), a domain message in words, and a moment in the reader's zone. */
export interface DecisionWords {
  t: Translate;
  say: (m: Message) => string;
  dateTime: (iso: string) => string;
}

/**
 * Who decided: a person ("Adele Vance", with their email when `withEmail`), or the approver entry
 * Apono shows ("group SRE Leads", "the requester's manager"); null when nothing says.
 */
export function deciderName(
  record: DecisionRecord,
  words: Pick<DecisionWords, 't' | 'say'>,
  options: { withEmail?: boolean } = {},
): string | null {
  const by = record.decidedBy;
  if (!by) return null;
  // An email means a person (our own record, or a webhook delivery that named them).
  if (by.email) {
    if (!by.name || by.name === by.email) return by.email;
    return options.withEmail
      ? words.t('decision.nameWithEmail', { name: by.name, email: by.email })
      : by.name;
  }
  return by.kind ? words.say(approverMessage({ name: by.name, type: by.kind })) : by.name || null;
}

/** One or two sentences: "Adele Vance approved it on …. Their reason: “…”." */
export function describeDecisionRecord(record: DecisionRecord, words: DecisionWords): string {
  const { t } = words;
  const who = deciderName(record, words);
  const date = record.decidedAt ? words.dateTime(record.decidedAt) : null;
  // A whole sentence for each case (who and when known or not): word order differs by language.
  const on = date ? 'On' : '';
  if (record.source === 'apono') {
    const key = `decision.record.apono.${record.outcome}${who ? 'By' : ''}${on}`;
    return `${t(key, { who, date })} ${t('decision.reasonNotShared')}`;
  }
  const main = t(`decision.record.app.${record.outcome}${on}`, {
    who: who ?? t('decision.record.someone'),
    date,
  });
  return record.reason ? `${main} ${t('decision.record.theirReason', { reason: record.reason })}` : main;
}
