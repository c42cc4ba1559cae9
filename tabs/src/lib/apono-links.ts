/**
 * "Open in Apono": the end-user portal's My Tasks page, where Apono lists what waits for the
 * approver. Apono publishes no per-request portal address, so no request is linked directly.
 */
export const aponoTasksUrl = (portalUrl: string): string => `${portalUrl.replace(/\/+$/, '')}/tasks`;
