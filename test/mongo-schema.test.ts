import { Aggregator, Query } from 'mingo';
import mongoose from 'mongoose';
import siftModule from 'sift';
import t from 'tap';
import { mongoModels, onHandNow } from '#adapters/mongo/models.js';
import { productDoc, productListQuery, stockUpdate, toProduct, type ProductDoc } from '#adapters/mongo/mongo-catalog.js';
import { settlePipeline } from '#adapters/mongo/mongo-stock.js';
import { toOrder } from '#adapters/mongo/mongo-orders.js';
import type { Order as OrderType } from '#domain/orders/order.js';
import { newPayment, nextPayment } from '#domain/payments/payment.js';
import { MAX_STOCK, stockRefusal } from '#domain/catalog/product.js';
import { mongoUsers, toUser } from '#adapters/mongo/mongo-users.js';
import type { ProductQuery } from '#domain/catalog/product.js';
import { aProduct, searchCases, searchProducts } from './contracts/catalog-repository.js';
import { aUser } from './contracts/user-repository.js';

/**
 * What the MongoDB adapter decides before anything reaches a server: validators, the mapping
 * of documents to the domain, and what a search matches. Runs everywhere; the contract suites
 * check the same on a real server when MONGO_URL is set.
 */
// sift is CommonJS with its function as `default`; Node's ESM import hands over the whole module.
const sift = (siftModule as unknown as { default: typeof siftModule.default }).default;
const connection = mongoose.createConnection(); // never opened: nothing here talks to a server
const { Product, User } = mongoModels(connection);
const query = (q: Partial<ProductQuery> = {}): ProductQuery => ({ sort: 'newest', offset: 0, limit: 20, ...q });
const problems = async (doc: mongoose.Document) => Object.keys((await doc.validate().catch((error) => error))?.errors ?? {}).sort();

t.test('products: whole, non-negative money and stock; the fields the listing needs', async (t) => {
  t.same(await problems(new Product(productDoc(aProduct()))), []);
  t.same(await problems(new Product(productDoc(aProduct({ priceCents: 2.5, stock: 1.5 })))), ['onHand', 'priceCents', 'stock']);
  t.same(await problems(new Product(productDoc(aProduct({ priceCents: -1, stock: -2 })))), ['onHand', 'priceCents', 'stock']);
  t.same(productDoc(aProduct({ name: 'Crème BRÛLÉE', description: 'Vanilla custard' })).searchWords, ['creme', 'brulee', 'vanilla', 'custard']);
  t.throws(() => new Product({ ...productDoc(aProduct()), rating: 5 }), { name: 'StrictModeError' }, 'a field the schema does not name');
});

t.test('updates run the validators too: a bad value never reaches the server', async (t) => {
  const update = (change: object) => Product.findOneAndUpdate({ _id: 'p1' }, { $set: change }, { runValidators: true });
  await t.rejects(update({ priceCents: 2.5 }), { name: 'ValidationError', message: /priceCents must be a whole number/ });
  await t.rejects(update({ stock: -1 }), { name: 'ValidationError', message: /stock/ });
  await t.rejects(mongoUsers(connection).update('u1', { role: 'root' as 'admin', updatedAt: new Date() }), {
    name: 'ValidationError',
    message: /`root` is not a valid enum value for path `role`/,
  });
  t.same(await problems(new User({ ...aUser(), _id: 'u1', emailLower: 'a@b.c', role: 'root' })), ['role']);
  t.same(await problems(new User({ ...aUser(), _id: 'u1', emailLower: 'a@b.c', addresses: [{ id: 'a1', city: 'Paris' }] })), [
    'addresses.0.country',
    'addresses.0.postalCode',
    'addresses.0.street',
  ]);
});

t.test('documents map to the domain field by field: what else a document holds stays in the store', async (t) => {
  const product = aProduct({ imageUrl: 'https://img/x.jpg', thumbnailUrl: 'https://img/x-t.jpg', imageId: 'x' });
  const stored = { ...productDoc(product), internalNote: 'written by a script', __v: 3 } as ProductDoc;
  t.same(toProduct(stored), product);
  t.notOk('internalNote' in toProduct(stored) || '__v' in toProduct(stored));
  const user = aUser({ addresses: [{ id: 'a1', street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }] });
  const { id, ...rest } = user;
  const doc = { _id: id, ...rest, emailLower: user.email.toLowerCase(), legacyPassword: 'md5…', addresses: [{ ...user.addresses[0], geo: [1, 2] }] };
  t.same(toUser(doc), user);
  t.notOk('legacyPassword' in toUser(doc) || 'emailLower' in toUser(doc));
  t.notOk('geo' in toUser(doc).addresses[0]);
});

