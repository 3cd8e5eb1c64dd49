import type { ConfirmChannel, GetMessage, Message, MessagePropertyHeaders } from 'amqplib';
import type { DeadLetter } from '#domain/bus.js';

export interface RabbitmqBusOptions {
  /** Every name starts with it: `<prefix>.events`, `<prefix>.<queue>.work`, `<prefix>.<queue>.dead`, `<prefix>.retry.<ms>ms`, … */
  prefix: string;
  /** Milliseconds before each retry; a message is dead once they are used up. */
  retryDelays: number[];
  /** How long a publish may wait for the broker (down, or coming back) before it fails. */
  publishTimeoutMs: number;
  /**
   * Messages a queue without a limit of its own holds at most (and the unrouted events): beyond
   * it the oldest moves to the queue's dead letters (the oldest unrouted one is dropped).
   */
  maxLength?: number;
  /** Told when a channel could not declare its queues or start consuming (it tries again on the next reconnect). */
  onError?(error: Error, channel: string): void;
  /** Told what the bus changed on the broker by itself (an earlier version's topology moved over). */
  onNotice?(message: string): void;
}

/** The names of everything the bus declares, for its users and for tests that clean up. */
export function rabbitmqNames(prefix: string) {
  return {
    exchange: `${prefix}.events`,
    /** The alternate exchange of `exchange` and its one queue: events no queue was bound to. */
    unrouted: `${prefix}.unrouted`,
    /** The names of the queues bound to topics, one message each: AMQP cannot list queues. */
    registry: `${prefix}.registry`,
    queue: (name: string) => `${prefix}.${name}.work`,
    dead: (name: string) => `${prefix}.${name}.dead`,
    delay: (ms: number) => `${prefix}.retry.${ms}ms`,
    /** What versions before the quorum delay queues declared: moved over, then deleted. */
    legacy: {
      queue: (name: string) => `${prefix}.${name}`,
      delay: (ms: number) => `${prefix}.delay.${ms}ms`,
    },
  };
}

export type RabbitmqNames = ReturnType<typeof rabbitmqNames>;

export const ATTEMPT = 'x-attempt';
// What a message carries about its past (ours, and RabbitMQ's x-death after each pass through a
// delay queue) is dropped when it moves on: each step sets afresh what it needs.
const BOOKKEEPING = /^x-(attempt|reason|status|dead-at|death|first-death-.*|last-death-.*)$/;

/** Publishes `message` again (to a delay step, the dead letters, a work queue) and resolves on the broker's confirm. */
export function publishOn(channel: ConfirmChannel, exchange: string, routingKey: string, message: Message, headers: MessagePropertyHeaders) {
  // amqplib types the properties as any.
  const { messageId, type, contentType, timestamp, headers: old = {} } = message.properties as {
    messageId?: string;
    type?: string;
    contentType?: string;
    timestamp?: number;
    headers?: MessagePropertyHeaders;
  };
  const kept = Object.fromEntries(Object.entries(old).filter(([name]) => !BOOKKEEPING.test(name)));
  return new Promise<void>((resolve, reject) =>
    channel.publish(
      exchange,
      routingKey,
      message.content,
      { persistent: true, messageId, type, contentType, timestamp, headers: { ...kept, ...headers } },
      (error) => (error ? reject(error as Error) : resolve()),
    ),
  );
}

/** An AMQP error that closed a channel: 404 (no such queue) or 406 (declared with other arguments). */
export const replyCode = (error: unknown) => (error as { code?: number }).code;

/** The headers a message keeps when it is moved as it is: its attempt count. */
export const attemptOf = (message: Message) => {
  const attempt = message.properties.headers?.[ATTEMPT] as unknown;
  return attempt === undefined ? {} : { [ATTEMPT]: attempt };
};

/** Why RabbitMQ dead-lettered a message itself (x-death), in words. */
function brokerReason(headers: MessagePropertyHeaders): { reason: string; deadAt: string } | undefined {
  const [death] = (headers['x-death'] ?? []) as { reason?: string; time?: { value?: number } | number }[];
  if (!death) return undefined;
  const seconds = typeof death.time === 'number' ? death.time : death.time?.value;
  const reason = death.reason === 'maxlen' ? 'the queue was full: the oldest event moved here (maxlen)' : `dead-lettered by RabbitMQ (${death.reason})`;
  return { reason, deadAt: seconds ? new Date(seconds * 1000).toISOString() : '' };
}

export function toDeadLetter(queue: string, message: GetMessage): DeadLetter {
  const headers = message.properties.headers ?? {};
  const byBroker = headers['x-reason'] === undefined ? brokerReason(headers) : undefined;
  return {
    queue,
    id: String(message.properties.messageId ?? ''),
    topic: String(message.properties.type ?? message.fields.routingKey),
    attempts: Number(headers[ATTEMPT] ?? 1),
    ...(headers['x-status'] ? { status: Number(headers['x-status']) } : {}),
    reason: byBroker?.reason ?? String(headers['x-reason'] ?? ''),
    deadAt: byBroker?.deadAt ?? String(headers['x-dead-at'] ?? ''),
    body: message.content.toString(),
  };
}
