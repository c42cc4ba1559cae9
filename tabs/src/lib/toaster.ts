// The one Toaster the shell renders (loaded lazily, with the Toast components); features raise
// toasts with useNotify(), which waits until both are there.
import { useToastController, type ToastIntent } from '@fluentui/react-components';
import { createElement, useCallback } from 'react';

export const toasterId = 'approvals-toaster';

let mounted: () => void = () => {};
const ready = new Promise<void>((resolve) => {
  mounted = resolve;
});
export const toasterMounted = () => mounted();

export function useNotify() {
  const { dispatchToast } = useToastController(toasterId);
  return useCallback(
    async (title: string, intent: ToastIntent, timeout?: number) => {
      const [{ ToastMessage }] = await Promise.all([import('../components/AppToaster.js'), ready]);
      dispatchToast(createElement(ToastMessage, { title }), { intent, ...(timeout ? { timeout } : {}) });
    },
    [dispatchToast],
  );
}
