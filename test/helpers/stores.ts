import { PGlite } from '@electric-sql/pglite';
import mongoose from 'mongoose';
import pg from 'pg';
import { mongoCategories, mongoProducts } from '#adapters/mongo/mongo-catalog.js';
import { prepareMongo } from '#adapters/mongo/models.js';
import { mongoOutbox } from '#adapters/mongo/mongo-outbox.js';
import { mongoUsers } from '#adapters/mongo/mongo-users.js';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import { sqlCategories, sqlProducts } from '#adapters/sql/sql-catalog.js';
import type { SqlDatabase } from '#adapters/sql/sql-database.js';
import { sqlOutbox } from '#adapters/sql/sql-outbox.js';
import { sqlUsers } from '#adapters/sql/sql-users.js';
import type { Store } from '#platform/deps.js';
import { freshMongo, freshPostgres, mongoUrl, postgresUrl } from './targets.js';

/** Each storage adapter, opened on fresh storage, for the repository contract suites. */
export interface StoreTarget {
  name: string;
  /** Why it does not run here, or false. */
  skip: string | false;
  open(): Promise<Store>;
}

async function sqlStore(db: SqlDatabase, cleanup: () => Promise<void> = async () => {}): Promise<Store> {
  await migrate(db);
  return {
    users: sqlUsers(db),
    products: sqlProducts(db),
    categories: sqlCategories(db),
    outbox: sqlOutbox(db),
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

export const storeTargets: StoreTarget[] = [
  { name: 'PGlite', skip: false, open: async () => sqlStore(pgliteDatabase(await PGlite.create())) },
  {
    name: 'PostgreSQL',
    skip: postgresUrl ? false : 'DATABASE_URL (postgres://) not set: PostgreSQL suite SKIPPED',
    async open() {
      const fresh = await freshPostgres(postgresUrl!);
      return sqlStore(pgDatabase(new pg.Pool({ connectionString: fresh.url })), fresh.cleanup);
    },
  },
  {
    name: 'MongoDB',
    skip: mongoUrl ? false : 'MONGO_URL not set: MongoDB suite SKIPPED (needs a replica set, e.g. docker compose up mongo)',
    async open() {
      const connection = await mongoose.createConnection(freshMongo(mongoUrl!), { serverSelectionTimeoutMS: 10_000 }).asPromise();
      await prepareMongo(connection);
      return {
        users: mongoUsers(connection),
        products: mongoProducts(connection),
        categories: mongoCategories(connection),
        outbox: mongoOutbox(connection),
        async close() {
          await connection.dropDatabase();
          await connection.close();
        },
      };
    },
  },
];
