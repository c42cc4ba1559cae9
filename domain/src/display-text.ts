// The one rule for text a person typed or named (requester, justification, resources, reasons,
// approvers, flows) wherever this app shows it: cards, notices, search previews and the tab.
//
// Bidirectional formatting characters let such text draw in a different order than it reads:
// "photo\u202Egnp.exe" is drawn "photoexe.png". They are removed rather than shown as a marker (such
// as U+FFFD): people who write Hebrew or Arabic insert the marks routinely and a visible marker would
// garble their words, while without the controls the same characters are drawn in the order they
// were typed. The direction such text needs is given back where it is drawn instead: the tab isolates
// each run (<bdi>, dir="auto"), and a card keeps the characters in logical order.

/**
 * Embeddings and overrides (U+202A–U+202E: LRE, RLE, PDF, LRO, RLO), isolates (U+2066–U+2069: LRI,
 * RLI, FSI, PDI) and the implicit marks (U+200E LRM, U+200F RLM, U+061C ALM), per Unicode UAX #9.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** The text as typed, minus the characters that would make it draw in another order. */
export function displayText(text: string | null | undefined): string {
  return text ? text.replace(BIDI_CONTROLS, '') : '';
}

/** True when the text holds a bidirectional control that displayText removes. */
export function hasBidiControls(text: string | null | undefined): boolean {
  return !!text && new RegExp(BIDI_CONTROLS.source).test(text);
}
