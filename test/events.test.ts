import { randomBytes } from 'node:crypto';
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import t from 'tap';
import type { DomainEvent } from '#domain/ports.js';
import { scrape } from './helpers/metrics.js';
import { eventually, startShop, uniqueEmail, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const run = promisify(execFile);

/** Short delays, so the retries and the dead letters happen within the test. */
const env = { STACK_FILE: 'test/fixtures/events/stack.yml', EVENT_RETRY_DELAYS: '100ms,300ms', OUTBOX_POLL_INTERVAL: '5s' };

const anEvent = (type: string, data: unknown = {}): DomainEvent => ({
  id: randomBytes(8).toString('hex'),
  type,
  occurredAt: new Date().toISOString(),
  data,
  callId: `call-${randomBytes(4).toString('hex')}`,
});

/** A change stored with its events, as a repository stores one: the relay takes it from there. */
const store = (shop: Shop, ...events: DomainEvent[]) => shop.gateway.deps!.store.outbox.add(events);
const count = async (shop: Shop, key: string) => Number((await shop.gateway.deps!.kv.get(key)) ?? 0);

async function deadLetters(shop: Shop, name: string, expected: number) {
  let letters: { id: string }[] = [];
  for (let i = 0; i < 600 && letters.length < expected; i++) {
    if (i) await sleep(50);
    letters = (await shop.call('GET', `/system/dead-letters?function=${name}`)).body;
  }
  return letters;
}

for (const target of targets) {
  t.test(`events through the relay, the bus and the connector on ${target.name}`, async (t) => {
    const shop = await startShop(target, env);
    t.teardown(() => shop.close());

    t.test('a stored event reaches its function once; a redelivered copy is handled once', async (t) => {
      const event = anEvent('fixture.ok', { n: 1 });
      await store(shop, event);
      t.equal(await eventually(() => count(shop, `fixture:handled:${event.id}`)), 1, 'handled');
      // The broker may deliver before it confirms: the sent mark follows the confirm.
      const outbox = shop.gateway.deps!.store.outbox;
      t.ok(await eventually(async () => (await outbox.pending(100)).length === 0), 'marked sent');
      t.same((await shop.call('GET', '/system/outbox')).body, { unsent: 0, oldestOccurredAt: null }, 'the outbox reports nothing waiting');
      await shop.gateway.bus.publish([event, event]);
      await eventually(async () => (await shop.call('GET', '/system/queues')).body.every((q: { ready: number; unacked: number }) => !q.ready && !q.unacked));
      await sleep(300);
      t.equal(await count(shop, `fixture:handled:${event.id}`), 1, 'the redeliveries were no-ops');
    });

    t.test('a function that fails twice is called again after growing delays, then handled', async (t) => {
      const event = anEvent('fixture.flaky', { failTimes: 2 });
      await store(shop, event);
      t.equal(await eventually(() => count(shop, `fixture:handled:${event.id}`)), 1);
      const times = (await shop.gateway.deps!.kv.setMembers(`fixture:times:${event.id}`))
        .map((entry) => entry.split(':').map(Number))
        .sort((a, b) => a[0] - b[0])
        .map(([, at]) => at);
      t.equal(times.length, 3, 'three calls');
      t.ok(times[1] - times[0] >= 90, `the first retry waited at least 100 ms (${times[1] - times[0]})`);
      t.ok(times[2] - times[1] >= 270, `the second at least 300 ms (${times[2] - times[1]})`);
    });

    t.test('a function that always fails ends in the dead letters; others are unaffected; a replay after the fix is handled', async (t) => {
      const broken = anEvent('fixture.broken');
      const fine = anEvent('fixture.ok');
      await store(shop, broken, fine);
      t.equal(await eventually(() => count(shop, `fixture:handled:${fine.id}`)), 1, 'echo-event handled the other event');
      const [letter] = await deadLetters(shop, 'broken-event', 1);
      t.match(letter, { queue: 'broken-event', id: broken.id, topic: 'fixture.broken', attempts: 3, status: 500 });
      t.equal(await count(shop, `fixture:broken-calls:${broken.id}`), 3, 'called once and retried twice, no more');
      const queues = (await shop.call('GET', '/system/queues')).body;
      t.match(queues.find((q: { name: string }) => q.name === 'broken-event'), { ready: 0, unacked: 0, dead: 1 });

      await shop.gateway.deps!.kv.set('fixture:fixed', '1');
      const replay = await shop.call('POST', '/system/dead-letters/replay', { body: { function: 'broken-event', id: broken.id } });
      t.same(replay.body, { replayed: 1 });
      t.equal(await eventually(() => count(shop, `fixture:broken-handled:${broken.id}`)), 1, 'handled after the replay');
      t.same(await deadLetters(shop, 'broken-event', 0), []);
    });

    t.test('a refusal (4xx) is dead at once; a malformed message is dead at once, and the queue flows on', async (t) => {
      const refused = anEvent('fixture.refused', { not: 'an order' });
      await store(shop, refused);
      const [letter] = await deadLetters(shop, 'refusing-event', 1);
      t.match(letter, { id: refused.id, attempts: 1, status: 400, reason: /VALIDATION_FAILED/ });

      await shop.gateway.bus.send('echo-event', { id: 'junk-1', body: 'this is not JSON' });
      await shop.gateway.bus.send('echo-event', { id: 'junk-2', body: JSON.stringify({ type: 'fixture.ok' }) });
      const after = anEvent('fixture.ok');
      await store(shop, after);
      t.equal(await eventually(() => count(shop, `fixture:handled:${after.id}`)), 1, 'the queue is not blocked');
      const letters = await deadLetters(shop, 'echo-event', 2);
      t.match(letters, [
        { id: 'junk-1', attempts: 1, reason: 'malformed message: not JSON' },
        { id: 'junk-2', attempts: 1, reason: 'malformed message: no id or type' },
      ]);
      t.equal((await shop.call('GET', '/system/dead-letters?function=nope')).status, 404);
    });

    t.test('npm run dead-letters lists the dead letters and replays them', async (t) => {
      const refused = anEvent('fixture.refused', { not: 'an order' });
      await store(shop, refused);
      await deadLetters(shop, 'refusing-event', 1);
      const cli = (...args: string[]) =>
        run(process.execPath, ['--import', 'tsx', 'scripts/dead-letters.ts', ...args], { env: { ...shop.env, SHOP_URL: shop.url } });
      const { stdout: listed } = await cli();
      t.match(listed, /function\s+event type\s+id\s+attempts\s+status\s+dead at\s+last error/);
      t.match(listed, new RegExp(`refusing-event\\s+fixture.refused\\s+${refused.id}\\s+1\\s+400`));
      t.match((await cli('replay', refused.id)).stdout, /Replayed 1 dead letter/);
      await t.rejects(cli('replay'), /replay what/, 'replay needs a target');
      t.match((await cli('replay', '--function', 'refusing-event')).stdout, /Replayed \d+ dead letter/);
    });

    t.test('/system/queues counts the events no queue is bound to (RabbitMQ holds them)', async (t) => {
      const unrouted = () => shop.call('GET', '/system/queues').then((r) => r.body.find((q: { name: string }) => q.name === '(unrouted)'));
      if (!shop.env.AMQP_URL) {
        t.equal(await unrouted(), undefined, 'the in-process bus has no such row');
        return;
      }
      const before = (await unrouted()).ready;
      await store(shop, anEvent('fixture.nobody-subscribes'));
      t.ok(await eventually(async () => (await unrouted()).ready === before + 1), 'counted');
    });

    t.test('event-driven functions answer only the platform', async (t) => {
      const event = anEvent('fixture.ok');
      const outsider = await shop.call('POST', '/function/echo-event', { body: event });
      t.equal(outsider.status, 403);
      const forged = await shop.call('POST', '/function/echo-event', { body: event, headers: { 'x-internal-token': 'guess' } });
      t.equal(forged.status, 403);
      t.equal(await count(shop, `fixture:handled:${event.id}`), 0);
    });
  });
}

const durable = targets.find((candidate) => candidate.name.includes('RabbitMQ'));
t.test('an async call waits in the queue through a runtime restart, then runs and calls back', {
  skip: durable ? false : 'needs PostgreSQL + Redis + RabbitMQ (a durable queue): SKIPPED',
}, async (t) => {
  const target = durable!;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const callback = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push({ headers: request.headers, body });
    response.end();
  });
  callback.listen(0, '127.0.0.1');
  await once(callback, 'listening');
  t.teardown(() => callback.close());
  const url = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/done`;

  // The first runtime queues the call but runs no worker (as when the connector runs on its own).
  const shop = await startShop(target, { CONNECTOR: 'off' });
  t.teardown(() => shop.close());
  const email = uniqueEmail('async');
  const accepted = await shop.call('POST', '/async-function/register', {
    body: { email, password: 'long enough 1', name: 'Async' },
    headers: { 'x-callback-url': url, 'x-call-id': 'async-restart-1' },
  });
  t.equal(accepted.status, 202);
  t.match((await shop.call('GET', '/system/queues')).body.find((q: { name: string }) => q.name === 'async-calls'), { ready: 1 });

  await shop.restart({ CONNECTOR: 'on' });
  for (let i = 0; i < 600 && !received.length; i++) await sleep(50);
  t.equal(received.length, 1, 'called back once, by the new runtime');
  t.equal(received[0].headers['x-call-id'], 'async-restart-1');
  t.equal(received[0].headers['x-function-status'], '201');
  t.equal(JSON.parse(received[0].body).user.email, email);
});

t.test('the connector on its own (npm run connector) serves a gateway that runs without one', {
  skip: durable ? false : 'needs PostgreSQL + Redis + RabbitMQ: SKIPPED',
}, async (t) => {
  const token = randomBytes(16).toString('hex');
  const shop = await startShop(durable!, { ...env, CONNECTOR: 'off', INTERNAL_TOKEN: token });
  t.teardown(() => shop.close());
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const child = fork('runtime/connector-main.ts', [], {
    execArgv: ['--import', 'tsx'],
    env: { ...shop.env, GATEWAY_URL: shop.url, INTERNAL_TOKEN: token, CONNECTOR_PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: 'inherit',
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const event = anEvent('fixture.ok');
  await store(shop, event);
  t.equal(await eventually(() => count(shop, `fixture:handled:${event.id}`), 60), 1, 'the standalone connector delivered it');
  // Its own /metrics, on its port: the delivery, its queues and the outbox.
  const metrics = await eventually(async () => {
    const now = await scrape(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
    return now && now.value('shop_connector_deliveries_total', { function_name: 'echo-event', outcome: 'handled' }) >= 1 ? now : undefined;
  });
  t.ok(metrics, 'the connector counts the delivery at its /metrics');
  t.equal(metrics?.value('shop_queue_dead_letters', { queue: 'echo-event' }), 0, 'and reads its queues');
  t.ok(metrics?.families.has('shop_outbox_unsent_events'), 'and the outbox');
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.equal(code, 0, 'stops cleanly');
});
