// Text this app can keep: what PostgreSQL and UTF-8 can hold exactly as it arrived.
//
// NUL is the one character PostgreSQL refuses in text and jsonb. A lone UTF-16 surrogate (half an
// emoji, cut off) is not Unicode text and has no UTF-8 form: jsonb refuses its \u escape, and text
// would keep U+FFFD instead. Other control characters store harmlessly. Read unit by unit because
// ES2023 (this build's lib) has no String.prototype.isWellFormed.

export function hasUnstorableCharacter(text: string): boolean {
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

export type JsonProblem = 'too_deep' | 'unstorable';

/**
 * What makes parsed JSON unsafe to keep or re-serialise: nesting deeper than `maxDepth` (JSON.stringify
 * and every recursive reader would overflow the stack) or a key or string with an unstorable character.
 * Walks with its own stack, so the check itself cannot overflow.
 */
export function jsonProblem(value: unknown, maxDepth = 64): JsonProblem | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'string') {
      if (hasUnstorableCharacter(item)) return 'unstorable';
    } else if (item !== null && typeof item === 'object') {
      if (depth >= maxDepth) return 'too_deep';
      for (const [key, child] of Object.entries(item)) {
        if (hasUnstorableCharacter(key)) return 'unstorable';
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}
