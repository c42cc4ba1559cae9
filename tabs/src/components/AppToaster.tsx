import { Toast, Toaster, ToastTitle } from '@fluentui/react-components';
import { useEffect } from 'react';
import { toasterId, toasterMounted } from '../lib/toaster.js';

/** The one Toaster, loaded and mounted when the first toast is raised (lib/toaster.ts). */
export default function AppToaster() {
  // Runs after the Toaster's own effects: from here on a dispatched toast is heard.
  useEffect(() => toasterMounted(), []);
  return <Toaster toasterId={toasterId} position="bottom-end" />;
}

export function ToastMessage({ title }: { title: string }) {
  return (
    <Toast>
      <ToastTitle>{title}</ToastTitle>
    </Toast>
  );
}
