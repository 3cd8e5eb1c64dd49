import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import type { FastifyBaseLogger } from 'fastify';
import type { KeyValueStore } from '#domain/ports.js';
import { post } from './http-client.js';
import type { RuntimeMetrics } from './metrics.js';

/** A function to call on its cron schedule (stack.yml: `topic: cron-function`, `schedule`). */
export interface ScheduledFunction {
  name: string;
  schedule: string;
  /** Its exec_timeout: a run never lasts longer, so its guard never outlives it by more. */
  timeoutMs: number;
}

export interface SchedulerOptions {
  functions: ScheduledFunction[];
  /** Where every runtime of the shop takes its turns (Redis, or memory for one process). */
  kv: KeyValueStore;
  gatewayUrl: string;
  internalToken: string;
  log: FastifyBaseLogger;
  /** Counts each run by outcome (GET /metrics). */
  metrics?: Pick<RuntimeMetrics, 'scheduled'>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

// Tick keys only need to outlive the moment every runtime reaches that tick.
const TICK_KEY_SECONDS = 3600;

/**
 * Calls scheduled functions through the gateway as OpenFaaS's cron-connector does (POST
 * `/function/<name>`, here with X-Internal-Token), on their five-field cron schedules (croner).
 * Several runtimes may run it: the first to take a tick's key in the store runs that tick, and a
 * run still going when the next tick comes (anywhere) makes that tick skip, so one schedule never
 * runs twice at once. A failed run is logged and waits for its next tick: never retried in a loop.
 */
export function startScheduler({ functions, kv, gatewayUrl, internalToken, log, metrics }: SchedulerOptions): Scheduler {
  const owner = randomBytes(6).toString('hex');
  const runs = new Set<Promise<void>>();
  let failures = 0;

  async function run({ name, timeoutMs }: ScheduledFunction, tick: Date) {
    if (!(await kv.set(`schedule:${name}:${tick.toISOString()}`, owner, { ifAbsent: true, ttlSeconds: TICK_KEY_SECONDS }))) return;
    const running = `schedule:${name}:running`;
    if (!(await kv.set(running, owner, { ifAbsent: true, ttlSeconds: Math.ceil(timeoutMs / 1000) + 5 }))) {
      metrics?.scheduled(name, 'skipped');
      log.warn({ function: name, tick }, 'schedule: the previous run is still going; this tick is skipped');
      return;
    }
    const started = new Date();
    const callId = `cron-${name}-${tick.getTime()}`;
    try {
      const { status, body } = await post(
        `${gatewayUrl}/function/${name}`,
        { 'content-type': 'application/json', 'x-call-id': callId, 'x-internal-token': internalToken },
        '{}',
        timeoutMs + 1000,
      );
      const fields = { function: name, callId, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime(), status };
      const ok = status >= 200 && status < 300;
      metrics?.scheduled(name, ok ? 'succeeded' : 'failed');
      if (ok) log.info(fields, 'schedule: ran');
      else log.error({ ...fields, failures: ++failures, reason: body.toString().slice(0, 300) }, 'schedule: run failed; next try at the next tick');
    } catch (error) {
      metrics?.scheduled(name, 'failed');
      log.error({ function: name, callId, failures: ++failures, reason: (error as Error).message }, 'schedule: run failed; next try at the next tick');
    } finally {
      await kv.delete(running).catch(() => undefined);
    }
  }

  const jobs = functions.map(
    (fn) =>
      new Cron(fn.schedule, { name: `shop:${fn.name}:${owner}`, protect: true }, async (job: Cron) => {
        // The tick as scheduled, not as fired: every runtime names it alike, however late it woke.
        const tick = job.previousRuns(1, new Date())[0] ?? new Date();
        const work = run(fn, tick).catch((error) => log.error({ err: error, function: fn.name }, 'schedule: could not take its turn'));
        runs.add(work);
        await work;
        runs.delete(work);
      }),
  );
  if (jobs.length) log.info({ schedules: functions.map(({ name, schedule }) => ({ name, schedule })) }, 'schedule: running');

  return {
    async stop() {
      for (const job of jobs) job.stop();
      await Promise.all(runs);
    },
  };
}
