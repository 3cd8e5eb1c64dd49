import { randomBytes } from 'node:crypto';
import t from 'tap';
import { day, deliveryAdmin, everyDay, stem } from './helpers/delivery.js';
import { adminToken, eventually, newCustomer, startShop, type Shop } from './helpers/shop.js';
import { skippedTargets, targets } from './helpers/targets.js';

for (const note of skippedTargets()) t.comment(note);

type Customer = Awaited<ReturnType<typeof newCustomer>>;
const key = () => `key-${randomBytes(6).toString('hex')}`;

function shopping(shop: Shop, admin: string) {
  const s = {
    async product(fields: Record<string, unknown> = {}) {
      const body = { name: `Box ${randomBytes(3).toString('hex')}`, category: 'pantry', priceCents: 1000, stock: 50, ...fields };
      const created = await shop.call('POST', '/api/products', { token: admin, body });
      if (created.status !== 201) throw new Error(`product: ${created.text}`);
      return created.body.product as { id: string };
    },
    async customerWith(productId: string, quantity: number) {
      const who = await newCustomer(shop);
      const added = await shop.call('POST', '/api/cart/items', { token: who.accessToken, body: { productId, quantity } });
      if (added.status !== 200) throw new Error(`cart: ${added.text}`);
      return who;
    },
    place: (who: Customer, body: Record<string, unknown>) =>
      shop.call('POST', '/api/orders', { token: who.accessToken, body, headers: { 'idempotency-key': key() } }),
    order: async (who: Customer, id: string) => (await shop.call('GET', `/api/orders/${id}`, { token: who.accessToken })).body.order,
    settled: (who: Customer, id: string) =>
      eventually(async () => {
        const order = await s.order(who, id);
        return order.status === 'pending' ? null : order;
      }, 60),
    stock: async (id: string) => (await shop.call('GET', `/api/products/${id}`)).body.product.stock as number,
  };
  return s;
}

const address = (postalCode: string) => ({ street: '1 Main St', city: 'Springfield', postalCode, country: 'US' });

