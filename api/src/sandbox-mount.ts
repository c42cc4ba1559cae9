// Sandbox mode: the Apono sandbox runs inside this server, at /sandbox/apono, with its admin API at
// /api/sandbox. Only ever constructed when configuration says sandbox.
import type { Router } from 'express';
import { AponoSandbox, type RequestIdMode } from '@apono-teams/sandbox/sandbox.js';
import { createSandboxRouter } from '@apono-teams/sandbox/router.js';
import { createSandboxAdminRouter } from '@apono-teams/sandbox/admin-router.js';
import { findUser, sandboxUsers, tokenOf } from '@apono-teams/sandbox/users.js';
import type { SandboxUser } from './app.js';
import type { Db } from './store/db.js';

/** The app's tables that hold the sandbox world's state (the audit trail is kept). */
const SANDBOX_WORLD_TABLES = [
  'decisions',
  'app_decisions',
  'apono_requests',
  'webhook_events',
  'teams_cards',
  'teams_notices',
  'teams_request_approvers',
  'teams_unreachable',
];

/** Forget what this app knows of the sandbox's requests, so a reset world is not answered from memory. */
export async function resetAppState(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of SANDBOX_WORLD_TABLES) await tx.query(`delete from ${table}`);
  });
}

export interface EmbeddedSandbox {
  sandbox: AponoSandbox;
  aponoRouter: Router;
  adminRouter: Router;
  users: SandboxUser[];
  tokenFor(email: string): string | null;
  /** null stops the sandbox's outgoing webhook (tests that deliver their own). */
  configureWebhook(target: { url: string; bearerSecret: string } | null): void;
}

/** The sandbox's people, the same whether the sandbox runs in-process or standalone (npm run sandbox). */
export function sandboxPeople(): SandboxUser[] {
  return sandboxUsers.map(({ name, email, aadObjectId, tenantId, role }) => ({
    name,
    email,
    aadObjectId,
    tenantId,
    role,
  }));
}

/** A sandbox user's personal Apono token, so sandbox sign-ins are connected without pasting one. */
export function sandboxTokenFor(email: string): string | null {
  const user = findUser(email);
  return user ? tokenOf(user) : null;
}

export function mountSandbox(options: { requestIds?: RequestIdMode } = {}): EmbeddedSandbox {
  const sandbox = new AponoSandbox({ requestIds: options.requestIds ?? 'friendly' });
  return {
    sandbox,
    aponoRouter: createSandboxRouter(sandbox),
    adminRouter: createSandboxAdminRouter(sandbox),
    users: sandbox.users.map(({ name, email, aadObjectId, tenantId, role }) => ({
      name,
      email,
      aadObjectId,
      tenantId,
      role,
    })),
    tokenFor: (email) => {
      try {
        return sandbox.tokenFor(email);
      } catch {
        return null;
      }
    },
    configureWebhook: (target) => sandbox.configureWebhook(target),
  };
}
