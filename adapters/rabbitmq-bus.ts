import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, GetMessage, Message, MessagePropertyHeaders } from 'amqplib';
import { QueueFullError, type DeadLetter, type Delivery, type MessageBus, type QueueSpec, type Verdict } from '#domain/bus.js';

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

const ATTEMPT = 'x-attempt';
const UNROUTED_TTL_MS = 24 * 3_600_000;
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

/** An AMQP error that closed a channel: 404 (no such queue) or 406 (declared with other arguments). */
const replyCode = (error: unknown) => (error as { code?: number }).code;

/** The headers a message keeps when it is moved as it is: its attempt count. */
const attemptOf = (message: Message) => {
  const attempt = message.properties.headers?.[ATTEMPT];
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

/**
 * The message bus on RabbitMQ, through an amqp-connection-manager connection the caller made:
 * it reconnects on its own and every channel declares its topology again when it does.
 *
 * Events go to the durable topic exchange `<prefix>.events`, persistent, with publisher
 * confirms. An event no queue is bound to (a subscriber not deployed yet, or a type nobody
 * subscribes to) goes to its alternate exchange and waits in `<prefix>.unrouted`, so the
 * confirm never stands for a lost event; whenever this bus binds a queue to new topics, it
 * publishes the waiting events again (those still unbound come back to the holding queue).
 *
 * Each consumer queue `<prefix>.<queue>.work` is durable, bound to its topics and limited in
 * length: beyond the limit the oldest message is dead-lettered into `<prefix>.<queue>.dead`
 * (drop-head), so a queue nobody consumes any longer can never fill the broker's memory or disk
 * and block every publisher. A queue with a limit of its own (async calls) refuses instead.
 *
 * A retry is published to the delay step's fanout exchange with the queue's name as routing
 * key; the step's queue holds it for its TTL (one queue per step: a TTL only expires at a
 * queue's head) and dead-letters it through the default exchange straight back to that queue.
 * The delay queues are quorum queues with at-least-once dead-lettering: RabbitMQ keeps the
 * message until the work queue confirmed it (a classic queue's dead-lettering is at most once,
 * and a full work queue would refuse it), which requires `reject-publish` on the delay queue.
 * This RabbitMQ has no delayed-message plugin, and this never loops a message back at once.
 */
export function rabbitmqBus(
  connection: AmqpConnectionManager,
  { prefix, retryDelays, publishTimeoutMs, maxLength = 100_000, onError = () => undefined, onNotice = () => undefined }: RabbitmqBusOptions,
): MessageBus {
  const names = rabbitmqNames(prefix);
  const steps = [...new Set(retryDelays)];
  const unacked = new Map<string, number>();

  /** A channel of its own for one step: a 404 or 406 there closes only that channel. */
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

  const exists = (queue: string) =>
    withChannel((channel) => channel.checkQueue(queue)).then(
      () => true,
      (error) => {
        if (replyCode(error) === 404) return false;
        throw error;
      },
    );

  /** Moves every message of `from` into the queue `to` (through the default exchange), with confirms. */
  const move = (from: string, to: (message: GetMessage) => Promise<string | undefined>) =>
    withChannel(async (channel) => {
      let moved = 0;
      for (let message = await channel.get(from); message; message = await channel.get(from)) {
        const target = await to(message);
        // Nowhere to go yet: it stays (closing the channel puts it back).
        if (!target) break;
        await publishOn(channel, '', target, message, attemptOf(message));
        channel.ack(message);
        moved += 1;
      }
      return moved;
    });

  async function declareExchange() {
    const options = { durable: true, alternateExchange: names.unrouted };
    try {
      await withChannel((channel) => channel.assertExchange(names.exchange, 'topic', options));
    } catch (error) {
      if (replyCode(error) !== 406) throw error;
      // An earlier version's exchange, without the alternate exchange (which cannot be added).
      // An exchange holds no messages, only bindings, which every queue's declaration makes
      // again; meanwhile a publish fails and its events wait in the outbox. Asked once more
      // right before: another process of this version may have just made it anew.
      const stillOld = await withChannel((channel) => channel.assertExchange(names.exchange, 'topic', options)).then(
        () => false,
        (again) => replyCode(again) === 406,
      );
      if (!stillOld) return;
      await withChannel((channel) => channel.deleteExchange(names.exchange));
      await withChannel((channel) => channel.assertExchange(names.exchange, 'topic', options));
      onNotice(`RabbitMQ: ${names.exchange} declared again with the alternate exchange ${names.unrouted} (an earlier version's had none)`);
    }
  }

  /**
   * The delay queues of an earlier version (classic: at-most-once dead-lettering) hand their
   * messages to the work queues they were bound for at once (an early retry is harmless), then go.
   */
  async function migrateDelays() {
    for (const ms of steps) {
      const legacy = names.legacy.delay(ms);
      if (!(await exists(legacy))) continue;
      const found = new Map<string, string | undefined>();
      const moved = await move(legacy, async (message) => {
        const old = message.fields.routingKey;
        if (!found.has(old)) {
          const current = old.startsWith(`${prefix}.`) ? names.queue(old.slice(prefix.length + 1)) : undefined;
          found.set(old, (await exists(old)) ? old : current && (await exists(current)) ? current : undefined);
        }
        return found.get(old);
      });
      await withChannel((channel) => channel.deleteQueue(legacy, { ifEmpty: true })).then(
        () => withChannel((channel) => channel.deleteExchange(legacy)),
        () => undefined,
      );
      onNotice(`RabbitMQ: moved ${moved} retries out of the earlier version's delay queue ${legacy}`);
    }
  }

  /** The work queue of an earlier version (other arguments, so another name) is moved into the new one, then deleted. */
  async function migrateQueue(name: string) {
    const legacy = names.legacy.queue(name);
    // A function named like one of the bus's own queues had no queue of that name before.
    if (legacy === names.unrouted || legacy === names.registry || !(await exists(legacy))) return;
    const moved = await move(legacy, async () => names.queue(name));
    await withChannel((channel) => channel.deleteQueue(legacy, { ifEmpty: true })).catch(() => undefined);
    onNotice(`RabbitMQ: moved ${moved} messages from the earlier version's queue ${legacy} to ${names.queue(name)}`);
  }

  // What every channel needs first, made (and an earlier version's moved over) once per connection.
  let shared: { on: unknown; done: Promise<void> } | undefined;
  function declareShared(channel: Channel) {
    if (!shared || shared.on !== channel.connection) {
      const done = (async () => {
        await withChannel(async (scratch) => {
          await scratch.assertExchange(names.unrouted, 'fanout', { durable: true });
          // A subscriber being deployed binds its queue within minutes; an event still unrouted
          // after a day is of a type nobody subscribes to, and nothing would ever take it. The
          // TTL and the limit keep every bus's start from publishing such events again for ever.
          await scratch.assertQueue(names.unrouted, {
            durable: true,
            arguments: { 'x-message-ttl': UNROUTED_TTL_MS, 'x-max-length': maxLength, 'x-overflow': 'drop-head' },
          });
          await scratch.bindQueue(names.unrouted, names.unrouted, '');
          await scratch.assertQueue(names.registry, { durable: true });
          for (const ms of steps) {
            await scratch.assertExchange(names.delay(ms), 'fanout', { durable: true });
            await scratch.assertQueue(names.delay(ms), {
              durable: true,
              arguments: {
                'x-queue-type': 'quorum',
                'x-message-ttl': ms,
                'x-dead-letter-exchange': '',
                'x-dead-letter-strategy': 'at-least-once',
                'x-overflow': 'reject-publish',
              },
            });
            await scratch.bindQueue(names.delay(ms), names.delay(ms), '');
          }
        });
        await declareExchange();
        await migrateDelays().catch((error: Error) => onError(error, 'moving the earlier delay queues'));
      })();
      shared = { on: channel.connection, done };
      done.catch(() => (shared = undefined));
    }
    return shared.done;
  }

  // Reading the registry holds its entries, hiding them from any other reader meanwhile: one
  // reader at a time in this process. Another process may still read at the same moment, and
  // then writes a duplicate (dropped on the next read) or lists one queue less for once.
  let registryTurn: Promise<unknown> = Promise.resolve();
  function withRegistry<T>(work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const turn = registryTurn.then(() => withChannel(work));
    registryTurn = turn.catch(() => undefined);
    return turn;
  }

  /** The registry's entries, held unacknowledged on `channel` (closing it puts them back); duplicates are dropped. */
  async function readRegistry(channel: Channel) {
    const entries = new Map<string, GetMessage>();
    for (let message = await channel.get(names.registry); message; message = await channel.get(names.registry)) {
      const name = message.content.toString();
      if (entries.has(name)) channel.ack(message);
      else entries.set(name, message);
    }
    return entries;
  }

  const registered = new Set<string>();
  async function register(name: string) {
    if (registered.has(name)) return;
    await withRegistry(async (channel) => {
      if ((await readRegistry(channel)).has(name)) return;
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(names.registry, Buffer.from(name), { persistent: true }, (error) => (error ? reject(error) : resolve())),
      );
    });
    registered.add(name);
  }

  async function declareQueue(channel: Channel, spec: QueueSpec) {
    await declareShared(channel);
    await channel.assertQueue(names.dead(spec.name), { durable: true });
    // A queue with a limit of its own refuses beyond it (the publisher's confirm is a nack);
    // any other moves its oldest message to the dead letters, where nothing is dropped.
    await channel.assertQueue(names.queue(spec.name), {
      durable: true,
      arguments: {
        'x-max-length': spec.maxLength ?? maxLength,
        'x-overflow': spec.maxLength === undefined ? 'drop-head' : 'reject-publish',
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': names.dead(spec.name),
      },
    });
    for (const topic of spec.topics) await channel.bindQueue(names.queue(spec.name), names.exchange, topic);
    if (spec.topics.length) await register(spec.name).catch((error: Error) => onError(error, 'registry'));
    await migrateQueue(spec.name).catch((error: Error) => onError(error, `moving the earlier queue of ${spec.name}`));
  }

  /**
   * Publishes the unrouted events again, as many as were waiting when it began: those whose type
   * a queue is bound to now reach it; the others come back to the end of the holding queue.
   * Runs once more if asked while running; never twice at once.
   */
  let requeueing: Promise<void> | undefined;
  let requeueAgain = false;
  function requeueUnrouted() {
    if (requeueing) {
      requeueAgain = true;
      return;
    }
    const pass = () =>
      withChannel(async (channel) => {
        let left = (await channel.checkQueue(names.unrouted)).messageCount;
        while (left > 0) {
          const batch: GetMessage[] = [];
          for (let message; batch.length < 100 && left > 0; left--) {
            message = await channel.get(names.unrouted);
            if (!message) left = 0;
            else batch.push(message);
          }
          await Promise.all(batch.map((message) => publishOn(channel, names.exchange, message.fields.routingKey, message, {})));
          for (const message of batch) channel.ack(message);
        }
      });
    requeueing = (async () => {
      do {
        requeueAgain = false;
        await pass();
      } while (requeueAgain);
    })()
      .catch((error: Error) => onError(error, 'unrouted events'))
      .finally(() => (requeueing = undefined));
  }

  const publisher = connection.createChannel({
    name: 'publisher',
    confirm: true,
    publishTimeout: publishTimeoutMs,
    setup: (channel: ConfirmChannel) => declareShared(channel),
  });
  // Once close() begins, a setup cut short by it ("Channel ended, no reply will be forthcoming")
  // is the close itself, not a failure to report.
  let closing = false;
  publisher.on('error', (error: Error) => {
    if (!closing) onError(error, 'publisher');
  });
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
    if (spec.topics.some((topic) => !before?.spec.topics.includes(topic))) requeueUnrouted();
  };

  /** Every message of a queue, held unacknowledged: closing the channel puts back those not acked. */
  async function drain(channel: Channel, queue: string) {
    const messages: GetMessage[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue)) messages.push(message);
    return messages;
  }

  const toDeadLetter = (queue: string, message: GetMessage): DeadLetter => {
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

    async known() {
      return withRegistry(async (channel) => [...(await readRegistry(channel)).keys()].sort());
    },

    async remove(queue) {
      const dropped = await withChannel(async (channel) => ({
        ready: (await channel.deleteQueue(names.queue(queue))).messageCount,
        dead: (await channel.deleteQueue(names.dead(queue))).messageCount,
      }));
      await withRegistry(async (channel) => {
        const entry = (await readRegistry(channel)).get(queue);
        if (entry) channel.ack(entry);
      });
      registered.delete(queue);
      return dropped;
    },

    unrouted: () => withChannel(async (channel) => (await channel.checkQueue(names.unrouted)).messageCount),

    async close() {
      // A command line tool may be done before the topology it declares at connect is: let the
      // publisher's setup finish (5 s at most, the broker may be gone) rather than cut it short.
      const ready = publisher.waitForConnect().catch(() => undefined);
      await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await Promise.all([requeueing, shared?.done.catch(() => undefined)]);
      closing = true;
      await publisher.close();
      await connection.close();
    },
  };
}
