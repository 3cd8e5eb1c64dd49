import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import type { FunctionSpec } from './stack.js';

const entry = fileURLToPath(new URL('../templates/shop-node26/entry.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

type Env = Record<string, string | undefined>;

export interface FunctionProcesses {
  /** Function name → base URL of its own process. */
  urls: Map<string, string>;
  stop(): Promise<void>;
}

function start(spec: FunctionSpec, env: Env, log: FastifyBaseLogger): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...spec.environment,
      ...env,
      FUNCTION_NAME: spec.name,
      FUNCTION_MODULE: join(spec.handler, 'index.ts'),
      // Port 0: the process picks a free port and reports it back, like a watchdog's upstream.
      upstream_url: 'http://127.0.0.1:0',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.name} did not start in time`));
    }, START_TIMEOUT_MS);
    child.once('message', (message: { port?: number }) => {
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${message.port}` });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited with code ${code} while starting`));
    });
  }).then((started) => {
    child.on('exit', (code, signal) => log.error({ function: spec.name, code, signal }, 'function process ended'));
    return started as { child: ChildProcess; url: string };
  });
}

/** Runs `work` on every item, at most `limit` at a time; answers what each settled to, in order. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>) {
  const settled: PromiseSettledResult<R>[] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) {
      settled[i] = await work(items[i]).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return settled;
}

/**
 * Starts each function as its own process through the template entry, as a real gateway would.
 * A few at a time (one per core): started all at once, twenty processes compiling TypeScript
 * share the cores, so each one's start-up time grows with the number of functions, while each
 * process's time limit should depend on its own start only.
 */
export async function startFunctionProcesses(specs: FunctionSpec[], env: Env, log: FastifyBaseLogger): Promise<FunctionProcesses> {
  const settled = await inBatches(specs, Math.max(2, availableParallelism()), (spec) => start(spec, env, log));
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(
      started.map(({ child }) => {
        child.removeAllListeners('exit');
        if (child.exitCode !== null) return Promise.resolve();
        // A process that ignores SIGTERM for 10 s is killed: stopping must never hang.
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        return new Promise((done) => child.once('exit', done).kill('SIGTERM')).finally(() => clearTimeout(kill));
      }),
    );
  };
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { urls: new Map(specs.map((spec, i) => [spec.name, started[i].url])), stop };
}
