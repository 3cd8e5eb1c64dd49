import t from 'tap';
import { adminToken, eventually, newCustomer, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

/** A customer with a product in the cart, ready to order. */
async function readyToOrder(shop: Shop, units = 10) {
  const admin = await adminToken(shop);
  await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
  const product = (await shop.call('POST', '/api/products', { token: admin, body: { name: 'Rice', category: 'pantry', priceCents: 199, stock: units } })).body.product;
  const ann = await newCustomer(shop);
  await shop.call('POST', '/api/cart/items', { token: ann.accessToken, body: { productId: product.id, quantity: 2 } });
  const order = async (id: string) => (await shop.call('GET', `/api/orders/${id}`, { token: ann.accessToken })).body.order;
  const stock = async () => (await shop.call('GET', `/api/products/${product.id}`)).body.product.stock as number;
  const place = async (key: string) => {
    const placed = await shop.call('POST', '/api/orders', { token: ann.accessToken, body: { address }, headers: { 'idempotency-key': key } });
    if (placed.status !== 202) throw new Error(`place-order: ${placed.text}`);
    return placed.body.order.id as string;
  };
  return { ann, product, order, stock, place };
}

for (const target of targets) {
  t.test(`an order in flight when the runtime stops ends final after a restart on ${target.name}`, async (t) => {
    // No connector: the order's event waits on the bus, as it does mid-saga when the runtime stops.
    const shop = await startShop(target, { CONNECTOR: 'off' });
    t.teardown(() => shop.close());
    const { order, stock, place } = await readyToOrder(shop);
    const id = await place('in-flight');
    t.equal((await order(id)).status, 'pending');
    await shop.restart({ CONNECTOR: 'on' });
    const settled = await eventually(async () => {
      const now = await order(id);
      return now.status === 'pending' ? null : now;
    }, 60);
    t.equal(settled?.status, 'confirmed', 'the event was not lost with the stopped runtime');
    t.equal(await stock(), 8);
    const backlog = await eventually(async () => {
      const { body } = await shop.call('GET', '/system/outbox', { reference: false });
      return body.unsent === 0 ? body : null;
    });
    t.same(backlog, { unsent: 0, oldestOccurredAt: null }, 'nothing waits in the outbox once every step is done');
  });
}
