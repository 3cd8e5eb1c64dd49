import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { adminToken, eventually, newCustomer, startShop } from '../helpers/shop.js';
import { targets } from '../helpers/targets.js';

/** Orders placed while RabbitMQ is stopped (`rabbitmqctl stop_app`) all finish once it is back. */
const target = targets.find((candidate) => candidate.name.includes('RabbitMQ'));
const run = promisify(execFile);
const rabbitmqctl = (command: 'stop_app' | 'start_app') => run('rabbitmqctl', ['-q', command], { timeout: 120_000 });

t.test('orders placed while the broker is down leave pending once it is back', {
  skip: target ? false : 'needs PostgreSQL + Redis + RabbitMQ: SKIPPED',
}, async (t) => {
  const shop = await startShop(target!, { OUTBOX_POLL_INTERVAL: '1s' });
  t.teardown(async () => {
    await rabbitmqctl('start_app');
    await shop.close();
  });
  const admin = await adminToken(shop);
  await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
  const product = (await shop.call('POST', '/api/products', { token: admin, body: { name: 'Rice', category: 'pantry', priceCents: 199, stock: 10 } })).body.product;
  const customers = await Promise.all(Array.from({ length: 4 }, (_, i) => newCustomer(shop, `Offline${i}`)));
  for (const c of customers) await shop.call('POST', '/api/cart/items', { token: c.accessToken, body: { productId: product.id, quantity: 2 } });

  await rabbitmqctl('stop_app');
  const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
  const placed: string[] = [];
  for (const [i, c] of customers.entries()) {
    const answer = await shop.call('POST', '/api/orders', { token: c.accessToken, body: { address }, headers: { 'idempotency-key': `offline-${i}` } });
    t.equal(answer.status, 202, 'accepted while the broker is down');
    placed.push(answer.body.order.id as string);
  }
  const status = async (i: number) =>
    (await shop.call('GET', `/api/orders/${placed[i]}`, { token: customers[i].accessToken })).body.order.status as string;
  t.same(await Promise.all(placed.map((_, i) => status(i))), ['pending', 'pending', 'pending', 'pending'], 'pending meanwhile');

  await rabbitmqctl('start_app');
  const finished = await eventually(async () => {
    const all = await Promise.all(placed.map((_, i) => status(i)));
    return all.every((s) => s !== 'pending') ? all : null;
  }, 120);
  t.same(finished, ['confirmed', 'confirmed', 'confirmed', 'confirmed'], 'every order confirmed');
  t.equal((await shop.call('GET', `/api/products/${product.id}`)).body.product.stock, 2);
});
