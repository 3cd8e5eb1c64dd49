import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import t from 'tap';
import { openMongo } from '#adapters/mongo/mongo-connect.js';
import { mongoModels } from '#adapters/mongo/models.js';
import { diffIndexes, wantedIndexes, type ServerIndex } from '#adapters/mongo/index-diff.js';
import { applyIndexes, compareIndexes, createMissing } from '#adapters/mongo/mongo-indexes.js';
import { mongoStore } from '#adapters/mongo/mongo-store.js';
import { report } from '../scripts/db-indexes.js';
import { replicaSetPrimary, startMongoStandIn } from './helpers/mongo-stand-in.js';
import { freshMongo, mongoSkipped, mongoUrl } from './helpers/targets.js';

const { Product, User, Category } = mongoModels(mongoose.createConnection());
const names = (indexes: { name: string }[]) => indexes.map((index) => index.name);

t.test("the schemas' indexes, as the server will name them", async (t) => {
  t.same(names(wantedIndexes(Product)), [
    'deletedAt_1_createdAt_-1__id_-1',
    'deletedAt_1_category_1_createdAt_-1__id_-1',
    'deletedAt_1_priceCents_1__id_1',
    'deletedAt_1_nameLower_1__id_1',
    'deletedAt_1_searchWords_1',
    'deletedAt_1_diets_1',
  ]);
  t.same(wantedIndexes(User).find((index) => index.name === 'emailLower_1')?.options, { unique: true });
  t.same(names(wantedIndexes(Category)), ['slug_1']);
});

const server = (...indexes: ServerIndex[]): ServerIndex[] => [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...indexes];
const wanted = wantedIndexes(User); // emailLower_1 (unique), createdAt_-1__id_-1

t.test('the diff: what is missing, what is extra, what differs', async (t) => {
  t.same(diffIndexes(wanted, server()), { missing: wanted, extra: [], changed: [] }, 'a new collection lacks every index');
  const same = server(
    { v: 2, key: { emailLower: 1 }, name: 'emailLower_1', unique: true, background: true },
    { v: 2, key: { createdAt: -1, _id: -1 }, name: 'by_newest' },
  );
  t.same(diffIndexes(wanted, same), { missing: [], extra: [], changed: [] }, 'same key and options, whatever the name or build options');
  const operatorAdded = { v: 2, key: { name: 1 }, name: 'name_1' };
  t.same(diffIndexes(wanted, [...same, operatorAdded]).extra, [operatorAdded], 'an index the schema does not name is extra');
  const notUnique = { v: 2, key: { emailLower: 1 }, name: 'emailLower_1' };
  t.same(diffIndexes(wanted, server(notUnique)).changed, [{ wanted: wanted[0], found: notUnique }], 'the same name without unique differs');
  const otherKey = { v: 2, key: { emailLower: -1 }, name: 'emailLower_1', unique: true };
  t.same(diffIndexes(wanted, server(otherKey)).changed.map((c) => c.found), [otherKey], 'the same name on another key differs');
  const reordered = { v: 2, key: { _id: -1, createdAt: -1 }, name: 'createdAt_-1__id_-1' };
  t.same(diffIndexes(wanted, server(reordered)).changed.map((c) => c.found), [reordered], 'key order is part of the index');
  const partial = { v: 2, key: { createdAt: -1, _id: -1 }, name: 'x', partialFilterExpression: { deletedAt: null } };
  t.same(diffIndexes(wanted, server(partial)).changed.map((c) => c.found), [partial], 'a partial index serves other queries');
});

t.test('npm run db:indexes reports each difference on a line', async (t) => {
  const extra = { v: 2, key: { name: 1 }, name: 'name_1' };
  const notUnique = { v: 2, key: { emailLower: 1 }, name: 'emailLower_1' };
  const diff = diffIndexes(wanted, server(notUnique, extra));
  const collections = [
    { model: User, collection: 'users', diff, inStep: false },
    { model: Category, collection: 'categories', diff: { missing: [], extra: [], changed: [] }, inStep: true },
  ];
  t.same(report(collections, { drop: false }), [
    'users: missing createdAt_-1__id_-1 {"createdAt":-1,"_id":-1} {}',
    'users: not in the schema name_1 {"name":1} (kept; --drop removes it)',
    'users: differs emailLower_1: the server has {"emailLower":1} {}, the schema wants {"emailLower":1} {"unique":true} (--drop rebuilds it)',
    'categories: in step with the schema',
  ]);
});

t.test('text indexes are refused by the diff rather than compared wrongly', async (t) => {
  const schema = new mongoose.Schema({ name: String });
  schema.index({ name: 'text' });
  t.throws(() => wantedIndexes({ schema } as never), /does not compare text indexes/);
});

