import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, GetMessage, Message, MessagePropertyHeaders } from 'amqplib';
import { QueueFullError, type DeadLetter, type Delivery, type MessageBus, type QueueSpec, type Verdict } from '#domain/bus.js';

export interface RabbitmqBusOptions {
  /** Every name starts with it: `<prefix>.events`, `<prefix>.<queue>`, `<prefix>.<queue>.dead`, `<prefix>.delay.<ms>ms`. */
  prefix: string;
  /** Milliseconds before each retry; a message is dead once they are used up. */
  retryDelays: number[];
  /** How long a publish may wait for the broker (down, or coming back) before it fails. */
  publishTimeoutMs: number;
  /** Told when a channel could not declare its queues or start consuming (it tries again on the next reconnect). */
  onError?(error: Error, channel: string): void;
}

/** The names of everything the bus declares, for its users and for tests that clean up. */
export function rabbitmqNames(prefix: string) {
  return {
    exchange: `${prefix}.events`,
    queue: (name: string) => `${prefix}.${name}`,
    dead: (name: string) => `${prefix}.${name}.dead`,
    delay: (ms: number) => `${prefix}.delay.${ms}ms`,
  };
}

const ATTEMPT = 'x-attempt';
// What a message carries about its past (ours, and RabbitMQ's x-death after each pass through a
// delay queue) is dropped when it moves on: each step sets afresh what it needs.
const BOOKKEEPING = /^x-(attempt|reason|status|dead-at|death|first-death-.*|last-death-.*)$/;

function publishOn(channel: ConfirmChannel, exchange: string, routingKey: string, message: Message, headers: MessagePropertyHeaders) {
  const { messageId, type, contentType, timestamp, headers: old = {} } = message.properties;
  const kept = Object.fromEntries(Object.entries(old).filter(([name]) => !BOOKKEEPING.test(name)));
  return new Promise<void>((resolve, reject) =>
    channel.publish(
      exchange,
      routingKey,
      message.content,
      { persistent: true, messageId, type, contentType, timestamp, headers: { ...kept, ...headers } },
      (error) => (error ? reject(error) : resolve()),
    ),
  );
}

/**
 * The message bus on RabbitMQ, through an amqp-connection-manager connection the caller made:
 * it reconnects on its own and every channel declares its topology again when it does.
 *
 * Events go to the durable topic exchange `<prefix>.events`, persistent, with publisher
 * confirms. Each consumer queue is durable and bound to its topics. A retry is published to
 * the delay step's fanout exchange with the queue's name as routing key; the step's queue holds
 * it for its TTL (one queue per step: a TTL only expires at a queue's head) and dead-letters it
 * through the default exchange straight back to that queue. This RabbitMQ has no delayed-message
 * plugin, and this never loops a message back at once. Dead letters wait in `<queue>.dead`.
 */
