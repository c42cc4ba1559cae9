// Standalone sandbox: the client API at / and the admin API at /api/sandbox, on SANDBOX_PORT.
// Optional outgoing webhook: SANDBOX_WEBHOOK_URL + SANDBOX_WEBHOOK_SECRET.
// SANDBOX_REQUEST_IDS=friendly|internal: which request ID the client API shows and takes.
import express from 'express';
import { createSandboxAdminRouter } from './admin-router.js';
import { createSandboxRouter } from './router.js';
import { AponoSandbox, requestIdModeFromEnv } from './sandbox.js';
import type { RequestIdMode } from './sandbox.js';

let requestIds: RequestIdMode;
try {
  requestIds = requestIdModeFromEnv(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(78); // EX_CONFIG
}

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const webhookUrl = process.env.SANDBOX_WEBHOOK_URL;
const sandbox = new AponoSandbox({
  requestIds,
  webhook: webhookUrl ? { url: webhookUrl, bearerSecret: process.env.SANDBOX_WEBHOOK_SECRET ?? '' } : null,
});

const app = express();
app.disable('x-powered-by');
app.use('/api/sandbox', createSandboxAdminRouter(sandbox));
app.use(createSandboxRouter(sandbox));

app.listen(port, () => {
  console.log(`Apono sandbox on http://localhost:${port} (admin: /api/sandbox; request IDs: ${requestIds})`);
  console.log(`APONO_BASE_URL=http://localhost:${port}`);
  for (const user of sandbox.users)
    console.log(`  ${user.name.padEnd(16)} ${user.email.padEnd(20)} token ${sandbox.tokenFor(user.email)}`);
});
