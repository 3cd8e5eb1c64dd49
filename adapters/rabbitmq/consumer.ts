import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Consumer, Delivery, QueueSpec, Verdict } from '#domain/bus.js';
import { batchedAcks } from './acks.js';
import { ATTEMPT, publishOn, type RabbitmqNames } from './names.js';
import type { Topology } from './topology.js';

export interface ConsumerOptions {
  names: RabbitmqNames;
  retryDelays: number[];
  topology: Topology;
  /** Told of each delivery handed to `handle` (+1) and settled (-1), for the queue's stats. */
  count(delta: number): void;
  onError(error: Error, channel: string): void;
}

/**
 * Consumes one queue on a channel of its own, up to `spec.prefetch` deliveries at once. A
 * retry is published to the next delay step and a refusal to the dead letters, each confirmed
 * by the broker, before the delivery is acked; acks go out in batches (acks.ts).
 */
export function consumeQueue(
  connection: AmqpConnectionManager,
  spec: QueueSpec,
  handle: (delivery: Delivery) => Promise<Verdict>,
  { names, retryDelays, topology, count, onError }: ConsumerOptions,
): Consumer {
  let stopping = false;
  let current: { channel: ConfirmChannel; tag: string } | undefined;
  const inFlight = new Set<Promise<void>>();

  // Settled on the channel the message came from: after a reconnect, an old delivery tag
  // means nothing on the new channel, and the broker delivers the message again anyway.
  async function settle(channel: ConfirmChannel, message: ConsumeMessage, ack: () => Promise<void>) {
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
    } catch {
      // The channel went away: the broker redelivers the message on the next one.
      return;
    }
    await ack();
  }

  const wrapper = connection.createChannel({
    name: `consumer ${spec.name}`,
    confirm: true,
    setup: async (channel: ConfirmChannel) => {
      await topology.declareQueue(channel, spec);
      if (stopping) return;
      await channel.prefetch(spec.prefetch);
      const acks = batchedAcks(channel);
      const { consumerTag } = await channel.consume(names.queue(spec.name), (message) => {
        if (!message) return;
        count(1);
        const work = settle(channel, message, acks.delivered(message)).finally(() => {
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
}
