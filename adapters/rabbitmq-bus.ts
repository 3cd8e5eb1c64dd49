import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { DeadLetter, MessageBus } from '#domain/bus.js';
import { consumeQueue } from './rabbitmq/consumer.js';
import { corkConnections } from './rabbitmq/corked-writes.js';
import { publishOn, rabbitmqNames, toDeadLetter, type RabbitmqBusOptions } from './rabbitmq/names.js';
import { publisher } from './rabbitmq/publisher.js';
import { queueRegistry } from './rabbitmq/registry.js';
import { scratchChannels } from './rabbitmq/scratch.js';
import { topology } from './rabbitmq/topology.js';

export { rabbitmqNames, type RabbitmqBusOptions } from './rabbitmq/names.js';
export { PartlyPublishedError } from './rabbitmq/publisher.js';

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
 *
 * The files under rabbitmq/ hold the parts: names and message helpers, the topology, the
 * registry of queues, the publisher, the consumers and their batched acks, the corked socket.
 */
export function rabbitmqBus(
  connection: AmqpConnectionManager,
  { prefix, retryDelays, publishTimeoutMs, maxLength = 100_000, onError = () => undefined, onNotice = () => undefined }: RabbitmqBusOptions,
): MessageBus {
  corkConnections(connection);
  const names = rabbitmqNames(prefix);
  const scratch = scratchChannels(connection);
  const { withChannel, drain } = scratch;
  const registry = queueRegistry(names, scratch);
  const shape = topology({ prefix, names, steps: [...new Set(retryDelays)], maxLength, scratch, registry, onError, onNotice });
  const out = publisher(connection, { names, publishTimeoutMs, topology: shape, onError });
  const unacked = new Map<string, number>();

  return {
    publish: (events) => out.publish(events),
    send: (queue, message) => out.send(queue, message),
    declare: (spec) => out.declare(spec),

    async consume(spec, handle) {
      await out.declare(spec);
      const count = (delta: number) => unacked.set(spec.name, (unacked.get(spec.name) ?? 0) + delta);
      return consumeQueue(connection, spec, handle, { names, retryDelays, topology: shape, count, onError });
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
          // Published together, then acked once the broker confirmed them all.
          await Promise.all(again.map((message) => publishOn(channel, '', names.queue(queue), message, {})));
          for (const message of again) channel.ack(message);
          return again.length;
        });
      }
      return replayed;
    },

    known: () => registry.known(),

    async remove(queue) {
      const dropped = await withChannel(async (channel) => ({
        ready: (await channel.deleteQueue(names.queue(queue))).messageCount,
        dead: (await channel.deleteQueue(names.dead(queue))).messageCount,
      }));
      await registry.unregister(queue);
      return dropped;
    },

    unrouted: () => withChannel(async (channel) => (await channel.checkQueue(names.unrouted)).messageCount),

    async close() {
      await shape.settling();
      await out.close();
      await connection.close();
    },
  };
}
