import { Fragment, type ReactNode } from 'react';

// A private-use character: never in a catalogue, and not a control character.
const mark = (name: string) => `\uE000${name}\uE000`;

interface SentenceProps {
  /** The catalogue's sentence with each variable given as its mark (`t(key, marks)`). */
  words: (marks: Record<string, string>) => string;
  /** What stands in each variable's place: an ID in bold, a name isolated (<UserText>). */
  parts: Record<string, ReactNode>;
}

/**
 * A translated sentence with elements in place of its {{variables}}, in the order the reader's
 * language puts them. Only marks pass through i18next; the text a person typed never does, so it
 * is never read as i18next or HTML syntax.
 */
export function Sentence({ words, parts }: SentenceProps) {
  const marks = Object.fromEntries(Object.keys(parts).map((name) => [name, mark(name)]));
  return words(marks)
    .split(/\uE000(\w+)\uE000/)
    .map((piece, index) => <Fragment key={index}>{index % 2 ? parts[piece] : piece}</Fragment>);
}
