import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import t from 'tap';
import { openMongo } from '#adapters/mongo/mongo-connect.js';
import { mongoStore } from '#adapters/mongo/mongo-store.js';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { sqlStore } from '#adapters/sql/sql-store.js';
import type { Store } from '#domain/store.js';
import { freshMongo, freshPostgres, mongoSkipped, mongoUrl, postgresUrl } from './targets.js';

/** Each storage adapter, opened on fresh storage, for the repository contract suites. */
export interface StoreTarget {
  name: string;
  /** Why it does not run here, or false. */
  skip: string | false;
  open(): Promise<Store>;
}

// One PGlite for the whole test file (its start takes seconds), a fresh schema for each store.
let pglite: Promise<PGlite> | undefined;
t.teardown(async () => (await pglite)?.close());

async function freshPglite(): Promise<Store> {
  const db = await (pglite ??= PGlite.create());
  const schema = `t${randomBytes(6).toString('hex')}`;
  await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  const close = async () => {
    await db.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE`);
  };
  return sqlStore({ ...pgliteDatabase(db), close });
}

export const storeTargets: StoreTarget[] = [
  { name: 'PGlite', skip: false, open: freshPglite },
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
    skip: mongoUrl ? false : mongoSkipped,
    async open() {
      // The runtime's own way in (options, replica-set check), on a database of its own.
      const connection = await openMongo(freshMongo(mongoUrl!).url, { poolSize: 5 });
      return mongoStore(connection, {
        beforeClose: async () => {
          await connection.dropDatabase();
        },
      });
    },
  },
];
