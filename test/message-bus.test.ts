import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqp-connection-manager';
import amqplib from 'amqplib';
import t, { type Test } from 'tap';
import { memoryBus } from '#adapters/memory-bus.js';
import { rabbitmqBus, rabbitmqNames } from '#adapters/rabbitmq-bus.js';
import type { Delivery, Verdict } from '#domain/bus.js';
import type { DomainEvent } from '#domain/ports.js';
import { messageBusContract, RETRY_DELAYS } from './contracts/message-bus.js';
import { deleteTopology } from './helpers/rabbitmq.js';
import { eventually } from './helpers/shop.js';
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

/** What only a durable broker does: hold unrouted events, limit queues, move an earlier version's topology over. */
t.test('RabbitMQ bus: nothing lost on the way', { skip: amqpUrl ? false : 'AMQP_URL not set: RabbitMQ suite SKIPPED' }, async (t) => {
  const QUEUES = ['late', 'limited', 'migrated', 'retired', 'kept'];
  const open = (prefix: string, maxLength?: number) =>
    rabbitmqBus(amqp.connect([amqpUrl!], { reconnectTimeInSeconds: 1 }), { prefix, retryDelays: RETRY_DELAYS, publishTimeoutMs: 10_000, maxLength });
  const fresh = (t: Test) => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    t.teardown(() => deleteTopology(amqpUrl!, prefix, QUEUES, RETRY_DELAYS));
    return prefix;
  };
  const anEvent = (type: string): DomainEvent => ({ id: randomBytes(8).toString('hex'), type, occurredAt: new Date().toISOString(), data: {} });
  const recorder = () => {
    const seen: Delivery[] = [];
    return { seen, handle: async (d: Delivery): Promise<Verdict> => (seen.push(d), { outcome: 'done' }) };
  };

  t.test('an event published while no queue is bound to its type waits, and is delivered once one is', async (t) => {
    const bus = open(fresh(t));
    t.teardown(() => bus.close());
    const early = anEvent('late.thing');
    const nobodys = anEvent('nobody.wants.this');
    await bus.publish([early, nobodys]);
    t.equal(await eventually(async () => (await bus.unrouted!()) === 2), true, 'both wait in the unrouted queue');
    const late = recorder();
    const consumer = await bus.consume({ name: 'late', topics: ['late.*'], prefetch: 1 }, late.handle);
    t.teardown(() => consumer.stop());
    t.equal(await eventually(async () => late.seen.length === 1), true, 'delivered once a queue is bound');
    t.same(JSON.parse(late.seen[0].body), early, 'as published');
    t.equal(await eventually(async () => (await bus.unrouted!()) === 1), true, 'the event nobody subscribes to still waits');
    await sleep(300);
    t.equal(late.seen.length, 1, 'once');
  });

  t.test('a queue over its length limit moves its oldest events to its dead letters, and refuses none', async (t) => {
    const bus = open(fresh(t), 3);
    t.teardown(() => bus.close());
    await bus.declare({ name: 'limited', topics: ['limited.thing'], prefetch: 1 });
    const events = Array.from({ length: 5 }, () => anEvent('limited.thing'));
    for (const event of events) await bus.publish([event]);
    t.match(await eventually(async () => ((await bus.stats('limited')).dead === 2 ? bus.stats('limited') : undefined)), { ready: 3, dead: 2 });
    const letters = await bus.deadLetters(['limited']);
    t.same(letters.map((l) => l.id).sort(), events.slice(0, 2).map((e) => e.id).sort(), 'the two oldest');
    t.match(letters[0], { topic: 'limited.thing', attempts: 1, reason: /full/, deadAt: /^\d{4}-/ });
    t.equal(await bus.replay(['limited']), 2, 'and they can be replayed');
  });

  t.test("an earlier version's topology (classic delay queues, other queue arguments) is moved over: nothing lost", async (t) => {
    const prefix = fresh(t);
    const names = rabbitmqNames(prefix);
    const raw = await amqplib.connect(amqpUrl!);
    const channel = await raw.createConfirmChannel();
    // What the previous version declared: no alternate exchange, classic TTL delay queues, plain work queues.
    await channel.assertExchange(names.exchange, 'topic', { durable: true });
    await channel.assertExchange(names.legacy.delay(RETRY_DELAYS[0]), 'fanout', { durable: true });
    await channel.assertQueue(names.legacy.delay(RETRY_DELAYS[0]), { durable: true, arguments: { 'x-message-ttl': 600_000, 'x-dead-letter-exchange': '' } });
    await channel.bindQueue(names.legacy.delay(RETRY_DELAYS[0]), names.legacy.delay(RETRY_DELAYS[0]), '');
    await channel.assertQueue(names.legacy.queue('migrated'), { durable: true });
    await channel.bindQueue(names.legacy.queue('migrated'), names.exchange, 'migrated.thing');
    const waiting = [anEvent('migrated.thing'), anEvent('migrated.thing')];
    const retrying = anEvent('migrated.thing');
    for (const event of waiting) channel.publish(names.exchange, event.type, Buffer.from(JSON.stringify(event)), { persistent: true, messageId: event.id, type: event.type });
    channel.publish(names.legacy.delay(RETRY_DELAYS[0]), names.legacy.queue('migrated'), Buffer.from(JSON.stringify(retrying)), {
      persistent: true,
      messageId: retrying.id,
      type: retrying.type,
      headers: { 'x-attempt': 2 },
    });
    await channel.waitForConfirms();
    await raw.close();

    const bus = open(prefix);
    t.teardown(() => bus.close());
    const migrated = recorder();
    const consumer = await bus.consume({ name: 'migrated', topics: ['migrated.thing'], prefetch: 4 }, migrated.handle);
    t.teardown(() => consumer.stop());
    const after = anEvent('migrated.thing');
    await bus.publish([after]);
    t.equal(await eventually(async () => migrated.seen.length >= 4), true, 'the waiting, the retrying and a new event are delivered');
    t.same(migrated.seen.map((d) => d.id).sort(), [...waiting, retrying, after].map((e) => e.id).sort(), 'each once');
    t.equal(migrated.seen.find((d) => d.id === retrying.id)?.attempt, 2, 'a retry keeps its attempt count');
    const check = await amqplib.connect(amqpUrl!);
    t.teardown(() => check.close());
    const gone = async (queue: string) => {
      const probe = await check.createChannel();
      probe.on('error', () => undefined);
      return probe.checkQueue(queue).then(() => false, () => true);
    };
    t.ok(await gone(names.legacy.queue('migrated')), "the earlier version's queue is deleted");
    t.ok(await gone(names.legacy.delay(RETRY_DELAYS[0])), 'and its delay queue');
  });

  t.test("the broker's queues are known to every process; a removed function's is deleted with its dead letters", async (t) => {
    const prefix = fresh(t);
    const first = open(prefix);
    await first.declare({ name: 'retired', topics: ['retired.thing'], prefetch: 1 });
    await first.declare({ name: 'kept', topics: ['kept.thing'], prefetch: 1 });
    await first.publish([anEvent('retired.thing'), anEvent('retired.thing')]);
    await first.close();
    const bus = open(prefix);
    t.teardown(() => bus.close());
    t.same(await bus.known!(), ['kept', 'retired'], 'another process lists them');
    t.match(await eventually(async () => ((await bus.stats('retired')).ready === 2 ? bus.stats('retired') : undefined)), { ready: 2 });
    t.same(await bus.remove!('retired'), { ready: 2, dead: 0 }, 'says what it deleted');
    t.same(await bus.known!(), ['kept']);
    await t.rejects(bus.stats('retired'), 'the queue is gone');
  });
});

t.test(
  'RabbitMQ: a bus closed right after it opened closes quietly (a command line tool, npm run dead-letters)',
  { skip: amqpUrl ? false : 'AMQP_URL not set: RabbitMQ SKIPPED' },
  async (t) => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    t.teardown(() => deleteTopology(amqpUrl!, prefix, [], [1000]));
    const problems: string[] = [];
    // At every point of the publisher's setup: a close must wait for it, never cut it short.
    for (const wait of [0, 2, 5, 10, 20]) {
      const connection = amqp.connect([amqpUrl!]);
      const bus = rabbitmqBus(connection, { prefix, retryDelays: [1000], publishTimeoutMs: 10_000, onError: (error, channel) => problems.push(`${channel}: ${error.message}`) });
      await sleep(wait);
      await bus.close();
    }
    t.same(problems, [], 'no "Channel ended" warning');
  },
);
