import mongoose from 'mongoose';
import siftModule from 'sift';
import t from 'tap';
import { mongoModels } from '#adapters/mongo/models.js';
import { productDoc, productListQuery, toProduct, type ProductDoc } from '#adapters/mongo/mongo-catalog.js';
import { mongoUsers, toUser, type UserDoc } from '#adapters/mongo/mongo-users.js';
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
  t.same(await problems(new Product(productDoc(aProduct({ priceCents: 2.5, stock: 1.5 })))), ['priceCents', 'stock']);
  t.same(await problems(new Product(productDoc(aProduct({ priceCents: -1, stock: -2 })))), ['priceCents', 'stock']);
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
  t.same(toUser(doc as UserDoc), user);
  t.notOk('legacyPassword' in toUser(doc as UserDoc) || 'emailLower' in toUser(doc as UserDoc));
  t.notOk('geo' in toUser(doc as UserDoc).addresses[0]);
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
