import { mongo } from 'mongoose';
import t from 'tap';
import { openMongo } from '#adapters/mongo/mongo-connect.js';
import { productDoc } from '#adapters/mongo/mongo-catalog.js';
import { mongoRepositories, mongoStore } from '#adapters/mongo/mongo-store.js';
import { aProduct } from './contracts/catalog-repository.js';
import { aUser } from './contracts/user-repository.js';
import { replicaSetPrimary, startMongoStandIn } from './helpers/mongo-stand-in.js';
import { freshMongo, mongoSkipped, mongoUrl } from './helpers/targets.js';

/**
 * The commands the driver sends, seen by the wire-protocol stand-in: they carry the consistency
 * chosen in mongo-connect.ts and transaction.ts. What the server does with them needs MONGO_URL.
 */
t.test('what MongoDB is asked: snapshot pages, majority writes, snapshot transactions', async (t) => {
  // The outbox numbers events with a counter (findAndModify with $inc): the stand-in hands out 1.
  // A new product's category is there (the update that holds it matches one document).
  const server = await startMongoStandIn(replicaSetPrimary, (name, command) => {
    if (name === 'findAndModify' && command.findAndModify === 'counters') return { value: { _id: 'outbox', seq: 1 }, ok: 1 };
    if (name === 'update' && command.update === 'categories') return { n: 1, nModified: 1, ok: 1 };
    return undefined;
  });
  t.teardown(server.close);
  const store = mongoRepositories(await openMongo(`${server.address}/shop`, { poolSize: 1 }));
  t.teardown(() => store.close());
  const sent = (from: number) => server.commands.slice(from).filter((command) => !/^(hello|ismaster)$/i.test(Object.keys(command)[0]));

  let from = server.commands.length;
  await store.products.list({ q: 'appl', sort: 'newest', offset: 20, limit: 20 });
  const [find, count] = sent(from);
  t.match(find, { find: 'products', readConcern: { level: 'snapshot' } });
  t.notOk((find.readConcern as { atClusterTime?: unknown }).atClusterTime, 'the page is read at the current majority-committed time');
  t.match(
    count,
    { aggregate: 'products', readConcern: { level: 'snapshot', atClusterTime: { t: 1_700_000_000, i: 7 } } },
    'the total is read at the cluster time the page was read at',
  );

  from = server.commands.length;
  await store.products.create(aProduct(), [{ id: 'e1', type: 'product.created', occurredAt: new Date().toISOString(), data: {} }]);
  const [holdCategory, insertProduct, ...rest] = sent(from);
  const commit = rest.pop();
  t.match(holdCategory, { update: 'categories', startTransaction: true, autocommit: false, readConcern: { level: 'snapshot' } });
  t.match(holdCategory.updates, [{ q: { slug: 'fruit' }, u: { $inc: { productWrites: 1 } } }], 'the category written in the transaction');
  t.match(insertProduct, { insert: 'products', txnNumber: holdCategory.txnNumber });
  t.match(rest.find((command) => command.insert === 'outbox'), { txnNumber: holdCategory.txnNumber }, 'the event in the same transaction');
  t.match(commit, { commitTransaction: 1, writeConcern: { w: 'majority' } });

  from = server.commands.length;
  await store.users.update('u1', { name: 'Ann', updatedAt: new Date() });
  t.match(sent(from), [{ findAndModify: 'users', writeConcern: { w: 'majority' } }], 'a write outside a transaction');

  from = server.commands.length;
  await store.users.addAddress('u1', { id: 'a1', street: '1 Main St', city: 'Springfield', postalCode: '1', country: 'US' }, new Date(), 20);
  t.match(sent(from)[0], { findAndModify: 'users', query: { _id: 'u1', 'addresses.19': { $exists: false } } }, 'the count is in the write');
});

t.test('what MongoDB is asked before an admin goes: a guard document written in the same transaction', async (t) => {
  const batch = (command: Record<string, unknown>, firstBatch: unknown[]) => ({ cursor: { id: mongo.BSON.Long.ZERO, ns: `${String(command.$db)}.${String(command.find ?? command.aggregate)}`, firstBatch }, ok: 1 });
  const server = await startMongoStandIn(replicaSetPrimary, (name, command) => {
    if (name === 'find' && command.find === 'users') return batch(command, [{ _id: 'u1', role: 'admin' }]);
    if (name === 'aggregate' && command.aggregate === 'users') return batch(command, [{ _id: 1, n: 1 }]);
    return undefined;
  });
  t.teardown(server.close);
  const store = mongoRepositories(await openMongo(`${server.address}/shop`, { poolSize: 1 }));
  t.teardown(() => store.close());
  const sent = (from: number) => server.commands.slice(from).filter((command) => !/^(hello|ismaster)$/i.test(Object.keys(command)[0]));

  const from = server.commands.length;
  await t.rejects(store.users.delete('u1'), { code: 'LAST_ADMIN' });
  const [ready, guard, user, count, ...rest] = sent(from);
  t.match(ready, { update: 'counters', updates: [{ q: { _id: 'admins' }, upsert: true }] }, 'the guard exists first, outside the transaction');
  t.notOk(ready.startTransaction || ready.autocommit === false, 'not in a transaction');
  t.match(guard, { update: 'counters', updates: [{ q: { _id: 'admins' }, u: { $inc: { seq: 1 } } }], startTransaction: true });
  t.match(user, { find: 'users', txnNumber: guard.txnNumber });
  t.match(count, { aggregate: 'users', txnNumber: guard.txnNumber });
  t.notOk(rest.some((command) => command.findAndModify || command.delete), 'nothing deleted');
});

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
