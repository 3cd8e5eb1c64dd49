import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { loadConfig } from '#platform/config.js';
import { loadStack } from '../../runtime/stack.js';
import { freePort, ready, start, type Run } from '../helpers/process.js';
import { deleteTopology } from '../helpers/rabbitmq.js';
import { call, eventually } from '../helpers/shop.js';
import { targets } from '../helpers/targets.js';

/**
 * `npm start` as its own process, stopped (SIGTERM) and killed (SIGKILL) in the middle of a burst
 * of orders, then started again on the same stores: every order ends final and stock adds up.
 */

const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const admin = { email: 'admin@shop.test', password: 'admin-password-1' };

async function startOn(t: Test, env: Record<string, string>) {
  const port = await freePort();
  const shop = start({ ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  t.teardown(() => shop.stop());
  await ready(shop);
  return { shop, url: `http://127.0.0.1:${port}` };
}

/** A product of `units` and `orders` customers each with one unit of it in the cart. */
async function burstReady(url: string, units: number, orders: number) {
  const login = await call(url, 'POST', '/api/auth/login', { body: admin });
  const token = login.body.accessToken as string;
  await call(url, 'POST', '/api/categories', { token, body: { name: 'Pantry' } });
  const product = (await call(url, 'POST', '/api/products', { token, body: { name: 'Rice', category: 'pantry', priceCents: 199, stock: units } })).body.product;
  const customers = [];
  for (let i = 0; i < orders; i++) {
    const email = `burst.${process.pid}.${Date.now()}.${i}@example.com`;
    await call(url, 'POST', '/api/auth/register', { body: { email, password: 'correct horse 1', name: `C${i}` } });
    const { accessToken } = (await call(url, 'POST', '/api/auth/login', { body: { email, password: 'correct horse 1' } })).body;
    await call(url, 'POST', '/api/cart/items', { token: accessToken, body: { productId: product.id, quantity: 1 } });
    customers.push(accessToken as string);
  }
  return { token, product, customers };
}

/** Every order placed, from the admin listing, once none is pending. */
async function finalOrders(url: string, token: string, least: number) {
  return eventually(async () => {
    const { body } = await call(url, 'GET', '/api/admin/orders?limit=100', { token });
    const items = (body?.items ?? []) as { status: string }[];
    return items.length >= least && items.every((o) => o.status !== 'pending') ? items : null;
  }, 120);
}

async function interrupted(t: Test, env: Record<string, string>, stop: (shop: Run) => void) {
  const first = await startOn(t, env);
  const { product, customers } = await burstReady(first.url, 15, 30);
  // The burst: every order sent at once, the runtime stopped once a few were taken, the rest
  // still on their way and the saga busy with those taken.
  let accepted = 0;
  const placing = customers.map((token, i) =>
    call(first.url, 'POST', '/api/orders', { token, body: { address }, headers: { 'idempotency-key': `burst-${i}` }, reference: false })
      .then((answer) => answer.status === 202 && accepted++)
      .catch(() => null),
  );
  const all = Promise.all(placing);
  await eventually(async () => accepted >= 5 || Promise.race([all.then(() => true), Promise.resolve(false)]));
  stop(first.shop);
  const code = await first.shop.exited;
  await all;

  const second = await startOn(t, env);
  const restarted = Date.now();
  const login = await call(second.url, 'POST', '/api/auth/login', { body: admin });
  const orders = await finalOrders(second.url, login.body.accessToken, accepted);
  t.comment(`every order final ${((Date.now() - restarted) / 1000).toFixed(1)} s after the restart`);
  t.ok(orders, 'every order placed before the stop ends confirmed or cancelled after the restart');
  if (!orders) t.comment(second.shop.output().slice(-6000));
  const confirmed = orders!.filter((o) => o.status === 'confirmed').length;
  const stock = (await call(second.url, 'GET', `/api/products/${product.id}`)).body.product.stock;
  t.ok(confirmed <= 15, `never more confirmed than the stock (${confirmed})`);
  t.equal(stock, 15 - confirmed, 'the stock adds up: only confirmed orders hold units');
  return code;
}

const dataDir = (t: Test) => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-stop-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

// No demo catalog: these starts are about stopping, and its 254 events would only add to the outbox.
const base = { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, REGISTER_MAX_PER_IP: '1000', DEMO_CATALOG: 'false' };

t.test('SIGTERM during a burst on embedded defaults: a prompt, clean stop; the restart finishes every order', async (t) => {
  const env = { ...base, DATA_DIR: dataDir(t) };
  const code = await interrupted(t, env, (shop) => shop.signal('SIGTERM'));
  t.equal(code, 0, 'the stop finished within SHUTDOWN_TIMEOUT and exited cleanly');
});

t.test('a second signal ends a stop at once', async (t) => {
  // A call that takes 5 s keeps the first stop going (SHUTDOWN_TIMEOUT is far away).
  const env = { ...base, DATA_DIR: dataDir(t), SHUTDOWN_TIMEOUT: '10m', STACK_FILE: 'test/fixtures/events/stack.yml' };
  const { shop, url } = await startOn(t, env);
  const slow = fetch(`${url}/function/sleepy?ms=5000`).catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the call is in flight by then
  shop.signal('SIGTERM');
  await eventually(async () => /shutting down/.test(shop.output()));
  shop.signal('SIGTERM');
  t.equal(await shop.exited, 1);
  t.match(shop.output(), /SIGTERM again: exiting now/);
  await slow;
});

const real = targets.find((target) => target.name.includes('RabbitMQ'));
t.test('SIGKILL during a burst on PostgreSQL + Redis + RabbitMQ: orders in flight end final after the restart', {
  skip: real ? false : 'needs PostgreSQL + Redis + RabbitMQ: SKIPPED',
}, async (t) => {
  const { env, cleanup } = await real!.env();
  t.teardown(async () => {
    const queues = [...loadStack('stack.yml').functions.filter((f) => f.topics.length).map((f) => f.name), 'async-calls'];
    await deleteTopology(env.AMQP_URL, env.EVENTS_PREFIX, queues, loadConfig(env).events.retryDelays);
    await cleanup();
  });
  await interrupted(t, { ...base, ...env }, (shop) => shop.signal('SIGKILL'));
});
