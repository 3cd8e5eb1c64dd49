import { PGlite } from '@electric-sql/pglite';
import mongoose from 'mongoose';
import pg from 'pg';
import { mongoStore } from '#adapters/mongo/mongo-store.js';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { sqlStore } from '#adapters/sql/sql-store.js';
import type { Store } from '#domain/store.js';
import { freshMongo, freshPostgres, mongoUrl, postgresUrl } from './targets.js';

/** Each storage adapter, opened on fresh storage, for the repository contract suites. */
export interface StoreTarget {
  name: string;
  /** Why it does not run here, or false. */
  skip: string | false;
  open(): Promise<Store>;
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
      return mongoStore(connection, async () => {
        await connection.dropDatabase();
      });
    },
  },
];
