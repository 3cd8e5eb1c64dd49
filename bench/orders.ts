/**
 * Orders through the whole saga on PostgreSQL + Redis + RabbitMQ: place-order → order.placed →
 * reserve-stock → stock.reserved → confirm-order → order.confirmed. The runtime runs as
 * `npm start` does, in its own process with the shipped settings (and Stripe's stand-in as its
 * Stripe); the bench listens on the shop's exchange for the saga's events, so nothing polls but
 * the card customer (below).
 *
 * Three scenarios on the same runtime, each measured twice, in turns there and back (no zone,
 * cash, card, card, cash, no zone: the zone is deleted for the last), the same way:
 * - no zone: the shop delivers anywhere (no slot, no payment step), as before zones existed;
 * - slot + cash: a zone with a timetable, every order with tomorrow's slot (room for all) and
 *   `cash_on_delivery`: reserve-stock also takes the slot's place;
 * - slot + card: the same with `card`: confirm-order makes a PaymentIntent at the stand-in and the
 *   order waits in awaiting_payment; the customer (as a storefront does) asks for the order until
 *   it has its intent, once stock.reserved was heard, then pays: the stand-in authorises and the
 *   bench posts Stripe's signed notification to the webhook, which confirms the order.
 *
 * - latency: `samples` orders one after another (cart filled first, not timed), p50/p99 from the
 *   POST /api/orders to the order.confirmed event.
 * - sustained: `customers` customers each adding to their cart, placing an order and waiting for
 *   its confirmation (as a shopper does; the confirmation also empties the cart of what was
 *   ordered), again and again for `seconds`; orders/s from the first order to the last confirmation.
 * A scenario's figures are those of its two turns together.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import amqplib from 'amqplib';
import { loadConfig } from '../platform/config.js';
import { loadStack } from '../runtime/stack.js';
import { day, everyDay, stem } from '../test/helpers/delivery.js';
import { startStripeStandIn } from '../test/helpers/stripe-stand-in.js';
import { freshPostgres } from '../test/helpers/targets.js';
import { deleteTopology } from '../test/helpers/rabbitmq.js';
import { childEnv, freePort, repoRoot, spawnNode, waitForHttp } from './processes.js';
import { dropRedisKeys, unique } from './services.js';
import { percentile } from './load.js';

export interface OrdersRow {
  scenario: string;
  p50: number;
  p99: number;
  ordersPerSec: number;
  orders: number;
  /** 1-minute load average at the end of its turns, their mean. */
  loadAverage: number;
}

