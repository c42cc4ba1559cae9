import { displayText } from '@apono-teams/domain/display-text.js';

/**
 * A run of text someone typed or named (a requester, a resource, a reason) inside the tab's own
 * words: the domain's display rule takes out bidi controls, and <bdi> lets the run take its own
 * direction without reordering the words around it, so a Hebrew name cannot pull "(email)" across.
 * Where a whole element holds such text, give that element dir="auto" and displayText instead.
 */
export function UserText({ text }: { text: string | null | undefined }) {
  return <bdi>{displayText(text)}</bdi>;
}
