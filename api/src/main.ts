// `npm start`: configuration from the environment, a running server, a clean stop on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { resolveReferences, unresolvedReferences } from './secrets/key-vault.js';
import { startWaitingServer } from './secrets/waiting-server.js';
import { startServer } from './server.js';

/** Settings App Service left as Key Vault references are read here, however long access takes to arrive. */
async function readKeyVaultReferences() {
  const references = unresolvedReferences(process.env);
  if (!references.length) return;
  const log = createLogger(process.env.LOG_LEVEL ?? 'info');
  const names = references.map((r) => r.name);
  log.warn(
    { waitingFor: names },
    'These settings are Key Vault references that App Service did not resolve: reading them from Key Vault with the managed identity, if there is one.',
  );
  const port = Number(process.env.PORT ?? 3978);
  const waiting = await startWaitingServer(port, process.env.HOST ?? '0.0.0.0');
  waiting.state.waitingFor = names;
  await resolveReferences(process.env, log, {
    firstDelayMs: Number(process.env.KEY_VAULT_RETRY_MS) || 5000,
    onWaiting: (still) => {
      waiting.state.waitingFor = still;
    },
  });
  await waiting.close();
  log.info({ read: names }, 'read every Key Vault secret; starting');
}

async function main() {
  await readKeyVaultReferences();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const server = await startServer(config);
  // With PORT=0 the address is known only now.
  const where = config.PUBLIC_URL ? config.publicUrl : server.url;
  const lines = [`Apono Approvals for Microsoft Teams is running on ${where} (mode: ${config.APP_MODE}).`];
  if (server.sandbox) {
    lines.push(`Open ${where}/ and sign in as a sandbox user:`);
    for (const u of server.sandbox.users)
      lines.push(`  ${u.name.padEnd(16)} ${u.email.padEnd(22)} ${u.role}`);
    lines.push(`Apono sandbox API: ${where}/sandbox/apono (admin: /api/sandbox)`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('The server could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
