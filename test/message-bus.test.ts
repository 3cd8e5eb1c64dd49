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

t.test('the in-process bus says when published events are settled, and only then', async (t) => {
  const bus = memoryBus({ retryDelays: [10] });
  t.teardown(() => bus.close());
  const event = (type: string) => ({ id: randomBytes(6).toString('hex'), type, occurredAt: new Date().toISOString(), data: {} });
  let failOnce = true;
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  await bus.consume({ name: 'flaky', topics: ['order.*'], prefetch: 1 }, async () =>
    failOnce ? ((failOnce = false), { outcome: 'retry', reason: 'once' }) : { outcome: 'done' },
  );
  await bus.consume({ name: 'slow', topics: ['order.placed'], prefetch: 1 }, async () => {
    await slow;
    return { outcome: 'dead', reason: 'refused' };
  });
  const [placed, nobody] = [event('order.placed'), event('user.registered')];
  await bus.publish([placed, nobody]);
  await bus.settled([nobody.id]);
  t.pass('an event no queue is bound to is settled at once');
  let settled = false;
  const waiting = bus.settled([placed.id]).then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.notOk(settled, 'not while one queue retries and another still handles it');
  release();
  await waiting;
  t.ok(settled, 'settled once handled (after a retry) by one queue and dead-lettered by the other');
  t.equal((await bus.stats('flaky')).ready + (await bus.stats('flaky')).unacked, 0);
});

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
