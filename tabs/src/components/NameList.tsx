import type { ReactNode } from 'react';
import { useWords } from '../lib/i18n.js';
import { Sentence } from './Sentence.js';
import { UserText } from './UserText.js';

interface NameListProps {
  /** Names as typed in Apono (each shown isolated), or elements of their own. */
  items: ReadonlyArray<string | ReactNode>;
}

/** "A, B, C" with the reader's separators (Intl.ListFormat), each name its own isolated run. */
export function NameList({ items }: NameListProps) {
  const { f } = useWords();
  const parts = Object.fromEntries(
    items.map((item, index) => [`n${index}`, typeof item === 'string' ? <UserText text={item} /> : item]),
  );
  return <Sentence words={(marks) => f.list(items.map((_, index) => marks[`n${index}`]!))} parts={parts} />;
}