t.test("the listing's filter finds what the contract's search cases expect", async (t) => {
  // sift evaluates MongoDB's query language in memory (mongoose itself depends on it), so this
  // checks what the filter means, not only what it looks like.
  const docs = searchProducts.map((p) => productDoc(aProduct(p)));
  for (const [q, expected, why] of searchCases) {
    const { filter } = productListQuery(query({ q }));
    t.same(docs.filter(sift(filter)).map((d) => d.name).sort(), [...expected].sort(), `${JSON.stringify(q)}: ${why}`);
  }
  const deleted = { ...docs[0], deletedAt: new Date() };
  t.same([deleted].filter(sift(productListQuery(query({ q: 'gala' })).filter)), [], 'a deleted product is never found');
  t.same(productListQuery(query({ q: ' ?! ' })).filter, { deletedAt: null }, 'a search without words filters nothing');
});

t.test('each search word is an anchored, case-sensitive prefix the index can range-scan', async (t) => {
  const { filter } = productListQuery(query({ q: 'Green APPL', category: 'fruit', minPrice: 100, inStock: true }));
  t.same(filter, {
    deletedAt: null,
    category: 'fruit',
    searchWords: { $all: [/^green/, /^appl/] },
    priceCents: { $gte: 100 },
    stock: { $gt: 0 },
  });
  // A case-insensitive pattern (/i) would make MongoDB read every index entry.
  for (const pattern of (filter.searchWords as { $all: RegExp[] }).$all) t.equal(pattern.flags, '');
  t.same(Product.find(filter).cast(Product, filter), filter, 'mongoose sends the filter as it is');
});

// mingo evaluates MongoDB's query and aggregation language in memory: what the stock updates mean,
// checked against the domain's rule, where no server runs (the contract suites run them on one).
const matches = (filter: object, doc: object) => new Query(filter).test(doc as never);
const piped = (pipeline: object[], doc: object) => new Aggregator(pipeline as never).run([structuredClone(doc)] as never)[0] as Record<string, unknown>;
const stored = (fields: Partial<ProductDoc>) => ({ _id: 'p1', deletedAt: null, holds: {}, ...fields });

t.test('a stock change is one conditional pipeline update that refuses what the domain refuses', async (t) => {
  const apply = (doc: object, change: { onHand?: number; stockDelta?: number }) => {
    const { filter, update } = stockUpdate('p1', change);
    return matches(filter, doc) ? { stock: piped(update, doc).stock, onHand: piped(update, doc).onHand } : null;
  };
  const held = stored({ stock: 7, onHand: 10, holds: { o1: 3 } }); // hold 3 of 10
  t.same(apply(held, { onHand: 10 }), { stock: 7, onHand: 10 }, 'a stocktake counts the held units on the shelf');
  t.same(apply(held, { onHand: 3 }), { stock: 0, onHand: 3 });
  t.equal(apply(held, { onHand: 2 }), null, 'below what is held');
  t.same(apply(held, { stockDelta: 5 }), { stock: 12, onHand: 15 }, 'a delivery moves both');
  t.same(apply(held, { stockDelta: -7 }), { stock: 0, onHand: 3 }, 'a loss moves both');
  t.equal(apply(held, { stockDelta: -8 }), null, 'below zero');
  t.equal(apply(stored({ stock: MAX_STOCK - 1, onHand: MAX_STOCK - 1 }), { stockDelta: 2 }), null, 'past the bound');
  t.same(apply(stored({ stock: MAX_STOCK - 1, onHand: MAX_STOCK - 1 }), { stockDelta: 1 }), { stock: MAX_STOCK, onHand: MAX_STOCK });
  t.equal(apply(held, { onHand: MAX_STOCK + 1 }), null, 'a count past the bound');
  const over = stored({ stock: 4_000_000, onHand: 4_000_000 }); // stored before the bound
  t.same(apply(over, { stockDelta: -1 }), { stock: 3_999_999, onHand: 3_999_999 }, 'above the bound, it may still come down');
  t.equal(apply(over, { stockDelta: 1 }), null, 'but not go up');
  const old = stored({ stock: 7, holds: { o1: 3 } }); // no onHand yet
  t.same(apply(old, { stockDelta: 1 }), { stock: 8, onHand: 11 }, 'a document without onHand: stock + held');
  t.equal(apply({ ...held, deletedAt: new Date() }, { stockDelta: 1 }), null, 'a deleted product');
  t.throws(() => stockUpdate('p1', { onHand: 1.5 }), 'a fractional count never reaches the server');

  // The same answers as the domain's rule, over a grid of numbers.
  for (const [stock, onHand] of [[0, 0], [0, 5], [5, 5], [3, 9], [MAX_STOCK, MAX_STOCK]]) {
    for (const change of [{ onHand: 0 }, { onHand: 4 }, { onHand: 9 }, { onHand: MAX_STOCK }, { stockDelta: -4 }, { stockDelta: 3 }, { stockDelta: MAX_STOCK }]) {
      const doc = stored({ stock, onHand, holds: onHand > stock ? { o1: onHand - stock } : {} });
      t.equal(apply(doc, change) === null, stockRefusal({ stock, onHand }, change) !== null, `${stock}/${onHand} ${JSON.stringify(change)}`);
    }
  }
});

