import mongoose from 'mongoose';
import t, { type Test } from 'tap';
import { databaseName, mongoConnectionOptions, openMongo, replicaSetProblem } from '#adapters/mongo/mongo-connect.js';
import { mongoRepositories } from '#adapters/mongo/mongo-store.js';
import { transactionOptions } from '#adapters/mongo/transaction.js';
import { replicaSetPrimary, startMongoStandIn } from './helpers/mongo-stand-in.js';
import { freshMongo, mongoSkipped, mongoUrl } from './helpers/targets.js';

const primaryOf = replicaSetPrimary;
const standIn = async (t: Test, member: (me: string) => Record<string, unknown>) => {
  const server = await startMongoStandIn(member);
  t.teardown(server.close);
  return server;
};

t.test('the driver gets the chosen options, over what the URL says', async (t) => {
  const { address } = await standIn(t, primaryOf);
  const url = `${address},127.0.0.2:1/shop?maxPoolSize=100&readPreference=secondary&w=1&serverSelectionTimeoutMS=500`;
  const connection = mongoose.createConnection(url, mongoConnectionOptions({ poolSize: 7 }));
  t.teardown(() => connection.close());
  const options = connection.getClient().options;
  t.match(options, {
    maxPoolSize: 7,
    serverSelectionTimeoutMS: 30_000,
    socketTimeoutMS: 20_000,
    readPreference: { mode: 'primary' },
    writeConcern: { w: 'majority' },
    retryWrites: true,
    dbName: 'shop',
  });
  t.same(options.hosts.map(String), [address.replace('mongodb://', ''), '127.0.0.2:1'], 'a seed list of hosts');
  t.equal(options.readConcern, undefined, 'no client-wide read concern: snapshot sessions set their own');
  t.match(connection.config, { autoIndex: false, autoCreate: false, bufferTimeoutMS: 30_000 }, "mongoose's own options");
  await connection.asPromise();
});

t.test('transactions read a snapshot and write to a majority, on the primary', async (t) => {
  t.same(transactionOptions, { readPreference: 'primary', readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
});

t.test('a URL must name its database', async (t) => {
  t.equal(databaseName('mongodb://a:1,b:2/shop?replicaSet=rs0'), 'shop');
  t.equal(databaseName('mongodb+srv://u:p@cluster0.example.net/shop-eu?retryWrites=true'), 'shop-eu');
  const refusal = 'The MongoDB URL names no database: put one after the hosts, such as mongodb://host:27017/shop?replicaSet=rs0';
  t.throws(() => databaseName('mongodb://a:1,b:2/?replicaSet=rs0'), { message: refusal });
  t.throws(() => databaseName('mongodb://localhost:27017'), { message: refusal });
  await t.rejects(openMongo('mongodb://localhost:27017/?replicaSet=rs0', { poolSize: 1 }), { message: refusal }, 'before any connection');
});

t.test("the tests' fresh databases work with a seed list of hosts", async (t) => {
  const fresh = freshMongo('mongodb://user:secret@a:1,b:2/?replicaSet=rs0&directConnection=false');
  t.match(fresh.url, /^mongodb:\/\/user:secret@a:1,b:2\/t[0-9a-z]+\?replicaSet=rs0&directConnection=false$/);
  t.equal(databaseName(fresh.url), new URL(fresh.url.replace('a:1,b:2', 'h')).pathname.slice(1), 'a database of its own');
});

/** Answers of `hello`, trimmed to what tells the member apart, as MongoDB 7 gives them. */
const hello = {
  standalone: { isWritablePrimary: true, maxWireVersion: 21, ok: 1 },
  uninitiated: { isWritablePrimary: false, secondary: false, info: 'Does not have a valid replica set config', isreplicaset: true, ok: 1 },
  primary: { isWritablePrimary: true, secondary: false, setName: 'rs0', primary: 'db1:27017', me: 'db1:27017', ok: 1 },
  secondary: { isWritablePrimary: false, secondary: true, setName: 'rs0', primary: 'db1:27017', me: 'db2:27017', ok: 1 },
  electing: { isWritablePrimary: false, secondary: true, setName: 'rs0', me: 'db2:27017', ok: 1 },
  mongos: { isWritablePrimary: true, msg: 'isdbgrid', ok: 1 },
};

t.test('the hello check: a writable replica-set primary or mongos, else one sentence saying what to do', async (t) => {
  t.equal(replicaSetProblem(hello.primary, 'db1:27017'), null);
  t.equal(replicaSetProblem(hello.mongos, 'router:27017'), null, 'sharded clusters run transactions too');
  t.equal(
    replicaSetProblem(hello.standalone, 'db:27017'),
    'MongoDB at db:27017 is a standalone server, and the shop needs a replica set for its transactions: start mongod with --replSet rs0 and run rs.initiate() in mongosh, or use the compose file (docker compose up mongo).',
  );
  t.equal(
    replicaSetProblem(hello.uninitiated, 'db:27017'),
    'MongoDB at db:27017 was started as a replica-set member but the set is not initiated: run rs.initiate() in mongosh, or use the compose file (docker compose up mongo).',
  );
  t.equal(
    replicaSetProblem(hello.secondary, 'db2:27017'),
    'MongoDB at db2:27017 is not the primary of replica set rs0 (the primary is db1:27017): connect with replicaSet=rs0 instead of directConnection, or wait for an election.',
  );
  t.match(replicaSetProblem(hello.electing, 'db2:27017'), /\(no primary is elected\)/);
  for (const answer of Object.values(hello)) {
    const problem = replicaSetProblem(answer, 'x');
    if (problem) t.equal(problem.split(/[.!?](\s|$)/).filter((s) => s?.trim()).length, 1, `one sentence: ${problem}`);
  }
});

t.test('openMongo refuses, in one sentence, a server that cannot run transactions', async (t) => {
  const standalone = await standIn(t, () => ({ isWritablePrimary: true }));
  await t.rejects(openMongo(`${standalone.address}/shop`, { poolSize: 1 }), { message: /is a standalone server, .* rs\.initiate\(\)/ });
  const uninitiated = await standIn(t, () => hello.uninitiated);
  await t.rejects(openMongo(`${uninitiated.address}/shop?directConnection=true`, { poolSize: 1 }), { message: /the set is not initiated/ });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(standalone.openSockets + uninitiated.openSockets, 0, 'and leaves no connection open');
  t.ok(standalone.commands.some((command) => 'hello' in command), 'it asked the server');
});

t.test('openMongo answers a connection to a replica-set primary', async (t) => {
  const primary = await standIn(t, primaryOf);
  const connection = await openMongo(`${primary.address}/shop`, { poolSize: 1 });
  t.equal(connection.readyState, mongoose.ConnectionStates.connected);
  t.equal(connection.name, 'shop');
  await connection.close();
});

t.test('close() closes the connection even when the hook before it fails', async (t) => {
  const primary = await standIn(t, primaryOf);
  const connection = await openMongo(`${primary.address}/shop`, { poolSize: 1 });
  const store = mongoRepositories(connection, async () => {
    throw new Error('cleanup failed');
  });
  await t.rejects(store.close(), { message: 'cleanup failed' }, "the hook's error is not hidden");
  t.equal(connection.readyState, mongoose.ConnectionStates.disconnected);
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(primary.openSockets, 0, 'no socket left open');
});

t.test('MongoDB: the server passes the hello check', { skip: mongoUrl ? false : mongoSkipped }, async (t) => {
  const connection = await openMongo(freshMongo(mongoUrl!).url, { poolSize: 1 });
  t.equal(connection.readyState, mongoose.ConnectionStates.connected);
  await connection.close();
});
