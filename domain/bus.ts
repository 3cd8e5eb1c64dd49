import type { DomainEvent } from './ports.js';

/**
 * The message bus between the outbox and the functions: RabbitMQ in production, an in-process
 * bus by default. Both keep the same delivery rules: a durable queue per consumer bound to
 * event types, at-least-once delivery with a bounded number of messages in flight per queue,
 * retries after growing delays, and dead letters that wait to be replayed.
 */

/** One message handed to a consumer. */
export interface Delivery {
  /** The message id: the event id, or the async call id. */
  id: string;
  /** The routing key: the event type, or the queue name for messages sent straight to a queue. */
  topic: string;
  /** The message as published: the event envelope, or an async call, as JSON. */
  body: string;
  /** 1 for the first delivery, counting every retry since the message was published or replayed. */
  attempt: number;
}

/**
 * What became of a delivery: done (acknowledged), retry (again after the next delay, or dead
 * once the delays are used up), or dead (refused for good: straight to the dead letters).
 */
export type Verdict =
  | { outcome: 'done' }
  | { outcome: 'retry' | 'dead'; reason: string; status?: number };

export interface QueueSpec {
  /** The queue's own name, such as the function it feeds (`reserve-stock`). */
  name: string;
  /** Event types (routing keys, `*` and `#` wildcards allowed) the queue receives. */
  topics: string[];
  /** Deliveries of this queue handled at the same time; a slow consumer never starves the others. */
  prefetch: number;
  /**
   * The most messages the queue holds; `send` beyond it fails with QueueFullError. Without it a
   * durable bus may still bound the queue, moving its oldest messages to the dead letters.
   */
  maxLength?: number;
}

export interface Consumer {
  /** Stops taking deliveries and waits for those in flight to be settled. */
  stop(): Promise<void>;
}

export interface DeadLetter {
  queue: string;
  id: string;
  topic: string;
  attempts: number;
  /** The last answer's HTTP status, when there was one. */
  status?: number;
  reason: string;
  deadAt: string;
  body: string;
}

export interface QueueStats {
  ready: number;
  /** Delivered to a consumer of this process and not yet settled. */
  unacked: number;
  dead: number;
}

export interface MessageBus {
  /** Publishes events to the topic exchange; resolves once the broker has stored every one. */
  publish(events: DomainEvent[]): Promise<void>;
  /**
   * Only on a bus that keeps nothing across a restart (the in-process bus): resolves once every
   * queue that got these published events has handled or dead-lettered them. The outbox relay
   * marks an event sent only then, so a stop with events in flight loses none.
   */
  settled?(ids: string[]): Promise<void>;
  /**
   * Sends one message straight to a queue (declared with `declare`); resolves once stored.
   * Rejects with `QueueFullError` when the queue holds as many messages as it may.
   */
  send(queue: string, message: { id: string; body: string }): Promise<void>;
  /** Declares a queue (durable, bound to its topics) without consuming from it. */
  declare(spec: QueueSpec): Promise<void>;
  /** Declares the queue and consumes it; each delivery is settled by what `handle` answers. */
  consume(spec: QueueSpec, handle: (delivery: Delivery) => Promise<Verdict>): Promise<Consumer>;
  stats(queue: string): Promise<QueueStats>;
  /** Dead letters of one queue, or of every queue this bus knows, oldest first. */
  deadLetters(queues: string[]): Promise<DeadLetter[]>;
  /** Puts dead letters back on their queue with a fresh attempt count; answers how many. */
  replay(queues: string[], id?: string): Promise<number>;
  /**
   * Optional (a durable broker): every consumer queue bound to topics that was ever declared and
   * not removed, whoever declared it, so a removed function's queue can be found.
   */
  known?(): Promise<string[]>;
  /** Optional: deletes a queue and its dead letters for good; answers how many of each it held. */
  remove?(queue: string): Promise<{ ready: number; dead: number }>;
  /** Optional: events published while no queue was bound to their type, held for one to come. */
  unrouted?(): Promise<number>;
  close(): Promise<void>;
}

export class QueueFullError extends Error {
  constructor(queue: string) {
    super(`The queue ${queue} is full`);
    this.name = 'QueueFullError';
  }
}

/** AMQP topic matching: words split by dots, `*` is one word, `#` is zero or more. */
export function topicMatches(pattern: string, topic: string): boolean {
  const match = (p: string[], t: string[]): boolean => {
    if (!p.length) return !t.length;
    const [head, ...rest] = p;
    if (head === '#') return match(rest, t) || (t.length > 0 && match(p, t.slice(1)));
    return t.length > 0 && (head === '*' || head === t[0]) && match(rest, t.slice(1));
  };
  return match(pattern.split('.'), topic.split('.'));
}
