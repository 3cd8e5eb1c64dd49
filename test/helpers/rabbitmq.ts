import amqplib from 'amqplib';
import { rabbitmqNames } from '#adapters/rabbitmq-bus.js';

/** Deletes what a bus with this prefix declared: tests leave no queues behind on the broker. */
export async function deleteTopology(url: string, prefix: string, queues: string[], delays: number[]) {
  const names = rabbitmqNames(prefix);
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) {
      await channel.deleteQueue(names.queue(queue));
      await channel.deleteQueue(names.dead(queue));
    }
    for (const ms of delays) {
      await channel.deleteQueue(names.delay(ms));
      await channel.deleteExchange(names.delay(ms));
    }
    await channel.deleteExchange(names.exchange);
  } finally {
    await connection.close();
  }
}
