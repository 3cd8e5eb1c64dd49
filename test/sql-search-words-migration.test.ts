import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import { sqlProducts } from '#adapters/sql/sql-catalog.js';

/** A database made by 0.2.0 (generated `search` column, no search words) keeps working and finds its products. */
t.test('products stored before search words existed get them at start-up', async (t) => {
  const db = pgliteDatabase(await PGlite.create());
  t.teardown(() => db.close());
  await db.query(`CREATE TABLE categories (id text PRIMARY KEY, name text NOT NULL, slug text NOT NULL UNIQUE)`);
  await db.query(`CREATE TABLE products (
     id text PRIMARY KEY, name text NOT NULL, description text NOT NULL, category text NOT NULL REFERENCES categories (slug),
     price_cents integer NOT NULL CHECK (price_cents >= 0), currency text NOT NULL, stock integer NOT NULL CHECK (stock >= 0),
     unit text NOT NULL, image_url text, thumbnail_url text, image_id text, available boolean NOT NULL,
     deleted_at timestamptz, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
     search tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || description)) STORED)`);
  await db.query(`INSERT INTO categories VALUES ('c1', 'Dessert', 'dessert')`);
  await db.query(`INSERT INTO products (id, name, description, category, price_cents, currency, stock, unit, available, created_at, updated_at)
                  VALUES ('p1', 'Crème brûlée', 'Vanilla custard', 'dessert', 450, 'USD', 3, 'each', true, now(), now())`);

  await migrate(db);
  await migrate(db); // a second start changes nothing
  const list = (q: string) => sqlProducts(db).list({ q, sort: 'newest', offset: 0, limit: 10 });
  t.same((await list('creme vanil')).items.map((p) => p.id), ['p1']);
  t.same(await db.query('SELECT search_words FROM products'), [{ search_words: ['creme', 'brulee', 'vanilla', 'custard'] }]);
});
