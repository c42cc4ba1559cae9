// `npm run playground`: the server in sandbox mode on :3978 and the Microsoft 365 Agents Playground on
// :56150 talking to it, started together and stopped together (Ctrl+C, or when either one exits).
// Open http://localhost:56150 and type "pending". Run `npm run build` first (the npm script does).
import { spawn } from 'node:child_process';
import { setTimeout } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT || '3978';
const playgroundPort = process.env.TEAMSAPPTESTER_PORT || '56150';

const children = [];
let stopping = false;

function start(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(code);
  }, 5000);
  timer.unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((ok) => c.once('exit', ok)) : null)),
  ).then(() => process.exit(code));
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('The server', process.execPath, [join(root, 'api/dist/main.js')], {
  APP_MODE: 'sandbox',
  PORT: port,
  TEAMS_APP_ID: process.env.TEAMS_APP_ID || '00000000-0000-0000-0000-00000000a001',
});
start(
  'The Agents Playground',
  process.execPath,
  [
    join(root, 'node_modules/@microsoft/m365agentsplayground/cli.js'),
    'start',
    '-e',
    `http://127.0.0.1:${port}/api/messages`,
    '-p',
    playgroundPort,
    // No usage data sent to Microsoft from a developer's machine.
    '--disable-telemetry',
  ],
  { TEAMSAPPTESTER_BROWSER: 'none' },
);
console.log(
  `Agents Playground: http://localhost:${playgroundPort}  (bot: http://127.0.0.1:${port}/api/messages)`,
);
