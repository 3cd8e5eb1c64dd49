import type { FastifyBaseLogger } from 'fastify';
import type { MessageBus } from '#domain/bus.js';
import type { Outbox } from '#domain/ports.js';

export interface OutboxRelayOptions {
  outbox: Outbox;
  bus: MessageBus;
  log: FastifyBaseLogger;
  /** Milliseconds between polls: only the fallback, since commits wake the relay at once. */
  pollMs: number;
  /** Hours a sent event is kept before it is pruned. */
  retentionHours: number;
  batchSize?: number;
  /** Seconds a claim holds events: long enough to publish a batch, short enough to recover from a crash. */
  leaseSeconds?: number;
  /** Batches waiting for the broker's confirms at once. */
  inFlight?: number;
}

export interface OutboxRelay {
  /** Publishes what is waiting now (a writer's nudge). */
  nudge(): void;
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

/** Unsent events are counted up to this many. */
const COUNTED = 1000;

/**
 * What an operator watches of the outbox: the events not yet handed to the broker, and since
 * when the oldest waits (an age that keeps growing means the broker refuses them).
 */
export async function outboxReport(outbox: Outbox) {
  const unsent = await outbox.pending(COUNTED);
  const [oldest] = unsent;
  return { unsent: unsent.length, counted: COUNTED, oldest: oldest ? { id: oldest.id, type: oldest.type, occurredAt: oldest.occurredAt } : null };
}

/**
 * Publishes the outbox: claims unsent events, publishes them with publisher confirms, and marks
 * them sent only once the broker has them. A commit anywhere wakes it (Outbox.watch); polling
 * catches what a lost notification missed. Several relays may run at once: claims keep them
 * from publishing one event twice, and the lease of a relay that died runs out, so its events
 * are published by another. A broker that is down leaves the events where they are.
 *
 * A few batches are in flight at once: a commit made while a batch waits for its confirms (a
 * RabbitMQ queue confirms persistent messages on its next disk sync, tens of milliseconds when
 * busy) is published at once instead of after it. Batches may then reach the broker out of
 * order; every consumer is idempotent and accepts any order (the saga's release-stock may come
 * before reserve-stock), as it must after a retry anyway.
 */
export async function startOutboxRelay({
  outbox,
  bus,
  log,
  pollMs,
  retentionHours,
  batchSize = 200,
  leaseSeconds = 30,
  inFlight = 4,
}: OutboxRelayOptions): Promise<OutboxRelay> {
  const running = new Set<Promise<void>>();
  let again = false;
  let stopped = false;
  let failing = false;

  async function drain() {
    do {
      again = false;
      const events = await outbox.claim(batchSize, leaseSeconds);
      if (!events.length) return;
      const ids = events.map((e) => e.id);
      try {
        await bus.publish(events);
      } catch (error) {
        await outbox.release(ids);
        if (!failing) log.warn({ reason: (error as Error).message, waiting: ids.length }, 'outbox relay: publishing failed; the events wait in the outbox');
        failing = true;
        return;
      }
      await outbox.markSent(ids);
      if (failing) log.info('outbox relay: publishing again');
      failing = false;
      log.debug({ events: ids.length }, 'outbox relay: published');
      if (events.length === batchSize) again = true;
    } while (again && !stopped);
  }

  // Up to `inFlight` drains at once, each on events of its own (claims); a nudge when all are
  // busy makes the next one to end look once more.
  function nudge() {
    if (stopped) return;
    if (running.size >= inFlight) {
      again = true;
      return;
    }
    const run: Promise<void> = drain()
      .catch((error) => log.error({ err: error }, 'outbox relay: reading the outbox failed'))
      .finally(() => {
        running.delete(run);
        if (again) nudge();
      });
    running.add(run);
  }

  async function prune() {
    const removed = await outbox.prune(new Date(Date.now() - retentionHours * HOUR)).catch((error) => {
      log.warn({ err: error }, 'outbox relay: pruning failed');
      return 0;
    });
    if (removed) log.info({ removed }, 'outbox relay: pruned sent events');
  }

  const unwatch = await outbox.watch(nudge).catch((error) => {
    log.warn({ err: error }, 'outbox relay: cannot watch the outbox; polling only');
    return async () => undefined;
  });
  const poll = setInterval(nudge, pollMs);
  const pruning = setInterval(() => void prune(), HOUR);
  nudge();
  void prune();

  return {
    nudge,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(pruning);
      await unwatch();
      await Promise.all(running);
    },
  };
}
