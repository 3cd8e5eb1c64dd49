import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MessageBus } from '#domain/bus.js';
import type { KeyValueStore, Outbox } from '#domain/ports.js';
import { parseDuration, type Config } from '#platform/config.js';
import { openBus } from '#platform/connections.js';
import type { Deps } from '#platform/deps.js';
import { createServer, serverTimeouts } from '#platform/server.js';
import { asyncQueue } from './async-worker.js';
import { startEvents, type Events } from './events.js';
import apiReference from './gateway/api-reference.js';
import asyncCalls from './gateway/async-calls.js';
import cors from './gateway/cors.js';
import inProcess, { startInProcess } from './gateway/in-process.js';
import isolatedProxy, { startIsolated } from './gateway/isolated-proxy.js';
import system, { queueNames } from './gateway/system.js';
import wrongMethods from './gateway/wrong-methods.js';
import { mountMedia } from './media.js';
import { mountMetrics } from './metrics-plugin.js';
import { createRuntimeMetrics, type RuntimeMetrics } from './metrics.js';
import { loadDefinitions } from './reference.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import type { Stack } from './stack.js';
import { mountWeb } from './web.js';

export interface GatewayOptions {
  stack: Stack;
  config: Config;
  /** Each function in its own process (needs DATABASE_URL and REDIS_URL). */
  isolated?: boolean;
  /** The environment `config` was read from; isolated function processes get it too. */
  env?: Record<string, string | undefined>;
  /** Readable log lines instead of JSON (npm start at a terminal). */
  pretty?: boolean;
}

export interface Gateway {
  app: FastifyInstance;
  mode: 'in-process' | 'isolated';
  adapters: Record<string, string>;
  /** In-process mode only: the dependencies the functions share (tests look into the outbox). */
  deps?: Deps;
  bus: MessageBus;
  /** Listens, then starts the event backbone, which calls functions through this address. Answers the URL. */
  listen(options: { port: number; host: string }): Promise<string>;
  /** Once listening: the relay, and (unless CONNECTOR=off) the connector and the async worker. */
  events?: Events;
  /** What `GET /metrics` shows. */
  metrics: RuntimeMetrics;
}

/**
 * The local OpenFaaS-compatible gateway: `/function/<name>`, `/async-function/<name>`,
 * `/system/*`, `/healthz`, and the public `/api/…` routes from stack.yml, as Nginx serves them
 * in front of a real gateway. Once listening, it runs the event backbone too.
 */
export async function createGateway({ stack, config: given, isolated = false, env = process.env, pretty = false }: GatewayOptions): Promise<Gateway> {
  // Internal functions refuse calls without the token; with none configured, this runtime makes
  // one for its own connector and function processes.
  const config = { ...given, internalToken: given.internalToken ?? randomBytes(24).toString('base64url') };
  // A request may take as long to arrive as the slowest function may run (its exec_timeout).
  const execTimeout = Math.max(...stack.functions.map((f) => parseDuration(f.environment.exec_timeout, 10)));
  const app = createServer({ logLevel: config.logLevel, pretty, timeouts: serverTimeouts(config.timeouts, execTimeout) });
  let deps: Deps | undefined;
  let outbox: Outbox;
  let kv: KeyValueStore;
  let adapters: Record<string, string>;
  let events: Events | undefined;
  let scheduler: Scheduler | undefined;
  const metrics = createRuntimeMetrics({ functions: stack.functions.map((f) => f.name), retries: config.events.retryDelays.length, log: app.log });
  // Before the functions are mounted: their routes get its hook. METRICS=off: neither.
  if (config.metrics) mountMetrics(app, stack, metrics);
  const { bus, name: busName } = await openBus(config, app.log);
  app.addHook('preClose', async () => {
    await scheduler?.stop();
    await events?.stop();
  });
  app.addHook('onClose', () => bus.close());
  try {
    await app.register(cors, { origins: config.corsOrigins });
    const definitions = await loadDefinitions(stack);
    if (isolated) {
      const started = await startIsolated(app, stack, config, { ...env, INTERNAL_TOKEN: config.internalToken });
      ({ outbox, kv, adapters } = started);
      await app.register(isolatedProxy, { functions: stack.functions, urls: started.urls });
    } else {
      deps = await startInProcess(app, config);
      await app.register(inProcess, { definitions, deps });
      ({ adapters, kv } = deps);
      outbox = deps.store.outbox;
    }
    // Every queue exists before the relay publishes, even when the connector runs elsewhere or
    // later: an event published before its function's queue exists would reach nobody.
    await bus.declare(asyncQueue(config.events));
    for (const { name, topics } of stack.functions) {
      if (topics.length) await bus.declare({ name, topics, prefetch: config.events.prefetch });
    }
    await app.register(apiReference, { definitions });
    await app.register(wrongMethods, { stack });
    await app.register(asyncCalls, { names: new Set(stack.functions.map((f) => f.name)), bus, config });
    await app.register(system, { stack, bus, outbox, config });
    metrics.readFrom({ bus, outbox, queues: () => queueNames(stack, config) });
    // Product images stored on local disk (no CLOUDINARY_URL) are served from here.
    mountMedia(app, join(config.dataDir, 'media'));
    // The storefront and back office (web/dist, built by npm run build:web) at `/`.
    mountWeb(app, { stripeJsUrl: config.payment.stripeJsUrl, stripeApiUrl: config.payment.stripeApiUrl });
    await app.ready();
  } catch (error) {
    await app.close(); // stops what was started: connections, function processes
    throw error;
  }
  const gateway: Gateway = {
    app,
    mode: isolated ? 'isolated' : 'in-process',
    adapters: { ...adapters, bus: busName },
    deps,
    bus,
    metrics,
    async listen({ port, host }) {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const loopback = address.family === 'IPv6' ? '[::1]' : '127.0.0.1';
      const url = `http://${loopback}:${address.port}`;
      gateway.events = events = await startEvents({
        bus,
        outbox,
        log: app.log,
        config,
        gatewayUrl: url,
        consume: config.events.connector,
        functions: async () => stack.functions,
        metrics,
      });
      scheduler = startScheduler({
        functions: stack.functions.flatMap(({ name, schedule, environment }) =>
          schedule ? [{ name, schedule, timeoutMs: parseDuration(environment.exec_timeout, 10) * 1000 }] : [],
        ),
        kv,
        gatewayUrl: url,
        internalToken: config.internalToken,
        log: app.log.child({ component: 'scheduler' }),
        metrics,
      });
      return url;
    },
  };
  return gateway;
}
