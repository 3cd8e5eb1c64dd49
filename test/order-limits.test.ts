import { randomBytes } from 'node:crypto';
import t from 'tap';
import { adminToken, eventually, newCustomer, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

const address = { street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const key = () => `key-${randomBytes(6).toString('hex')}`;
type Customer = Awaited<ReturnType<typeof newCustomer>>;

function shopping(shop: Shop, admin: string) {
  const helpers = {
    async product(stock = 1000) {
      const created = await shop.call('POST', '/api/products', {
        token: admin,
        body: { name: `Product ${randomBytes(4).toString('hex')}`, category: 'pantry', priceCents: 250, stock },
      });
      if (created.status !== 201) throw new Error(`product: ${created.text}`);
      return created.body.product as { id: string; name: string };
    },
    /**
     * A cart of exactly these lines. A late clear-ordered-items of an order placed before leaves
     * them alone: clearing the cart drops the notes of what earlier orders took.
     */
    async fill(who: Customer, lines: Record<string, number>) {
      await shop.call('DELETE', '/api/cart', { token: who.accessToken });
      for (const [productId, quantity] of Object.entries(lines)) {
        await shop.call('POST', '/api/cart/items', { token: who.accessToken, body: { productId, quantity } });
      }
    },
    place: (who: Customer, body: unknown = { address }) =>
      shop.call('POST', '/api/orders', { token: who.accessToken, body, headers: { 'idempotency-key': key() } }),
    order: async (id: string) => (await shop.call('GET', `/api/orders/${id}`, { token: admin })).body.order,
    stock: async (id: string) => (await shop.call('GET', `/api/products/${id}`)).body.product.stock as number,
    /** 100 place-order requests at once, each with its own Idempotency-Key. */
    burst: (who: Customer) => Promise.all(Array.from({ length: 100 }, () => helpers.place(who))),
  };
  return helpers;
}

const count = (answers: { status: number }[], status: number) => answers.filter((a) => a.status === status).length;

for (const target of targets) {
  t.test(`what one customer may hold open, on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);

    t.test('100 orders at once: 5 placed (MAX_OPEN_ORDERS), the rest 422 TOO_MANY_OPEN_ORDERS', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product();
      await s.fill(ann, { [rice.id]: 1 });
      const answers = await s.burst(ann);
      t.equal(count(answers, 202), 5, 'five placed');
      t.equal(count(answers, 422), 95, 'the rest refused');
      const refused = answers.find((a) => a.status === 422)!;
      t.match(refused.body, { error: { code: 'TOO_MANY_OPEN_ORDERS', details: [{ openOrders: 5, max: 5 }] } });
      const listed = await shop.call('GET', '/api/orders?limit=100', { token: ann.accessToken });
      t.equal(listed.body.total, 5, 'five stored');

      // Orders leave the count once they move on: a cancelled one makes room for one more.
      const placed = answers.filter((a) => a.status === 202).map((a) => a.body.order.id as string);
      await eventually(async () => (await Promise.all(placed.map(s.order))).every((o) => o.status === 'confirmed'), 60);
      t.equal((await shop.call('POST', `/api/orders/${placed[0]}/cancel`, { token: ann.accessToken })).status, 200);
      await s.fill(ann, { [rice.id]: 1 });
      t.equal(count(await s.burst(ann), 202), 1, 'one more, once one was cancelled');
      // A shipped order holds nothing open any more.
      await shop.call('PATCH', `/api/orders/${placed[1]}/status`, { token: admin, body: { status: 'shipped' } });
      await s.fill(ann, { [rice.id]: 1 });
      t.equal(count(await s.burst(ann), 202), 1, 'one more, once one shipped');
    });

    t.test('100 orders of 40 at once: 2 placed (MAX_UNITS_PER_PRODUCT 99), the rest 422 PRODUCT_LIMIT_REACHED', async (t) => {
      const bob = await newCustomer(shop, 'Bob');
      const [oil, salt] = [await s.product(), await s.product()];
      await s.fill(bob, { [oil.id]: 40, [salt.id]: 1 });
      const answers = await s.burst(bob);
      t.equal(count(answers, 202), 2, 'two placed: 80 of 99');
      t.equal(count(answers, 422), 98);
      t.match(answers.find((a) => a.status === 422)!.body, {
        error: { code: 'PRODUCT_LIMIT_REACHED', details: [{ productId: oil.id, name: oil.name, held: 80, quantity: 40, max: 99 }] },
      });
      t.equal(answers.find((a) => a.status === 422)!.body.error.details.length, 1, 'only the product over the limit is named');
      await eventually(async () => (await s.stock(oil.id)) === 1000 - 80, 60);
      // What still fits is placed.
      await s.fill(bob, { [oil.id]: 19 });
      t.equal((await s.place(bob)).status, 202, '99 in all');
      await s.fill(bob, { [oil.id]: 1 });
      t.match((await s.place(bob)).body, { error: { code: 'PRODUCT_LIMIT_REACHED' } }, 'not one more');
      // Another customer is not held back by Bob's orders.
      const cy = await newCustomer(shop, 'Cy');
      await s.fill(cy, { [oil.id]: 99 });
      t.equal((await s.place(cy)).status, 202);
    });
  });

  t.test(`settings MAX_OPEN_ORDERS and MAX_UNITS_PER_PRODUCT, on ${target.name}`, async (t) => {
    const shop = await startShop(target, { MAX_OPEN_ORDERS: '2', MAX_UNITS_PER_PRODUCT: '10' });
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);
    const ann = await newCustomer(shop);
    const rice = await s.product();
    await s.fill(ann, { [rice.id]: 11 });
    t.match((await s.place(ann)).body, { error: { code: 'PRODUCT_LIMIT_REACHED', details: [{ productId: rice.id, held: 0, quantity: 11, max: 10 }] } });
    await s.fill(ann, { [rice.id]: 1 });
    t.equal(count(await s.burst(ann), 202), 2);
  });

  t.test(`deleting an account cancels its unshipped orders and forgets the rest's personal data, on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);
    const ann = await newCustomer(shop);
    const rice = await s.product(100);
    await s.fill(ann, { [rice.id]: 3 });
    const first = (await s.place(ann, { address: { ...address, label: 'Home' }, note: 'Ring twice' })).body.order;
    await s.fill(ann, { [rice.id]: 2 });
    const second = (await s.place(ann, { address, note: 'Leave at the door' })).body.order;
    t.ok(await eventually(async () => (await s.order(first.id)).status === 'confirmed' && (await s.order(second.id)).status === 'confirmed', 60));
    t.equal((await shop.call('PATCH', `/api/orders/${second.id}/status`, { token: admin, body: { status: 'shipped' } })).status, 200);
    t.equal(await s.stock(rice.id), 95);

    const deleted = await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: ann.password } });
    t.equal(deleted.status, 204);

    const cancelled = await eventually(async () => {
      const order = await s.order(first.id);
      return order.status === 'cancelled' && order;
    }, 60);
    t.match(cancelled, { status: 'cancelled', cancelReason: 'account_deleted', totalCents: first.totalCents, items: first.items });
    t.match(cancelled.history.at(-1), { status: 'cancelled', by: 'system', reason: 'account_deleted' });
    t.ok(await eventually(async () => (await s.stock(rice.id)) === 98, 60), "the unshipped order's stock is back; the shipped one's is gone");
    const forgotten = (order: { address: object; note?: string }) => JSON.stringify(order.address) === '{"country":"US"}' && order.note === undefined;
    t.ok(await eventually(async () => forgotten(await s.order(first.id)) && forgotten(await s.order(second.id)), 60), 'no address but the country, no note');
    const shipped = await s.order(second.id);
    t.match(shipped, { status: 'shipped', totalCents: second.totalCents, items: second.items, currency: 'USD' }, 'the shipped order stays for the books');
    t.same(shipped.address, { country: 'US' });

    // A redelivery of user.deleted changes nothing.
    const before = await Promise.all([s.order(first.id), s.order(second.id)]);
    await shop.gateway.deps?.forgetUser(ann.id);
    t.same(await Promise.all([s.order(first.id), s.order(second.id)]), before, 'again: nothing changes');
    t.equal(await s.stock(rice.id), 98, 'nothing given back twice');
  });
}
