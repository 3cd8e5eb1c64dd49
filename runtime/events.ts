import type { FastifyBaseLogger } from 'fastify';
import type { Consumer, MessageBus } from '#domain/bus.js';
import type { Outbox } from '#domain/ports.js';
import type { Config } from '#platform/config.js';
import { startAsyncWorker } from './async-worker.js';
import { startConnector, type Connector, type TopicFunction } from './connector.js';
import type { RuntimeMetrics } from './metrics.js';
import { startOutboxRelay, type OutboxRelay } from './outbox-relay.js';

export interface EventsOptions {
  bus: MessageBus;
  outbox: Outbox;
  log: FastifyBaseLogger;
  config: Config;
  /** Where the connector and the async worker call functions. */
  gatewayUrl: string;
  /** Whether this process runs the connector and the async worker (the relay always runs). */
  consume: boolean;
  functions(): Promise<TopicFunction[]>;
  refreshMs?: number;
  /** Counts each delivery's outcome (GET /metrics). */
  metrics?: Pick<RuntimeMetrics, 'delivered'>;
}

export interface Events {
  connector?: Connector;
  stop(): Promise<void>;
}

/**
 * The event backbone of one process: the connector and the async worker (which declare their
 * queues before anything is published to them), then the outbox relay.
 */
export async function startEvents({ bus, outbox, log, config, gatewayUrl, consume, functions, refreshMs, metrics }: EventsOptions): Promise<Events> {
  const settings = config.events;
  let connector: Connector | undefined;
  let worker: Consumer | undefined;
  let relay: OutboxRelay | undefined;
  const stop = async () => {
    // Consumers first: calls in flight finish (and store their events) before the relay stops.
    await Promise.all([connector?.stop(), worker?.stop()]);
    await relay?.stop();
  };
  try {
    if (consume) {
      if (!config.internalToken) throw new Error('The connector needs INTERNAL_TOKEN (the internal-token secret) to call event-driven functions');
      connector = await startConnector({
        bus,
        log: log.child({ component: 'connector' }),
        gatewayUrl,
        internalToken: config.internalToken,
        prefetch: settings.prefetch,
        callTimeoutMs: settings.callTimeoutMs,
        functions,
        refreshMs,
        onOutcome: metrics?.delivered,
      });
      worker = await startAsyncWorker({ bus, log: log.child({ component: 'async-worker' }), gatewayUrl, settings });
    }
    relay = await startOutboxRelay({
      outbox,
      bus,
      log: log.child({ component: 'outbox-relay' }),
      pollMs: settings.outboxPollMs,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { connector, stop };
}
