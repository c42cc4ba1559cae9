// A built program (`npm start`'s api/dist/main.js, the standalone sandbox) as a child process of a
// test: its output collected, ready once it prints the line it prints when it listens, and known to
// have exited. One helper for every test that spawns the real thing (crash, main, soak, Key Vault).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const SERVER_MAIN = resolve(import.meta.dirname, '../../dist/main.js');
export const SANDBOX_MAIN = resolve(import.meta.dirname, '../../../sandbox/dist/main.js');

export interface RunningProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** Its exit code (null when killed by a signal), once it has exited. */
  exited: Promise<number | null>;
  /** Resolves once its output matches `pattern`; rejects if it exits first or `ms` pass. */
  printed(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** SIGKILL (no shutdown hooks at all, as when a machine dies) or SIGTERM, and wait for the exit. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
}

/** Starts `main` with exactly `env` (plus PATH): nothing of the test runner's environment leaks in. */
export function runProcess(main: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (c) => {
      code = c;
      done(c);
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    async printed(pattern, ms = 60_000) {
      const end = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(out);
        if (match) return match;
        if (code !== undefined) throw new Error(`it exited (${code}) before printing ${pattern}:\n${out}`);
        if (Date.now() > end) throw new Error(`it did not print ${pattern} within ${ms} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (code === undefined) child.kill(signal);
      return exited;
    },
  };
}

/** The server, ready once it says where it runs. */
export async function startServerProcess(env: Record<string, string>): Promise<RunningProcess> {
  const server = runProcess(SERVER_MAIN, env);
  await server.printed(/is running on/);
  return server;
}

/** The standalone sandbox (a pretend Apono whose state outlives the app's restarts) on `port`. */
export async function startSandboxProcess(port: number): Promise<RunningProcess> {
  const sandbox = runProcess(SANDBOX_MAIN, { SANDBOX_PORT: String(port) });
  await sandbox.printed(/Apono sandbox on/, 30_000);
  return sandbox;
}
