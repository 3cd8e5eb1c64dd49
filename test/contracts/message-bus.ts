import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import { QueueFullError, type Delivery, type MessageBus, type Verdict } from '#domain/bus.js';
import type { DomainEvent } from '#domain/ports.js';

/** The retry delays every bus under test is built with (milliseconds). */
export const RETRY_DELAYS = [100, 300];

export interface BusUnderTest {
  bus: MessageBus;
  /** Removes what the bus left behind (queues on a broker). */
  cleanup(): Promise<void>;
}

const anEvent = (type: string, data: unknown = {}): DomainEvent => ({
  id: randomBytes(8).toString('hex'),
  type,
  occurredAt: new Date().toISOString(),
  data,
  callId: 'call-1',
});

/** Waits until `done()` holds, polling; fails after `seconds` (generous: the machine may be busy). */
async function until(done: () => boolean, seconds = 30) {
  for (let i = 0; i < seconds * 20 && !done(); i++) await sleep(50);
  if (!done()) throw new Error('condition not met in time');
}

/**
 * What every MessageBus adapter must do (the in-process bus and RabbitMQ): the delivery rules the
 * connector relies on. Each test gets its own bus and queue names.
 */
export function messageBusContract(t: Test, build: () => Promise<BusUnderTest>) {
  let bus: MessageBus;
  let cleanup: () => Promise<void>;
  t.beforeEach(async () => {
    ({ bus, cleanup } = await build());
  });
  t.afterEach(async () => {
    await bus.close();
    await cleanup();
  });

  const recorder = (verdicts: (d: Delivery) => Verdict = () => ({ outcome: 'done' })) => {
    const seen: (Delivery & { at: number })[] = [];
    return { seen, handle: async (d: Delivery) => (seen.push({ ...d, at: Date.now() }), verdicts(d)) };
  };

  t.test('an event reaches every queue bound to its type, once, exactly as published', async (t) => {
    const orders = recorder();
    const everything = recorder();
    const users = recorder();
    const consumers = [
      await bus.consume({ name: 'orders', topics: ['order.placed'], prefetch: 4 }, orders.handle),
      await bus.consume({ name: 'everything', topics: ['#'], prefetch: 4 }, everything.handle),
      await bus.consume({ name: 'users', topics: ['user.*'], prefetch: 4 }, users.handle),
    ];
    t.teardown(() => Promise.all(consumers.map((c) => c.stop())));
    const placed = anEvent('order.placed', { orderId: 'o1' });
    const deleted = anEvent('user.deleted', { userId: 'u1' });
    await bus.publish([placed, deleted]);
    await until(() => orders.seen.length === 1 && everything.seen.length === 2 && users.seen.length === 1);
    t.same(JSON.parse(orders.seen[0].body), placed, 'the envelope as published');
    t.match(orders.seen[0], { id: placed.id, topic: 'order.placed', attempt: 1 });
    t.same(users.seen.map((d) => d.id), [deleted.id]);
    await sleep(200);
    t.equal(orders.seen.length + everything.seen.length + users.seen.length, 4, 'nothing twice');
  });

  t.test('a failing delivery is retried after each delay in turn, then handled', async (t) => {
    const flaky = recorder((d) => (d.attempt <= 2 ? { outcome: 'retry', reason: 'not yet', status: 503 } : { outcome: 'done' }));
    const consumer = await bus.consume({ name: 'flaky', topics: ['thing.happened'], prefetch: 1 }, flaky.handle);
    t.teardown(() => consumer.stop());
    await bus.publish([anEvent('thing.happened')]);
    await until(() => flaky.seen.length === 3);
    t.same(flaky.seen.map((d) => d.attempt), [1, 2, 3]);
    const gaps = [flaky.seen[1].at - flaky.seen[0].at, flaky.seen[2].at - flaky.seen[1].at];
    // Lower bounds only: a busy machine can only make the waits longer.
    t.ok(gaps[0] >= RETRY_DELAYS[0] * 0.9, `first retry after at least ${RETRY_DELAYS[0]} ms (${gaps[0]})`);
    t.ok(gaps[1] >= RETRY_DELAYS[1] * 0.9, `second retry after at least ${RETRY_DELAYS[1]} ms (${gaps[1]})`);
    t.same(await bus.deadLetters(['flaky']), [], 'nothing dead');
  });

  t.test('a delivery that always fails ends in the dead letters; others flow; a replay delivers it again', async (t) => {
    let fixed = false;
    const broken = recorder(() => (fixed ? { outcome: 'done' } : { outcome: 'retry', reason: 'boom', status: 500 }));
    const healthy = recorder();
    const consumers = [
      await bus.consume({ name: 'broken', topics: ['thing.happened'], prefetch: 1 }, broken.handle),
      await bus.consume({ name: 'healthy', topics: ['thing.happened'], prefetch: 1 }, healthy.handle),
    ];
    t.teardown(() => Promise.all(consumers.map((c) => c.stop())));
    const event = anEvent('thing.happened');
    await bus.publish([event]);
    await until(() => healthy.seen.length === 1);
    await until(() => broken.seen.length === RETRY_DELAYS.length + 1);
    let dead: Awaited<ReturnType<MessageBus['deadLetters']>> = [];
    for (let i = 0; i < 200 && !dead.length; i++) {
      dead = await bus.deadLetters(['broken', 'healthy']);
      if (!dead.length) await sleep(50);
    }
    t.match(dead, [{ queue: 'broken', id: event.id, topic: 'thing.happened', attempts: 3, status: 500, reason: 'boom' }]);
    t.same(JSON.parse(dead[0].body), event);
    t.match(await bus.stats('broken'), { ready: 0, dead: 1 });
    await sleep(RETRY_DELAYS[1] + 200);
    t.equal(broken.seen.length, 3, 'not retried past the limit');

    fixed = true;
    t.equal(await bus.replay(['broken'], 'no-such-id'), 0, 'replaying an unknown id replays nothing');
    t.equal(await bus.replay(['broken'], event.id), 1);
    await until(() => broken.seen.length === 4);
    t.equal(broken.seen[3].attempt, 1, 'a replay starts counting again');
    t.same(await bus.deadLetters(['broken']), []);
    t.equal(healthy.seen.length, 1, 'the healthy queue saw it once');
  });

  t.test('a refused delivery is dead at once', async (t) => {
    const refusing = recorder(() => ({ outcome: 'dead', reason: 'bad request', status: 400 }));
    const consumer = await bus.consume({ name: 'refusing', topics: ['thing.happened'], prefetch: 1 }, refusing.handle);
    t.teardown(() => consumer.stop());
    await bus.publish([anEvent('thing.happened')]);
    let dead: Awaited<ReturnType<MessageBus['deadLetters']>> = [];
    for (let i = 0; i < 200 && !dead.length; i++) {
      dead = await bus.deadLetters(['refusing']);
      if (!dead.length) await sleep(50);
    }
    t.match(dead, [{ attempts: 1, status: 400, reason: 'bad request' }]);
    t.equal(refusing.seen.length, 1);
  });

  t.test('prefetch bounds the deliveries in flight per queue; a slow queue never holds up another', async (t) => {
    let running = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = await bus.consume({ name: 'slow', topics: ['slow.thing'], prefetch: 2 }, async () => {
      running += 1;
      most = Math.max(most, running);
      await gate;
      running -= 1;
      return { outcome: 'done' };
    });
    const fast = recorder();
    const quick = await bus.consume({ name: 'fast', topics: ['fast.thing'], prefetch: 2 }, fast.handle);
    t.teardown(async () => {
      release();
      await Promise.all([slow.stop(), quick.stop()]);
    });
    await bus.publish(Array.from({ length: 6 }, () => anEvent('slow.thing')));
    await until(() => running === 2);
    await bus.publish(Array.from({ length: 3 }, () => anEvent('fast.thing')));
    await until(() => fast.seen.length === 3);
    t.equal(most, 2, 'never more than the prefetch at once');
    // A broker counts a message as ready a moment after it was confirmed: ask again until it has.
    let stats = await bus.stats('slow');
    for (let i = 0; i < 100 && stats.ready !== 4; i++) stats = (await sleep(50), await bus.stats('slow'));
    t.match(stats, { ready: 4, unacked: 2 });
    release();
  });

  t.test('stop waits for deliveries in flight, and messages wait in their queue for the next consumer', async (t) => {
    let started = 0;
    let finished = 0;
    const first = await bus.consume({ name: 'handover', topics: ['hand.over'], prefetch: 1 }, async () => {
      started += 1;
      await sleep(300);
      finished += 1;
      return { outcome: 'done' };
    });
    await bus.publish([anEvent('hand.over'), anEvent('hand.over')]);
    await until(() => started === 1);
    await first.stop();
    t.equal(finished, 1, 'the delivery in flight finished before stop answered');
    const next = recorder();
    const second = await bus.consume({ name: 'handover', topics: ['hand.over'], prefetch: 1 }, next.handle);
    t.teardown(() => second.stop());
    await until(() => next.seen.length === 1);
    t.equal(finished + next.seen.length, 2, 'the other message waited and was delivered once');
  });

  t.test('a queue with a length limit refuses messages beyond it', async (t) => {
    await bus.declare({ name: 'calls', topics: [], prefetch: 1, maxLength: 2 });
    await bus.send('calls', { id: 'c1', body: '{}' });
    await bus.send('calls', { id: 'c2', body: '{}' });
    await t.rejects(bus.send('calls', { id: 'c3', body: '{}' }), QueueFullError);
    t.match(await bus.stats('calls'), { ready: 2 });
    const seen = recorder();
    const consumer = await bus.consume({ name: 'calls', topics: [], prefetch: 1, maxLength: 2 }, seen.handle);
    t.teardown(() => consumer.stop());
    await until(() => seen.seen.length === 2);
    t.same(seen.seen.map((d) => [d.id, d.topic]), [['c1', 'calls'], ['c2', 'calls']]);
  });

  t.test('a queue consumed again with other topics has the new ones at once, and no longer the old', async (t) => {
    const before = await bus.consume({ name: 'moving', topics: ['a.one'], prefetch: 1 }, recorder().handle);
    await before.stop();
    const after = recorder();
    const consumer = await bus.consume({ name: 'moving', topics: ['b.two'], prefetch: 1 }, after.handle);
    t.teardown(() => consumer.stop());
    await bus.publish([anEvent('a.one'), anEvent('b.two')]);
    await until(() => after.seen.length === 1);
    await sleep(200);
    t.same(after.seen.map((d) => d.topic), ['b.two']);
  });
}
