import type { FastifyBaseLogger } from 'fastify';
import type { DomainEvent, Outbox } from '#domain/ports.js';
import type { MessageBus } from '#domain/bus.js';

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
  /** Batches waiting for the broker's confirms at once: the window is `inFlight × batchSize` events. */
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

/** The ids a bus says it did store when it rejects a batch (the RabbitMQ bus's PartlyPublishedError). */
const publishedOf = (error: unknown): string[] => {
  const published = (error as { published?: unknown }).published;
  return Array.isArray(published) ? published.filter((id): id is string => typeof id === 'string') : [];
};

/**
 * Publishes the outbox: claims unsent events, publishes them with publisher confirms, and marks
 * them sent only once the broker has them. A commit anywhere wakes it (Outbox.watch); polling
 * catches what a lost notification missed. Several relays may run at once: claims keep them
 * from publishing one event twice, and the lease of a relay that died runs out, so its events
 * are published by another. A broker that is down leaves the events where they are.
 *
 * Events go out in a window: one claim at a time, each batch published at once without
 * waiting for the confirms of the batches before it, as long as fewer than `inFlight ×
 * batchSize` events wait for theirs (a RabbitMQ queue confirms persistent messages on its next
 * disk sync, tens of milliseconds when busy). The nudges of commits made meanwhile add up to
 * one claim. Confirmed events are marked sent in one write for all that were confirmed while
 * the previous write ran; an event the broker did not confirm (nacked, or not in time) is
 * released, to be claimed again at the next nudge, while the rest of its batch is marked sent.
 * Batches may reach the broker out of order; every consumer is idempotent and accepts any order
 * (the saga's release-stock may come before reserve-stock), as it must after a retry anyway.
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
  const window = inFlight * batchSize;
  const publishing = new Set<Promise<void>>();
  let unconfirmed = 0;
  let wanted = false;
  let claiming: Promise<void> | undefined;
  let stopped = false;
  let failing = false;

  async function claimWhileWanted() {
    while (wanted && !stopped && unconfirmed < window) {
      wanted = false;
      const limit = Math.min(batchSize, window - unconfirmed);
      const events = await outbox.claim(limit, leaseSeconds);
      if (!events.length) continue;
      // A full batch: more may wait (while the broker answers).
      if (events.length === limit && !failing) wanted = true;
      const run: Promise<void> = publish(events).finally(() => publishing.delete(run));
      publishing.add(run);
    }
  }

  async function publish(events: DomainEvent[]) {
    const ids = events.map((event) => event.id);
    unconfirmed += ids.length;
    try {
      await bus.publish(events);
      confirmed(ids);
      if (failing) log.info('outbox relay: publishing again');
      failing = false;
      log.debug({ events: ids.length }, 'outbox relay: published');
    } catch (error) {
      const published = new Set(publishedOf(error));
      confirmed(ids.filter((id) => published.has(id)));
      const waiting = ids.filter((id) => !published.has(id));
      await outbox.release(waiting).catch(() => undefined);
      if (!failing) log.warn({ reason: (error as Error).message, waiting: waiting.length }, 'outbox relay: publishing failed; the events wait in the outbox');
      failing = true;
    } finally {
      unconfirmed -= ids.length;
      // A claim held back by a full window goes on now.
      if (wanted) nudge();
    }
  }

  function confirmed(ids: string[]) {
    if (!ids.length) return;
    if (bus.settled) for (const id of ids) void bus.settled([id]).then(() => !stopped && markSent([id]));
    else markSent(ids);
  }

  // Marked sent in one write for all confirmed while the previous write ran; never two at once.
  let toMark: string[] = [];
  let marking: Promise<void> | undefined;
  function markSent(ids: string[]) {
    toMark.push(...ids);
    marking ??= markWaiting();
  }
  async function markWaiting() {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (toMark.length) {
      const ids = toMark;
      toMark = [];
      await outbox.markSent(ids).catch((error) => log.warn({ err: error }, 'outbox relay: marking events sent failed; they will be published again'));
    }
    marking = undefined;
  }

  function nudge() {
    if (stopped) return;
    wanted = true;
    claiming ??= claimWhileWanted()
      .catch((error) => log.error({ err: error }, 'outbox relay: reading the outbox failed'))
      .finally(() => {
        claiming = undefined;
        // Nudged while its last claim ran: one more round (unless the window is full).
        if (wanted && unconfirmed < window) nudge();
      });
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
      await claiming;
      await Promise.all([...publishing]);
      while (marking) await marking;
    },
  };
}
