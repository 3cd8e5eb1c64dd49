/**
 * Events through the shop against raw amqplib, in one run on one machine.
 *
 * The shop path: a change stored in the outbox → the relay (woken by the commit) → RabbitMQ →
 * the connector → POST /function/bench-noop through the runtime, which tells the bench over IPC.
 * The runtime runs as `npm start` does, in its own process, with the shipped settings (its log
 * level included). The raw path: persistent messages to a durable topic exchange and queue with
 * publisher confirms, a consumer with manual acks and the connector's prefetch: the same
 * durability, nothing else.
 *
 * - backlog: `count` events already waiting (stored before the runtime starts; published all at
 *   once, 200 unconfirmed, for raw), events/s from the first arrival to the last: what the relay,
 *   broker and connector can carry.
 * - live: `count` events sent by eight writers, each waiting for its send to be durable (the
 *   commit, the confirm), events/s from the first send to the last arrival.
 * - latency: `samples` events one after another, p50/p99 from the send to the arrival.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import pg from 'pg';
import { pgDatabase } from '../adapters/sql/pg-database.js';
import { sqlStore } from '../adapters/sql/sql-store.js';
import { loadConfig } from '../platform/config.js';
import { freshPostgres } from '../test/helpers/targets.js';
import { deleteTopology } from '../test/helpers/rabbitmq.js';
import { childEnv, cpuMs, freePort, spawnNode, waitForHttp } from './processes.js';
import { unique } from './services.js';
import { percentile } from './load.js';

export interface EventsResult {
  path: string;
  /** Events/s draining a backlog. */
  backlog: number;
  /** Events/s with eight writers waiting for durability. */
  live: number;
  /** Milliseconds from send to arrival, one event at a time. */
  p50: number;
  p99: number;
  /**
   * CPU microseconds per event of the process that drains the backlog (the runtime: relay,
   * connector and function; for raw, the consumer), user and system: unlike a rate, it hardly
   * moves when other processes compete for the cores.
   */
  cpuPerEvent: number;
  /** System calls of the read and write families per event of that process in the backlog (/proc/<pid>/io). */
  syscallsPerEvent: number;
}

interface Settings {
  amqpUrl: string;
  databaseUrl: string;
  count: number;
  samples: number;
  defer(cleanup: () => Promise<void>): void;
}

/** Writers sending at once in the live scenario. */
const WRITERS = 8;
/** Events the relay claims and publishes at once (runtime/outbox-relay.ts). */
const RELAY_BATCH = 200;

const ids = (count: number) => Array.from({ length: count }, () => randomBytes(8).toString('hex'));
const rate = (count: number, ms: number) => count / (ms / 1000);

/** Read and write system calls a process has made so far (syscr + syscw of /proc/<pid>/io). */
function syscalls(pid: number) {
  const io = Object.fromEntries(readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n').map((line) => line.split(': ')));
  return Number(io.syscr) + Number(io.syscw);
}

/** What `work` costs the process `pid` per event: CPU microseconds, and read and write system calls. */
async function costPerEvent<T>(pid: number, events: number, work: () => Promise<T>) {
  const [cpu, calls] = [cpuMs(pid), syscalls(pid)];
  const result = await work();
  return { result, cpuPerEvent: ((cpuMs(pid) - cpu) * 1000) / events, syscallsPerEvent: (syscalls(pid) - calls) / events };
}

/** Arrivals by id: `arrived(id)` is called by whatever sees an event reach its consumer. */
function arrivals() {
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  const times: number[] = [];
  return {
    times,
    arrived(id: string) {
      times.push(performance.now());
      const resolve = waiting.get(id);
      if (resolve) {
        waiting.delete(id);
        resolve();
      } else early.add(id);
    },
    wait(id: string) {
      if (early.delete(id)) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.set(id, resolve));
    },
  };
}

type Arrivals = ReturnType<typeof arrivals>;

/** `send` on every id, `inFlight` at a time. */
async function sendAll(list: string[], inFlight: number, send: (id: string) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < list.length) await send(list[next++]);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Events/s from the first arrival to the last, once all `list` arrived. */
async function drained(seen: Arrivals, list: string[]) {
  const from = seen.times.length;
  await Promise.all(list.map(seen.wait));
  const times = seen.times.slice(from);
  return rate(list.length - 1, times.at(-1)! - times[0]);
}

