/**
 * `npm run start:nginx`: the shop as `npm start` runs it, with a real nginx in front on
 * NGINX_PORT (8000) using the config generated from stack.yml, the one production uses; only
 * upstream, listen address and file locations (under DATA_DIR/nginx) differ.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configOrExit } from '../platform/config.js';
import { loadStack } from '../runtime/stack.js';
import { findNginx, INSTALL_HINT, prepareLocalNginx } from './nginx-local.js';

const env = process.env;
// The runtime it starts reads the same settings; a bad one is refused here, before nginx is looked for.
const config = configOrExit('start:nginx');
const nginx = findNginx();
if (!nginx) {
  console.error(INSTALL_HINT);
  process.exit(1);
}

const { host, nginxPort } = config;
const runtimeUrl = `http://127.0.0.1:${config.port}`;
let args: string[];
try {
  args = prepareLocalNginx(nginx, loadStack(config.stackFile), {
    dir: join(config.dataDir, 'nginx'),
    upstream: `127.0.0.1:${config.port}`,
    listen: `${host === 'localhost' ? '127.0.0.1' : host}:${nginxPort}`,
    corsOrigins: config.corsOrigins.join(','),
    logToConsole: true,
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const children: ChildProcess[] = [];
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve())));
  process.exit(code);
}

function start(name: string, command: string, argv: string[]) {
  const child = spawn(command, argv, { stdio: 'inherit', env });
  children.push(child);
  // One without the other is no shop: when either stops on its own, stop both.
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? `code ${code}`}); stopping the shop`);
    void stop(1);
  });
  return child;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0));

start('the runtime', process.execPath, ['--import', 'tsx', 'runtime/main.ts']);
// nginx resolves and reaches its upstream lazily, but a shop behind nginx that answers 502
// while the runtime starts would only confuse: wait for the runtime first.
while (!(await fetch(`${runtimeUrl}/healthz`).then((r) => r.ok, () => false))) {
  if (stopping) break;
  await sleep(200);
}
if (!stopping) {
  start('nginx', nginx, args);
  console.error(`food shop behind nginx at http://localhost:${nginxPort} (nginx ${nginx}, config and access log in ${join(config.dataDir, 'nginx')}; the runtime itself on ${runtimeUrl})`);
}
