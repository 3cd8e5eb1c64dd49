import { randomBytes } from 'node:crypto';
import amqp from 'amqp-connection-manager';
import t from 'tap';
import { memoryBus } from '#adapters/memory-bus.js';
import { rabbitmqBus } from '#adapters/rabbitmq-bus.js';
import { messageBusContract, RETRY_DELAYS } from './contracts/message-bus.js';
import { deleteTopology } from './helpers/rabbitmq.js';
import { amqpUrl } from './helpers/targets.js';

t.test('in-process bus', async (t) =>
  messageBusContract(t, async () => ({ bus: memoryBus({ retryDelays: RETRY_DELAYS }), cleanup: async () => undefined })),
);

t.test('RabbitMQ bus', { skip: amqpUrl ? false : 'AMQP_URL not set: RabbitMQ suite SKIPPED' }, async (t) =>
  messageBusContract(t, async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const bus = rabbitmqBus(amqp.connect([amqpUrl!], { reconnectTimeInSeconds: 1 }), {
      prefix,
      retryDelays: RETRY_DELAYS,
      publishTimeoutMs: 10_000,
    });
    return { bus, cleanup: () => deleteTopology(amqpUrl!, prefix, ['orders', 'everything', 'users', 'flaky', 'broken', 'healthy', 'refusing', 'slow', 'fast', 'handover', 'calls', 'moving'], RETRY_DELAYS) };
  }),
);
