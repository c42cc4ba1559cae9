import { apiGet, apiRequest } from '../../../lib/api-client.js';

export interface SandboxUser {
  name: string;
  email: string;
  role: string;
}

export const listSandboxUsers = () =>
  apiGet<{ users: SandboxUser[] }>('/api/sandbox/users', { auth: false }).then((r) => r.users);

export const signInToSandbox = (email: string) =>
  apiRequest<{ token: string }>('POST', '/api/sandbox/sign-in', { email }, { auth: false }).then(
    (r) => r.token,
  );
