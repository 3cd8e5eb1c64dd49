import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { Store } from '#domain/store.js';
import { mongoStore, type MongoStoreOptions } from './mongo-store.js';

export interface MongoSettings {
  /** Connections per server; the runtime passes PG_POOL_SIZE, so either store serves the same load. */
  poolSize: number;
}

/**
 * The options the driver gets, each on purpose (docs/architecture.md, "Storage"). They win over the same
 * options in the URL: the shop's consistency does not depend on how a URL was written.
 * (bufferTimeoutMS is read by mongoose's connection but missing from its ConnectOptions type.)
 */
export const mongoConnectionOptions = ({ poolSize }: MongoSettings): ConnectOptions & { bufferTimeoutMS: number } => ({
  // Collections and indexes come from the start-up step and `npm run db:indexes` only, never
  // as a side effect of a model's first use in each of many replicas.
  autoIndex: false,
  autoCreate: false,
  maxPoolSize: poolSize,
  // An election takes some 10-12 s: an operation waits up to 30 s for the new primary rather than
  // failing. During one, mongoose marks the connection down and queues operations itself
  // (10 s by default), so its queue waits as long as the driver does.
  serverSelectionTimeoutMS: 30_000,
  bufferTimeoutMS: 30_000,
  // A server that stops answering mid-operation fails the operation instead of holding a saga
  // step: it is retried like any failure (the connector gives a call 30 s).
  socketTimeoutMS: 20_000,
  // Only the primary has every acknowledged write: reads there see the writes before them,
  // which the catalog cache relies on ("never stale after a write").
  readPreference: 'primary',
  // Acknowledged once a majority holds it: an election cannot roll an answered write back.
  writeConcern: { w: 'majority' },
});

/** The database a URL names; a URL without one would silently use "test". */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new ConnectionString(url).pathname.replace(/^\//, ''));
  if (!name) {
    throw new Error('The MongoDB URL names no database: put one after the hosts, such as mongodb://host:27017/shop?replicaSet=rs0');
  }
  return name;
}

/** The part of a `hello` answer that says what kind of member answered. */
export interface HelloAnswer {
  isWritablePrimary?: boolean;
  setName?: string;
  primary?: string;
  /** A member started with --replSet whose set is not initiated yet. */
  isreplicaset?: boolean;
  /** `isdbgrid` from a mongos router. */
  msg?: string;
}

const initiate = 'run rs.initiate() in mongosh, or use the compose file (docker compose up mongo)';

/**
 * Why the shop cannot write to this server, in one sentence, or null. Every write with events
 * is a transaction, and MongoDB runs transactions only on a replica set's primary (or through
 * mongos); without this check the first write fails with the driver's words instead.
 */
export function replicaSetProblem(hello: HelloAnswer, where: string): string | null {
  if (hello.msg === 'isdbgrid') return null;
  if (hello.isreplicaset) return `MongoDB at ${where} was started as a replica-set member but the set is not initiated: ${initiate}.`;
  if (!hello.setName) {
    return `MongoDB at ${where} is a standalone server, and the shop needs a replica set for its transactions: start mongod with --replSet rs0 and ${initiate}.`;
  }
  if (!hello.isWritablePrimary) {
    const primary = hello.primary ? `the primary is ${hello.primary}` : 'no primary is elected';
    return `MongoDB at ${where} is not the primary of replica set ${hello.setName} (${primary}): connect with replicaSet=${hello.setName} instead of directConnection, or wait for an election.`;
  }
  return null;
}

/**
 * A connection to a writable replica set, or an error that says what to do: the URL names a
 * database, a server answers within the selection timeout, and it can run transactions.
 */
export async function openMongo(url: string, settings: MongoSettings): Promise<Connection> {
  databaseName(url);
  const where = new ConnectionString(url).hosts.join(',');
  const connection = mongoose.createConnection(url, mongoConnectionOptions(settings));
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    const reason = (error as Error).message;
    throw new Error(`No MongoDB primary answered at ${where} (${reason}); if the server is up, its replica set may not be initiated: ${initiate}.`, {
      cause: error,
    });
  }
  try {
    const problem = replicaSetProblem(await connection.db!.admin().command({ hello: 1 }), where);
    if (problem) throw new Error(problem);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  return connection;
}

/** The runtime's store on MongoDB: a checked connection, then the start-up step. */
export async function openMongoStore(url: string, settings: MongoSettings & Pick<MongoStoreOptions, 'warn'>): Promise<Store> {
  const connection = await openMongo(url, settings);
  try {
    return await mongoStore(connection, { warn: settings.warn });
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
