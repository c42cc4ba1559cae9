// The one Toaster the shell renders, with the Toast components, loaded and mounted only when the
// first toast is raised (most visits raise none: issue 11, 5). Features raise toasts with
// useNotify(), which asks for the Toaster and waits until it is mounted; its aria-live region is in
// the page before the toast's words are, so screen readers hear them.
import { useToastController, type ToastIntent } from '@fluentui/react-components';
import { createElement, useCallback, useSyncExternalStore } from 'react';

export const toasterId = 'approvals-toaster';

let mounted: () => void = () => {};
const ready = new Promise<void>((resolve) => {
  mounted = resolve;
});
export const toasterMounted = () => mounted();

let wanted = false;
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
function wantToaster() {
  if (wanted) return;
  wanted = true;
  for (const listener of listeners) listener();
}

/** Whether a toast has been raised yet, so the shell mounts the Toaster from then on. */
export const useToasterWanted = (): boolean => useSyncExternalStore(subscribe, () => wanted);

export function useNotify() {
  const { dispatchToast } = useToastController(toasterId);
  return useCallback(
    async (title: string, intent: ToastIntent, timeout?: number) => {
      wantToaster();
      const [{ ToastMessage }] = await Promise.all([import('../components/AppToaster.js'), ready]);
      dispatchToast(createElement(ToastMessage, { title }), { intent, ...(timeout ? { timeout } : {}) });
    },
    [dispatchToast],
  );
}
