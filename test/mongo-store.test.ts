import t from 'tap';
import { openMongo } from '#adapters/mongo/mongo-connect.js';
import { productDoc } from '#adapters/mongo/mongo-catalog.js';
import { mongoStore } from '#adapters/mongo/mongo-store.js';
import { aProduct } from './contracts/catalog-repository.js';
import { aUser } from './contracts/user-repository.js';
import { freshMongo, mongoSkipped, mongoUrl } from './helpers/targets.js';

/** What is special to MongoDB on a real server; the contract suites cover the rest. */
t.test('MongoDB store', { skip: mongoUrl ? false : mongoSkipped }, async (t) => {
  const fresh = freshMongo(mongoUrl!);
  const connection = await openMongo(fresh.url, { poolSize: 2 });
  t.teardown(fresh.cleanup);
  const db = connection.db!;

  // Written before this version (no search words) and by another program (a field of its own).
  const old = aProduct({ name: 'Crème brûlée', description: 'Vanilla' });
  const { searchWords: _none, ...oldDoc } = productDoc(old);
  await db.collection('products').insertOne({ ...oldDoc, importedBy: 'legacy-sync' } as never);
  const user = aUser();
  const { id, ...rest } = user;
  await db.collection('users').insertOne({ _id: id, ...rest, emailLower: user.email.toLowerCase(), crmScore: 7 } as never);

  const store = await mongoStore(connection);
  t.teardown(() => store.close());
  t.same((await store.products.list({ q: 'creme vanil', sort: 'newest', offset: 0, limit: 5 })).items, [old], 'found by its new search words');
  t.same(await store.products.findById(old.id), old, 'without the foreign field');
  t.same(await store.users.findById(user.id), user, 'without the foreign field');
  t.same((await store.users.list(0, 10)).items, [user]);
});
