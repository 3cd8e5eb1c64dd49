import type { FastifyBaseLogger } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MessageBus, Verdict } from '#domain/bus.js';
import type { Outbox } from '#domain/ports.js';
import { processRegistry } from '#platform/metrics.js';

/** What a delivery came to, as counted: the connector's verdict, and the bus's once retries run out. */
export type DeliveryOutcome = 'handled' | 'retried' | 'dead_lettered';
/** A scheduled run: the function answered 2xx, or not (or not at all), or the last run still went on. */
export type ScheduleOutcome = 'succeeded' | 'failed' | 'skipped';

export interface MetricsOptions {
  /** The names of the functions this process serves (`gateway_service_count`). */
  functions: string[];
  /** Retries before a delivery is dead-lettered (EVENT_RETRY_DELAYS): a failure past them is dead. */
  retries: number;
  log: FastifyBaseLogger;
}

/** Where the gauges are read from at each scrape. */
export interface MetricsSources {
  bus: MessageBus;
  /** The queues to report on: each event-driven function's, and the async calls'. */
  queues(): string[];
  outbox: Outbox;
}

export interface RuntimeMetrics {
  /** One call of a function through this gateway: its HTTP status and how long it took. */
  invoked: (name: string, code: number, seconds: number) => void;
  /** The connector's verdict on one delivery of an event to a function. */
  delivered: (name: string, verdict: Verdict, attempt: number) => void;
  scheduled: (name: string, outcome: ScheduleOutcome) => void;
  /** Once the bus and the store are open: the queue and outbox gauges read them from then on. */
  readFrom(sources: MetricsSources): void;
  /** The Prometheus text of this process: the runtime's metrics and the process's own. */
  render(): Promise<string>;
  contentType: string;
}

/** The row of the queue gauges that counts the events no queue was bound to (RabbitMQ). */
const UNROUTED = '(unrouted)';

/**
 * The metrics of one runtime or connector process, in a registry of its own (tests run several
 * runtimes in one process). The names of the OpenFaaS gateway's own metrics are kept, so its
 * dashboards and alerts work on the local runtime too; the shop's own start with `shop_`. The
 * queue and outbox gauges are read from the bus and the store when Prometheus scrapes, never
 * on the request path.
 */
export function createRuntimeMetrics({ functions, retries, log }: MetricsOptions): RuntimeMetrics {
  const registry = new Registry();
  const registers = [registry];

  const invocations = new Counter({
    name: 'gateway_function_invocation_total',
    help: 'Function calls through the gateway, by function and HTTP status',
    labelNames: ['function_name', 'code'] as const,
    registers,
  });
  const durations = new Histogram({
    name: 'gateway_functions_seconds',
    help: 'Seconds a function call took, by function and HTTP status',
    labelNames: ['function_name', 'code'] as const,
    registers,
  });
  const replicas = new Gauge({
    name: 'gateway_service_count',
    help: 'Replicas of each function (one in the local runtime)',
    labelNames: ['function_name'] as const,
    registers,
  });
  for (const name of functions) replicas.set({ function_name: name }, 1);

  const deliveries = new Counter({
    name: 'shop_connector_deliveries_total',
    help: 'Event deliveries to functions by outcome: handled, retried (failed, will be tried again) or dead_lettered',
    labelNames: ['function_name', 'outcome'] as const,
    registers,
  });
  const runs = new Counter({
    name: 'shop_schedule_runs_total',
    help: 'Runs of scheduled functions by outcome: succeeded, failed, or skipped (the last run still going)',
    labelNames: ['function_name', 'outcome'] as const,
    registers,
  });

  let sources: MetricsSources | undefined;
  const ready = new Gauge({ name: 'shop_queue_ready_messages', help: 'Messages waiting in each queue', labelNames: ['queue'] as const, registers });
  const dead = new Gauge({ name: 'shop_queue_dead_letters', help: 'Dead letters of each queue', labelNames: ['queue'] as const, registers });
  const unsent = new Gauge({ name: 'shop_outbox_unsent_events', help: 'Events stored and not yet published', registers });
  const oldest = new Gauge({
    name: 'shop_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest unsent event (0 when none waits); one that keeps growing means the broker refuses events',
    registers,
  });

  /** Asked at each scrape; a source that does not answer leaves its gauges empty, said in the log. */
  async function readSources() {
    if (!sources) return;
    const { bus, outbox } = sources;
    const [stats, unrouted, backlog] = await Promise.allSettled([
      Promise.all(sources.queues().map(async (queue) => ({ queue, ...(await bus.stats(queue)) }))),
      bus.unrouted?.() ?? Promise.resolve(undefined),
      outbox.backlog(),
    ]);
    ready.reset();
    dead.reset();
    if (stats.status === 'fulfilled') {
      for (const { queue, ready: waiting, dead: parked } of stats.value) {
        ready.set({ queue }, waiting);
        dead.set({ queue }, parked);
      }
    } else log.warn({ reason: (stats.reason as Error).message }, 'metrics: the message bus did not answer');
    if (unrouted.status === 'fulfilled' && unrouted.value !== undefined) ready.set({ queue: UNROUTED }, unrouted.value);
    unsent.reset();
    oldest.reset();
    if (backlog.status === 'fulfilled') {
      const { unsent: count, oldestOccurredAt } = backlog.value;
      unsent.set(count);
      oldest.set(oldestOccurredAt ? Math.max(0, (Date.now() - Date.parse(oldestOccurredAt)) / 1000) : 0);
    } else log.warn({ reason: (backlog.reason as Error).message }, 'metrics: the outbox did not answer');
  }

  // The children of each label set, kept: a call on the hot path is a map lookup and two adds.
  const children = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'function_name' | 'code'> }>();
  return {
    invoked(name, code, seconds) {
      const key = `${name} ${code}`;
      let child = children.get(key);
      if (!child) {
        const labels = { function_name: name, code: String(code) };
        child = { count: invocations.labels(labels), time: durations.labels(labels) };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
    delivered(name, verdict, attempt) {
      const outcome: DeliveryOutcome =
        verdict.outcome === 'done' ? 'handled' : verdict.outcome === 'dead' || attempt > retries ? 'dead_lettered' : 'retried';
      deliveries.inc({ function_name: name, outcome });
    },
    scheduled(name, outcome) {
      runs.inc({ function_name: name, outcome });
    },
    readFrom(given) {
      sources = given;
    },
    async render() {
      await readSources();
      return `${await registry.metrics()}\n${await processRegistry.metrics()}`;
    },
    contentType: registry.contentType,
  };
}
