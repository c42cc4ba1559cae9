import { describe, expect, it } from 'vitest';
import { escapeCardMarkdown, firstOf, truncateText } from './card-text.js';

describe('escaping what people typed before it goes into a card', () => {
  it('leaves ordinary words alone', () => {
    expect(escapeCardMarkdown('Need prod-db access for INC-4521')).toBe('Need prod-db access for INC-4521');
  });

  it('escapes emphasis, links, images, code and strike-through', () => {
    expect(escapeCardMarkdown('**bold** _it_ [click](http://evil) `x` ~~s~~ ![i](u)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\[click\\]\\(http://evil\\) \\`x\\` \\~\\~s\\~\\~ \\!\\[i\\]\\(u\\)',
    );
  });

  it('escapes HTML characters so no tag or entity is interpreted', () => {
    expect(escapeCardMarkdown('<script>alert(1)</script> &lt; a&b')).toBe(
      '\\<script\\>alert\\(1\\)\\</script\\> \\&lt; a\\&b',
    );
  });

  it('escapes headings, quotes and list starts at the beginning of a line', () => {
    expect(escapeCardMarkdown('# Title')).toBe('\\# Title');
    expect(escapeCardMarkdown('> quoted')).toBe('\\> quoted');
    expect(escapeCardMarkdown('- item')).toBe('\\- item');
    expect(escapeCardMarkdown('+ item')).toBe('\\+ item');
    expect(escapeCardMarkdown('1. first')).toBe('1\\. first');
    expect(escapeCardMarkdown('12) twelfth')).toBe('12\\) twelfth');
    expect(escapeCardMarkdown('a # b - c + d 3. e')).toBe('a # b - c + d 3. e');
  });

  it('breaks Teams date functions and template expressions', () => {
    expect(escapeCardMarkdown('{{DATE(2017-02-14T06:08:39Z, SHORT)}}')).toBe(
      '{\\{DATE\\(2017-02-14T06:08:39Z, SHORT\\)}}',
    );
    expect(escapeCardMarkdown('${requester.name}')).toBe('$\\{requester.name}');
  });

  it('escapes backslashes first so an escape cannot be undone', () => {
    expect(escapeCardMarkdown('\\*not bold*')).toBe('\\\\\\*not bold\\*');
  });

  it('turns line breaks into spaces in one-line fields', () => {
    expect(escapeCardMarkdown('Alex\r\n# Wilber\n- x')).toBe('Alex # Wilber - x');
  });

  it('keeps lines as paragraphs in multi-line fields and escapes each line start', () => {
    expect(escapeCardMarkdown('Why:\n# heading\n\n\n\n- item\n    code', { multiline: true })).toBe(
      'Why:\n\n\\# heading\n\n\\- item\n\ncode',
    );
  });

  it('drops bidi controls, so a name or justification is drawn in the order it was typed', () => {
    expect(escapeCardMarkdown('invoice\u202Egnp.exe\u202C')).toBe('invoicegnp.exe');
    expect(escapeCardMarkdown('line\u2067one\u2069\n*two\u200F*', { multiline: true })).toBe(
      'lineone\n\n\\*two\\*',
    );
  });

  it('drops control characters and handles empty input', () => {
    expect(escapeCardMarkdown('a\u0000b\u0007c')).toBe('abc');
    expect(escapeCardMarkdown(null)).toBe('');
    expect(escapeCardMarkdown('')).toBe('');
  });
});

describe('keeping long text short', () => {
  it('cuts by code points and ends with an ellipsis', () => {
    expect(truncateText('abc', 3)).toEqual({ text: 'abc', truncated: false });
    expect(truncateText('abcdef', 4)).toEqual({ text: 'abc…', truncated: true });
    expect(truncateText('😀😀😀😀', 3).text).toBe('😀😀…');
  });

  it('says how many items were left out', () => {
    expect(firstOf([1, 2, 3], 5)).toEqual({ shown: [1, 2, 3], more: null });
    expect(firstOf([1, 2, 3, 4, 5, 6, 7], 5)).toEqual({ shown: [1, 2, 3, 4, 5], more: '…and 2 more' });
  });
});
