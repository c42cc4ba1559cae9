// The view tabs' arrow keys: Fluent's arrow navigation group, which starts Tabster (a tenth of the
// first load, and nothing else on the first screen uses it), loaded once the first screen shows.
import { useArrowNavigationGroup } from '@fluentui/react-components';
import { useEffect } from 'react';

export type ArrowKeysAttributes = ReturnType<typeof useArrowNavigationGroup>;

/**
 * Starts Tabster with its mover and hands the tab list the attribute that makes it one: given to
 * the list only now, so Tabster sees it appear and builds the mover (an attribute it had already
 * read without the mover would be ignored, e.g. if a dialog had started Tabster first).
 */
export default function ArrowKeys({ onReady }: { onReady: (attributes: ArrowKeysAttributes) => void }) {
  const attributes = useArrowNavigationGroup({ axis: 'horizontal', circular: true });
  useEffect(() => onReady(attributes), [attributes, onReady]);
  return null;
}
