/** The one Toaster the shell renders; features raise toasts with useToastController(toasterId). */
export const toasterId = 'approvals-toaster';
