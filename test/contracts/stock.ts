import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { Product } from '#domain/catalog/product.js';
import type { DomainEvent } from '#domain/ports.js';
import type { Store } from '#domain/store.js';
import { noFoodFacts } from '#domain/catalog/food.js';

const id = () => randomBytes(12).toString('hex');
const at = new Date(Date.UTC(2026, 0, 1));

/** What every StockRepository and ReservationRepository must do; each adapter runs it on fresh storage. */
export function stockContract(t: Test, open: () => Promise<Store>) {
  let store: Store;
  const product = async (overrides: Partial<Product> = {}) => {
    const p: Product = {
      id: id(), name: 'Rice', description: '', category: 'pantry', priceCents: 199, currency: 'USD',
      stock: 5, unit: 'kg', available: true, createdAt: at, updatedAt: at, taxClass: 'standard', ...noFoodFacts(), ...overrides, by: overrides.by ?? 'piece', onHand: overrides.stock ?? 5,
    };
    await store.products.create(p);
    return p.id;
  };
  const stockOf = async (productId: string) => (await store.products.findByIds([productId]))[0].stock;
  const numbers = async (productId: string) => {
    const [{ stock, onHand }] = await store.products.findByIds([productId]);
    return { stock, onHand };
  };
  const change = (productId: string, numbers: { onHand?: number; stockDelta?: number }) =>
    store.products.update(productId, { ...numbers, updatedAt: at });
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

  t.test('settling keeps the stock taken and takes the units off the shelf; nothing comes back after it', async (t) => {
    const rice = await product();
    await store.stock.hold(rice, 'o1', 2);
    t.same(await numbers(rice), { stock: 3, onHand: 5 }, 'held: still on the shelf');
    await store.stock.settle(rice, 'o1');
    t.same(await numbers(rice), { stock: 3, onHand: 3 }, 'shipped: off the shelf');
    await store.stock.settle(rice, 'o1');
    t.equal(await store.stock.release(rice, 'o1'), false);
    t.same(await numbers(rice), { stock: 3, onHand: 3 }, 'settled once');
  });

  t.test('a stocktake while orders hold units counts them on the shelf; cancelling gives them back once', async (t) => {
    const rice = await product({ stock: 10 });
    await store.stock.hold(rice, 'o1', 3);
    t.same(await numbers(rice), { stock: 7, onHand: 10 });
    t.match(await change(rice, { onHand: 10 }), { stock: 7, onHand: 10 }, 'the shelf has 10, of which 3 are held');
    t.equal(await store.stock.release(rice, 'o1'), true);
    t.same(await numbers(rice), { stock: 10, onHand: 10 }, 'not 13');
    await store.stock.hold(rice, 'o2', 4);
    t.match(await change(rice, { onHand: 6 }), { stock: 2, onHand: 6 }, 'two were lost: available goes down, the hold stays');
    await store.stock.settle(rice, 'o2');
    t.same(await numbers(rice), { stock: 2, onHand: 2 });
  });

  t.test('a stocktake below what orders hold is refused and changes nothing', async (t) => {
    const rice = await product({ stock: 10 });
    await store.stock.hold(rice, 'o1', 6);
    await t.rejects(change(rice, { onHand: 5 }), { code: 'STOCK_BELOW_HELD', details: [{ path: 'body.onHand', held: 6 }] });
    t.same(await numbers(rice), { stock: 4, onHand: 10 });
    t.match(await change(rice, { onHand: 6 }), { stock: 0, onHand: 6 }, 'exactly what is held');
    await t.rejects(change(rice, { stockDelta: -1 }), { code: 'STOCK_NEGATIVE' }, 'a loss of units that orders hold');
    t.equal(await store.stock.release(rice, 'o1'), true);
    t.same(await numbers(rice), { stock: 6, onHand: 6 });
  });

  t.test('stocktakes, deltas and holds racing: 0 <= stock <= onHand, and held = onHand - stock', async (t) => {
    const rice = await product({ stock: 20 });
    const [holds] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, (_, i) => store.stock.hold(rice, `o${i}`, 1))),
      Promise.all(Array.from({ length: 10 }, () => change(rice, { onHand: 25 }).catch((error: { code: string }) => error.code))),
      Promise.all(Array.from({ length: 10 }, () => change(rice, { stockDelta: 1 }).catch((error: { code: string }) => error.code))),
    ]);
    const held = holds.filter((o) => o === 'held').length;
    const { stock, onHand } = await numbers(rice);
    t.ok(stock >= 0 && stock <= onHand, `0 <= ${stock} <= ${onHand}`);
    t.equal(onHand - stock, held, 'what the orders hold');
    let released = 0;
    for (let i = 0; i < 30; i++) if (await store.stock.release(rice, `o${i}`)) released++;
    t.equal(released, held);
    t.same(await numbers(rice), { stock: onHand, onHand }, 'everything given back');
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
    t.same(await numbers(rice), { stock: 10 - 10 + 5, onHand: 10 + 5 });
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
    t.equal(await store.reservations.rejection('o3'), null, 'not rejected: no reason');
    await store.reservations.decide('o4', 'rejected', [], 'slot_full');
    t.equal(await store.reservations.rejection('o4'), 'slot_full', 'why, kept with the decision');
    await store.reservations.decide('o5', 'rejected', []);
    t.equal(await store.reservations.rejection('o5'), null, 'a rejection recorded without its reason (before the reason was kept)');
  });
}
