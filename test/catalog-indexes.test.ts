import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import t, { type Test } from 'tap';
import { openMongo } from '#adapters/mongo/mongo-connect.js';
import { productDoc, productListQuery } from '#adapters/mongo/mongo-catalog.js';
import { mongoModels } from '#adapters/mongo/models.js';
import { createMissing } from '#adapters/mongo/mongo-indexes.js';
import { pgDatabase } from '#adapters/sql/pg-database.js';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import { productListSql } from '#adapters/sql/sql-catalog.js';
import type { SqlDatabase } from '#adapters/sql/sql-database.js';
import type { ProductQuery } from '#domain/catalog/product.js';
import { aProduct } from './contracts/catalog-repository.js';
import { freshMongo, freshPostgres, mongoSkipped, mongoUrl, postgresUrl } from './helpers/targets.js';

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
  { q: 'crème brûl' },
  { q: 'green apple', sort: 'relevance' },
  { available: true },
  { category: 'fruit', available: false },
  { diet: ['vegan'] },
  { diet: ['gluten_free', 'vegan'], excludeAllergens: ['milk'] },
  { excludeAllergens: ['milk', 'nuts'] },
  { excludeAllergens: ['milk'], sort: 'price' },
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

/**
 * The same for MongoDB: the winning plan of each listing query and of its count reads an index
 * (IXSCAN, or COUNT_SCAN for a count), never the whole collection (COLLSCAN). Searches are
 * selective here (1 product in 100), so their plan must read the search words' index.
 */
t.test('MongoDB: every listing query has an index', { skip: mongoUrl ? false : mongoSkipped }, async (t) => {
  const fresh = freshMongo(mongoUrl!);
  const connection = await openMongo(fresh.url, { poolSize: 2 });
  t.teardown(async () => {
    await connection.close();
    await fresh.cleanup();
  });
  await createMissing(connection);
  const { Product } = mongoModels(connection);
  const docs = Array.from({ length: 3000 }, (_, i) =>
    productDoc(
      aProduct({
        name: i % 100 ? `Item ${i}` : `Green apple ${i}`,
        description: i % 100 ? 'Plain' : 'Crème brûlée flavour',
        category: i % 2 ? 'fruit' : 'bakery',
        priceCents: i % 900,
        stock: i % 7,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      }),
    ),
  );
  await Product.insertMany(docs);
  for (const q of queries) {
    const { filter, sort } = productListQuery({ sort: 'newest', offset: 0, limit: 20, ...q });
    const page = winningPlans(await Product.find(filter).sort(sort).limit(20).explain('queryPlanner'));
    // What countDocuments sends.
    const count = winningPlans(await Product.aggregate([{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }]).explain('queryPlanner'));
    for (const [what, plan] of [['page', page], ['count', count]]) {
      t.notMatch(plan, /COLLSCAN/, `no collection scan for the ${what} of ${JSON.stringify(q)}`);
      t.match(plan, /IXSCAN|COUNT_SCAN/, `an index serves the ${what} of ${JSON.stringify(q)}`);
    }
    if (q.q && Object.keys(q).length <= 2) t.match(page, /deletedAt_1_searchWords_1/, `the search words' index serves ${JSON.stringify(q)}`);
  }
});

/** The winning plans in an explain answer (a find's, or an aggregation's, pushed down or not), as text. */
function winningPlans(explain: unknown): string {
  const plans: unknown[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'winningPlan') plans.push(value);
      else visit(value);
    }
  };
  visit(explain);
  if (!plans.length) throw new Error(`no winning plan in ${JSON.stringify(explain)}`);
  return JSON.stringify(plans);
}