t.test('start-up creates what is missing, never drops, and only reads once in step (a wire-protocol stand-in)', async (t) => {
  const server = await startMongoStandIn(replicaSetPrimary);
  t.teardown(server.close);
  const connection = await openMongo(`${server.address}/shop`, { poolSize: 1 });
  t.teardown(() => connection.close());
  // What the store sent since `from`, without the driver's own heartbeats.
  const sent = (from: number) =>
    server.commands.slice(from).map((command) => Object.keys(command)[0]).filter((name) => !/^(hello|ismaster)$/i.test(name));

  const warnings: string[] = [];
  await mongoStore(connection, { warn: (message) => warnings.push(message) });
  const collections = Object.values(mongoModels(connection)).map((model) => model.collection.collectionName);
  t.same([...server.collections.keys()].sort(), [...collections].sort(), "every model's collection");
  t.ok(collections.includes('products') && collections.includes('users'));
  t.same(names(server.collections.get('products')!), ['_id_', ...names(wantedIndexes(Product))]);
  t.same(warnings, []);

  let from = server.commands.length;
  await mongoStore(connection);
  t.same([...new Set(sent(from))].sort(), ['find', 'listCollections', 'listIndexes'], 'another replica starting only reads');

  const users = server.collections.get('users')!;
  users.splice(users.findIndex((index) => index.name === 'emailLower_1'), 1, { v: 2, key: { emailLower: 1 }, name: 'emailLower_1' });
  const products = server.collections.get('products')!;
  products.splice(products.findIndex((index) => index.name === 'deletedAt_1_searchWords_1'), 1, { v: 2, key: { unit: 1 }, name: 'by_unit' });
  from = server.commands.length;
  await mongoStore(connection, { warn: (message) => warnings.push(message) });
  t.notOk(sent(from).includes('dropIndexes'), 'start-up drops nothing');
  t.same(sent(from).filter((name) => name === 'createIndexes').length, 1, 'it creates the one missing index');
  t.ok(names(server.collections.get('products')!).includes('by_unit'), "an operator's index stays");
  t.same(warnings, [
    'the index emailLower_1 on users differs from the schema; run npm run db:indexes to see how, and with --apply --drop to rebuild it',
  ]);

  t.ok((await applyIndexes(connection, { drop: true })).every((c) => c.inStep), 'the deploy step with --drop puts the server in step');
  t.notOk(names(server.collections.get('products')!).includes('by_unit'));
  t.match(server.collections.get('users')!.find((index) => index.name === 'emailLower_1'), { unique: true });
});

t.test('npm run db:indexes against a server (the stand-in): a report that fails, then --apply --drop', async (t) => {
  const server = await startMongoStandIn(replicaSetPrimary);
  t.teardown(server.close);
  const textIndex = { v: 2, key: { _fts: 'text', _ftsx: 1 }, name: 'products_search', weights: { name: 1, description: 1 } };
  server.collections.set('products', [{ v: 2, key: { _id: 1 }, name: '_id_' }, textIndex]);
  const command = async (...args: string[]) => {
    const env = { ...process.env, DATABASE_URL: `${server.address}/shop` };
    return promisify(execFile)('node', ['--import', 'tsx', 'scripts/db-indexes.ts', ...args], { env }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  };
  const reported = await command();
  t.equal(reported.code, 1, 'missing indexes fail the step');
  t.match(reported.stdout, 'products: missing deletedAt_1_searchWords_1 {"deletedAt":1,"searchWords":1} {}');
  t.match(reported.stdout, 'products: not in the schema products_search {"_fts":"text","_ftsx":1} (kept; --drop removes it)');
  t.same(server.collections.get('products'), [{ v: 2, key: { _id: 1 }, name: '_id_' }, textIndex], 'a report changes nothing');
  const applied = await command('--apply', '--drop');
  t.equal(applied.code, 0);
  const now = applied.stdout.split('applied, with drops; now:\n')[1].trim().split('\n');
  t.ok(now.length >= 4 && now.every((line) => line.endsWith(': in step with the schema')), now.join('\n'));
  t.notOk(names(server.collections.get('products')!).includes('products_search'));
});

t.test('MongoDB: start-up creates what is missing and drops nothing; the deploy step drops on purpose', { skip: mongoUrl ? false : mongoSkipped }, async (t) => {
  const fresh = freshMongo(mongoUrl!);
  const connection = await openMongo(fresh.url, { poolSize: 2 });
  t.teardown(async () => {
    await connection.close();
    await fresh.cleanup();
  });
  t.same(await createMissing(connection), []);
  t.ok((await compareIndexes(connection)).every((c) => c.inStep), 'a new database matches the schema');

  const products = mongoModels(connection).Product.collection;
  await products.createIndex({ unit: 1 }, { name: 'by_unit' });
  await products.dropIndex('deletedAt_1_searchWords_1');
  await products.dropIndex('deletedAt_1_priceCents_1__id_1');
  await products.createIndex({ deletedAt: 1, priceCents: 1, _id: 1 }, { name: 'deletedAt_1_priceCents_1__id_1', sparse: true });
  t.same(await createMissing(connection), [
    'the index deletedAt_1_priceCents_1__id_1 on products differs from the schema; run npm run db:indexes to see how, and with --apply --drop to rebuild it',
  ]);
  const indexes = names(await products.listIndexes().toArray());
  t.ok(indexes.includes('deletedAt_1_searchWords_1'), 'the missing index is back');
  t.ok(indexes.includes('by_unit'), "an operator's index stays");

  const kept = (await applyIndexes(connection, { drop: false })).find((c) => c.collection === 'products')!;
  t.same(names(kept.diff.extra), ['by_unit'], 'without --drop, nothing is dropped');
  t.ok((await applyIndexes(connection, { drop: true })).every((c) => c.inStep), 'with --drop, the server matches the schema');
  t.notOk(names(await products.listIndexes().toArray()).includes('by_unit'));
});
