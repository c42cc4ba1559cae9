import { useEffect, useState } from 'react';

/** The width below which the tab lays itself out for a phone (Teams mobile, a narrow side panel). */
export const narrowQuery = '(max-width: 640px)';

/** True while the window is phone-narrow; follows resizes and rotations. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(narrowQuery).matches);
  useEffect(() => {
    const list = window.matchMedia(narrowQuery);
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
}