async function live(seen: Arrivals, count: number, send: (id: string) => Promise<void>) {
  const list = ids(count);
  const started = performance.now();
  const all = Promise.all(list.map(seen.wait));
  await sendAll(list, WRITERS, send);
  await all;
  return rate(count, performance.now() - started);
}

async function latency(seen: Arrivals, samples: number, send: (id: string) => Promise<void>) {
  const latencies: number[] = [];
  for (const id of ids(samples)) {
    const arrived = seen.wait(id);
    const sent = performance.now();
    await send(id);
    await arrived;
    latencies.push(performance.now() - sent);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function rawAmqplib({ amqpUrl, count, samples, defer }: Settings): Promise<EventsResult> {
  const prefix = unique('bench-raw-');
  const connection = await amqplib.connect(amqpUrl, { noDelay: true });
  defer(async () => {
    await connection.close().catch(() => undefined);
    await deleteTopology(amqpUrl, prefix, ['noop'], []);
  });
  const exchange = `${prefix}.events`;
  const queue = `${prefix}.noop`;
  const publisher = await connection.createConfirmChannel();
  await publisher.assertExchange(exchange, 'topic', { durable: true });
  await publisher.assertQueue(queue, { durable: true });
  await publisher.bindQueue(queue, exchange, 'bench.ping');
  const send = (id: string) =>
    new Promise<void>((resolve, reject) =>
      publisher.publish(exchange, 'bench.ping', Buffer.from(JSON.stringify({ id, type: 'bench.ping', data: {} })), { persistent: true, messageId: id }, (error) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
      ),
    );
  const backlogIds = ids(count);
  await sendAll(backlogIds, RELAY_BATCH, send);

  const seen = arrivals();
  const consumer = await connection.createChannel();
  await consumer.prefetch(loadConfig({}).events.prefetch);
  await consumer.consume(queue, (message) => {
    if (!message) return;
    seen.arrived(String(message.properties.messageId));
    consumer.ack(message);
  });
  const { result: backlog, ...cost } = await costPerEvent(process.pid, count, () => drained(seen, backlogIds));
  return {
    path: 'raw amqplib: publish (confirmed) → consume (acked)',
    backlog,
    ...cost,
    live: await live(seen, count, send),
    ...(await latency(seen, samples, send)),
  };
}

async function throughTheShop({ amqpUrl, databaseUrl, count, samples, defer }: Settings): Promise<EventsResult> {
  const schema = await freshPostgres(databaseUrl);
  defer(schema.cleanup);
  const prefix = unique('bench-events-');
  defer(() => deleteTopology(amqpUrl, prefix, ['bench-noop', 'async-calls'], loadConfig({}).events.retryDelays));
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-bench-events-'));
  defer(async () => rmSync(dataDir, { recursive: true, force: true }));

  const store = await sqlStore(pgDatabase(new pg.Pool({ connectionString: schema.url, max: WRITERS })));
  defer(() => store.close());
  const send = (id: string) => store.outbox.add([{ id, type: 'bench.ping', occurredAt: new Date().toISOString(), data: {} }]);
  const backlogIds = ids(count);
  await sendAll(backlogIds, WRITERS, send);

  const seen = arrivals();
  const port = await freePort();
  const runtime = spawnNode(
    'runtime (events bench)',
    'runtime/main.ts',
    childEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: schema.url,
      AMQP_URL: amqpUrl,
      EVENTS_PREFIX: prefix,
      STACK_FILE: 'bench/events-stack.yml',
      DATA_DIR: dataDir,
    }),
    { quiet: true },
  );
  defer(() => runtime.stop());
  runtime.process.on('message', (message: { handled?: string[] }) => message.handled?.forEach(seen.arrived));
  await waitForHttp(runtime, `http://127.0.0.1:${port}/healthz`);
  const { result: backlog, ...cost } = await costPerEvent(runtime.pid, count, () => drained(seen, backlogIds));
  return {
    path: 'shop: outbox → relay → RabbitMQ → connector → function',
    backlog,
    ...cost,
    live: await live(seen, count, send),
    ...(await latency(seen, samples, send)),
  };
}

/** Both paths, the baseline first. */
export async function benchEvents(settings: Settings) {
  const raw = await rawAmqplib(settings);
  const shop = await throughTheShop(settings);
  return { raw, shop };
}
