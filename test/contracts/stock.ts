import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { Product } from '#domain/catalog/product.js';
import type { DomainEvent } from '#domain/ports.js';
import type { Store } from '#domain/store.js';

const id = () => randomBytes(12).toString('hex');
const at = new Date(Date.UTC(2026, 0, 1));

/** What every StockRepository and ReservationRepository must do; each adapter runs it on fresh storage. */
export function stockContract(t: Test, open: () => Promise<Store>) {
  let store: Store;
  const product = async (overrides: Partial<Product> = {}) => {
    const p: Product = {
      id: id(), name: 'Rice', description: '', category: 'pantry', priceCents: 199, currency: 'USD',
      stock: 5, unit: 'kg', available: true, createdAt: at, updatedAt: at, ...overrides,
    };
    await store.products.create(p);
    return p.id;
  };
  const stockOf = async (productId: string) => (await store.products.findByIds([productId]))[0].stock;
  t.beforeEach(async () => {
    store = await open();
    await store.categories.create({ id: id(), name: 'Pantry', slug: 'pantry' });
  });
  t.afterEach(() => store.close());

  t.test('a hold takes stock once per order and is given back once', async (t) => {
    const rice = await product();
    t.equal(await store.stock.hold(rice, 'o1', 3), 'held');
    t.equal(await store.stock.hold(rice, 'o1', 3), 'held', 'again: already held');
    t.equal(await stockOf(rice), 2, 'taken once');
    t.equal(await store.stock.hold(rice, 'o2', 3), 'insufficient');
    t.equal(await stockOf(rice), 2, 'nothing taken when there is not enough');
    t.equal(await store.stock.release(rice, 'o1'), true);
    t.equal(await store.stock.release(rice, 'o1'), false, 'given back once');
    t.equal(await store.stock.release(rice, 'o2'), false, 'never held');
    t.equal(await stockOf(rice), 5);
  });

  t.test('settling keeps the stock taken; nothing comes back after it', async (t) => {
    const rice = await product();
    await store.stock.hold(rice, 'o1', 2);
    await store.stock.settle(rice, 'o1');
    await store.stock.settle(rice, 'o1');
    t.equal(await store.stock.release(rice, 'o1'), false);
    t.equal(await stockOf(rice), 3);
  });

  t.test('deleted, unavailable or unknown products are not held', async (t) => {
    const hidden = await product({ available: false });
    const gone = await product();
    await store.products.delete(gone, at);
    for (const productId of [hidden, gone, 'no-such-product']) t.equal(await store.stock.hold(productId, 'o1', 1), 'unavailable');
    t.equal(await stockOf(hidden), 5);
  });

  t.test('holds racing for too little: exactly the stock is held, never below zero', async (t) => {
    const rice = await product({ stock: 5 });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.stock.hold(rice, `o${i}`, 1)));
    t.equal(outcomes.filter((o) => o === 'held').length, 5);
    t.equal(await stockOf(rice), 0);
  });

  t.test('a stock delta and holds racing: both counted', async (t) => {
    const rice = await product({ stock: 10 });
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => store.stock.hold(rice, `o${i}`, 2)),
      ...Array.from({ length: 5 }, () => store.products.update(rice, { stockDelta: 1, updatedAt: at })),
    ]);
    t.equal(await stockOf(rice), 10 - 10 + 5);
  });

  t.test('a reservation decision is made once, with its events; later moves are conditional', async (t) => {
    const reserved: DomainEvent = { id: id(), type: 'stock.reserved', occurredAt: at.toISOString(), data: { orderId: 'o1' } };
    t.equal(await store.reservations.find('o1'), null);
    const decisions = await Promise.all([
      store.reservations.decide('o1', 'reserved', [reserved]),
      store.reservations.decide('o1', 'released', []),
    ]);
    t.equal(decisions.filter(Boolean).length, 1, 'one decision wins');
    const status = await store.reservations.find('o1');
    t.same((await store.outbox.pending(10)).map((e) => e.id), status === 'reserved' ? [reserved.id] : [], 'the event only with its decision');
    t.equal(await store.reservations.move('o2', 'reserved', 'released'), false, 'no decision, no move');
    await store.reservations.decide('o3', 'reserved', []);
    t.equal(await store.reservations.move('o3', 'reserved', 'settled'), true);
    t.equal(await store.reservations.move('o3', 'reserved', 'released'), false, 'settled orders stay settled');
    t.equal(await store.reservations.find('o3'), 'settled');
  });
}
