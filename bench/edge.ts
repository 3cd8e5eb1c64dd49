/**
 * What the Nginx edge costs: the cached catalog listing through nginx → runtime against the
 * runtime alone, in one run, on one runtime process. nginx runs the generated config with
 * master and workers (as in production), keep-alive to the runtime; only its per-IP API limit is
 * lifted, since every request of the bench comes from one address.
 *
 * The two are measured in turns (alone, through nginx, alone, through nginx) so that a change in
 * the machine's load during the run weighs on both alike.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStack } from '../runtime/stack.js';
import { findNginx, prepareLocalNginx } from '../scripts/nginx-local.js';
import { CATALOG_LIST_PATH, checkCatalog, loadCatalog, type Admin } from './catalog.js';
import { measure, warmUp, type LoadSettings, type Throughput } from './load.js';
import { childEnv, freePort, processTree, repoRoot, rssMb, spawnNode, waitForHttp } from './processes.js';

export interface EdgeResult {
  target: string;
  alone: Throughput;
  throughNginx: Throughput;
  /** Requests per second through nginx over the runtime alone. */
  ratio: number;
  p99Ratio: number;
  /** master, workers, cache manager and loader */
  nginxProcesses: number;
  nginxRssMb: number;
}

interface Settings {
  target: { name: string; env: Record<string, string> };
  admin: Admin;
  load: LoadSettings;
  /** `worker_processes`. */
  workers?: string;
  /** The target's storage already holds the bench catalog (an earlier scenario loaded it). */
  catalogLoaded?: boolean;
  defer(cleanup: () => Promise<void>): void;
}

/** Two measurements of one scenario as one: requests added up over the time they took. */
export function combine(a: Throughput, b: Throughput, seconds: number): Throughput {
  return {
    reqPerSec: (a.requests + b.requests) / (2 * seconds),
    p50: (a.p50 + b.p50) / 2,
    p99: Math.max(a.p99, b.p99),
    requests: a.requests + b.requests,
  };
}

export async function benchEdge({ target, admin, load, workers = 'auto', catalogLoaded = false, defer }: Settings): Promise<EdgeResult | undefined> {
  const binary = findNginx();
  if (!binary) return undefined;

  const port = await freePort();
  const runtime = spawnNode(`runtime (${target.name})`, 'runtime/main.ts', childEnv({ ...target.env, PORT: String(port), HOST: '127.0.0.1' }));
  defer(() => runtime.stop());
  const direct = `http://127.0.0.1:${port}`;
  await waitForHttp(runtime, `${direct}/healthz`);
  if (!catalogLoaded) await loadCatalog(direct, admin);
  await checkCatalog(direct);

  const dir = mkdtempSync(join(tmpdir(), 'shop-bench-nginx-'));
  defer(async () => rmSync(dir, { recursive: true, force: true }));
  const nginxPort = await freePort();
  const args = prepareLocalNginx(binary, loadStack(join(repoRoot, 'stack.yml')), {
    dir,
    upstream: `127.0.0.1:${port}`,
    listen: `127.0.0.1:${nginxPort}`,
    workers,
    apiRate: '1000000r/s',
  });
  const nginx = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const stopped = new Promise((resolve) => nginx.once('exit', resolve));
  defer(async () => {
    if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill('SIGTERM');
    await stopped;
  });
  const edge = `http://127.0.0.1:${nginxPort}`;
  await waitForHttp({ name: 'nginx', process: nginx, pid: nginx.pid!, stop: async () => undefined }, `${edge}/healthz`);

  const alone = `${direct}${CATALOG_LIST_PATH}`;
  const through = `${edge}${CATALOG_LIST_PATH}`;
  await warmUp(alone, load);
  await warmUp(through, load);
  const pids = processTree(nginx.pid!);
  const nginxRss = pids.reduce((sum, pid) => sum + rssMb(pid), 0);
  const a1 = await measure(alone, load);
  const n1 = await measure(through, load);
  const a2 = await measure(alone, load);
  const n2 = await measure(through, load);
  const aloneAll = combine(a1, a2, load.seconds);
  const nginxAll = combine(n1, n2, load.seconds);
  return {
    target: target.name,
    alone: aloneAll,
    throughNginx: nginxAll,
    ratio: nginxAll.reqPerSec / aloneAll.reqPerSec,
    p99Ratio: nginxAll.p99 / aloneAll.p99,
    nginxProcesses: pids.length,
    nginxRssMb: nginxRss,
  };
}
