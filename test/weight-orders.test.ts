import t from 'tap';
import { adminToken, eventually, newCustomer, startShop } from './helpers/shop.js';
import { shopping } from './helpers/shopping.js';
import { skippedTargets, targets } from './helpers/targets.js';

/** Weight products in carts and orders: grams, steps, estimated totals, wishes (weight-packing.test.ts: packing). */

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`carts and orders in grams over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);
    const weighed = (fields: Record<string, unknown> = {}) => s.product({ by: 'weight', priceCents: undefined, pricePerKgCents: 1234, stepGrams: 250, minGrams: 250, stock: 5000, ...fields });
    const addLine = (who: { accessToken: string }, body: object) => shop.call('POST', '/api/cart/items', { token: who.accessToken, body });
    const setLine = (who: { accessToken: string }, productId: string, body: object) =>
      shop.call('PATCH', `/api/cart/items/${productId}`, { token: who.accessToken, body });

    t.test('a weight line in grams: the estimate is price per kg × grams / 1000, rounded half up', async (t) => {
      const ann = await newCustomer(shop);
      const cheese = await weighed();
      const jam = await s.product({ priceCents: 399 });
      t.equal((await addLine(ann, { productId: cheese.id, grams: 250 })).status, 200);
      t.equal((await addLine(ann, { productId: cheese.id, grams: 500, ifUnavailable: 'substitute' })).status, 200, 'adds to the line');
      t.equal((await addLine(ann, { productId: jam.id, quantity: 2 })).status, 200);
      const cart = await s.cart(ann);
      t.match(cart.items, [
        { productId: cheese.id, by: 'weight', unitPriceCents: 1234, grams: 750, lineTotalCents: 926, ifUnavailable: 'substitute' },
        { productId: jam.id, by: 'piece', unitPriceCents: 399, quantity: 2, lineTotalCents: 798, ifUnavailable: 'none' },
      ]);
      t.notOk('quantity' in cart.items[0]);
      t.equal(cart.subtotalCents, 926 + 798);
      const changed = await setLine(ann, cheese.id, { grams: 250 });
      t.match(changed.body.items[0], { grams: 250, lineTotalCents: 309, ifUnavailable: 'substitute' }, '1234 × 0.25 = 308.5 → 309; the wish stays');
      t.match((await setLine(ann, jam.id, { ifUnavailable: 'substitute' })).body.items[1], { quantity: 2, ifUnavailable: 'substitute' }, 'the wish alone');

      const placed = await s.place(ann);
      t.equal(placed.status, 202, placed.text);
      const order = await s.settled(ann, placed.body.order.id);
      t.equal(order.status, 'confirmed');
      t.match(order.items, [
        { productId: cheese.id, by: 'weight', grams: 250, unitPriceCents: 1234, lineTotalCents: 309, ifUnavailable: 'substitute' },
        { productId: jam.id, by: 'piece', quantity: 2, lineTotalCents: 798, ifUnavailable: 'substitute' },
      ]);
      t.equal(order.totalCents, 309 + 798);
      t.equal(await s.stock(cheese.id), 4750, 'the stock of a weight product counts grams');
      t.equal(await s.stock(jam.id), 8);
    });

    t.test('bad amounts: 400 or 422 with a code, the cart unchanged', async (t) => {
      const bob = await newCustomer(shop, 'Bob');
      const cheese = await weighed({ stepGrams: 100, minGrams: 300 });
      const jam = await s.product();
      await addLine(bob, { productId: cheese.id, grams: 300 });
      await addLine(bob, { productId: jam.id, quantity: 1 });
      const before = await s.cart(bob);
      const refusals: [() => ReturnType<typeof addLine>, number, string][] = [
        [() => addLine(bob, { productId: cheese.id, grams: 350 }), 422, 'WEIGHT_NOT_ON_STEP'],
        [() => addLine(bob, { productId: cheese.id, grams: 200 }), 422, 'WEIGHT_BELOW_MINIMUM'],
        [() => addLine(bob, { productId: cheese.id, grams: 9800 }), 422, 'WEIGHT_LIMIT'],
        [() => addLine(bob, { productId: cheese.id, grams: 20000 }), 400, 'VALIDATION_FAILED'],
        [() => addLine(bob, { productId: cheese.id, quantity: 1 }), 422, 'SOLD_BY_WEIGHT'],
        [() => addLine(bob, { productId: jam.id, grams: 300 }), 422, 'SOLD_BY_PIECE'],
        [() => addLine(bob, { productId: jam.id, quantity: 1, grams: 300 }), 400, 'VALIDATION_FAILED'],
        [() => addLine(bob, { productId: jam.id }), 400, 'VALIDATION_FAILED'],
        [() => addLine(bob, { productId: jam.id, quantity: 1, ifUnavailable: 'refund' }), 400, 'VALIDATION_FAILED'],
        [() => addLine(bob, { productId: cheese.id, grams: 300.5 }), 400, 'VALIDATION_FAILED'],
        [() => setLine(bob, cheese.id, { grams: 450 }), 422, 'WEIGHT_NOT_ON_STEP'],
        [() => setLine(bob, cheese.id, { grams: 100 }), 422, 'WEIGHT_BELOW_MINIMUM'],
        [() => setLine(bob, cheese.id, { quantity: 2 }), 422, 'SOLD_BY_WEIGHT'],
        [() => setLine(bob, jam.id, { grams: 500 }), 422, 'SOLD_BY_PIECE'],
        [() => setLine(bob, jam.id, {}), 400, 'VALIDATION_FAILED'],
      ];
      for (const [send, status, code] of refusals) {
        const answer = await send();
        t.equal(answer.status, status, `${code}: ${answer.text}`);
        t.equal(answer.body.error.code, code);
      }
      t.same(await s.cart(bob), before, 'nothing changed');
      t.equal((await setLine(bob, cheese.id, { grams: 0 })).body.items.length, 1, 'grams 0 removes the line');
    });

    t.test('open orders hold at most 10 kg of one weight product', async (t) => {
      const cy = await newCustomer(shop, 'Cy');
      const flour = await weighed({ stepGrams: 1000, minGrams: 1000, stock: 50_000 });
      await addLine(cy, { productId: flour.id, grams: 6000 });
      const first = await s.place(cy);
      t.equal((await s.settled(cy, first.body.order.id)).status, 'confirmed');
      await eventually(async () => ((await s.cart(cy)).items.length === 0 ? true : null), 60);
      t.equal((await addLine(cy, { productId: flour.id, grams: 5000 })).status, 200);
      const second = await s.place(cy);
      t.equal(second.status, 422, second.text);
      t.equal(second.body.error.code, 'PRODUCT_LIMIT_REACHED');
    });
  });
}
