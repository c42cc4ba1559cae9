// Test wiring: a sandbox on a fixed clock behind the same routers the servers mount.
import express from 'express';
import request from 'supertest';
import { createSandboxAdminRouter } from './admin-router.js';
import { createSandboxRouter } from './router.js';
import { AponoSandbox, internalIdOf } from './sandbox.js';
import type { RequestIdMode, SandboxOptions } from './sandbox.js';

export const fixedNow = new Date('2026-03-02T09:00:00Z');

export function sandboxApp(options: SandboxOptions = {}) {
  const sandbox = new AponoSandbox({ now: () => fixedNow, ...options });
  const app = express();
  app.use('/api/sandbox', createSandboxAdminRouter(sandbox));
  app.use('/sandbox/apono', createSandboxRouter(sandbox));
  const base = '/sandbox/apono/api/client/v1';
  const as = (email: string) => {
    const auth = { authorization: `Bearer ${sandbox.tokenFor(email)}` };
    return {
      get: (path: string) =>
        request(app)
          .get(base + path)
          .set(auth),
      post: (path: string, body: object = {}) =>
        request(app)
          .post(base + path)
          .set(auth)
          .send(body),
    };
  };
  /** A friendly ID (AR-1001) in the form this sandbox's client API takes. */
  const idOf = (friendlyId: string) => clientId(sandbox.requestIds, friendlyId);
  return { sandbox, app, base, as, admin: () => request(app), idOf };
}

export const alex = 'alexw@example.com';
export const adele = 'adelev@example.com';
export const megan = 'meganb@example.com';
export const isaiah = 'isaiah@example.com';
export const patti = 'pattif@example.com';
export const lynne = 'lynner@example.com';

export const clientId = (mode: RequestIdMode, friendlyId: string): string =>
  mode === 'internal' ? internalIdOf(friendlyId) : friendlyId;

/** Apono's request statuses (apono-io/apono-cli constants). */
export const aponoStatuses = [
  'Initializing',
  'Pending',
  'PendingMFA',
  'Granting',
  'Active',
  'Revoking',
  'Revoked',
  'Rejected',
  'Failed',
];
