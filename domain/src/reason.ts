// The approver's reason, as Apono defines it: fewer than 124 characters, and mandatory for both
// approve and reject when the access flow has "Require Approve Reason" on. The tab, the API, the
// cards and the sandbox all call checkReason; the server never trusts the client's check.

export const MAX_REASON_LENGTH = 123;

export type Decision = 'approve' | 'reject';

export type ReasonProblem = 'reason_required' | 'reason_too_long' | 'reason_invalid';

export type ReasonCheck =
  { ok: true; reason: string | null } | { ok: false; code: ReasonProblem; message: string; length: number };

/**
 * A reason Apono would take but the app could not store. NUL is the only character PostgreSQL refuses
 * in text and jsonb, so the decision would be made and then its record and audit row would fail. A lone
 * UTF-16 surrogate (half an emoji, cut off) is not Unicode text and has no UTF-8 form: jsonb refuses
 * its \u escape, and text would keep U+FFFD instead of what Apono got. Other control characters (tab,
 * newline, the rest of C0) store and show harmlessly, so the rule stays at these two. Read unit by
 * unit because ES2023 (this build's lib) has no String.prototype.isWellFormed.
 */
function hasUnstorableCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0) return true;
    if (unit >= 0xdc00 && unit <= 0xdfff) return true; // a low surrogate with no high one before it
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1); // NaN past the end
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++; // a whole pair: one emoji
    }
  }
  return false;
}

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
