// Text that a person typed (names, justifications, reasons, resource names) shown inside an Adaptive
// Card. Teams renders TextBlock and Fact text as markdown and expands {{DATE(...)}} / ${...}
// templates, so someone else's words must be escaped before they reach a card, and long text cut to
// keep the card under Teams' 28 KB limit. Notices are built with the same escaping, so they follow
// the display rule (display-text.ts) too.
import { displayText } from './display-text.js';

/** Characters that change meaning anywhere in a line (CommonMark lets any ASCII punctuation be escaped). */
const INLINE = /[\\`*_[\]()<>&~|!]/g;
/** A line that would start a heading, quote, list or numbered list. */
const BLOCK_START = /^(\s*)(#|>|-|\+|(\d+)([.)]))/;

export interface EscapeOptions {
  /** Keep line breaks (each line becomes its own paragraph); otherwise they become spaces. */
  multiline?: boolean;
}

function escapeLine(line: string): string {
  let text = line.replace(INLINE, (c) => `\\${c}`);
  text = text.replace(/\{\{/g, '{\\{').replace(/\$\{/g, '$\\{');
  const start = BLOCK_START.exec(text);
  if (start) {
    const [whole, indent = '', marker = '', digits, dot] = start;
    const escaped = digits ? `${digits}\\${dot}` : `\\${marker}`;
    text = indent + escaped + text.slice(whole.length);
  }
  return text;
}

/** The text exactly as typed, safe to place inside card markdown. */
export function escapeCardMarkdown(text: string | null | undefined, options: EscapeOptions = {}): string {
  if (!text) return '';
  // Control characters other than line breaks and tabs have no business in a card, and bidi
  // controls would draw the text in another order than it reads.
  const clean = displayText(text)
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  const lines = clean.split('\n').map((l) => l.replace(/\t/g, ' '));
  if (!options.multiline) return escapeLine(lines.join(' ').replace(/ {2,}/g, ' ').trim());
  return lines
    .map((l) => l.trim()) // leading spaces would start a code block
    .filter((l) => l !== '')
    .map(escapeLine)
    .join('\n\n')
    .trim();
}

/** At most `max` characters (code points), ending with "…" when cut. */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  const chars = [...text];
  if (chars.length <= max) return { text, truncated: false };
  return {
    text: `${chars
      .slice(0, Math.max(0, max - 1))
      .join('')
      .trimEnd()}…`,
    truncated: true,
  };
}

/** The first `max` items and the sentence for the rest ("…and 7 more"), or null when nothing is left out. */
export function firstOf<T>(items: T[], max: number): { shown: T[]; more: string | null } {
  if (items.length <= max) return { shown: items, more: null };
  return { shown: items.slice(0, max), more: `…and ${items.length - max} more` };
}
