import amqplib from 'amqplib';
import { rabbitmqNames } from '#adapters/rabbitmq-bus.js';

/** Deletes what a bus with this prefix declared (and an earlier version's names): tests leave no queues behind on the broker. */
export async function deleteTopology(url: string, prefix: string, queues: string[], delays: number[]) {
  const names = rabbitmqNames(prefix);
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) {
      await channel.deleteQueue(names.queue(queue));
      await channel.deleteQueue(names.dead(queue));
      await channel.deleteQueue(names.legacy.queue(queue));
    }
    for (const ms of delays) {
      for (const name of [names.delay(ms), names.legacy.delay(ms)]) {
        await channel.deleteQueue(name);
        await channel.deleteExchange(name);
      }
    }
    await channel.deleteQueue(names.unrouted);
    await channel.deleteQueue(names.registry);
    await channel.deleteExchange(names.exchange);
    await channel.deleteExchange(names.unrouted);
  } finally {
    await connection.close();
  }
}
