import { lazy, type ComponentType } from 'react';
import { withAllWords } from '../../../lib/i18n.js';

type Loaded<P> = { default: ComponentType<P> };

/**
 * A component whose code (and the rest of the words: withAllWords) is fetched on first use, or
 * before by `preload`. Once fetched it renders
 * at once: React.lazy is handed a thenable that calls back immediately, so nothing suspends and no
 * fallback shows (React reads such a thenable as already resolved).
 */
export function lazyPreloaded<P>(load: () => Promise<Loaded<P>>) {
  let fetched: Loaded<P> | undefined;
  let pending: Promise<Loaded<P>> | undefined;
  const preload = () =>
    (pending ??= withAllWords(load()).then(
      (loaded) => (fetched = loaded),
      (error: unknown) => {
        pending = undefined; // a failed fetch is tried again on first use
        throw error;
      },
    ));
  const Component = lazy(() =>
    fetched
      ? ({ then: (resolve: (m: Loaded<P>) => void) => resolve(fetched!) } as Promise<Loaded<P>>)
      : preload(),
  );
  return { Component, preload };
}

/** Runs `work` once the browser is idle (a moment later where it cannot say); returns a cancel. */
export function whenIdle(work: () => void): () => void {
  if ('requestIdleCallback' in window) {
    const handle = window.requestIdleCallback(work, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(work, 200);
  return () => clearTimeout(timer);
}
