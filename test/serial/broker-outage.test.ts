import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import t from 'tap';
import type { DomainEvent } from '#domain/ports.js';
import { eventually, startShop, type Shop } from '../helpers/shop.js';
import { targets } from '../helpers/targets.js';

/**
 * RabbitMQ stopped and started again under a running shop (`rabbitmqctl stop_app`, then
 * `start_app`). This stops the broker for everything on the machine, so `npm test` runs these
 * files on their own, after the other suites.
 */
const target = targets.find((candidate) => candidate.name.includes('RabbitMQ'));
const run = promisify(execFile);
const rabbitmqctl = (command: 'stop_app' | 'start_app') => run('rabbitmqctl', ['-q', command], { timeout: 120_000 });

const anEvent = (): DomainEvent => ({
  id: randomBytes(8).toString('hex'),
  type: 'fixture.ok',
  occurredAt: new Date().toISOString(),
  data: {},
});
const handled = async (shop: Shop, events: DomainEvent[]) => {
  const counts = await shop.gateway.deps!.kv.getMany(events.map((e) => `fixture:handled:${e.id}`));
  return counts.filter((count) => count === '1').length;
};

t.test('with the broker stopped while writes go on, every stored event is delivered once it is back', {
  skip: target ? false : 'needs PostgreSQL + Redis + RabbitMQ: SKIPPED',
}, async (t) => {
  const shop = await startShop(target!, { STACK_FILE: 'test/fixtures/events/stack.yml', OUTBOX_POLL_INTERVAL: '1s' });
  t.teardown(async () => {
    await rabbitmqctl('start_app');
    await shop.close();
  });
  const before = anEvent();
  await shop.gateway.deps!.store.outbox.add([before]);
  t.equal(await eventually(() => handled(shop, [before])), 1, 'delivered while the broker is up');

  await rabbitmqctl('stop_app');
  const during: DomainEvent[] = [];
  for (let i = 0; i < 20; i++) {
    const event = anEvent();
    await shop.gateway.deps!.store.outbox.add([event]);
    during.push(event);
  }
  t.equal((await shop.call('GET', '/healthz')).status, 200, 'the shop still serves HTTP');
  t.equal((await shop.call('GET', '/system/queues')).status, 503, 'and says the bus does not answer');
  await rabbitmqctl('start_app');
  t.equal(await eventually(() => handled(shop, during).then((n) => n === during.length), 90), true, 'every event delivered');
  t.same(await shop.gateway.deps!.store.outbox.pending(100), [], 'and marked sent');
});

t.test('a runtime started while the broker is down serves HTTP and connects when it comes up', {
  skip: target ? false : 'needs PostgreSQL + Redis + RabbitMQ: SKIPPED',
}, async (t) => {
  await rabbitmqctl('stop_app');
  t.teardown(() => rabbitmqctl('start_app'));
  const shop = await startShop(target!, { STACK_FILE: 'test/fixtures/events/stack.yml', OUTBOX_POLL_INTERVAL: '1s' });
  t.teardown(() => shop.close());
  t.equal((await shop.call('GET', '/healthz')).status, 200);
  const event = anEvent();
  await shop.gateway.deps!.store.outbox.add([event]);
  await rabbitmqctl('start_app');
  t.equal(await eventually(() => handled(shop, [event]), 90), 1, 'delivered once the broker is up');
});
