// `npm start`: configuration from the environment, a running server, a clean stop on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

async function main() {
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
