import type { FastifyBaseLogger } from 'fastify';
import type { MessageBus } from '#domain/bus.js';
import type { Outbox } from '#domain/ports.js';

export interface OutboxRelayOptions {
  outbox: Outbox;
  bus: MessageBus;
  log: FastifyBaseLogger;
  /** Milliseconds between polls: only the fallback, since commits wake the relay at once. */
  pollMs: number;
  batchSize?: number;
  /**
   * Seconds a claim holds events: long enough to publish a batch, short enough that events a
   * crashed relay had claimed are published again within seconds of a restart.
   */
  leaseSeconds?: number;
  /** Batches waiting for the broker's confirms at once. */
  inFlight?: number;
}

export interface OutboxRelay {
  /** Publishes what is waiting now (a writer's nudge). */
  nudge(): void;
  stop(): Promise<void>;
}

// On a bus that keeps nothing across a restart, a claim lasts until the event is settled: its
// handling may take the retries' minutes. The next start frees what a stopped process held.
const UNTIL_SETTLED_SECONDS = 24 * 3600;

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
  batchSize = 200,
  leaseSeconds = bus.settled ? UNTIL_SETTLED_SECONDS : 10,
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
      if (bus.settled) for (const id of ids) void bus.settled([id]).then(() => sentLater(id));
      else await outbox.markSent(ids);
      if (failing) log.info('outbox relay: publishing again');
      failing = false;
      log.debug({ events: ids.length }, 'outbox relay: published');
      if (events.length === batchSize) again = true;
    } while (again && !stopped);
  }

  // Events settled in the same turn are marked sent in one write.
  let settledIds: string[] = [];
  const marking = new Set<Promise<void>>();
  function sentLater(id: string) {
    if (stopped) return; // still unsent: the next start publishes it again
    settledIds.push(id);
    if (settledIds.length > 1) return;
    const flush: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const ids = settledIds;
        settledIds = [];
        return outbox.markSent(ids);
      })
      .catch((error) => log.warn({ err: error }, 'outbox relay: marking events sent failed; they will be published again'))
      .finally(() => marking.delete(flush));
    marking.add(flush);
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

  if (bus.settled) {
    // This process's bus starts empty: what a stopped one had claimed is published again.
    await outbox.release((await outbox.pending(100_000)).map((event) => event.id));
  }
  const unwatch = await outbox.watch(nudge).catch((error) => {
    log.warn({ err: error }, 'outbox relay: cannot watch the outbox; polling only');
    return async () => undefined;
  });
  const poll = setInterval(nudge, pollMs);
  nudge();

  return {
    nudge,
    async stop() {
      stopped = true;
      clearInterval(poll);
      await unwatch();
      await Promise.all([...running, ...marking]);
    },
  };
}
