import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { createStock, type ReservationRepository } from '#domain/catalog/stock.js';
import { eventFactory } from '#domain/events.js';
import type { Product } from '#domain/catalog/product.js';
import type { Store } from '#domain/store.js';
import { storeTargets } from './helpers/stores.js';
import { noFoodFacts } from '#domain/catalog/food.js';

const id = () => randomBytes(12).toString('hex');
const at = new Date(Date.UTC(2026, 0, 1));
const event = eventFactory(id, { now: () => at });

/**
 * The saga's stock steps (domain/catalog/stock.ts) on each store, in the orders that redelivery,
 * a stall or a cancellation can put them in: stock is taken once, and given back exactly when
 * the recorded decision says the order does not keep it.
 */
function stockSteps(t: Test, open: () => Promise<Store>) {
  let store: Store;
  t.beforeEach(async () => {
    store = await open();
    await store.categories.create({ id: id(), name: 'Pantry', slug: 'pantry' });
  });
  t.afterEach(() => store.close());

  const product = async (stock: number) => {
    const p: Product = {
      id: id(), name: 'Rice', description: '', category: 'pantry', by: 'piece', priceCents: 199, currency: 'USD',
      stock, onHand: stock, unit: 'kg', available: true, createdAt: at, updatedAt: at, taxClass: 'standard', ...noFoodFacts(),
    };
    await store.products.create(p);
    return p.id;
  };
  const stockOf = async (productId: string) => (await store.products.findByIds([productId]))[0].stock;
  /** The saga's steps on this store, with the reservations as a test wants them to behave. */
  const steps = (reservations: ReservationRepository = store.reservations, stock = store.stock) =>
    createStock({ stock, reservations, event, moved: async () => undefined, slots: { holdSlot: async () => true, releaseSlot: async () => false } });
  /** Reservations whose first `find` answers null: a run that read before another decided. */
  const stale = (): ReservationRepository => {
    let first = true;
    return { ...store.reservations, find: async (orderId) => (first ? ((first = false), null) : store.reservations.find(orderId)) };
  };

  t.test('a second run that saw no decision keeps the holds the first recorded as reserved', async (t) => {
    const [rice, oil] = [await product(10), await product(10)];
    const lines = [{ productId: rice, quantity: 3 }, { productId: oil, quantity: 2 }];
    // The second run read the decision before the first recorded it (a stall, or Redis lost its guard).
    const late = steps(stale());
    t.equal(await steps().reserve('o1', lines), 'reserved');
    t.equal(await late.reserve('o1', lines), 'reserved', 'the second run answers the recorded decision');
    t.same([await stockOf(rice), await stockOf(oil)], [7, 8], 'taken once, and still taken');
    t.equal(await store.reservations.find('o1'), 'reserved');
  });

  t.test('many runs for one order at once take its stock once', async (t) => {
    const rice = await product(10);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => steps().reserve('o1', [{ productId: rice, quantity: 4 }])));
    t.same(new Set(outcomes), new Set(['reserved']));
    t.equal(await stockOf(rice), 6);
  });

  t.test('a run rejected for want of stock never gives back what a reserving run holds', async (t) => {
    const rice = await product(3);
    const lines = [{ productId: rice, quantity: 3 }];
    // This run saw too little, then stock arrived and another run reserved before it decided.
    const late = steps(stale(), { ...store.stock, hold: async () => 'insufficient' });
    t.equal(await steps().reserve('o1', lines), 'reserved');
    t.equal(await late.reserve('o1', lines), 'reserved');
    t.equal(await stockOf(rice), 0, 'the reserved order keeps its units');
  });

  t.test('a cancellation between a hold and the decision: the stock comes back after the retry', async (t) => {
    const rice = await product(10);
    const lines = [{ productId: rice, quantity: 4 }];
    // The cancellation decides and gives back just before this run's hold; then the run's own
    // decision write fails (a dropped connection), so it errors before giving anything back.
    let first = true;
    const failing = steps(
      {
        ...store.reservations,
        decide: async (...args) => {
          if (!first) return store.reservations.decide(...args);
          first = false;
          throw new Error('connection lost');
        },
      },
      {
        ...store.stock,
        hold: async (...args) => {
          if (first) await steps().release('o1', lines);
          return store.stock.hold(...args);
        },
      },
    );
    await t.rejects(failing.reserve('o1', lines), /connection lost/);
    t.equal(await stockOf(rice), 6, 'the late hold is still there after the failed run');
    t.equal(await failing.reserve('o1', lines), 'released', 'the retry sees the cancellation');
    t.equal(await stockOf(rice), 10, 'and gives the hold back');
  });

  t.test('a hold made after the cancellation decided is given back by the same run', async (t) => {
    const rice = await product(10);
    const lines = [{ productId: rice, quantity: 4 }];
    const late = steps(stale());
    await steps().release('o1', lines);
    t.equal(await late.reserve('o1', lines), 'released');
    t.equal(await stockOf(rice), 10);
  });

  t.test('a cancellation racing many reservation runs: whatever wins, nothing stays held', async (t) => {
    const rice = await product(10);
    const lines = [{ productId: rice, quantity: 4 }];
    await Promise.all([...Array.from({ length: 10 }, () => steps().reserve('o1', lines)), steps().release('o1', lines)]);
    // Whichever step decided first, the order ends released, and no run leaves a hold behind.
    t.equal(await store.reservations.find('o1'), 'released');
    t.equal(await stockOf(rice), 10);
  });
}

for (const { name, skip, open } of storeTargets) {
  t.test(`${name}: the saga's stock steps`, { skip }, async (t) => stockSteps(t, open));
}
