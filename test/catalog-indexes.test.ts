import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import t, { type Test } from 'tap';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import { productListSql } from '#adapters/sql/sql-catalog.js';
import type { SqlDatabase } from '#adapters/sql/sql-database.js';
import type { ProductQuery } from '#domain/catalog/product.js';
import { freshPostgres, postgresUrl } from './helpers/targets.js';

/**
 * An index behind every query the listing makes: with sequential scans priced out, the plan
 * of each kind of listing must not read the whole products table.
 */
const queries: Partial<ProductQuery>[] = [
  {},
  { sort: 'price' },
  { sort: '-price' },
  { sort: 'name' },
  { category: 'fruit' },
  { category: 'fruit', sort: 'price' },
  { q: 'apple' },
  { q: 'green appl', sort: 'price' },
  { minPrice: 100, maxPrice: 500, sort: 'price' },
  { inStock: true },
  { category: 'fruit', q: 'apple', inStock: true, minPrice: 1 },
];

async function checkPlans(t: Test, db: SqlDatabase) {
  await migrate(db);
  await db.query("INSERT INTO categories (id, name, slug) VALUES ('c1', 'Fruit', 'fruit') ON CONFLICT DO NOTHING");
  await db.query(
    `INSERT INTO products (id, name, description, category, price_cents, currency, stock, unit, available, created_at, updated_at)
     SELECT 'p' || i, 'Apple ' || i, 'Green and crisp', 'fruit', i % 900, 'USD', i % 7, 'kg', true, now(), now()
     FROM generate_series(1, 3000) AS i`,
  );
  await db.query('ANALYZE products');
  for (const q of queries) {
    const { text, params } = productListSql({ sort: 'newest', offset: 0, limit: 20, ...q }).page;
    const plan = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    t.notMatch(plan, /Seq Scan on products/, `an index serves ${JSON.stringify(q)}`);
  }
  await db.close();
}

t.test('PGlite: every listing query has an index', async (t) => checkPlans(t, pgliteDatabase(await PGlite.create())));

t.test('PostgreSQL: every listing query has an index', { skip: postgresUrl ? false : 'DATABASE_URL (postgres://) not set: SKIPPED' }, async (t) => {
  const fresh = await freshPostgres(postgresUrl!);
  t.teardown(fresh.cleanup);
  await checkPlans(t, pgDatabase(new pg.Pool({ connectionString: fresh.url })));
});
