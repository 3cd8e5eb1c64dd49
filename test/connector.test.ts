import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import amqp from 'amqp-connection-manager';
import { pino } from 'pino';
import t from 'tap';
import { memoryBus } from '#adapters/memory-bus.js';
import { rabbitmqBus } from '#adapters/rabbitmq-bus.js';
import type { DomainEvent } from '#domain/ports.js';
import { startConnector, type TopicFunction } from '../runtime/connector.js';
import { deleteTopology } from './helpers/rabbitmq.js';
import { eventually } from './helpers/shop.js';
import { amqpUrl } from './helpers/targets.js';

/** What the stand-in gateway answers for an event: its data says. */
interface Answer {
  status: number;
  text?: boolean;
  code?: string;
}

const RETRY_DELAYS = [20, 20];
const run = promisify(execFile);

/**
 * Each answer class, from a stand-in gateway: what the connector dead-letters at once (it can
 * never succeed) and what it retries (it may succeed later: a token rotation, a deployment).
 */
t.test('the connector refuses for good only what can never succeed', async (t) => {
  const gateway = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const { status, text, code } = (JSON.parse(body) as DomainEvent<Answer>).data;
    if (text) response.writeHead(status, { 'content-type': 'text/plain' }).end('function not found');
    else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message: 'no' } }));
  });
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  t.teardown(() => gateway.close());

  const bus = memoryBus({ retryDelays: RETRY_DELAYS });
  t.teardown(() => bus.close());
  // `vanished` is consumed from the first map, then no longer listed (removed while it runs).
  let map: TopicFunction[] = [
    { name: 'judge', topics: ['judge.*'] },
    { name: 'vanished', topics: ['vanished.*'] },
  ];
  const connector = await startConnector({
    bus,
    log: pino({ level: 'silent' }),
    gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    internalToken: 'token',
    prefetch: 4,
    callTimeoutMs: 5000,
    functions: async () => map,
  });
  t.teardown(() => connector.stop());
  map = [map[0]];

  const cases: { name: string; type: string; answer: Answer; dead: boolean }[] = [
    { name: '400 (malformed event)', type: 'judge.one', answer: { status: 400, code: 'VALIDATION_FAILED' }, dead: true },
    { name: '422 (a business refusal)', type: 'judge.one', answer: { status: 422, code: 'INVALID_TRANSITION' }, dead: true },
    { name: "404 in the shop's shape from a listed function (no such order)", type: 'judge.one', answer: { status: 404, code: 'NOT_FOUND' }, dead: true },
    { name: "404 in plain text (OpenFaaS's gateway: no such function)", type: 'judge.one', answer: { status: 404, text: true }, dead: false },
    { name: '404 for a function the gateway no longer lists', type: 'vanished.one', answer: { status: 404, code: 'NOT_FOUND' }, dead: false },
    { name: '404 with another code', type: 'judge.one', answer: { status: 404, code: 'SOMETHING_ELSE' }, dead: false },
    { name: '401 (the internal token rotates)', type: 'judge.one', answer: { status: 401, code: 'UNAUTHENTICATED' }, dead: false },
    { name: '403 (the internal token rotates)', type: 'judge.one', answer: { status: 403, code: 'FORBIDDEN' }, dead: false },
    { name: '408', type: 'judge.one', answer: { status: 408, text: true }, dead: false },
    { name: '409', type: 'judge.one', answer: { status: 409, code: 'CONFLICT' }, dead: false },
    { name: '429', type: 'judge.one', answer: { status: 429, code: 'RATE_LIMITED' }, dead: false },
    { name: '500', type: 'judge.one', answer: { status: 500, code: 'INTERNAL' }, dead: false },
    { name: '503', type: 'judge.one', answer: { status: 503, text: true }, dead: false },
  ];
  const events = cases.map(({ type, answer }) => ({
    id: randomBytes(8).toString('hex'),
    type,
    occurredAt: new Date().toISOString(),
    data: answer,
  }));
  await bus.publish(events);
  const letters = await eventually(async () => {
    const all = await bus.deadLetters(['judge', 'vanished']);
    return all.length === cases.length ? all : undefined;
  });
  t.ok(letters, 'every event ends in the dead letters, at once or after its retries');
  cases.forEach(({ name, answer, dead }, i) => {
    const letter = letters?.find((l) => l.id === events[i].id);
    t.match(letter, { status: answer.status, attempts: dead ? 1 : RETRY_DELAYS.length + 1 }, `${name}: ${dead ? 'dead at once' : 'retried'}`);
  });
});

