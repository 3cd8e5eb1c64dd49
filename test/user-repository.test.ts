import { PGlite } from '@electric-sql/pglite';
import mongoose from 'mongoose';
import pg from 'pg';
import t from 'tap';
import { prepareMongo } from '#adapters/mongo/models.js';
import { mongoOutbox } from '#adapters/mongo/mongo-outbox.js';
import { mongoUsers } from '#adapters/mongo/mongo-users.js';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import type { SqlDatabase } from '#adapters/sql/sql-database.js';
import { sqlOutbox } from '#adapters/sql/sql-outbox.js';
import { sqlUsers } from '#adapters/sql/sql-users.js';
import { userRepositoryContract } from './contracts/user-repository.js';
import { freshMongo, freshPostgres, mongoUrl, postgresUrl } from './helpers/targets.js';

async function sqlStore(db: SqlDatabase, cleanup: () => Promise<void> = async () => {}) {
  await migrate(db);
  return {
    users: sqlUsers(db),
    outbox: sqlOutbox(db),
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

t.test('PGlite user repository', async (t) =>
  userRepositoryContract(t, async () => sqlStore(pgliteDatabase(await PGlite.create()))),
);

t.test('PostgreSQL user repository', { skip: postgresUrl ? false : 'DATABASE_URL (postgres://) not set: PostgreSQL suite SKIPPED' }, async (t) =>
  userRepositoryContract(t, async () => {
    const fresh = await freshPostgres(postgresUrl!);
    return sqlStore(pgDatabase(new pg.Pool({ connectionString: fresh.url })), fresh.cleanup);
  }),
);

t.test('MongoDB user repository', { skip: mongoUrl ? false : 'MONGO_URL not set: MongoDB suite SKIPPED (needs a replica set, e.g. docker compose up mongo)' }, async (t) =>
  userRepositoryContract(t, async () => {
    const connection = await mongoose.createConnection(freshMongo(mongoUrl!), { serverSelectionTimeoutMS: 10_000 }).asPromise();
    await prepareMongo(connection);
    return {
      users: mongoUsers(connection),
      outbox: mongoOutbox(connection),
      async close() {
        await connection.dropDatabase();
        await connection.close();
      },
    };
  }),
);
