// The sandbox sign-in token lives for the browser tab's session only.
const key = 'apono-approvals.sandbox-token';

export const sessionToken = {
  get: (): string | null => sessionStorage.getItem(key),
  set: (token: string): void => sessionStorage.setItem(key, token),
  clear: (): void => sessionStorage.removeItem(key),
};
