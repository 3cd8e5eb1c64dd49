import { PGlite } from '@electric-sql/pglite';
import mongoose from 'mongoose';
import pg from 'pg';
import t from 'tap';
import { mongoCategories, mongoProducts } from '#adapters/mongo/mongo-catalog.js';
import { prepareMongo } from '#adapters/mongo/models.js';
import { mongoOutbox } from '#adapters/mongo/mongo-outbox.js';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import { sqlCategories, sqlProducts } from '#adapters/sql/sql-catalog.js';
import type { SqlDatabase } from '#adapters/sql/sql-database.js';
import { sqlOutbox } from '#adapters/sql/sql-outbox.js';
import { catalogRepositoryContract } from './contracts/catalog-repository.js';
import { freshMongo, freshPostgres, mongoUrl, postgresUrl } from './helpers/targets.js';

async function sqlStore(db: SqlDatabase, cleanup: () => Promise<void> = async () => {}) {
  await migrate(db);
  return {
    products: sqlProducts(db),
    categories: sqlCategories(db),
    outbox: sqlOutbox(db),
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

t.test('PGlite catalog repositories', async (t) =>
  catalogRepositoryContract(t, async () => sqlStore(pgliteDatabase(await PGlite.create()))),
);

t.test('PostgreSQL catalog repositories', { skip: postgresUrl ? false : 'DATABASE_URL (postgres://) not set: PostgreSQL suite SKIPPED' }, async (t) =>
  catalogRepositoryContract(t, async () => {
    const fresh = await freshPostgres(postgresUrl!);
    return sqlStore(pgDatabase(new pg.Pool({ connectionString: fresh.url })), fresh.cleanup);
  }),
);

t.test('MongoDB catalog repositories', { skip: mongoUrl ? false : 'MONGO_URL not set: MongoDB suite SKIPPED (needs a replica set, e.g. docker compose up mongo)' }, async (t) =>
  catalogRepositoryContract(t, async () => {
    const connection = await mongoose.createConnection(freshMongo(mongoUrl!), { serverSelectionTimeoutMS: 10_000 }).asPromise();
    await prepareMongo(connection);
    return {
      products: mongoProducts(connection),
      categories: mongoCategories(connection),
      outbox: mongoOutbox(connection),
      async close() {
        await connection.dropDatabase();
        await connection.close();
      },
    };
  }),
);