for (const target of targets) {
  t.test(`delivery zones, fees and slots over HTTP on ${target.name}`, async (t) => {
    const shop = await startShop(target, { SHOP_TIMEZONE: 'UTC', SLOT_CUTOFF_MINUTES: '120' });
    t.teardown(() => shop.close());
    const admin = await adminToken(shop);
    await shop.call('POST', '/api/categories', { token: admin, body: { name: 'Pantry' } });
    const d = deliveryAdmin(shop, admin);
    const s = shopping(shop, admin);

    t.test('zones: CRUD, and a postcode falls in one zone at most (409 on overlap, also 100 at once)', async (t) => {
      const p = stem();
      const zone = await d.zone({ name: 'Centre', postcodes: [`${p}1 5`, `${p}2*`], feeCents: 399, minimumOrderCents: 2000, freeOverCents: 6000 });
      t.same(zone.postcodes, [`${p}15`, `${p}2*`], 'normalised');
      for (const postcodes of [[`${p}15`], [`${p}21`], [`${p}2*`], [`${p}*`], [`${p}20*`]]) {
        const clash = await shop.call('POST', '/api/admin/delivery-zones', { token: admin, body: { name: 'Other', postcodes, feeCents: 0, minimumOrderCents: 0 } });
        t.equal(clash.status, 409, postcodes.join());
        t.equal(clash.body.error.code, 'ZONE_OVERLAP');
      }
      const other = await d.zone({ name: 'Outskirts', postcodes: [`${p}3*`] });
      const moved = await shop.call('PATCH', `/api/admin/delivery-zones/${other.id}`, { token: admin, body: { postcodes: [`${p}15`] } });
      t.equal(moved.status, 409, 'an update claims no postcode of another zone either');
      const renamed = await shop.call('PATCH', `/api/admin/delivery-zones/${other.id}`, { token: admin, body: { name: 'Suburbs', freeOverCents: null } });
      t.match(renamed.body.zone, { name: 'Suburbs', postcodes: [`${p}3*`] });
      t.equal((await shop.call('GET', `/api/admin/delivery-zones/${zone.id}`, { token: admin })).body.zone.feeCents, 399);
      t.ok((await shop.call('GET', '/api/admin/delivery-zones', { token: admin })).body.items.some((z: { id: string }) => z.id === other.id));
      t.equal((await shop.call('DELETE', `/api/admin/delivery-zones/${other.id}`, { token: admin })).status, 204);
      t.equal((await shop.call('GET', `/api/admin/delivery-zones/${other.id}`, { token: admin })).status, 404);

      const q = stem();
      const burst = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          shop.call('POST', '/api/admin/delivery-zones', { token: admin, body: { name: `Race ${i}`, postcodes: [i % 2 ? `${q}*` : `${q}01`], feeCents: 0, minimumOrderCents: 0 } }),
        ),
      );
      t.equal(burst.filter((a) => a.status === 201).length, 1, 'exactly one zone won');
      t.equal(burst.filter((a) => a.status === 409).length, 99);
    });

    t.test('the quote, and the cart carrying it for one of your addresses', async (t) => {
      const p = stem();
      await d.zone({ name: 'Centre', postcodes: [`${p}*`], feeCents: 399, minimumOrderCents: 2000, freeOverCents: 6000 });
      const quote = await shop.call('GET', `/api/delivery/quote?postalCode=${p}99`);
      t.match(quote.body, { zone: { name: 'Centre' }, feeCents: 399, minimumOrderCents: 2000, freeOverCents: 6000, slots: false });
      t.same(quote.body.paymentMethods, ['cash_on_delivery'], 'no Stripe key: cash on delivery only');
      const outside = await shop.call('GET', '/api/delivery/quote?postalCode=ZZ999');
      t.same([outside.status, outside.body.error.code], [404, 'OUTSIDE_DELIVERY_AREA'], 'no quote for a postcode no zone covers');
      const noSlots = await shop.call('GET', '/api/delivery/slots?postalCode=ZZ999');
      t.same([noSlots.status, noSlots.body.error.code], [404, 'OUTSIDE_DELIVERY_AREA'], 'nor slots');
      const box = await s.product({ priceCents: 1500 });
      const ann = await s.customerWith(box.id, 1);
      const saved = await shop.call('POST', '/api/users/me/addresses', { token: ann.accessToken, body: address(`${p}01`) });
      const addressId = saved.body.user.addresses[0].id;
      const cart = await shop.call('GET', `/api/cart?addressId=${addressId}`, { token: ann.accessToken });
      t.match(cart.body, { subtotalCents: 1500, delivery: { feeCents: 399, minimumOrderCents: 2000, missingCents: 500, totalCents: 1899 } });
      t.equal((await shop.call('GET', '/api/cart?addressId=nope', { token: ann.accessToken })).body.error.code, 'UNKNOWN_ADDRESS');
    });

    t.test('a cash order with zone, fee and slot goes to confirmed; the slot lists it', async (t) => {
      const p = stem();
      const zone = await d.zone({ name: 'Centre', postcodes: [`${p}*`], feeCents: 399, minimumOrderCents: 2000 }, { slots: everyDay(3) });
      const box = await s.product({ priceCents: 1200 });
      const ann = await s.customerWith(box.id, 2);
      const [slot] = await d.slots(`${p}1`, day(2));
      t.match(slot, { capacity: 3, left: 3, status: 'open' });
      const placed = await s.place(ann, { address: address(`${p}1`), slotId: slot.id, paymentMethod: 'cash_on_delivery' });
      t.equal(placed.status, 202, placed.text);
      t.match(placed.body.order, { subtotalCents: 2400, deliveryFeeCents: 399, totalCents: 2799, delivery: { zone: { id: zone.id }, slot: { id: slot.id, start: slot.start } } });
      t.equal((await s.settled(ann, placed.body.order.id)).status, 'confirmed');
      t.match((await d.slots(`${p}1`, day(2)))[0], { left: 2, status: 'open' });
      const listed = await shop.call('GET', `/api/admin/slots/${slot.id}/orders`, { token: admin });
      t.same(listed.body.items.map((o: { id: string }) => o.id), [placed.body.order.id]);
      t.equal((await shop.call('GET', `/api/admin/slots/${slot.id}/orders`, { token: ann.accessToken })).status, 403);
    });

    t.test('20 customers race for a slot of 5: exactly 5 confirmed, the rest refused or cancelled slot_full', async (t) => {
      const p = stem();
      await d.zone({ name: 'Race', postcodes: [`${p}*`] }, { slots: everyDay(5) });
      const box = await s.product({ stock: 100 });
      const customers = await Promise.all(Array.from({ length: 20 }, () => s.customerWith(box.id, 1)));
      const [slot] = await d.slots(`${p}1`, day(2));
      const placed = await Promise.all(customers.map((c) => s.place(c, { address: address(`${p}1`), slotId: slot.id })));
      const refused = placed.filter((a) => a.status === 422);
      t.ok(refused.every((a) => a.body.error.code === 'SLOT_FULL'), 'refused at placement only when it was full already');
      const orders = await Promise.all(placed.map((a, i) => (a.status === 202 ? s.settled(customers[i], a.body.order.id) : Promise.resolve(null))));
      const confirmed = orders.filter((o) => o?.status === 'confirmed');
      const cancelled = orders.filter((o) => o?.status === 'cancelled');
      t.equal(confirmed.length, 5);
      t.equal(cancelled.length + refused.length, 15);
      t.ok(cancelled.every((o) => o.cancelReason === 'slot_full'));
      t.equal(await eventually(async () => ((await s.stock(box.id)) === 95 ? 95 : 0), 60), 95, 'only the confirmed hold stock');
      t.match((await d.slots(`${p}1`, day(2)))[0], { left: 0, status: 'full' });
    });

    t.test('placed then cancelled at once: stock and the slot place come back once', async (t) => {
      const p = stem();
      await d.zone({ name: 'Quick', postcodes: [`${p}*`] }, { slots: everyDay(2) });
      const box = await s.product({ stock: 10 });
      const ann = await s.customerWith(box.id, 3);
      const [slot] = await d.slots(`${p}1`, day(3));
      const placed = await s.place(ann, { address: address(`${p}1`), slotId: slot.id });
      const cancelled = await shop.call('POST', `/api/orders/${placed.body.order.id}/cancel`, { token: ann.accessToken });
      t.equal(cancelled.status, 200);
      t.equal(await eventually(async () => ((await s.stock(box.id)) === 10 ? 10 : 0), 60), 10, 'stock back');
      const left = await eventually(async () => ((await d.slots(`${p}1`, day(3)))[0].left === 2 ? 2 : 0), 60);
      t.equal(left, 2, 'the place back');
    });

    t.test('bad delivery input: clear 422s with codes, nothing held', async (t) => {
      const p = stem();
      const zone = await d.zone({ name: 'Strict', postcodes: [`${p}*`], minimumOrderCents: 1500 }, { slots: everyDay(4), closedDays: [day(4)] });
      const q = stem();
      await d.zone({ name: 'Elsewhere', postcodes: [`${q}*`] }, { slots: everyDay(4) });
      const box = await s.product({ priceCents: 1000, stock: 10 });
      const ann = await s.customerWith(box.id, 1);
      const [slot] = await d.slots(`${p}1`, day(2));
      const [theirs] = await d.slots(`${q}1`, day(2));
      const [closed] = await d.slots(`${p}1`, day(4));
      t.equal(closed.status, 'closed', 'a closed day is listed as closed');
      const past = `${zone.id}-${day(-1).replaceAll('-', '')}-1100`;
      const cases: [Record<string, unknown>, string][] = [
        [{ address: address('ZZ999') }, 'OUTSIDE_DELIVERY_AREA'],
        [{ address: address(`${p}1`), slotId: slot.id }, 'BELOW_MINIMUM_ORDER'],
      ];
      for (const [body, code] of cases) {
        const answer = await s.place(ann, body);
        t.same([answer.status, answer.body.error.code], [422, code], code);
      }
      await shop.call('PATCH', `/api/cart/items/${box.id}`, { token: ann.accessToken, body: { quantity: 2 } });
      for (const [body, code] of [
        [{ address: address(`${p}1`) }, 'SLOT_REQUIRED'],
        [{ address: address(`${p}1`), slotId: theirs.id }, 'SLOT_NOT_IN_ZONE'],
        [{ address: address(`${q}1`), slotId: slot.id }, 'SLOT_NOT_IN_ZONE'],
        [{ address: address(`${p}1`), slotId: past }, 'SLOT_CLOSED'],
        [{ address: address(`${p}1`), slotId: closed.id }, 'SLOT_CLOSED'],
        [{ address: address(`${p}1`), slotId: `${zone.id}-20990101-0300` }, 'UNKNOWN_SLOT'],
      ] as [Record<string, unknown>, string][]) {
        const answer = await s.place(ann, body);
        t.same([answer.status, answer.body.error.code], [422, code], code);
      }
      t.equal((await s.place(ann, { address: address(`${p}1`), paymentMethod: 'card' })).body.error?.code, 'PAYMENT_METHOD_UNAVAILABLE', 'no Stripe key: cash only');
      // Placed last: once confirmed, the saga takes its lines out of the cart.
      const below = await s.place(ann, { address: address(`${p}1`), slotId: slot.id });
      t.equal(below.status, 202, 'at the minimum');
      await s.settled(ann, below.body.order.id);
      t.equal(await s.stock(box.id), 8, 'only the one order placed holds stock');
      t.equal((await d.slots(`${p}1`, day(2)))[0].left, 3, 'and one place');
      for (const query of ['postalCode=', `postalCode=${p}1&days=15`, `postalCode=${p}1&from=tomorrow`]) {
        t.equal((await shop.call('GET', `/api/delivery/slots?${query}`)).status, 400, query);
      }
    });
  });
}