t.test('settling takes the held units off the shelf; start-up gives old documents onHand', async (t) => {
  const settled = piped(settlePipeline('o1'), stored({ stock: 7, onHand: 10, holds: { o1: 3, o2: 1 } }));
  t.match(settled, { stock: 7, onHand: 7, holds: { o2: 1 } });
  t.notOk('o1' in (settled.holds as object));
  t.match(piped(settlePipeline('o1'), stored({ stock: 7, holds: { o1: 3, o2: 1 } })), { stock: 7, onHand: 8 }, 'a document without onHand');
  const filled = piped([{ $set: { onHand: onHandNow } }], stored({ stock: 7, holds: { o1: 3, o2: 2 } }));
  t.equal(filled.onHand, 12, 'stock + held');
  t.equal(piped([{ $set: { onHand: onHandNow } }], stored({ stock: 7, onHand: 9 })).onHand, 9, 'a document with onHand keeps it');
  t.equal(toProduct(stored({ ...productDoc(aProduct({ stock: 7 })), onHand: undefined, holds: { o1: 3 } }) as ProductDoc).onHand, 10, 'read as stock + held');
});

t.test('orders: the new status and the payment are validated, and map back field by field', async (t) => {
  const { Order } = mongoModels(connection);
  const payment = nextPayment(newPayment('card', 398), {
    intentId: 'pi_1',
    clientSecret: 'pi_1_secret',
    refunds: [{ id: 'r1', amountCents: 100, reason: 'bruised', at: new Date('2026-01-02T00:00:00Z'), by: 'admin' }],
    handledEvents: ['evt_1'],
  });
  const at = new Date('2026-01-01T00:00:00Z');
  const order: OrderType = {
    id: 'o1', userId: 'ann', status: 'awaiting_payment', items: [{ productId: 'p1', name: 'Rice', by: 'piece', unitPriceCents: 199, quantity: 2, lineTotalCents: 398, ifUnavailable: 'none' }],
    subtotalCents: 398, deliveryFeeCents: 0, totalCents: 398, currency: 'USD', address: { country: 'US' }, payment,
    history: [{ status: 'pending', at, by: 'ann' }], createdAt: at, updatedAt: at,
  };
  const { id, ...rest } = order;
  const doc = { _id: id, ...rest, idempotencyKey: 'k', requestHash: 'h' };
  t.same(await problems(new Order(doc)), []);
  t.same(toOrder(doc), order, 'read back exactly');
  t.same(await problems(new Order({ ...doc, payment: { ...payment, status: 'paid', method: 'cheque' } })), ['payment.method', 'payment.status']);
  const update = (change: object) => Order.findOneAndUpdate({ _id: 'o1', 'payment.version': 1 }, { $set: change }, { runValidators: true });
  await t.rejects(update({ payment: { ...payment, status: 'paid' } }), { name: 'ValidationError', message: /payment\.status/ });
});
