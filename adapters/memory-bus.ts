import { QueueFullError, topicMatches, type DeadLetter, type Delivery, type MessageBus, type QueueSpec, type Verdict } from '#domain/bus.js';

interface Message {
  id: string;
  topic: string;
  body: string;
}

interface Queue {
  spec: QueueSpec;
  ready: (Message & { attempt: number })[];
  inFlight: number;
  dead: DeadLetter[];
  handle?: (delivery: Delivery) => Promise<Verdict>;
  /** Resolves the waiters of `stop()` when the last delivery in flight settles. */
  idle: (() => void)[];
}

export interface MemoryBusOptions {
  /** Milliseconds before each retry; a message is dead once they are used up. */
  retryDelays: number[];
}

/** An event on its way through the queues it was published to. */
interface Settling {
  /** Deliveries not yet handled or dead-lettered. */
  left: number;
  done: Promise<void>;
  resolve(): void;
}

/**
 * The in-process bus, the embedded default: the same delivery rules as RabbitMQ (queues bound
 * to topics, bounded prefetch, retries after growing delays, dead letters, replay), in this
 * process's memory. What it holds is lost when the process ends, so an event counts as sent
 * only once `settled` says every queue handled or dead-lettered it: until then the outbox keeps
 * it, and the next start publishes it again. Not for production.
 */
export function memoryBus({ retryDelays }: MemoryBusOptions): MessageBus & Required<Pick<MessageBus, 'settled'>> {
  const queues = new Map<string, Queue>();
  const timers = new Set<NodeJS.Timeout>();
  const settling = new Map<string, Settling>();

  const settle = (id: string) => {
    const entry = settling.get(id);
    if (!entry || --entry.left > 0) return;
    settling.delete(id);
    entry.resolve();
  };

  const declare = (spec: Queue['spec']) => {
    const queue = queues.get(spec.name);
    if (queue) return Object.assign(queue, { spec });
    const created: Queue = { spec, ready: [], inFlight: 0, dead: [], idle: [] };
    queues.set(spec.name, created);
    return created;
  };

  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  function pump(queue: Queue) {
    while (queue.handle && queue.inFlight < queue.spec.prefetch && queue.ready.length) {
      const message = queue.ready.shift()!;
      queue.inFlight += 1;
      void deliver(queue, queue.handle, message);
    }
  }

  async function deliver(queue: Queue, handle: NonNullable<Queue['handle']>, message: Queue['ready'][number]) {
    const verdict = await handle({ ...message }).catch(
      (error: Error): Verdict => ({ outcome: 'retry', reason: error.message }),
    );
    queue.inFlight -= 1;
    if (verdict.outcome === 'retry' && message.attempt <= retryDelays.length) {
      later(retryDelays[message.attempt - 1], () => {
        queue.ready.push({ ...message, attempt: message.attempt + 1 });
        pump(queue);
      });
    } else {
      if (verdict.outcome !== 'done') {
        queue.dead.push({
          queue: queue.spec.name,
          id: message.id,
          topic: message.topic,
          attempts: message.attempt,
          status: verdict.status,
          reason: verdict.reason,
          deadAt: new Date().toISOString(),
          body: message.body,
        });
      }
      settle(message.id);
    }
    if (!queue.inFlight) queue.idle.splice(0).forEach((resolve) => resolve());
    pump(queue);
  }

  const enqueue = (queue: Queue, message: Message) => {
    queue.ready.push({ ...message, attempt: 1 });
    pump(queue);
  };

  return {
    async publish(events) {
      for (const event of events) {
        const message = { id: event.id, topic: event.type, body: JSON.stringify(event) };
        const bound = [...queues.values()].filter((queue) => queue.spec.topics.some((pattern) => topicMatches(pattern, event.type)));
        const entry = settling.get(event.id);
        if (entry) entry.left += bound.length;
        else if (bound.length) {
          let resolve!: () => void;
          const done = new Promise<void>((r) => (resolve = r));
          settling.set(event.id, { left: bound.length, done, resolve });
        }
        for (const queue of bound) enqueue(queue, message);
      }
    },

    async settled(ids) {
      await Promise.all(ids.flatMap((id) => settling.get(id)?.done ?? []));
    },

    async send(name, { id, body }) {
      const queue = queues.get(name);
      if (!queue) throw new Error(`No queue named ${name}`);
      if (queue.spec.maxLength !== undefined && queue.ready.length >= queue.spec.maxLength) throw new QueueFullError(name);
      enqueue(queue, { id, topic: name, body });
    },

    async declare(spec) {
      declare(spec);
    },

    async consume(spec, handle) {
      const queue = declare(spec);
      if (queue.handle) throw new Error(`The queue ${spec.name} already has a consumer`);
      queue.handle = handle;
      pump(queue);
      return {
        async stop() {
          queue.handle = undefined;
          if (queue.inFlight) await new Promise<void>((resolve) => queue.idle.push(resolve));
        },
      };
    },

    async stats(name) {
      const queue = queues.get(name);
      return { ready: queue?.ready.length ?? 0, unacked: queue?.inFlight ?? 0, dead: queue?.dead.length ?? 0 };
    },

    async deadLetters(names) {
      return names
        .flatMap((name) => queues.get(name)?.dead ?? [])
        .sort((a, b) => a.deadAt.localeCompare(b.deadAt));
    },

    async replay(names, id) {
      let replayed = 0;
      for (const name of names) {
        const queue = queues.get(name);
        if (!queue) continue;
        const [again, stay] = partition(queue.dead, (letter) => id === undefined || letter.id === id);
        queue.dead = stay;
        for (const letter of again) enqueue(queue, { id: letter.id, topic: letter.topic, body: letter.body });
        replayed += again.length;
      }
      return replayed;
    },

    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      queues.clear();
    },
  };
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
