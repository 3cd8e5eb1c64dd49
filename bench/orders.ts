/**
 * Orders through the whole saga on PostgreSQL + Redis + RabbitMQ: place-order → order.placed →
 * reserve-stock → stock.reserved → confirm-order → order.confirmed. The runtime runs as
 * `npm start` does, in its own process with the shipped settings; the bench listens on the
 * shop's exchange for order.confirmed, so nothing polls.
 *
 * - latency: `samples` orders one after another (cart filled first, not timed), p50/p99 from the
 *   POST /api/orders to the order.confirmed event.
 * - sustained: `customers` customers each adding to their cart, placing an order and waiting for
 *   its confirmation (as a shopper does; the confirmation also empties the cart of what was
 *   ordered), again and again for `seconds`; orders/s from the first order to the last confirmation.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqplib from 'amqplib';
import { loadConfig } from '../platform/config.js';
import { loadStack } from '../runtime/stack.js';
import { freshPostgres } from '../test/helpers/targets.js';
import { deleteTopology } from '../test/helpers/rabbitmq.js';
import { childEnv, freePort, repoRoot, spawnNode, waitForHttp } from './processes.js';
import { dropRedisKeys, unique } from './services.js';

export interface OrdersResult {
  p50: number;
  p99: number;
  ordersPerSec: number;
  orders: number;
  customers: number;
}

interface Settings {
  amqpUrl: string;
  databaseUrl: string;
  redisUrl: string;
  samples: number;
  customers: number;
  seconds: number;
  defer(cleanup: () => Promise<void>): void;
}

const percentile = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

export async function benchOrders({ amqpUrl, databaseUrl, redisUrl, samples, customers, seconds, defer }: Settings): Promise<OrdersResult> {
  const schema = await freshPostgres(databaseUrl);
  defer(schema.cleanup);
  const prefix = unique('bench-orders-');
  const redisPrefix = `${prefix}:`;
  defer(() => dropRedisKeys(redisUrl, redisPrefix));
  const queues = [...loadStack(join(repoRoot, 'stack.yml')).functions.filter((f) => f.topics.length).map((f) => f.name), 'async-calls'];
  defer(() => deleteTopology(amqpUrl, prefix, queues, loadConfig({}).events.retryDelays));
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-bench-orders-'));
  defer(async () => rmSync(dataDir, { recursive: true, force: true }));
  const adminLogin = { email: 'admin@bench.test', password: 'bench-admin-password-1' };

  const port = await freePort();
  const runtime = spawnNode(
    'runtime (orders bench)',
    'runtime/main.ts',
    childEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: schema.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      AMQP_URL: amqpUrl,
      EVENTS_PREFIX: prefix,
      DATA_DIR: dataDir,
      ADMIN_EMAIL: adminLogin.email,
      ADMIN_PASSWORD: adminLogin.password,
      // Every customer of the bench registers from one address, and each keeps every order it
      // places open (nobody ships them): limits, not costs, so raised; the count behind each is
      // still made on every order. Nothing else differs from npm start.
      REGISTER_MAX_PER_IP: '1000',
      MAX_OPEN_ORDERS: '1000000',
      MAX_UNITS_PER_PRODUCT: '1000000',
    }),
    { quiet: true },
  );
  defer(() => runtime.stop());
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(runtime, `${base}/healthz`);

  // The bench hears order.confirmed on the shop's own exchange.
  const connection = await amqplib.connect(amqpUrl, { noDelay: true });
  defer(() => connection.close().catch(() => undefined));
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, `${prefix}.events`, 'order.confirmed');
  const confirmed = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      const { orderId } = JSON.parse(message.content.toString()).data as { orderId: string };
      confirmed.set(orderId, performance.now());
      waiting.get(orderId)?.();
    },
    { noAck: true },
  );
  const whenConfirmed = (orderId: string) =>
    confirmed.has(orderId) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(orderId, resolve));

  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const login = async (credentials: { email: string; password: string }) => (await call('POST', '/api/auth/login', undefined, credentials)).accessToken as string;

  const admin = await login(adminLogin);
  await call('POST', '/api/categories', admin, { name: 'Pantry' });
  const product = (await call('POST', '/api/products', admin, { name: 'Rice', category: 'pantry', priceCents: 199, stock: 1_000_000 })).product;
  const tokens = await Promise.all(
    Array.from({ length: Math.max(customers, 1) }, async (_, i) => {
      const credentials = { email: `${unique('buyer.')}${i}@example.com`, password: 'correct horse battery 1' };
      await call('POST', '/api/auth/register', undefined, { ...credentials, name: `Buyer ${i}` });
      return login(credentials);
    }),
  );

  const order = async (token: string) => {
    await call('POST', '/api/cart/items', token, { productId: product.id, quantity: 1 });
    const sent = performance.now();
    const placed = (await call('POST', '/api/orders', token, { address }, { 'idempotency-key': randomBytes(12).toString('hex') })).order;
    return { id: placed.id as string, sent };
  };

  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { id, sent } = await order(tokens[0]);
    await whenConfirmed(id);
    latencies.push(confirmed.get(id)! - sent);
  }
  latencies.sort((a, b) => a - b);

  const placed: string[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < until) {
        const { id } = await order(token);
        placed.push(id);
        await whenConfirmed(id);
      }
    }),
  );
  await Promise.all(placed.map(whenConfirmed));
  const last = Math.max(...placed.map((id) => confirmed.get(id)!));
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ordersPerSec: placed.length / ((last - started) / 1000),
    orders: placed.length,
    customers: tokens.length,
  };
}
