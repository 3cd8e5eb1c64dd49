import t from 'tap';
import { adminToken, captureEvents, eventually, newCustomer, startShop } from './helpers/shop.js';
import { address, key, shopping } from './helpers/shopping.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`cart, wishlist and orders over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);

    t.test('the cart: add, add again, change, remove, clear, with current names and prices', async (t) => {
      const ann = await newCustomer(shop);
      const [rice, oil] = [await s.product({ priceCents: 199 }), await s.product({ priceCents: 1250 })];
      t.equal((await s.add(ann, rice.id, 2)).status, 200);
      const added = await s.add(ann, rice.id, 3);
      t.match(added.body, { items: [{ productId: rice.id, name: rice.name, unitPriceCents: 199, quantity: 5, lineTotalCents: 995 }], subtotalCents: 995, currency: 'USD' });
      await s.add(ann, oil.id, 1);
      const changed = await shop.call('PATCH', `/api/cart/items/${rice.id}`, { token: ann.accessToken, body: { quantity: 1 } });
      t.same(changed.body.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity]), [[rice.id, 1], [oil.id, 1]], 'in the order first added');
      t.equal(changed.body.subtotalCents, 199 + 1250);
      await shop.call('PATCH', `/api/products/${oil.id}`, { token: admin, body: { priceCents: 1100 } });
      t.equal((await s.cart(ann)).subtotalCents, 199 + 1100, 'current prices');
      const zero = await shop.call('PATCH', `/api/cart/items/${oil.id}`, { token: ann.accessToken, body: { quantity: 0 } });
      t.same(zero.body.items.map((i: { productId: string }) => i.productId), [rice.id], '0 removes the line');
      const removed = await shop.call('DELETE', `/api/cart/items/${rice.id}`, { token: ann.accessToken });
      t.same(removed.body, { items: [], subtotalCents: 0, taxes: [], currency: 'USD' });
      await s.add(ann, rice.id, 1);
      t.equal((await shop.call('DELETE', '/api/cart', { token: ann.accessToken })).status, 204);
      t.same((await s.cart(ann)).items, []);
      const bob = await newCustomer(shop, 'Bob');
      await s.add(bob, rice.id, 1);
      t.same((await s.cart(ann)).items, [], "one customer never sees another's cart");
      t.equal((await shop.call('GET', '/api/cart')).status, 401);
    });

    t.test('cart refusals: a clear 4xx and nothing changed', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product();
      await s.add(ann, rice.id, 60);
      for (const [body, status, code] of [
        [{ productId: rice.id, quantity: 0 }, 400, 'VALIDATION_FAILED'],
        [{ productId: rice.id, quantity: 100 }, 400, 'VALIDATION_FAILED'],
        [{ productId: rice.id, quantity: 1.5 }, 400, 'VALIDATION_FAILED'],
        [{ productId: rice.id, quantity: '2' }, 400, 'VALIDATION_FAILED'],
        [{ productId: rice.id }, 400, 'VALIDATION_FAILED'],
        [{ productId: rice.id, quantity: 1, price: 0 }, 400, 'VALIDATION_FAILED'],
        [{ productId: 'no-such-product', quantity: 1 }, 404, 'NOT_FOUND'],
        [{ productId: rice.id, quantity: 40 }, 422, 'QUANTITY_LIMIT'],
      ] as const) {
        const answer = await shop.call('POST', '/api/cart/items', { token: ann.accessToken, body });
        t.equal(answer.status, status, JSON.stringify(body));
        t.equal(answer.body.error.code, code);
      }
      t.equal((await shop.call('PATCH', `/api/cart/items/${rice.id}`, { token: ann.accessToken, body: { quantity: 100 } })).status, 400);
      t.equal((await shop.call('PATCH', '/api/cart/items/not-in-cart', { token: ann.accessToken, body: { quantity: 1 } })).status, 404);
      t.same((await s.cart(ann)).items.map((i: { quantity: number }) => i.quantity), [60], 'nothing changed');

      const hidden = await s.product({ available: false });
      const gone = await s.product();
      await shop.call('DELETE', `/api/products/${gone.id}`, { token: admin });
      for (const id of [hidden.id, gone.id]) {
        const answer = await s.add(ann, id, 1);
        t.equal(answer.status, 422);
        t.equal(answer.body.error.code, 'PRODUCT_UNAVAILABLE');
      }
    });

    t.test('a cart holds at most 50 products', async (t) => {
      const ann = await newCustomer(shop);
      const products = await Promise.all(Array.from({ length: 51 }, () => s.product()));
      for (const p of products.slice(0, 50)) t.equal((await s.add(ann, p.id, 1)).status, 200);
      const full = await s.add(ann, products[50].id, 1);
      t.equal(full.status, 422);
      t.equal(full.body.error.code, 'CART_FULL');
      t.equal((await s.cart(ann)).items.length, 50);
    });

    t.test('a product made unavailable after it was added stays, flagged, and is never ordered', async (t) => {
      const ann = await newCustomer(shop);
      const [rice, oil] = [await s.product({ priceCents: 100 }), await s.product({ priceCents: 300 })];
      await s.add(ann, rice.id, 1);
      await s.add(ann, oil.id, 2);
      await shop.call('PATCH', `/api/products/${oil.id}`, { token: admin, body: { available: false } });
      const cart = await s.cart(ann);
      t.match(cart.items, [{ productId: rice.id, available: true }, { productId: oil.id, available: false, name: oil.name }]);
      t.equal(cart.subtotalCents, 100, 'only what can be ordered counts');
      const placed = await s.place(ann);
      t.equal(placed.status, 202);
      t.same(placed.body.order.items.map((i: { productId: string }) => i.productId), [rice.id], 'the unavailable line is left out');

      const bob = await newCustomer(shop, 'Bob');
      await s.add(bob, rice.id, 1);
      await shop.call('DELETE', `/api/products/${rice.id}`, { token: admin });
      const nothing = await s.place(bob);
      t.equal(nothing.status, 422);
      t.equal(nothing.body.error.code, 'CART_EMPTY');
    });

    t.test('the wishlist: no duplicates, current product data, removal', async (t) => {
      const ann = await newCustomer(shop);
      const [tea, jam] = [await s.product({ priceCents: 450 }), await s.product({ available: false })];
      t.equal((await shop.call('PUT', `/api/wishlist/${tea.id}`, { token: ann.accessToken })).status, 200);
      await shop.call('PUT', `/api/wishlist/${tea.id}`, { token: ann.accessToken });
      const list = await shop.call('PUT', `/api/wishlist/${jam.id}`, { token: ann.accessToken });
      t.match(list.body.items, [
        { productId: jam.id, name: jam.name, available: false },
        { productId: tea.id, name: tea.name, priceCents: 450, currency: 'USD', available: true },
      ]);
      t.equal(list.body.items.length, 2, 'no duplicates');
      t.equal((await shop.call('PUT', '/api/wishlist/no-such-product', { token: ann.accessToken })).status, 404);
      const removed = await shop.call('DELETE', `/api/wishlist/${jam.id}`, { token: ann.accessToken });
      t.same(removed.body.items.map((i: { productId: string }) => i.productId), [tea.id]);
      t.same((await shop.call('GET', '/api/wishlist', { token: ann.accessToken })).body.items.length, 1);
    });

    t.test('placing an order: the saga confirms it, takes the stock and empties what was ordered from the cart', async (t) => {
      const published = await captureEvents(shop, ['order.*', 'stock.*']);
      t.teardown(published.stop);
      const ann = await newCustomer(shop);
      const withAddress = await shop.call('POST', '/api/users/me/addresses', { token: ann.accessToken, body: { ...address, label: 'Home' } });
      const addressId = withAddress.body.user.addresses[0].id;
      const [rice, oil] = [await s.product({ priceCents: 199, stock: 10 }), await s.product({ priceCents: 1250, stock: 3 })];
      await s.add(ann, rice.id, 2);
      await s.add(ann, oil.id, 3);
      const placed = await s.place(ann, { addressId, note: 'Ring twice' });
      t.equal(placed.status, 202);
      const order = placed.body.order;
      t.match(order, {
        status: 'pending',
        userId: ann.id,
        totalCents: 2 * 199 + 3 * 1250,
        currency: 'USD',
        address: { ...address, label: 'Home' },
        note: 'Ring twice',
        items: [
          { productId: rice.id, name: rice.name, unitPriceCents: 199, quantity: 2, lineTotalCents: 398 },
          { productId: oil.id, name: oil.name, unitPriceCents: 1250, quantity: 3, lineTotalCents: 3750 },
        ],
        history: [{ status: 'pending', by: ann.id }],
      });
      // Added after placing: it stays in the cart, whenever the confirmation comes.
      await s.add(ann, rice.id, 4);
      const confirmed = await s.settled(ann, order.id);
      t.equal(confirmed.status, 'confirmed');
      t.match(confirmed.history, [{ status: 'pending' }, { status: 'confirmed', by: 'system' }]);
      t.equal(await s.stock(rice.id), 8);
      t.equal(await s.stock(oil.id), 0);
      const cart = await eventually(async () => {
        const now = await s.cart(ann);
        return now.items.length === 1 ? now : null;
      });
      t.match(cart.items, [{ productId: rice.id, quantity: 4 }], 'the ordered quantities left the cart, the rest stayed');

      await shop.call('PATCH', `/api/products/${rice.id}`, { token: admin, body: { priceCents: 999 } });
      t.equal((await s.order(ann, order.id)).items[0].unitPriceCents, 199, 'a price change never touches a placed order');
      for (const type of ['order.placed', 'stock.reserved', 'order.confirmed', 'order.status_changed']) {
        const event = await published.find((e) => e.type === type && (e.data as { orderId: string }).orderId === order.id);
        t.ok(event, `${type} published`);
      }
    });

    t.test('shopping on before the confirmation: the clean-up takes only what the order took, as it saw it', async (t) => {
      const ann = await newCustomer(shop);
      const [rice, oil, tea, bread] = [await s.product(), await s.product(), await s.product(), await s.product()];
      await s.add(ann, rice.id, 2);
      await s.add(ann, oil.id, 1);
      await s.add(ann, tea.id, 1);
      const placed = await s.place(ann);
      t.equal(placed.status, 202);
      // At once, while the saga runs: more of an ordered product, an ordered line removed and
      // started again, another product.
      await s.add(ann, rice.id, 3);
      await shop.call('DELETE', `/api/cart/items/${oil.id}`, { token: ann.accessToken });
      await s.add(ann, oil.id, 2);
      await s.add(ann, bread.id, 1);
      t.equal((await s.settled(ann, placed.body.order.id)).status, 'confirmed');
      // Tea was ordered and left alone: it goes with the clean-up, so once it is gone the clean-up ran.
      const cart = await eventually(async () => {
        const now = await s.cart(ann);
        return now.items.some((i: { productId: string }) => i.productId === tea.id) ? null : now;
      }, 60);
      t.same(
        cart.items.map(({ productId, quantity }: { productId: string; quantity: number }) => ({ productId, quantity })),
        [
          { productId: rice.id, quantity: 3 },
          { productId: oil.id, quantity: 2 },
          { productId: bread.id, quantity: 1 },
        ],
        'the cart holds exactly what was added after placing',
      );
    });

    t.test('idempotency: the same key answers the same order, another body is refused, racing requests make one order', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product();
      await s.add(ann, rice.id, 1);
      const k = key();
      const first = await s.place(ann, { address }, k);
      const again = await s.place(ann, { address }, k);
      t.equal(again.status, 202);
      t.equal(again.body.order.id, first.body.order.id, 'the same order');
      const other = await s.place(ann, { address, note: 'changed my mind' }, k);
      t.equal(other.status, 422);
      t.equal(other.body.error.code, 'IDEMPOTENCY_KEY_REUSED');

      const bob = await newCustomer(shop, 'Bob');
      await s.add(bob, rice.id, 1);
      const racing = key();
      const answers = await Promise.all(Array.from({ length: 12 }, () => s.place(bob, { address }, racing)));
      t.same([...new Set(answers.map((a) => a.status))], [202], 'every request answered 202');
      t.equal(new Set(answers.map((a) => a.body.order.id)).size, 1, 'all with one order');
      t.equal((await shop.call('GET', '/api/orders', { token: bob.accessToken })).body.total, 1, 'one order stored');
    });

    t.test('order refusals: a clear 4xx, no order', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product();
      const empty = await s.place(ann);
      t.equal(empty.status, 422);
      t.equal(empty.body.error.code, 'CART_EMPTY');
      await s.add(ann, rice.id, 1);
      for (const [body, headerKey, status] of [
        [{ address }, null, 400],
        [{ address }, 'k'.repeat(256), 400],
        [{ address }, 'has space', 400],
        [{}, key(), 400],
        [{ address, addressId: 'x' }, key(), 400],
        [{ address: { street: 'only' } }, key(), 400],
        [{ address, total: 1 }, key(), 400],
        [{ addressId: 'not-mine' }, key(), 422],
      ] as const) {
        const answer = await s.place(ann, body, headerKey);
        t.equal(answer.status, status, `${JSON.stringify(body)} with key ${String(headerKey).slice(0, 12)}`);
      }
      t.equal((await shop.call('GET', '/api/orders', { token: ann.accessToken })).body.total, 0, 'no order was made');
      t.equal((await s.place(ann, { address }, 'k'.repeat(255))).status, 202, 'a key of 255 characters is fine');
    });
  });
}
