import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import { noFoodFacts } from '#domain/catalog/food.js';
import type { Product } from '#domain/catalog/product.js';
import { DomainError } from '#domain/errors.js';
import type { Order, PackPlan } from '#domain/orders/order.js';
import type { Store } from '#domain/store.js';

const id = () => randomBytes(12).toString('hex');
const at = new Date(Date.UTC(2026, 0, 1));

/** What every OrderRepository's pack must do, with the holds on the products; each adapter runs it on fresh storage. */
export function orderPackingContract(t: Test, open: () => Promise<Store>) {
  let store: Store;
  t.beforeEach(async () => {
    store = await open();
    await store.categories.create({ id: id(), name: 'Deli', slug: 'deli' });
  });
  t.afterEach(() => store.close());

  const product = async (stock: number) => {
    const p: Product = {
      id: id(), name: 'Ham', description: '', category: 'deli', by: 'weight', stepGrams: 100, minGrams: 100, priceCents: 1200, currency: 'USD',
      stock, onHand: stock, unit: 'kg', available: true, createdAt: at, updatedAt: at, taxClass: 'reduced', ...noFoodFacts(),
    };
    await store.products.create(p);
    return p.id;
  };
  /** A confirmed order of `grams` of the product, its stock held. */
  const confirmed = async (productId: string, grams: number) => {
    const order: Order = {
      id: id(), userId: 'ann', status: 'confirmed', currency: 'USD', address: { country: 'US' }, history: [{ status: 'confirmed', at, by: 'system' }],
      items: [{ productId, name: 'Ham', by: 'weight', unitPriceCents: 1200, quantity: grams, lineTotalCents: 600, maxGrams: 550, ifUnavailable: 'substitute' }],
      subtotalCents: 600, deliveryFeeCents: 0, totalCents: 600, createdAt: at, updatedAt: at,
    };
    await store.orders.create(order, { key: order.id, requestHash: 'h' }, []);
    t.equal(await store.stock.hold(productId, order.id, grams), 'held');
    return order;
  };
  const stock = async (productId: string) => (await store.products.findById(productId))!.stock;
  const plan = (order: Order, grams: number, holds: PackPlan['holds'], substitute?: string): PackPlan => ({
    items: [{ ...order.items[0], packed: { quantity: grams, ...(substitute ? { substitute: { productId: substitute, name: 'Other' } } : {}), unitPriceCents: 1200, lineTotalCents: grams * 1.2 } }],
    subtotalCents: grams * 1.2,
    totalCents: grams * 1.2,
    updatedAt: new Date(Date.UTC(2026, 0, 2)),
    holds,
    events: [{ id: id(), type: 'order.packed', occurredAt: at.toISOString(), data: { orderId: order.id } }],
  });

  t.test('pack writes the lines, the totals and the holds together, with its event', async (t) => {
    const ham = await product(1000);
    const order = await confirmed(ham, 500);
    const packed = await store.orders.pack(order.id, (seen) => plan(seen, 530, [{ productId: ham, delta: 30 }]));
    t.match(packed, { totalCents: 636, items: [{ quantity: 500, packed: { quantity: 530, lineTotalCents: 636 } }] });
    t.same(await store.orders.findById(order.id), packed, 'stored as answered');
    t.equal(await stock(ham), 470);
    t.equal((await store.outbox.pending(10)).length, 1);
    t.equal(await store.orders.pack('no-such-order', () => t.fail('no plan for a missing order') as never), null);
    t.same(await store.orders.pack(order.id, () => null), packed, 'a null plan changes nothing');
  });

  t.test('not enough stock, or a plan that refuses: nothing changes at all', async (t) => {
    const ham = await product(600);
    const other = await product(100);
    const order = await confirmed(ham, 500);
    const moves = [{ productId: ham, delta: -500 }, { productId: other, delta: 200 }];
    await t.rejects(store.orders.pack(order.id, (seen) => plan(seen, 200, moves, other)), { code: 'INSUFFICIENT_STOCK' });
    await t.rejects(
      store.orders.pack(order.id, () => {
        throw new DomainError('NOT_PACKABLE', 'no');
      }),
      { code: 'NOT_PACKABLE' },
    );
    t.same(await store.orders.findById(order.id), order);
    t.same([await stock(ham), await stock(other)], [100, 100]);
    t.equal((await store.outbox.pending(10)).length, 0);
  });

  t.test('a substitute takes the hold: the product gets its units back, release and settle follow the holds', async (t) => {
    const ham = await product(1000);
    const other = await product(1000);
    const order = await confirmed(ham, 500);
    await store.orders.pack(order.id, (seen) => plan(seen, 400, [{ productId: ham, delta: -500 }, { productId: other, delta: 400 }], other));
    t.same([await stock(ham), await stock(other)], [1000, 600]);
    t.equal(await store.stock.release(ham, order.id), false, 'the product holds nothing for the order any more');
    await store.stock.settle(other, order.id);
    t.match(await store.products.findById(other), { stock: 600, onHand: 600 }, 'shipping takes the substitute off the shelf');
  });

  t.test('concurrent packings of one order: each plan sees the one before it', async (t) => {
    const ham = await product(10_000);
    const order = await confirmed(ham, 500);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, () =>
        store.orders.pack(order.id, (now) => {
          const before = now.items[0].packed?.quantity ?? now.items[0].quantity;
          seen.push(before);
          return plan(now, before + 10, [{ productId: ham, delta: 10 }]);
        }),
      ),
    );
    t.equal((await store.orders.findById(order.id))!.items[0].packed!.quantity, 600, 'no packing lost');
    t.equal(await stock(ham), 9400);
  });
}
