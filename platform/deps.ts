import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { argon2Passwords } from '#adapters/argon2-passwords.js';
import { joseTokens } from '#adapters/jose-tokens.js';
import { memoryKv } from '#adapters/memory-kv.js';
import { eventFactory } from '#domain/events.js';
import type { Clock, IdGenerator, KeyValueStore, Outbox } from '#domain/ports.js';
import { createAccounts, type Accounts } from '#domain/users/accounts.js';
import { createSessions, type Sessions } from '#domain/users/sessions.js';
import type { UserRepository } from '#domain/users/user.js';
import type { Config } from './config.js';
import { loadSigningKeys } from './keys.js';

export interface Store {
  users: UserRepository;
  outbox: Outbox;
  close(): Promise<void>;
}

export interface Deps {
  config: Config;
  kv: KeyValueStore;
  store: Store;
  accounts: Accounts;
  sessions: Sessions;
  /** What was picked, for the start-up log: `{ database: 'pglite (embedded, …)', … }`. */
  adapters: Record<string, string>;
  close(): Promise<void>;
}

const EMBEDDED = 'embedded, not for production';

/** 24 hex characters, time first (like a MongoDB ObjectId), so new ids sort and index well. */
export const newId: IdGenerator = () =>
  Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + randomBytes(8).toString('hex');

export const systemClock: Clock = { now: () => new Date() };

async function openStore(config: Config): Promise<{ store: Store; name: string }> {
  const url = config.databaseUrl;
  if (url?.startsWith('mongodb')) {
    const { default: mongoose } = await import('mongoose');
    const { prepareMongo } = await import('#adapters/mongo/models.js');
    const { mongoUsers } = await import('#adapters/mongo/mongo-users.js');
    const { mongoOutbox } = await import('#adapters/mongo/mongo-outbox.js');
    const connection = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    await prepareMongo(connection);
    return {
      store: { users: mongoUsers(connection), outbox: mongoOutbox(connection), close: () => connection.close() },
      name: 'mongodb (mongoose)',
    };
  }
  const { migrate } = await import('#adapters/sql/schema.js');
  const { sqlUsers } = await import('#adapters/sql/sql-users.js');
  const { sqlOutbox } = await import('#adapters/sql/sql-outbox.js');
  let db, name;
  if (url?.startsWith('postgres')) {
    const { default: pg } = await import('pg');
    const { pgDatabase } = await import('#adapters/sql/pg-database.js');
    db = pgDatabase(new pg.Pool({ connectionString: url, max: config.pgPoolSize }));
    name = 'postgresql (pg)';
  } else if (url) {
    throw new Error('DATABASE_URL must start with postgres://, postgresql:// or mongodb://');
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const { pgliteDatabase } = await import('#adapters/sql/pglite-database.js');
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    db = pgliteDatabase(await PGlite.create(dir));
    name = `pglite in ${dir} (${EMBEDDED})`;
  }
  await migrate(db);
  return { store: { users: sqlUsers(db), outbox: sqlOutbox(db), close: () => db.close() }, name };
}

async function openKv(config: Config): Promise<{ kv: KeyValueStore; name: string }> {
  if (!config.redisUrl) return { kv: memoryKv(), name: `in-memory (${EMBEDDED})` };
  const { Redis } = await import('ioredis');
  const { redisKv } = await import('#adapters/redis-kv.js');
  const redis = new Redis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, lazyConnect: true });
  await redis.connect();
  return { kv: redisKv(redis), name: 'redis (ioredis)' };
}

/**
 * Builds every dependency once per process from configuration; handlers reuse them
 * across invocations, and `close()` ends the connections (on SIGTERM).
 */
export async function buildDeps(config: Config, log: FastifyBaseLogger): Promise<Deps> {
  const [{ store, name: database }, { kv, name: keyValue }] = await Promise.all([openStore(config), openKv(config)]);
  const keys = loadSigningKeys(config);
  const shared = { users: store.users, passwords: argon2Passwords(), clock: systemClock, ids: newId };
  const sessions = createSessions({ ...shared, kv, signer: await joseTokens(keys), limits: config.sessions });
  const accounts = createAccounts({
    ...shared,
    event: eventFactory(newId, systemClock),
    revokeAccess: sessions.revokeAccess,
  });

  if (config.adminEmail && config.adminPassword) {
    const outcome = await accounts.ensureAdmin(config.adminEmail, config.adminPassword);
    if (outcome === 'not-admin') log.warn({ email: config.adminEmail }, 'ADMIN_EMAIL belongs to a customer account; left unchanged');
    if (outcome === 'created') log.info({ email: config.adminEmail }, 'created the first admin');
  }

  return {
    config,
    kv,
    store,
    accounts,
    sessions,
    adapters: { database, keyValue, tokenKey: keys.source },
    async close() {
      await Promise.allSettled([store.close(), kv.close()]);
    },
  };
}
