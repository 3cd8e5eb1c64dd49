import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import { attemptOf, publishOn, replyCode } from './names.js';

/**
 * Short-lived channels for one step each (a check, a move, a declaration that may fail): a 404
 * or 406 closes only that channel, never the publisher's or a consumer's.
 */
export function scratchChannels(connection: AmqpConnectionManager) {
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

  /** Every message of a queue, held unacknowledged: closing the channel puts back those not acked. */
  async function drain(channel: Channel, queue: string) {
    const messages: GetMessage[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue)) messages.push(message);
    return messages;
  }

  return { withChannel, exists, move, drain };
}

export type ScratchChannels = ReturnType<typeof scratchChannels>;
