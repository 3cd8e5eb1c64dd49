import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import type { RabbitmqNames } from './names.js';
import type { ScratchChannels } from './scratch.js';

/**
 * The queues bound to topics, one message each in `<prefix>.registry` (AMQP cannot list queues),
 * so that every process finds a removed function's queue.
 *
 * Reading the registry holds its entries, hiding them from any other reader meanwhile: one
 * reader at a time in this process. Another process may still read at the same moment, and
 * then writes a duplicate (dropped on the next read) or lists one queue less for once.
 */
export function queueRegistry(names: RabbitmqNames, { withChannel }: ScratchChannels) {
  let registryTurn: Promise<unknown> = Promise.resolve();
  function withRegistry<T>(work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const turn = registryTurn.then(() => withChannel(work));
    registryTurn = turn.catch(() => undefined);
    return turn;
  }

  /** The registry's entries, held unacknowledged on `channel` (closing it puts them back); duplicates are dropped. */
  async function read(channel: Channel) {
    const entries = new Map<string, GetMessage>();
    for (let message = await channel.get(names.registry); message; message = await channel.get(names.registry)) {
      const name = message.content.toString();
      if (entries.has(name)) channel.ack(message);
      else entries.set(name, message);
    }
    return entries;
  }

  const registered = new Set<string>();
  return {
    async register(name: string) {
      if (registered.has(name)) return;
      await withRegistry(async (channel) => {
        if ((await read(channel)).has(name)) return;
        await new Promise<void>((resolve, reject) =>
          channel.sendToQueue(names.registry, Buffer.from(name), { persistent: true }, (error) => (error ? reject(error as Error) : resolve())),
        );
      });
      registered.add(name);
    },

    known: () => withRegistry(async (channel) => [...(await read(channel)).keys()].sort()),

    async unregister(name: string) {
      await withRegistry(async (channel) => {
        const entry = (await read(channel)).get(name);
        if (entry) channel.ack(entry);
      });
      registered.delete(name);
    },
  };
}
