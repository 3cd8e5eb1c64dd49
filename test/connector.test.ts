import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import t from 'tap';
import { memoryBus } from '#adapters/memory-bus.js';
import type { DomainEvent } from '#domain/ports.js';
import { startConnector, type TopicFunction } from '../runtime/connector.js';
import { eventually } from './helpers/shop.js';

/** What the stand-in gateway answers for an event: its data says. */
interface Answer {
  status: number;
  text?: boolean;
  code?: string;
}

const RETRY_DELAYS = [20, 20];

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
