import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { QueueFullError, type QueueSpec } from '#domain/bus.js';
import type { DomainEvent } from '#domain/ports.js';
import type { RabbitmqNames } from './names.js';
import type { Topology } from './topology.js';

/**
 * Some events of a batch were not confirmed (nacked by the broker, or not confirmed in time):
 * `published` lists those that were, so that only the others are published again.
 */
export class PartlyPublishedError extends Error {
  constructor(
    reason: string,
    readonly published: string[],
    readonly unconfirmed: string[],
  ) {
    super(`${unconfirmed.length} of ${published.length + unconfirmed.length} events not confirmed by RabbitMQ: ${reason}`);
    this.name = 'PartlyPublishedError';
  }
}

export interface PublisherOptions {
  names: RabbitmqNames;
  publishTimeoutMs: number;
  topology: Topology;
  onError(error: Error, channel: string): void;
}

/**
 * The publisher's channel, with publisher confirms: a batch of events is written at once (one
 * system call with the connection's corked writes) and then waited for together, so a batch
 * costs one confirm wait, not one per event; the broker confirms many at a time (`multiple`).
 * While the broker is away the channel holds what is published, up to `publishTimeoutMs`.
 *
 * Queues are declared and bound on this channel, again after every reconnect, and before
 * `declare` answers: an event is never published before the queues that must receive it are
 * bound. A queue declared again with other topics loses the bindings it no longer has.
 */
export function publisher(connection: AmqpConnectionManager, { names, publishTimeoutMs, topology, onError }: PublisherOptions) {
  const channel = connection.createChannel({
    name: 'publisher',
    confirm: true,
    publishTimeout: publishTimeoutMs,
    setup: (channel: ConfirmChannel) => topology.declareShared(channel),
  });
  channel.on('error', (error: Error) => onError(error, 'publisher'));

  const declared = new Map<string, { spec: QueueSpec; setup: (channel: ConfirmChannel) => Promise<void> }>();

  return {
    async declare(spec: QueueSpec) {
      const before = declared.get(spec.name);
      if (before && JSON.stringify(before.spec) === JSON.stringify(spec)) return;
      const gone = before ? before.spec.topics.filter((topic) => !spec.topics.includes(topic)) : [];
      const setup = async (channel: ConfirmChannel) => {
        await topology.declareQueue(channel, spec);
        for (const topic of gone) await channel.unbindQueue(names.queue(spec.name), names.exchange, topic);
      };
      declared.set(spec.name, { spec, setup });
      if (before) await channel.removeSetup(before.setup);
      await channel.addSetup(setup);
      if (spec.topics.some((topic) => !before?.spec.topics.includes(topic))) topology.requeueUnrouted();
    },

    /** Resolves once the broker confirmed every event; else rejects with PartlyPublishedError. */
    async publish(events: DomainEvent[]) {
      const confirms = await Promise.allSettled(
        events.map((event) =>
          channel.publish(names.exchange, event.type, Buffer.from(JSON.stringify(event)), {
            persistent: true,
            messageId: event.id,
            type: event.type,
            contentType: 'application/json',
            timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
            headers: event.callId ? { 'x-call-id': event.callId } : {},
          }),
        ),
      );
      const refused = confirms.flatMap((confirm) => (confirm.status === 'rejected' ? [confirm.reason as Error] : []));
      if (!refused.length) return;
      const published = events.filter((_, i) => confirms[i].status === 'fulfilled').map((event) => event.id);
      const unconfirmed = events.filter((_, i) => confirms[i].status === 'rejected').map((event) => event.id);
      throw new PartlyPublishedError(refused[0].message, published, unconfirmed);
    },

    async send(queue: string, { id, body }: { id: string; body: string }) {
      try {
        await channel.sendToQueue(names.queue(queue), Buffer.from(body), {
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

    close: () => channel.close(),
  };
}
