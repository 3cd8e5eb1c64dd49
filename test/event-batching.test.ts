import { randomBytes } from 'node:crypto';
import amqp from 'amqp-connection-manager';
import amqplib, { type Message } from 'amqplib';
import { pino } from 'pino';
import t from 'tap';
import { batchedAcks } from '#adapters/rabbitmq/acks.js';
import { PartlyPublishedError, rabbitmqBus, rabbitmqNames } from '#adapters/rabbitmq-bus.js';
import type { Delivery, MessageBus, Verdict } from '#domain/bus.js';
import type { DomainEvent } from '#domain/ports.js';
import { startOutboxRelay } from '../runtime/outbox-relay.js';
import { RETRY_DELAYS } from './contracts/message-bus.js';
import { deleteTopology } from './helpers/rabbitmq.js';
import { eventually } from './helpers/shop.js';
import { storeTargets } from './helpers/stores.js';
import { amqpUrl } from './helpers/targets.js';

const anEvent = (type = 'thing.happened'): DomainEvent => ({ id: randomBytes(8).toString('hex'), type, occurredAt: new Date().toISOString(), data: {} });
const message = (deliveryTag: number) => ({ fields: { deliveryTag } }) as Message;

t.test('acks: a run of settled deliveries is one multiple ack; one behind a slower delivery is acked alone', async (t) => {
  const sent: [number, boolean][] = [];
  const acks = batchedAcks({ ack: (m: Message, allUpTo?: boolean) => void sent.push([m.fields.deliveryTag, Boolean(allUpTo)]) });
  const settle = [1, 2, 3, 4, 5].map((tag) => acks.delivered(message(tag)));

  await Promise.all([settle[0](), settle[1](), settle[3]()]);
  t.same(sent, [[2, true], [4, false]], '1 and 2 in one ack up to 2; 4 alone, since 3 is still being handled');

  sent.length = 0;
  await Promise.all([settle[2](), settle[4]()]);
  t.same(sent, [[5, true]], '3 and 5 in one ack up to 5 (4 was acked already, and is not acked twice)');

  sent.length = 0;
  const late = acks.delivered(message(6));
  await late();
  t.same(sent, [[6, true]], 'a delivery settled alone is acked');
});

t.test('acks: a channel that closed meanwhile still settles every delivery (the broker delivers them again)', async (t) => {
  const acks = batchedAcks({
    ack: () => {
      throw new Error('Channel closed');
    },
  });
  const settle = [1, 2].map((tag) => acks.delivered(message(tag)));
  await Promise.all(settle.map((s) => s()));
  t.pass('no ack throws to the consumer, and nothing waits for ever');
});

/** A bus that records what it is asked to publish; `refuse` names events it does not confirm, once each. */
function recordingBus(refuse: Set<string>) {
  const published: string[] = [];
  const bus: MessageBus = {
    async publish(events) {
      published.push(...events.map((e) => e.id));
      const refused = events.filter((e) => refuse.delete(e.id)).map((e) => e.id);
      if (refused.length) {
        throw new PartlyPublishedError('message nacked', events.filter((e) => !refused.includes(e.id)).map((e) => e.id), refused);
      }
    },
    send: async () => undefined,
    declare: async () => undefined,
    consume: async () => ({ stop: async () => undefined }),
    stats: async () => ({ ready: 0, unacked: 0, dead: 0 }),
    deadLetters: async () => [],
    replay: async () => 0,
    close: async () => undefined,
  };
  return { bus, published };
}

for (const { name, skip, open } of storeTargets.filter((target) => target.name !== 'MongoDB')) {
  t.test(`relay on ${name}: a batch with one event the broker does not confirm`, { skip }, async (t) => {
    const store = await open();
    t.teardown(() => store.close());
    const events = Array.from({ length: 12 }, () => anEvent());
    const refusedOnce = events[5].id;
    const { bus, published } = recordingBus(new Set([refusedOnce]));
    await store.outbox.add(events);
    const relay = await startOutboxRelay({ outbox: store.outbox, bus, log: pino({ level: 'silent' }), pollMs: 100, batchSize: 4, inFlight: 2 });
    t.teardown(() => relay.stop());

    t.ok(await eventually(async () => (await store.outbox.backlog()).unsent === 0), 'every event is sent in the end');
    await relay.stop();
    const times = (id: string) => published.filter((p) => p === id).length;
    t.equal(times(refusedOnce), 2, 'the unconfirmed event is released and published again');
    t.same(
      events.filter((e) => e.id !== refusedOnce).map((e) => times(e.id)),
      Array(11).fill(1),
      'the rest of its batch is marked sent and published once',
    );
  });
}

t.test('RabbitMQ: a nack in a window fails only the refused event', { skip: amqpUrl ? false : 'AMQP_URL not set: RabbitMQ suite SKIPPED' }, async (t) => {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const names = rabbitmqNames(prefix);
  const full = `${prefix}.full`;
  t.teardown(async () => {
    await deleteTopology(amqpUrl!, prefix, ['fine'], RETRY_DELAYS);
    const raw = await amqplib.connect(amqpUrl!);
    await (await raw.createChannel()).deleteQueue(full);
    await raw.close();
  });
  const bus = rabbitmqBus(amqp.connect([amqpUrl!], { reconnectTimeInSeconds: 1 }), { prefix, retryDelays: RETRY_DELAYS, publishTimeoutMs: 10_000 });
  t.teardown(() => bus.close());
  const seen: Delivery[] = [];
  const consumer = await bus.consume({ name: 'fine', topics: ['fine.thing'], prefetch: 8 }, async (d): Promise<Verdict> => (seen.push(d), { outcome: 'done' }));
  t.teardown(() => consumer.stop());
  // The bus declares its topology once connected: one event through, and it stands.
  const first = anEvent('fine.thing');
  await bus.publish([first]);
  t.ok(await eventually(async () => seen.length === 1), 'the bus is up');
  seen.length = 0;

  // A queue that refuses everything (reject-publish at length 0): RabbitMQ nacks what reaches it.
  const raw = await amqplib.connect(amqpUrl!);
  const channel = await raw.createChannel();
  await channel.assertQueue(full, { durable: false, arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } });
  await channel.bindQueue(full, names.exchange, 'full.thing');
  await raw.close();

  const window = [anEvent('fine.thing'), anEvent('fine.thing'), anEvent('full.thing'), anEvent('fine.thing')];
  const error = await bus.publish(window).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(error, PartlyPublishedError);
  t.same((error as PartlyPublishedError).unconfirmed, [window[2].id], 'the refused event');
  t.same((error as PartlyPublishedError).published, [window[0].id, window[1].id, window[3].id], 'the others were stored');
  t.ok(await eventually(async () => seen.length === 3), 'and delivered');
  const after = anEvent('fine.thing');
  await bus.publish([after]);
  t.ok(await eventually(async () => seen.some((d) => d.id === after.id)), 'the publisher goes on after a nack');
  t.same(seen.map((d) => d.id).sort(), [window[0].id, window[1].id, window[3].id, after.id].sort(), 'each once');
});
