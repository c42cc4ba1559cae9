// Teams Toolkit `script` step: creates the app's own secrets once per environment. Each line
// `::set-teamsfx-env NAME=value` is saved by the Toolkit; names starting with SECRET_ go to the ignored
// env/.env.<env>.user file. A secret that already has a value is left alone: rotating
// SECRET_TOKEN_ENCRYPTION_KEY would make every stored Apono credential unreadable.
import { randomBytes } from 'node:crypto';

const generators = {
  // AES-256 key for stored Apono credentials: 32 random bytes, base64.
  SECRET_TOKEN_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
  // Bearer secret Apono's Request Webhook must send.
  SECRET_APONO_WEBHOOK_SECRET: () => randomBytes(32).toString('base64url'),
  // PostgreSQL administrator password: URL-safe, with upper, lower and digit classes Azure requires.
  SECRET_POSTGRES_ADMIN_PASSWORD: () => `Pg1-${randomBytes(24).toString('base64url')}`,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(generators)) {
  const generate = generators[name];
  if (!generate) {
    console.error(`ensure-secrets does not know how to create ${name}.`);
    process.exit(1);
  }
  if (!process.env[name]) console.log(`::set-teamsfx-env ${name}=${generate()}`);
}
