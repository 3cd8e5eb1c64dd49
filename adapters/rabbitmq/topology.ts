import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import type { QueueSpec } from '#domain/bus.js';
import { publishOn, replyCode, type RabbitmqNames } from './names.js';
import type { queueRegistry } from './registry.js';
import type { ScratchChannels } from './scratch.js';

const UNROUTED_TTL_MS = 24 * 3_600_000;

export interface TopologyOptions {
  prefix: string;
  names: RabbitmqNames;
  /** The retry delays, each once. */
  steps: number[];
  maxLength: number;
  scratch: ScratchChannels;
  registry: ReturnType<typeof queueRegistry>;
  onError(error: Error, channel: string): void;
  onNotice(message: string): void;
}

/**
 * What the bus declares on the broker: the exchanges, the holding queue of unrouted events, the
 * delay steps and the work and dead-letter queues, and an earlier version's topology moved over.
 */
export function topology({ prefix, names, steps, maxLength, scratch, registry, onError, onNotice }: TopologyOptions) {
  const { withChannel, exists, move } = scratch;

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
    if (spec.topics.length) await registry.register(spec.name).catch((error: Error) => onError(error, 'registry'));
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
      withChannel(async (channel: ConfirmChannel) => {
        let left = (await channel.checkQueue(names.unrouted)).messageCount;
        while (left > 0) {
          const batch: GetMessage[] = [];
          for (let message; batch.length < 100 && left > 0; left--) {
            message = await channel.get(names.unrouted);
            if (!message) left = 0;
            else batch.push(message);
          }
          await Promise.all(batch.map((message) => publishOn(channel, names.exchange, message.fields.routingKey, message, {})));
          // Every message got on this channel before the batch's last is acked already: one ack for all.
          if (batch.length) channel.ack(batch[batch.length - 1], true);
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

  return {
    declareShared,
    declareQueue,
    requeueUnrouted,
    /** What a closing bus waits for: a command line tool may be done before the topology it declares at connect is. */
    settling: () => Promise.all([requeueing, shared?.done.catch(() => undefined)]),
  };
}

export type Topology = ReturnType<typeof topology>;
