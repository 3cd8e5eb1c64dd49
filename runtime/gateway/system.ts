import type { FastifyPluginAsync } from 'fastify';
import type { MessageBus } from '#domain/bus.js';
import type { Outbox } from '#domain/ports.js';
import { publicEnvironment, type Config } from '#platform/config.js';
import { HttpError } from '#platform/errors.js';
import { asyncQueue } from '../async-worker.js';
import type { Stack } from '../stack.js';

/** The row of /system/queues that counts the events no queue was bound to. */
export const UNROUTED = '(unrouted)';

/** Queues the runtime reports on and replays: each event-driven function's, and the async calls'. */
export const queueNames = (stack: Stack, config: Config) => [
  ...stack.functions.filter((f) => f.topics.length).map((f) => f.name),
  asyncQueue(config.events).name,
];

export interface SystemOptions {
  stack: Stack;
  bus: MessageBus;
  outbox: Outbox;
  config: Config;
}

/**
 * `GET /healthz`, `GET /system/functions` (the OpenFaaS shape, from stack.yml), `GET /system/queues`
 * (ready, unacknowledged and dead-lettered messages per function, and the unrouted events),
 * `GET /system/outbox` (events waiting to be published) and the dead letters.
 */
const systemPlugin: FastifyPluginAsync<SystemOptions> = async (app, { stack, bus, outbox, config }) => {
  const known = queueNames(stack, config);
  const asking = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      throw new HttpError('UNAVAILABLE', `The message bus does not answer: ${(error as Error).message}`);
    }
  };
  const pick = (name: unknown) => {
    if (name === undefined) return known;
    if (typeof name !== 'string' || !known.includes(name)) throw new HttpError('NOT_FOUND', `No queue for ${typeof name === 'string' ? name : JSON.stringify(name)}`);
    return [name];
  };

  app.get('/healthz', async () => 'OK');
  app.get('/system/functions', async () =>
    stack.functions.map((f) => ({
      name: f.name,
      image: f.image,
      namespace: 'openfaas-fn',
      envProcess: 'node entry.js',
      envVars: publicEnvironment(f.environment),
      labels: f.labels,
      annotations: f.annotations,
      replicas: 1,
      availableReplicas: 1,
    })),
  );
  app.get('/system/queues', () =>
    asking(async () => {
      const queues = await Promise.all(known.map(async (name) => ({ name, ...(await bus.stats(name)) })));
      // Events no queue was bound to when published (RabbitMQ holds them for a subscriber to come).
      const unrouted = bus.unrouted && { name: UNROUTED, ready: await bus.unrouted(), unacked: 0, dead: 0 };
      return unrouted ? [...queues, unrouted] : queues;
    }),
  );
  // Events stored and not yet published: a growing count or an old oldest means the relay is stuck.
  app.get('/system/outbox', () => outbox.backlog());
  app.get('/system/dead-letters', (request) => {
    const queues = pick((request.query as { function?: string }).function);
    return asking(() => bus.deadLetters(queues));
  });
  app.post('/system/dead-letters/replay', async (request) => {
    const { function: name, id } = (request.body ?? {}) as { function?: unknown; id?: unknown };
    if (id !== undefined && typeof id !== 'string') throw new HttpError('VALIDATION_FAILED', 'id must be a string');
    const queues = pick(name);
    return { replayed: await asking(() => bus.replay(queues, id)) };
  });
};

export default systemPlugin;
