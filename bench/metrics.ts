/**
 * What counting calls for `GET /metrics` costs on a hot route: the cached catalog listing on a
 * runtime that counts (the default) against one started with METRICS=off, in one run. Both run
 * at once, each on its own embedded storage (PGlite serves one process), and are measured in
 * turns (on, off, on, off), so a change in the machine's load weighs on both alike.
 */
import { CATALOG_LIST_PATH, checkCatalog, loadCatalog, type Admin } from './catalog.js';
import { combine } from './edge.js';
import { measure, warmUp, type LoadSettings, type Throughput } from './load.js';
import { childEnv, freePort, spawnNode, waitForHttp } from './processes.js';

export interface MetricsCost {
  on: Throughput;
  off: Throughput;
  /** Requests per second with metrics over without. */
  ratio: number;
  p99Ratio: number;
}

interface Settings {
  /** The environment of each runtime: its own DATA_DIR. */
  targets: [Record<string, string>, Record<string, string>];
  admin: Admin;
  load: LoadSettings;
  defer(cleanup: () => Promise<void>): void;
}

export async function benchMetrics({ targets, admin, load, defer }: Settings): Promise<MetricsCost> {
  const start = async (env: Record<string, string>, metrics: 'on' | 'off') => {
    const port = await freePort();
    const child = spawnNode(`runtime (metrics ${metrics})`, 'runtime/main.ts', childEnv({ ...env, METRICS: metrics, PORT: String(port), HOST: '127.0.0.1' }));
    defer(() => child.stop());
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(child, `${base}/healthz`);
    await loadCatalog(base, admin);
    await checkCatalog(base);
    return `${base}${CATALOG_LIST_PATH}`;
  };
  const on = await start(targets[0], 'on');
  const off = await start(targets[1], 'off');
  if ((await fetch(on.replace(CATALOG_LIST_PATH, '/metrics'))).status !== 200) throw new Error('the runtime with metrics serves no /metrics');
  if ((await fetch(off.replace(CATALOG_LIST_PATH, '/metrics'))).status !== 404) throw new Error('METRICS=off still serves /metrics');
  await warmUp(on, load);
  await warmUp(off, load);
  const on1 = await measure(on, load);
  const off1 = await measure(off, load);
  const on2 = await measure(on, load);
  const off2 = await measure(off, load);
  const withMetrics = combine(on1, on2, load.seconds);
  const without = combine(off1, off2, load.seconds);
  return {
    on: withMetrics,
    off: without,
    ratio: withMetrics.reqPerSec / without.reqPerSec,
    p99Ratio: withMetrics.p99 / without.p99,
  };
}