export function rabbitmqBus(connection: AmqpConnectionManager, { prefix, retryDelays, publishTimeoutMs, onError = () => undefined }: RabbitmqBusOptions): MessageBus {
  const names = rabbitmqNames(prefix);
  const steps = [...new Set(retryDelays)];
  const unacked = new Map<string, number>();

  async function declareShared(channel: Channel) {
    await channel.assertExchange(names.exchange, 'topic', { durable: true });
    for (const ms of steps) {
      await channel.assertExchange(names.delay(ms), 'fanout', { durable: true });
      await channel.assertQueue(names.delay(ms), {
        durable: true,
        arguments: { 'x-message-ttl': ms, 'x-dead-letter-exchange': '' },
      });
      await channel.bindQueue(names.delay(ms), names.delay(ms), '');
    }
  }

  async function declareQueue(channel: Channel, spec: QueueSpec) {
    // A full queue refuses new messages (the publisher's confirm is a nack) instead of dropping old ones.
    const limit = spec.maxLength === undefined ? undefined : { 'x-max-length': spec.maxLength, 'x-overflow': 'reject-publish' };
    await channel.assertQueue(names.queue(spec.name), { durable: true, arguments: limit });
    await channel.assertQueue(names.dead(spec.name), { durable: true });
    for (const topic of spec.topics) await channel.bindQueue(names.queue(spec.name), names.exchange, topic);
  }

  const publisher = connection.createChannel({
    name: 'publisher',
    confirm: true,
    publishTimeout: publishTimeoutMs,
    setup: (channel: ConfirmChannel) => declareShared(channel),
  });
  publisher.on('error', (error: Error) => onError(error, 'publisher'));
  const declared = new Map<string, { spec: QueueSpec; setup: (channel: ConfirmChannel) => Promise<void> }>();
  // Queues are declared and bound on the publisher's channel, again after every reconnect, and
  // before declare() answers: an event is never published before the queues that must receive
  // it are bound. A queue declared again with other topics loses the bindings it no longer has.
  const declare = async (spec: QueueSpec) => {
    const before = declared.get(spec.name);
    if (before && JSON.stringify(before.spec) === JSON.stringify(spec)) return;
    const gone = before ? before.spec.topics.filter((topic) => !spec.topics.includes(topic)) : [];
    const setup = async (channel: ConfirmChannel) => {
      await declareQueue(channel, spec);
      for (const topic of gone) await channel.unbindQueue(names.queue(spec.name), names.exchange, topic);
    };
    declared.set(spec.name, { spec, setup });
    if (before) await publisher.removeSetup(before.setup);
    await publisher.addSetup(setup);
  };

  /** A channel of its own for one inspection: a 404 there closes only that channel. */
  async function withChannel<T>(work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    // Just started (a command line tool) or reconnecting: wait a moment for the connection.
    if (!connection.isConnected()) await connection.connect({ timeout: 5000 }).catch(() => undefined);
    const live = connection.connection;
    if (!live) throw new Error('RabbitMQ is not connected');
    const channel = await live.createConfirmChannel();
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Every message of a queue, held unacknowledged: closing the channel puts back those not acked. */
  async function drain(channel: Channel, queue: string) {
    const messages: GetMessage[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue)) messages.push(message);
    return messages;
  }

  const toDeadLetter = (queue: string, message: GetMessage): DeadLetter => {
    const headers = message.properties.headers ?? {};
    return {
      queue,
      id: String(message.properties.messageId ?? ''),
      topic: String(message.properties.type ?? message.fields.routingKey),
      attempts: Number(headers[ATTEMPT] ?? 1),
      ...(headers['x-status'] ? { status: Number(headers['x-status']) } : {}),
      reason: String(headers['x-reason'] ?? ''),
      deadAt: String(headers['x-dead-at'] ?? ''),
      body: message.content.toString(),
    };
  };

  return {
    async publish(events) {
      await Promise.all(
        events.map((event) =>
          publisher.publish(names.exchange, event.type, Buffer.from(JSON.stringify(event)), {
            persistent: true,
            messageId: event.id,
            type: event.type,
            contentType: 'application/json',
            timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
            headers: event.callId ? { 'x-call-id': event.callId } : {},
          }),
        ),
      );
    },

    async send(queue, { id, body }) {
      try {
        await publisher.sendToQueue(names.queue(queue), Buffer.from(body), {
          persistent: true,
          messageId: id,
          type: queue,
          contentType: 'application/json',
        });
      } catch (error) {
        if ((error as Error).message === 'message nacked') throw new QueueFullError(queue);
        throw error;
      }
    },

    declare,

    async consume(spec, handle) {
      await declare(spec);
      let stopping = false;
      let current: { channel: ConfirmChannel; tag: string } | undefined;
      const inFlight = new Set<Promise<void>>();
      const count = (delta: number) => unacked.set(spec.name, (unacked.get(spec.name) ?? 0) + delta);

      // Settled on the channel the message came from: after a reconnect, an old delivery tag
      // means nothing on the new channel, and the broker delivers the message again anyway.
      async function settle(channel: ConfirmChannel, message: ConsumeMessage) {
        const attempt = Number(message.properties.headers?.[ATTEMPT] ?? 1);
        const delivery: Delivery = {
          id: String(message.properties.messageId ?? ''),
          topic: String(message.properties.type ?? message.fields.routingKey),
          body: message.content.toString(),
          attempt,
        };
        const verdict = await handle(delivery).catch((error: Error): Verdict => ({ outcome: 'retry', reason: error.message }));
        try {
          if (verdict.outcome === 'retry' && attempt <= retryDelays.length) {
            await publishOn(channel, names.delay(retryDelays[attempt - 1]), names.queue(spec.name), message, { [ATTEMPT]: attempt + 1 });
          } else if (verdict.outcome !== 'done') {
            await publishOn(channel, '', names.dead(spec.name), message, {
              [ATTEMPT]: attempt,
              'x-reason': verdict.reason,
              ...(verdict.status ? { 'x-status': verdict.status } : {}),
              'x-dead-at': new Date().toISOString(),
            });
          }
          channel.ack(message);
        } catch {
          // The channel went away: the broker redelivers the message on the next one.
        }
      }

      const wrapper = connection.createChannel({
        name: `consumer ${spec.name}`,
        confirm: true,
        setup: async (channel: ConfirmChannel) => {
          await declareShared(channel);
          await declareQueue(channel, spec);
          if (stopping) return;
          await channel.prefetch(spec.prefetch);
          const { consumerTag } = await channel.consume(names.queue(spec.name), (message) => {
            if (!message) return;
            count(1);
            const work = settle(channel, message).finally(() => {
              count(-1);
              inFlight.delete(work);
            });
            inFlight.add(work);
          });
          current = { channel, tag: consumerTag };
        },
      });
      wrapper.on('error', (error: Error) => {
        if (!stopping) onError(error, `consumer ${spec.name}`);
      });

      return {
        async stop() {
          stopping = true;
          if (current) await current.channel.cancel(current.tag).catch(() => undefined);
          await Promise.allSettled([...inFlight]);
          await wrapper.close();
        },
      };
    },

    stats: (queue) =>
      withChannel(async (channel) => {
        const [live, dead] = [await channel.checkQueue(names.queue(queue)), await channel.checkQueue(names.dead(queue))];
        return { ready: live.messageCount, unacked: unacked.get(queue) ?? 0, dead: dead.messageCount };
      }),

    async deadLetters(queues) {
      const letters: DeadLetter[] = [];
      for (const queue of queues) {
        letters.push(...(await withChannel(async (channel) => (await drain(channel, names.dead(queue))).map((m) => toDeadLetter(queue, m)))));
      }
      return letters.sort((a, b) => a.deadAt.localeCompare(b.deadAt));
    },

    async replay(queues, id) {
      let replayed = 0;
      for (const queue of queues) {
        replayed += await withChannel(async (channel) => {
          const again = (await drain(channel, names.dead(queue))).filter((m) => id === undefined || m.properties.messageId === id);
          for (const message of again) {
            await publishOn(channel, '', names.queue(queue), message, {});
            channel.ack(message);
          }
          return again.length;
        });
      }
      return replayed;
    },

    async close() {
      await publisher.close();
      await connection.close();
    },
  };
}
