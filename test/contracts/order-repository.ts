import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { DomainEvent } from '#domain/ports.js';
import type { OpenHoldings, Order } from '#domain/orders/order.js';
import { newPayment, nextPayment } from '#domain/payments/payment.js';
import type { Store } from '#domain/store.js';

const id = () => randomBytes(12).toString('hex');
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

const anEvent = (type: string, data: unknown = {}): DomainEvent => ({ id: id(), type, occurredAt: new Date().toISOString(), data });

const anOrder = (overrides: Partial<Order> = {}): Order => ({
  id: id(),
  userId: 'ann',
  status: 'pending',
  items: [{ productId: 'p1', name: 'Rice', by: 'piece', unitPriceCents: 199, quantity: 2, lineTotalCents: 398, ifUnavailable: 'none' }],
  subtotalCents: 398,
  deliveryFeeCents: 0,
  totalCents: 398,
  currency: 'USD',
  address: { label: 'Home', street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
  history: [{ status: 'pending', at: at(0), by: 'ann' }],
  createdAt: at(0),
  updatedAt: at(0),
  ...overrides,
});

const ids = (page: { items: Order[] }) => page.items.map((o) => o.id);

/** What every OrderRepository must do; each adapter runs it on fresh storage. */
export function orderRepositoryContract(t: Test, open: () => Promise<Store>) {
  let store: Store;
  t.beforeEach(async () => {
    store = await open();
  });
  t.afterEach(() => store.close());

  t.test('create, then find by id and by idempotency key; the event is stored with it', async (t) => {
    const order = anOrder({ note: 'Ring twice' });
    const placed = anEvent('order.placed', { orderId: order.id });
    t.same(await store.orders.create(order, { key: 'k1', requestHash: 'h1' }, [placed]), { order, requestHash: 'h1', created: true });
    t.same(await store.orders.findById(order.id), order, 'exactly as stored');
    t.same(await store.orders.findByKey('ann', 'k1'), { order, requestHash: 'h1' });
    t.equal(await store.orders.findByKey('bob', 'k1'), null, 'keys are per customer');
    t.equal(await store.orders.findById('nope'), null);
    t.equal(await store.orders.findById('{"$ne":null}'), null, 'odd ids find nothing');
    t.same((await store.outbox.pending(10)).map((e) => e.id), [placed.id]);
  });

  t.test("the VAT snapshot and each line's class come back as stored; an order from before has none", async (t) => {
    const order = anOrder({
      items: [
        { productId: 'p1', name: 'Rice', by: 'piece', unitPriceCents: 199, quantity: 2, lineTotalCents: 398, taxClass: 'reduced', ifUnavailable: 'none' },
        { productId: 'p2', name: 'Cola', by: 'piece', unitPriceCents: 449, quantity: 1, lineTotalCents: 449, taxClass: 'standard', ifUnavailable: 'none' },
      ],
      subtotalCents: 847,
      totalCents: 847,
      tax: { rates: { standard: 20, reduced: 5.5, zero: 0 }, deliveryClass: 'reduced' },
    });
    await store.orders.create(order, { key: 'k1', requestHash: 'h1' }, []);
    t.same(await store.orders.findById(order.id), order, 'exactly as stored');
    const before = anOrder();
    await store.orders.create(before, { key: 'k2', requestHash: 'h2' }, []);
    const found = await store.orders.findById(before.id);
    t.same(found, before);
    t.notOk(found && 'tax' in found, 'no snapshot made up');
  });

  t.test('a second order under one key is not stored; the first is answered, even when racing', async (t) => {
    const first = anOrder();
    await store.orders.create(first, { key: 'k1', requestHash: 'h1' }, [anEvent('order.placed')]);
    const second = await store.orders.create(anOrder(), { key: 'k1', requestHash: 'h2' }, [anEvent('order.placed')]);
    t.same(second, { order: first, requestHash: 'h1', created: false });
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => store.orders.create(anOrder({ userId: 'bob' }), { key: 'k2', requestHash: 'h' }, [anEvent('order.placed')])),
    );
    t.equal(racing.filter((r) => r.created).length, 1, 'one created');
    t.equal(new Set(racing.map((r) => r.order.id)).size, 1, 'all answered with it');
    t.equal((await store.orders.list({ userId: 'bob' }, 0, 20)).total, 1);
    t.equal((await store.outbox.pending(20)).length, 2, 'one event per stored order');
  });

  t.test('lists: newest first, by customer, status and date range, with totals', async (t) => {
    const [a, b, c] = [
      anOrder({ createdAt: at(1) }),
      anOrder({ createdAt: at(2), status: 'cancelled' }),
      anOrder({ createdAt: at(3), userId: 'bob' }),
    ];
    for (const [i, order] of [a, b, c].entries()) await store.orders.create(order, { key: `k${i}`, requestHash: 'h' }, []);
    t.same(ids(await store.orders.list({}, 0, 20)), [c.id, b.id, a.id]);
    t.same(ids(await store.orders.list({ userId: 'ann' }, 0, 20)), [b.id, a.id]);
    t.same(ids(await store.orders.list({ userId: 'ann', status: 'pending' }, 0, 20)), [a.id]);
    t.same(ids(await store.orders.list({ from: at(2), to: at(3) }, 0, 20)), [b.id], 'from inclusive, to exclusive');
    const page = await store.orders.list({}, 1, 1);
    t.same({ ids: ids(page), total: page.total }, { ids: [b.id], total: 3 });
    t.same(await store.orders.list({}, 10, 5), { items: [], total: 3 }, 'past the last page, the total still counts');
  });

  t.test('a transition happens only from the expected status, with its history and events', async (t) => {
    const order = anOrder();
    await store.orders.create(order, { key: 'k', requestHash: 'h' }, []);
    const entry = { status: 'cancelled' as const, at: at(5), by: 'ann', reason: 'cancelled_by_customer' };
    const cancelled = anEvent('order.cancelled');
    const moved = await store.orders.transition(order.id, 'pending', { status: 'cancelled', entry, cancelReason: entry.reason, updatedAt: at(5) }, [cancelled]);
    t.match(moved, { status: 'cancelled', cancelReason: 'cancelled_by_customer', updatedAt: at(5) });
    t.same(moved!.history, [...order.history, entry]);
    const again = await store.orders.transition(order.id, 'pending', { status: 'confirmed', entry: { ...entry, status: 'confirmed' }, updatedAt: at(6) }, [
      anEvent('order.confirmed'),
    ]);
    t.equal(again, null, 'no longer pending');
    t.equal((await store.orders.findById(order.id))!.status, 'cancelled');
    t.same((await store.outbox.pending(10)).map((e) => e.id), [cancelled.id], 'no event for the move that did not happen');
    t.equal(await store.orders.transition('nope', 'pending', { status: 'confirmed', entry, updatedAt: at(7) }, []), null);
  });

  t.test('a payment is stored with the order, changes with a move, and only from the version read', async (t) => {
    const order = anOrder({ payment: newPayment('card', 398) });
    await store.orders.create(order, { key: 'k', requestHash: 'h' }, []);
    t.same(await store.orders.findById(order.id), order, 'exactly as stored');
    const asked = nextPayment(order.payment!, { intentId: 'pi_1', clientSecret: 'pi_1_secret_x' });
    const entry = { status: 'awaiting_payment' as const, at: at(5), by: 'system' };
    const awaiting = await store.orders.transition(order.id, 'pending', { status: 'awaiting_payment', entry, payment: asked, updatedAt: at(5) }, []);
    t.same(awaiting?.payment, asked, 'with the move');
    t.same((await store.orders.list({ status: 'awaiting_payment' }, 0, 10)).items.map((o) => o.id), [order.id]);
    const cancelled = { status: 'cancelled' as const, entry: { ...entry, status: 'cancelled' as const }, cancelReason: 'payment_expired', updatedAt: at(6) };
    t.same((await store.orders.transition(order.id, 'awaiting_payment', cancelled, []))?.payment, asked, 'a move without one leaves it');

    t.equal(await store.orders.updatePayment(order.id, 0, nextPayment(order.payment!, { status: 'failed' }), at(7), []), null, 'not from a stale version');
    const refunds = [{ id: 'r1', amountCents: 100, reason: 'bruised', at: at(8), by: 'admin' }];
    const changed = nextPayment(asked, { status: 'captured', capturedCents: 398, refundedCents: 100, refunds, handledEvents: ['evt_1'] });
    const event = anEvent('payment.refunded');
    const updated = await store.orders.updatePayment(order.id, asked.version, changed, at(9), [event]);
    t.same(updated?.payment, changed);
    t.same(updated?.updatedAt, at(9));
    t.same((await store.orders.findById(order.id))?.payment, changed, 'read back exactly');
    t.same((await store.outbox.pending(10)).map((e) => e.id), [event.id], 'its event with it');
    const racing = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.orders.updatePayment(order.id, changed.version, nextPayment(changed, { refundedCents: 100 + i }), at(10), [])),
    );
    t.equal(racing.filter(Boolean).length, 1, 'of 20 changes from one version, one is made');
    const plain = anOrder();
    await store.orders.create(plain, { key: 'k2', requestHash: 'h' }, []);
    t.equal(await store.orders.updatePayment(plain.id, 0, changed, at(11), []), null, 'an order without a payment');
    t.equal(await store.orders.updatePayment('nope', 0, changed, at(11), []), null);
  });

  t.test('admit sees what the customer holds open, and concurrent creates cannot all pass it', async (t) => {
    const line = (productId: string, quantity: number) => ({ productId, name: productId, by: 'piece' as const, unitPriceCents: 100, quantity, lineTotalCents: 100 * quantity, ifUnavailable: 'none' as const });
    await store.orders.create(anOrder({ userId: 'cy', items: [line('p1', 3), line('p2', 1)] }), { key: 'a', requestHash: 'h' }, []);
    await store.orders.create(anOrder({ userId: 'cy', status: 'confirmed', items: [line('p1', 4)] }), { key: 'b', requestHash: 'h' }, []);
    await store.orders.create(anOrder({ userId: 'cy', status: 'shipped', items: [line('p1', 50)] }), { key: 'c', requestHash: 'h' }, []);
    await store.orders.create(anOrder({ userId: 'dee', items: [line('p1', 9)] }), { key: 'a', requestHash: 'h' }, []);
    let seen: OpenHoldings | undefined;
    await store.orders.create(anOrder({ userId: 'cy' }), { key: 'd', requestHash: 'h' }, [], (held) => {
      seen = held;
    });
    t.same(seen, { orders: 2, units: { p1: 7, p2: 1 } }, 'pending and confirmed ones count; shipped ones and other customers do not');

    // At most 3 open orders of ed's: of 40 racing creates, those admitted are exactly what fits.
    const refused = new Error('refused');
    const racing = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        store.orders.create(anOrder({ userId: 'ed' }), { key: `r${i}`, requestHash: 'h' }, [anEvent('order.placed')], (held) => {
          if (held.orders >= 3) throw refused;
        }),
      ),
    );
    t.equal(racing.filter((r) => r.status === 'fulfilled').length, 3, 'three admitted');
    t.ok(racing.every((r) => r.status === 'fulfilled' || r.reason === refused), 'the others refused by admit, not failed');
    t.equal((await store.orders.list({ userId: 'ed' }, 0, 50)).total, 3, 'three stored');

    const again = await store.orders.create(anOrder({ userId: 'ed' }), { key: 'r0', requestHash: 'h' }, [], () => {
      throw refused;
    });
    t.equal(again.created, false, 'a key already used answers its order, whatever admit would say');
  });

  t.test('lists by several statuses', async (t) => {
    const [a, b, c] = [anOrder({ createdAt: at(1) }), anOrder({ createdAt: at(2), status: 'confirmed' }), anOrder({ createdAt: at(3), status: 'shipped' })];
    for (const [i, order] of [a, b, c].entries()) await store.orders.create(order, { key: `k${i}`, requestHash: 'h' }, []);
    t.same(ids(await store.orders.list({ userId: 'ann', statuses: ['pending', 'confirmed'] }, 0, 20)), [b.id, a.id]);
  });

  t.test("redact forgets the personal data of a customer's closed orders, and only theirs", async (t) => {
    const shipped = anOrder({ status: 'shipped', note: 'Ring twice' });
    const cancelled = anOrder({ status: 'cancelled' });
    const open = anOrder({ status: 'confirmed', note: 'Keep me' });
    const bobs = anOrder({ userId: 'bob', status: 'delivered', note: 'Bob' });
    for (const [i, order] of [shipped, cancelled, open, bobs].entries()) await store.orders.create(order, { key: `k${i}`, requestHash: 'h' }, []);
    t.equal(await store.orders.redact('ann', at(9)), 2);
    const kept = (await store.orders.findById(shipped.id))!;
    const { note: _note, ...rest } = shipped;
    t.same(kept, { ...rest, address: { country: 'US' }, updatedAt: at(9) }, 'items, totals and history stay; the note and address but its country go');
    t.same((await store.orders.findById(cancelled.id))!.address, { country: 'US' });
    t.same(await store.orders.findById(open.id), open, 'an open order is left alone');
    t.same(await store.orders.findById(bobs.id), bobs, "another customer's are left alone");
    t.equal(await store.orders.redact('ann', at(10)), 0, 'again: nothing left to change');
  });
}