t.test("the connector warns about the queues of functions that no longer exist, at start and at each read of the map", {
  skip: amqpUrl ? false : 'AMQP_URL not set: RabbitMQ SKIPPED',
}, async (t) => {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  t.teardown(() => deleteTopology(amqpUrl!, prefix, ['retired', 'echo-event'], RETRY_DELAYS));
  const open = () => rabbitmqBus(amqp.connect([amqpUrl!]), { prefix, retryDelays: RETRY_DELAYS, publishTimeoutMs: 10_000 });
  // An earlier deployment had `retired`, and it received an event.
  const before = open();
  await before.declare({ name: 'retired', topics: ['retired.thing'], prefetch: 1 });
  await before.publish([{ id: 'e1', type: 'retired.thing', occurredAt: new Date().toISOString(), data: {} }]);
  await before.close();

  const lines: { msg: string; function?: string; ready?: number }[] = [];
  const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const bus = open();
  t.teardown(() => bus.close());
  const connector = await startConnector({
    bus,
    log,
    gatewayUrl: 'http://127.0.0.1:9',
    internalToken: 'token',
    prefetch: 1,
    callTimeoutMs: 1000,
    functions: async () => [{ name: 'echo-event', topics: ['fixture.ok'] }],
    refreshMs: 100,
  });
  t.teardown(() => connector.stop());
  const warnings = () => lines.filter((line) => line.function === 'retired' && /no longer exists/.test(line.msg));
  t.ok(warnings().length >= 1, 'warned at start');
  t.match(warnings()[0], { ready: 1, msg: /npm run dead-letters -- drain retired/ });
  t.ok(await eventually(async () => warnings().length >= 2), 'and again when the map is read again');
  t.notOk(lines.some((line) => line.function === 'echo-event'), 'not about a function that exists');
  // Each read of the registry holds its entries for a moment: a connector reading it every
  // 100 ms could hide one from the command below.
  await connector.stop();

  const cli = async (...args: string[]) =>
    (
      await run(process.execPath, ['--import', 'tsx', 'scripts/dead-letters.ts', ...args], {
        env: { ...process.env, AMQP_URL: amqpUrl, EVENTS_PREFIX: prefix, EVENT_RETRY_DELAYS: '20ms', STACK_FILE: 'test/fixtures/events/stack.yml' },
      })
    ).stdout;
  t.match(await cli('drain'), /^retired: 1 waiting, 0 dead$/m, 'npm run dead-letters -- drain lists them');
  t.match(await cli('drain', 'retired'), /holds 1 waiting event\(s\) and 0 dead letter\(s\)\. Run again with --yes/, 'says what it would delete');
  t.match(await bus.stats('retired'), { ready: 1 }, 'and deletes nothing without --yes');
  await t.rejects(cli('drain', 'echo-event', '--yes'), /is a function of .*stack\.yml/, 'a function that exists is refused');
  t.match(await cli('drain', 'retired', '--yes'), /Deleted the queue of retired: 1 waiting event\(s\) and 0 dead letter\(s\)/);
  t.match(await cli('drain'), /No queues of functions that no longer exist/);
  await t.rejects(bus.stats('retired'), 'the queue is gone');
  await t.rejects(cli('drain', 'retired', '--yes'), /No queue for retired on the broker/, 'and cannot be drained twice');
});

t.test('an event published before the gateway lists its subscriber is delivered once it does', {
  skip: amqpUrl ? false : 'AMQP_URL not set: RabbitMQ SKIPPED',
}, async (t) => {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  t.teardown(() => deleteTopology(amqpUrl!, prefix, ['late-function'], RETRY_DELAYS));
  const received: string[] = [];
  const gateway = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push((JSON.parse(body) as DomainEvent).id);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  t.teardown(() => gateway.close());

  const bus = rabbitmqBus(amqp.connect([amqpUrl!]), { prefix, retryDelays: RETRY_DELAYS, publishTimeoutMs: 10_000 });
  t.teardown(() => bus.close());
  // A deployment in progress: the gateway does not list the function yet.
  let map: TopicFunction[] = [];
  const connector = await startConnector({
    bus,
    log: pino({ level: 'silent' }),
    gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    internalToken: 'token',
    prefetch: 1,
    callTimeoutMs: 5000,
    functions: async () => map,
    refreshMs: 100,
  });
  t.teardown(() => connector.stop());
  const event: DomainEvent = { id: randomBytes(8).toString('hex'), type: 'late.thing', occurredAt: new Date().toISOString(), data: {} };
  await bus.publish([event]);
  t.equal(await bus.unrouted!(), 1, 'confirmed, and held: no queue is bound to it');
  map = [{ name: 'late-function', topics: ['late.thing'] }];
  t.ok(await eventually(async () => received.includes(event.id)), 'delivered once the gateway lists the function');
  t.equal(await bus.unrouted!(), 0, 'no longer held');
  t.same(received, [event.id], 'once');
});