export interface OrdersResult {
  /** The no-zone baseline first. */
  rows: OrdersRow[];
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

const anywhere = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const WEBHOOK = '/api/payments/stripe/webhook';

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
  const stripe = await startStripeStandIn();
  defer(() => stripe.close());
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
      // still made on every order. Stripe is the stand-in. Nothing else differs from npm start.
      REGISTER_MAX_PER_IP: '1000',
      MAX_OPEN_ORDERS: '1000000',
      MAX_UNITS_PER_PRODUCT: '1000000',
      ...stripe.env,
    }),
    { quiet: true },
  );
  defer(() => runtime.stop());
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(runtime, `${base}/healthz`);

  // The bench hears the saga's events on the shop's own exchange: when each came, by order.
  const connection = await amqplib.connect(amqpUrl, { noDelay: true });
  defer(() => connection.close().catch(() => undefined));
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  const heard = new Map<string, number>();
  const waiting = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  for (const key of ['order.confirmed', 'order.cancelled', 'stock.reserved']) await channel.bindQueue(queue, `${prefix}.events`, key);
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      const { data } = JSON.parse(message.content.toString()) as { data: { orderId: string; reason?: string } };
      const key = `${message.fields.routingKey} ${data.orderId}`;
      heard.set(key, performance.now());
      if (message.fields.routingKey === 'order.cancelled') {
        for (const type of ['order.confirmed', 'stock.reserved']) waiting.get(`${type} ${data.orderId}`)?.reject(new Error(`order ${data.orderId} cancelled: ${data.reason}`));
      }
      waiting.get(key)?.resolve();
    },
    { noAck: true },
  );
  /** Resolves when the event about the order was heard; rejects when the order was cancelled instead. */
  const when = (type: string, orderId: string) => {
    if (heard.has(`${type} ${orderId}`)) return Promise.resolve();
    if (heard.has(`order.cancelled ${orderId}`)) return Promise.reject(new Error(`order ${orderId} cancelled`));
    return new Promise<void>((resolve, reject) => waiting.set(`${type} ${orderId}`, { resolve, reject }));
  };

  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const raw = typeof body === 'string';
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined || raw ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined || raw ? body : JSON.stringify(body),
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

  /** A card customer pays once the order waits for it: the storefront reads the order for its intent. */
  const pay = async (token: string, id: string) => {
    await when('stock.reserved', id);
    let order = (await call('GET', `/api/orders/${id}`, token)).order;
    while (order.status === 'pending') {
      await sleep(5);
      order = (await call('GET', `/api/orders/${id}`, token)).order;
    }
    if (order.status !== 'awaiting_payment') throw new Error(`card order ${id} is ${order.status}, not awaiting_payment`);
    const note = stripe.notification('payment_intent.amount_capturable_updated', stripe.authorize(order.payment.intentId));
    await call('POST', WEBHOOK, undefined, note.payload, { 'stripe-signature': note.signature, 'content-type': 'application/json' });
  };

  interface Scenario {
    name: string;
    body: Record<string, unknown>;
    card?: boolean;
    latencies: number[];
    orders: number;
    seconds: number;
    loads: number[];
  }
  const scenario = (name: string, body: Record<string, unknown>, card = false): Scenario => ({ name, body, card, latencies: [], orders: 0, seconds: 0, loads: [] });
  let inSlot = 0;

  /** One turn of a scenario: `samples` orders one at a time, then `customers` at once for `seconds`. */
  async function turn(s: Scenario) {
    const order = async (token: string) => {
      await call('POST', '/api/cart/items', token, { productId: product.id, quantity: 1 });
      const sent = performance.now();
      const placed = (await call('POST', '/api/orders', token, s.body, { 'idempotency-key': randomBytes(12).toString('hex') })).order;
      if (s.body.slotId) inSlot += 1;
      if (s.card) await pay(token, placed.id);
      await when('order.confirmed', placed.id);
      return { id: placed.id as string, sent };
    };
    for (let i = 0; i < samples; i++) {
      const { id, sent } = await order(tokens[0]);
      s.latencies.push(heard.get(`order.confirmed ${id}`)! - sent);
    }
    const placed: string[] = [];
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      tokens.map(async (token) => {
        while (performance.now() < until) placed.push((await order(token)).id);
      }),
    );
    s.orders += placed.length;
    s.seconds += (Math.max(...placed.map((id) => heard.get(`order.confirmed ${id}`)!)) - started) / 1000;
    s.loads.push(loadavg()[0]);
  }

  const none = scenario('no zone: delivers anywhere', { address: anywhere });
  // No zone first: once a zone exists, the shop delivers to its postcodes only.
  await turn(none);
  const postalCode = `${stem()}1`;
  const zone = (await call('POST', '/api/admin/delivery-zones', admin, { name: 'Bench', postcodes: [postalCode], feeCents: 299, minimumOrderCents: 0 })).zone;
  await call('PUT', `/api/admin/delivery-zones/${zone.id}/timetable`, admin, { slots: everyDay(10_000), closedDays: [], capacityOverrides: [] });
  const slotNow = async () => (await call('GET', `/api/delivery/slots?postalCode=${postalCode}&from=${day(1)}&days=1`)).items[0] as { id: string; left: number };
  const slot = await slotNow();
  const inZone = { address: { ...anywhere, postalCode }, slotId: slot.id };
  const cash = scenario('zone, slot + cash on delivery', { ...inZone, paymentMethod: 'cash_on_delivery' });
  const card = scenario('zone, slot + card (Stripe stand-in, webhook)', { ...inZone, paymentMethod: 'card' }, true);
  // In turns there and back (no zone, cash, card, card, cash, no zone): a load that drifts weighs on each alike.
  await turn(cash);
  await turn(card);
  await turn(card);
  await turn(cash);
  // Every confirmed order holds its place once: the slot's room left says so, or the saga lost count.
  const left = (await slotNow()).left;
  if (left !== slot.left - inSlot) throw new Error(`the slot has ${left} places left after ${inSlot} orders, not ${slot.left - inSlot}`);
  // Deleting the zone leaves its orders as they are, and the shop delivers anywhere again.
  await call('DELETE', `/api/admin/delivery-zones/${zone.id}`, admin);
  await turn(none);

  const rows = [none, cash, card].map((s): OrdersRow => {
    const sorted = [...s.latencies].sort((x, y) => x - y);
    return {
      scenario: s.name,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      ordersPerSec: s.orders / s.seconds,
      orders: s.orders,
      loadAverage: s.loads.reduce((x, y) => x + y, 0) / s.loads.length,
    };
  });
  return { rows, customers: tokens.length };
}
