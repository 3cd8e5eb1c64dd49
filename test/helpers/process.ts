import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Processes of the shop as a person starts them (npm start, the scripts), for tests that need a real process. */

// Only what node needs: a DATABASE_URL or ADMIN_EMAIL of the test run must not reach these starts.
export const bare = () => ({ PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info' });

export interface Run {
  output: () => string;
  exited: Promise<number | null>;
  /** Sends a signal (SIGTERM unless told). */
  signal(name?: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export function run(command: string[], env: Record<string, string>): Run {
  const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    signal: (name = 'SIGTERM') => child.kill(name),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export const start = (env: Record<string, string>) => run([process.execPath, '--import', 'tsx', 'runtime/main.ts'], { ...bare(), ...env });
export const createAdmin = (env: Record<string, string>, ...args: string[]) =>
  run([process.execPath, '--import', 'tsx', 'scripts/create-admin.ts', ...args], { ...bare(), ...env });

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits (generously: the machine may be busy) until the output says it is ready, or the process ends. */
export async function ready(shop: Run) {
  const ended = shop.exited.then(() => false);
  for (let i = 0; i < 1200 && !/food shop ready/.test(shop.output()); i++) {
    if (await Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve(true), 50))]) === false) break;
  }
  if (!/food shop ready/.test(shop.output())) throw new Error(`did not start:\n${shop.output()}`);
}
