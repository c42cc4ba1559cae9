// Sandbox mode: the Apono sandbox runs inside this server, at /sandbox/apono.
import type { Router } from 'express';
import type { SandboxUser } from './app.js';

export interface EmbeddedSandbox {
  aponoRouter: Router;
  adminRouter: Router;
  users: SandboxUser[];
  tokenFor(email: string): string | null;
  configureWebhook(target: { url: string; bearerSecret: string }): void;
}

export function mountSandbox(): EmbeddedSandbox {
  throw new Error('not wired yet');
}
