/**
 * `npm run connector`: the event side of the shop on its own, as it runs in production beside an
 * OpenFaaS gateway (or a gateway started with CONNECTOR=off): the outbox relay, the connector
 * (the topic → function map from the gateway's /system/functions, re-read periodically) and the
 * async worker, and the scheduled functions (their `schedule` annotations, read at start). It
 * needs the database (for the outbox), RabbitMQ and the internal token; Redis (REDIS_URL) lets
 * several connectors take turns at the schedules.
 */
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { configOrExit } from '#platform/config.js';
import { openBus, openKv, openStore } from '#platform/connections.js';
import { asyncQueue } from './async-worker.js';
import { functionsFromGateway } from './connector.js';
import { startEvents } from './events.js';
import { createRuntimeMetrics } from './metrics.js';
import { startScheduler } from './scheduler.js';

// Every setting and secret file is read (or refused) here, before anything starts.
const config = configOrExit('connector');
const log = pino({ level: config.logLevel, base: { component: 'connector-main' } });
const { gatewayUrl, refreshMs, port, user, password } = config.connectorMain;

const missing = Object.entries({
  DATABASE_URL: config.databaseUrl,
  AMQP_URL: config.events.amqpUrl,
  INTERNAL_TOKEN: config.internalToken,
})
  .filter(([, value]) => !value)
  .map(([name]) => name);
if (missing.length) {
  console.error(`connector: set ${missing.join(', ')} (or their secret files); npm start runs all of this itself on embedded defaults`);
  process.exit(1);
}

// What to close on SIGTERM grows as the start goes on; a signal during the start closes what is open.
const closing: (() => Promise<unknown>)[] = [];
async function stop(signal: NodeJS.Signals) {
  log.info(`${signal}: finishing the calls in flight, then stopping`);
  for (const close of closing.reverse()) await close().catch(() => undefined);
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(signal));

const readFunctions = functionsFromGateway(gatewayUrl, user && password ? { user, password } : undefined);

// The gateway may start after us: wait until it lists its functions rather than fail.
let listed: Awaited<ReturnType<typeof readFunctions>>;
for (let attempt = 0; ; attempt++) {
  try {
    listed = await readFunctions();
    break;
  } catch (error) {
    if (attempt === 0) log.warn({ gatewayUrl, reason: (error as Error).message }, 'waiting for the gateway to list its functions');
    await sleep(2000);
  }
}

const [{ store }, { bus, name: busName }] = await Promise.all([openStore(config), openBus(config, log)]);
closing.push(() => store.close(), () => bus.close());
// The shop's own metrics of this process (deliveries, schedules, queues, outbox) at /metrics;
// the gateway's invocation metrics are the gateway's.
const metrics = createRuntimeMetrics({ functions: [], retries: config.events.retryDelays.length, log });
const events = await startEvents({
  bus,
  outbox: store.outbox,
  log,
  config,
  gatewayUrl,
  consume: true,
  functions: readFunctions,
  refreshMs,
  metrics,
});
metrics.readFrom({
  bus,
  outbox: store.outbox,
  // The queues it consumes now, and the async calls'.
  queues: () => [...(events.connector?.functions().map((f) => f.name) ?? []), asyncQueue(config.events).name],
});
closing.push(() => events.stop());
log.info({ gatewayUrl, bus: busName, functions: events.connector?.functions().map((f) => f.name) }, 'connector ready');

const { kv } = await openKv(config);
closing.push(() => kv.close());
const scheduler = startScheduler({
  functions: listed.flatMap(({ name, schedule, timeoutMs }) => (schedule ? [{ name, schedule, timeoutMs }] : [])),
  kv,
  gatewayUrl,
  internalToken: config.internalToken!,
  log: log.child({ component: 'scheduler' }),
  metrics,
});
closing.push(() => scheduler.stop());

// Liveness for Docker and Kubernetes, the outbox for an operator (the runtime's /system/outbox),
// and the metrics for Prometheus (deploy/connector.yaml has the scrape annotations).
const health = createServer((request, response) => {
  if (request.url === '/metrics') {
    metrics.render().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: Error) => response.writeHead(503, { 'content-type': 'text/plain' }).end(error.message),
    );
    return;
  }
  if (request.url === '/outbox') {
    store.outbox.backlog().then(
      (report) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report)),
      (error: Error) => response.writeHead(503, { 'content-type': 'text/plain' }).end(error.message),
    );
    return;
  }
  const ok = request.url === '/healthz';
  response.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' }).end(ok ? 'OK' : 'Not found');
}).listen(port);
closing.push(async () => health.close());
