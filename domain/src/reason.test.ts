import { describe, expect, it } from 'vitest';
import { checkReason, MAX_REASON_LENGTH, reasonLength } from './reason.js';

const optional = { required: false, decision: 'approve' } as const;
const required = { required: true, decision: 'reject' } as const;

describe('the approver reason rule', () => {
  it('accepts no reason when the flow does not require one, and sends null', () => {
    expect(checkReason('', optional)).toEqual({ ok: true, reason: null });
    expect(checkReason(undefined, optional)).toEqual({ ok: true, reason: null });
  });

  it('refuses an empty or whitespace-only reason when the flow requires one', () => {
    for (const text of ['', '   ', '\n\t ', null]) {
      const result = checkReason(text, required);
      expect(result).toMatchObject({ ok: false, code: 'reason_required' });
      if (!result.ok) expect(result.message).toMatch(/requires a reason for rejection/);
    }
  });

  it('accepts 1 and 123 characters and refuses 124', () => {
    expect(checkReason('x', required)).toEqual({ ok: true, reason: 'x' });
    expect(checkReason('a'.repeat(123), required)).toEqual({ ok: true, reason: 'a'.repeat(123) });
    const over = checkReason('a'.repeat(124), optional);
    expect(over).toMatchObject({ ok: false, code: 'reason_too_long', length: 124 });
    if (!over.ok) expect(over.message).toContain('Shorten it by 1');
    expect(MAX_REASON_LENGTH).toBe(123);
  });

  it('trims before counting and sends the trimmed text', () => {
    expect(checkReason(`  ${'b'.repeat(123)}  `, required)).toEqual({ ok: true, reason: 'b'.repeat(123) });
  });

  it('counts an emoji as one code point, not two UTF-16 units', () => {
    const emoji = '👍'.repeat(123);
    expect(emoji.length).toBe(246);
    expect(reasonLength(emoji)).toBe(123);
    expect(checkReason(emoji, required).ok).toBe(true);
    expect(checkReason(emoji + '👍', required)).toMatchObject({ ok: false, code: 'reason_too_long' });
  });

  it('counts combining marks as code points of their own', () => {
    const accented = 'e\u0301'; // é as e + combining acute: two code points
    expect(reasonLength(accented)).toBe(2);
    expect(checkReason(accented.repeat(61) + 'x', required).ok).toBe(true); // 123
    expect(checkReason(accented.repeat(62), required).ok).toBe(false); // 124
  });

  it('refuses a reason with a null character or a broken emoji, before anything else, and says what to do', () => {
    const broken = '👍'.slice(0, 1); // the first half of the pair only
    for (const text of [
      'ok\u0000',
      '\u0000',
      'ok\ud800x',
      `fine ${broken}`,
      'x\udc00',
      '\udc00\ud83d',
      'a'.repeat(200) + '\u0000',
    ]) {
      for (const rule of [optional, required]) {
        const result = checkReason(text, rule);
        expect(result).toMatchObject({ ok: false, code: 'reason_invalid' });
        if (!result.ok) expect(result.message).toMatch(/cannot be stored.*Retype it without that character/);
      }
    }
  });

  it('still accepts whole emoji, tabs, newlines and other control characters', () => {
    expect(checkReason('ok 👍🏽 done', required)).toEqual({ ok: true, reason: 'ok 👍🏽 done' });
    expect(checkReason('line one\n\tline two\r\n', required)).toEqual({
      ok: true,
      reason: 'line one\n\tline two',
    });
    expect(checkReason('bell\u0007', required)).toEqual({ ok: true, reason: 'bell\u0007' });
  });
});
