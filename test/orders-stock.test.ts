import t from 'tap';
import { adminToken, captureEvents, eventually, newCustomer, startShop } from './helpers/shop.js';
import { shopping } from './helpers/shopping.js';
import { skippedTargets, targets } from './helpers/targets.js';

/** Orders and stock under pressure: races, cancelling, redeliveries, stocktakes (orders.test.ts has the cart and the order's path). */

for (const note of skippedTargets()) t.comment(note);

for (const target of targets) {
  t.test(`orders and stock over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target);
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const s = shopping(shop, admin);

    t.test('many customers racing for fewer items: exactly the stock is confirmed, the rest cancelled', async (t) => {
      const scarce = await s.product({ stock: 5 });
      const customers = await Promise.all(Array.from({ length: 12 }, (_, i) => newCustomer(shop, `Racer${i}`)));
      await Promise.all(customers.map((c) => s.add(c, scarce.id, 1)));
      const placed = await Promise.all(customers.map((c) => s.place(c)));
      t.same([...new Set(placed.map((p) => p.status))], [202]);
      const outcomes = await Promise.all(placed.map((p, i) => s.settled(customers[i], p.body.order.id)));
      t.equal(outcomes.filter((o) => o.status === 'confirmed').length, 5, 'as many confirmed as there was stock');
      const cancelled = outcomes.filter((o) => o.status === 'cancelled');
      t.equal(cancelled.length, 7);
      t.ok(cancelled.every((o) => o.cancelReason === 'out_of_stock'), 'cancelled for want of stock');
      t.equal(await s.stock(scarce.id), 0, 'stock ends at zero, never below');
    });

    t.test('cancelling: a confirmed order gives its stock back once; a shipped one cannot be cancelled', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product({ stock: 10 });
      await s.add(ann, rice.id, 4);
      const placed = (await s.place(ann)).body.order;
      t.equal((await s.settled(ann, placed.id)).status, 'confirmed');
      t.equal(await s.stock(rice.id), 6);
      const cancelled = await shop.call('POST', `/api/orders/${placed.id}/cancel`, { token: ann.accessToken });
      t.equal(cancelled.status, 200);
      t.match(cancelled.body.order, { status: 'cancelled', cancelReason: 'cancelled_by_customer' });
      t.equal(await eventually(async () => ((await s.stock(rice.id)) === 10 ? 10 : 0)), 10, 'the stock came back');
      const twice = await shop.call('POST', `/api/orders/${placed.id}/cancel`, { token: ann.accessToken });
      t.equal(twice.status, 422);
      t.equal(twice.body.error.code, 'INVALID_TRANSITION');

      await s.add(ann, rice.id, 2);
      const second = (await s.place(ann)).body.order;
      await s.settled(ann, second.id);
      const ship = (status: string) => shop.call('PATCH', `/api/orders/${second.id}/status`, { token: admin, body: { status } });
      t.equal((await shop.call('PATCH', `/api/orders/${second.id}/status`, { token: ann.accessToken, body: { status: 'shipped' } })).status, 403);
      t.equal((await ship('delivered')).body.error.code, 'INVALID_TRANSITION', 'confirmed cannot skip to delivered');
      const shipped = await ship('shipped');
      t.equal(shipped.status, 200);
      t.match(shipped.body.order.history.at(-1), { status: 'shipped', by: /.+/ });
      const late = await shop.call('POST', `/api/orders/${second.id}/cancel`, { token: ann.accessToken });
      t.equal(late.status, 422);
      t.equal(late.body.error.code, 'INVALID_TRANSITION');
      t.equal((await ship('cancelled')).status, 422, 'nor by an admin');
      t.equal((await ship('delivered')).status, 200);
      t.equal((await ship('shipped')).status, 422, 'delivered is the end');
      t.equal((await ship('paid')).status, 400);
      t.equal(await s.stock(rice.id), 8, 'a shipped order keeps its stock');
    });

    t.test("someone else's order is not found; admins see and list all", async (t) => {
      const ann = await newCustomer(shop);
      const bob = await newCustomer(shop, 'Bob');
      const rice = await s.product();
      await s.add(ann, rice.id, 1);
      const placed = (await s.place(ann)).body.order;
      t.equal((await shop.call('GET', `/api/orders/${placed.id}`, { token: bob.accessToken })).status, 404);
      t.equal((await shop.call('POST', `/api/orders/${placed.id}/cancel`, { token: bob.accessToken })).status, 404);
      t.equal((await shop.call('GET', '/api/orders/not-an-order', { token: ann.accessToken })).status, 404);
      t.equal((await shop.call('GET', `/api/orders/${placed.id}`, { token: admin })).status, 200);
      t.equal((await shop.call('GET', '/api/admin/orders', { token: ann.accessToken })).status, 403);
      const mine = await shop.call('GET', `/api/admin/orders?userId=${ann.id}`, { token: admin });
      t.match(mine.body, { items: [{ id: placed.id }], total: 1, page: 1, limit: 20 });
      const future = await shop.call('GET', `/api/admin/orders?userId=${ann.id}&from=2099-01-01`, { token: admin });
      t.equal(future.body.total, 0, 'a date range');
      // A bare date is a whole day (UTC): from and to the day of the order both hold it.
      const day = (placed.createdAt as string).slice(0, 10);
      const thatDay = await shop.call('GET', `/api/admin/orders?userId=${ann.id}&from=${day}&to=${day}`, { token: admin });
      t.equal(thatDay.body.total, 1, `from=${day}&to=${day} is that whole day`);
      const before = await shop.call('GET', `/api/admin/orders?userId=${ann.id}&to=${encodeURIComponent(`${day}T00:00:00Z`)}`, { token: admin });
      t.equal(before.body.total, 0, 'a date-time is that moment');
      t.equal((await shop.call('GET', '/api/admin/orders?from=2026-02-01&to=2026-01-01', { token: admin })).status, 400);
      t.equal((await shop.call('GET', '/api/admin/orders?status=lost', { token: admin })).status, 400);
    });

    t.test('a customer lists their orders newest first, by status, in pages', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        await s.add(ann, rice.id, 1);
        ids.push((await s.place(ann)).body.order.id);
        await s.settled(ann, ids.at(-1)!);
      }
      await shop.call('POST', `/api/orders/${ids[1]}/cancel`, { token: ann.accessToken });
      const all = await shop.call('GET', '/api/orders?limit=2', { token: ann.accessToken });
      t.match(all.body, { page: 1, limit: 2, total: 3 });
      t.same(all.body.items.map((o: { id: string }) => o.id), [ids[2], ids[1]], 'newest first');
      const cancelled = await shop.call('GET', '/api/orders?status=cancelled', { token: ann.accessToken });
      t.same(cancelled.body.items.map((o: { id: string }) => o.id), [ids[1]]);
    });

    t.test('a redelivered order.placed reserves once', async (t) => {
      const published = await captureEvents(shop, ['order.placed']);
      t.teardown(published.stop);
      const ann = await newCustomer(shop);
      const rice = await s.product({ stock: 10 });
      await s.add(ann, rice.id, 3);
      const placed = (await s.place(ann)).body.order;
      await s.settled(ann, placed.id);
      const event = (await published.find((e) => (e.data as { orderId: string }).orderId === placed.id));
      await shop.gateway.bus.publish([event, { ...event, id: `${event.id}-copy` }]);
      await eventually(async () => {
        const queues = (await shop.call('GET', '/system/queues')).body as { name: string; ready: number; unacked: number }[];
        return queues.find((q) => q.name === 'reserve-stock')!.ready + queues.find((q) => q.name === 'reserve-stock')!.unacked === 0;
      });
      t.equal(await s.stock(rice.id), 7, 'taken once');
      t.equal((await s.order(ann, placed.id)).status, 'confirmed');
    });

    t.test("an admin's stock change and reservations racing never lose either", async (t) => {
      const rice = await s.product({ stock: 20 });
      const customers = await Promise.all(Array.from({ length: 6 }, (_, i) => newCustomer(shop, `Buyer${i}`)));
      await Promise.all(customers.map((c) => s.add(c, rice.id, 2)));
      const [orders] = await Promise.all([
        Promise.all(customers.map((c) => s.place(c))),
        Promise.all(Array.from({ length: 5 }, () => shop.call('PATCH', `/api/products/${rice.id}`, { token: admin, body: { stockDelta: 3 } }))),
      ]);
      const outcomes = await Promise.all(orders.map((o, i) => s.settled(customers[i], o.body.order.id)));
      t.ok(outcomes.every((o) => o.status === 'confirmed'));
      t.equal(await s.stock(rice.id), 20 + 15 - 12, 'every delta and every reservation counted');
      const negative = await shop.call('PATCH', `/api/products/${rice.id}`, { token: admin, body: { stockDelta: -1000 } });
      t.equal(negative.status, 422);
      t.equal(negative.body.error.code, 'STOCK_NEGATIVE');
      t.equal((await shop.call('PATCH', `/api/products/${rice.id}`, { token: admin, body: { onHand: 1, stockDelta: 1 } })).status, 400);
      t.same(await s.numbers(rice.id), { stock: 23, onHand: 35 }, 'the units of the 6 confirmed orders are still on the shelf');
    });

    t.test('a stocktake while orders hold units: cancelling gives them back once, shipping takes them off the shelf', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product({ stock: 10 });
      await s.add(ann, rice.id, 3);
      const first = (await s.place(ann)).body.order;
      t.equal((await s.settled(ann, first.id)).status, 'confirmed');
      t.same(await s.numbers(rice.id), { stock: 7, onHand: 10 }, 'held: still on the shelf');
      const stocktake = (onHand: number) => shop.call('PATCH', `/api/products/${rice.id}`, { token: admin, body: { onHand } });
      const counted = await stocktake(10);
      t.equal(counted.status, 200);
      t.match(counted.body.product, { stock: 7, onHand: 10 }, 'the shelf has 10; 3 of them are the order\'s');
      const below = await stocktake(2);
      t.equal(below.status, 422);
      t.match(below.body.error, { code: 'STOCK_BELOW_HELD', details: [{ path: 'body.onHand', held: 3 }] });
      t.same(await s.numbers(rice.id), { stock: 7, onHand: 10 }, 'unchanged');
      t.equal((await shop.call('POST', `/api/orders/${first.id}/cancel`, { token: ann.accessToken })).status, 200);
      t.same(await s.until(rice.id, { stock: 10, onHand: 10 }), { stock: 10, onHand: 10 }, 'given back once: 10, not 13');

      await s.add(ann, rice.id, 4);
      const second = (await s.place(ann)).body.order;
      t.equal((await s.settled(ann, second.id)).status, 'confirmed');
      t.same(await s.numbers(rice.id), { stock: 6, onHand: 10 });
      const shipped = await shop.call('PATCH', `/api/orders/${second.id}/status`, { token: admin, body: { status: 'shipped' } });
      t.equal(shipped.status, 200);
      t.same(await s.until(rice.id, { stock: 6, onHand: 6 }), { stock: 6, onHand: 6 }, 'shipped: off the shelf, available as it was');
      t.match((await stocktake(6)).body.product, { stock: 6, onHand: 6 }, 'nothing held any more');
    });

    t.test('a deleted customer loses cart and wishlist; their orders stay', async (t) => {
      const ann = await newCustomer(shop);
      const rice = await s.product();
      await s.add(ann, rice.id, 1);
      const placed = (await s.place(ann)).body.order;
      await s.settled(ann, placed.id);
      await s.add(ann, rice.id, 2);
      await shop.call('PUT', `/api/wishlist/${rice.id}`, { token: ann.accessToken });
      t.equal((await shop.call('DELETE', '/api/users/me', { token: ann.accessToken, body: { currentPassword: ann.password } })).status, 204);
      // Behind the API (the customer cannot log in any more): the runtime's own cart service.
      const cart = shop.gateway.deps!.cart;
      t.same(await eventually(async () => ((await cart.view(ann.id)).items.length === 0 ? [] : null)), [], 'the cart is gone');
      t.same((await cart.wishlist(ann.id)).items, [], 'the wishlist too');
      t.equal((await shop.call('GET', `/api/orders/${placed.id}`, { token: admin })).body.order.userId, ann.id, 'the order stays');
    });
  });
}
