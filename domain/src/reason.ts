// The approver's reason, as Apono defines it: fewer than 124 characters, and mandatory for both
// approve and reject when the access flow has "Require Approve Reason" on. The tab, the API, the
// cards and the sandbox all call checkReason; the server never trusts the client's check.

// A reason Apono would take but the app could not store (NUL, half an emoji) is refused before Apono
// is called: the decision would be made and then its record and audit row would fail.
import { message, type Message } from './message.js';
import { hasUnstorableCharacter } from './storable-text.js';

export const MAX_REASON_LENGTH = 123;

export type Decision = 'approve' | 'reject';

export type ReasonProblem = 'reason_required' | 'reason_too_long' | 'reason_invalid';

export type ReasonCheck =
  { ok: true; reason: string | null } | { ok: false; code: ReasonProblem; message: string; length: number };

/** Length as Apono counts it: Unicode code points after trimming (an emoji is one, a combining mark is one). */
export function reasonLength(text: string | null | undefined): number {
  if (!text) return 0;
  let count = 0;
  for (const _ of text.trim()) count++;
  return count;
}

export function checkReason(
  text: string | null | undefined,
  rule: { required: boolean; decision: Decision },
): ReasonCheck {
  const trimmed = (text ?? '').trim();
  const length = reasonLength(trimmed);
  const noun = rule.decision === 'approve' ? 'approval' : 'rejection';
  if (hasUnstorableCharacter(trimmed)) {
    return {
      ok: false,
      code: 'reason_invalid',
      length,
      message:
        'The reason contains a character that cannot be stored (a null character or a broken emoji). Retype it without that character.',
    };
  }
  if (length === 0) {
    if (!rule.required) return { ok: true, reason: null };
    return {
      ok: false,
      code: 'reason_required',
      length,
      message: `This access flow requires a reason for ${noun}. Type a reason of up to ${MAX_REASON_LENGTH} characters.`,
    };
  }
  if (length > MAX_REASON_LENGTH) {
    return {
      ok: false,
      code: 'reason_too_long',
      length,
      message: `The reason is ${length} characters; Apono accepts up to ${MAX_REASON_LENGTH}. Shorten it by ${length - MAX_REASON_LENGTH}.`,
    };
  }
  return { ok: true, reason: trimmed };
}

/** A failed check as a catalogue message (common.reasonCheck.*), for the tab's field and the cards. */
export function reasonProblemMessage(check: ReasonCheck & { ok: false }, decision: Decision): Message {
  switch (check.code) {
    case 'reason_required':
      return message(`reasonCheck.required.${decision}`, { max: MAX_REASON_LENGTH });
    case 'reason_too_long':
      return message('reasonCheck.tooLong', {
        length: check.length,
        max: MAX_REASON_LENGTH,
        over: check.length - MAX_REASON_LENGTH,
      });
    default:
      return message('reasonCheck.invalid');
  }
}
