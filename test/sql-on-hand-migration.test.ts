import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { pgliteDatabase } from '#adapters/sql/pglite-database.js';
import { migrate } from '#adapters/sql/schema.js';
import { sqlProducts } from '#adapters/sql/sql-catalog.js';
import { sqlStock } from '#adapters/sql/sql-stock.js';

/** A database of the version before on_hand (stock net of holds, no count of the shelf) keeps its numbers. */
t.test('products stored before on_hand existed get stock + held at start-up', async (t) => {
  const db = pgliteDatabase(await PGlite.create());
  t.teardown(() => db.close());
  await db.query(`CREATE TABLE products (
     id text PRIMARY KEY, name text NOT NULL, description text NOT NULL, category text NOT NULL,
     price_cents integer NOT NULL CHECK (price_cents >= 0), currency text NOT NULL, stock integer NOT NULL CHECK (stock >= 0),
     unit text NOT NULL, image_url text, thumbnail_url text, image_id text, available boolean NOT NULL,
     deleted_at timestamptz, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
     search_words text[], name_words text[], holds jsonb NOT NULL DEFAULT '{}')`);
  const insert = (id: string, stock: number, holds: Record<string, number>) =>
    db.query(
      `INSERT INTO products (id, name, description, category, price_cents, currency, stock, unit, available, created_at, updated_at, holds)
       VALUES ($1, 'Rice', '', 'pantry', 199, 'USD', $2, 'kg', true, now(), now(), $3)`,
      [id, stock, JSON.stringify(holds)],
    );
  await insert('held', 7, { o1: 3, o2: 2 });
  await insert('free', 5, {});

  await migrate(db);
  await migrate(db); // a second start changes nothing
  const products = sqlProducts(db);
  const numbers = async (id: string) => {
    const found = await products.findById(id);
    return { stock: found?.stock, onHand: found?.onHand };
  };
  t.same(await db.query('SELECT id, stock, on_hand FROM products ORDER BY id'), [
    { id: 'free', stock: 5, on_hand: 5 },
    { id: 'held', stock: 7, on_hand: 12 },
  ]);
  t.same(await numbers('held'), { stock: 7, onHand: 12 });
  await sqlStock(db).settle('held', 'o2');
  t.equal(await sqlStock(db).release('held', 'o1'), true);
  t.same(await numbers('held'), { stock: 10, onHand: 10 }, 'o2 shipped, o1 cancelled');

  // The previous version, still running during a rolling deploy, writes rows without on_hand.
  await insert('late', 4, { o3: 1 });
  t.same(await numbers('late'), { stock: 4, onHand: 5 }, 'read as stock + held');
  t.match(await products.update('late', { stockDelta: 2, updatedAt: new Date() }), { stock: 6, onHand: 7 });
  await t.rejects(db.query(`UPDATE products SET stock = 8 WHERE id = 'late'`), { code: '23514' }, 'stock never above on_hand');
  await insert('later', 2, { o4: 2 });
  await sqlStock(db).settle('later', 'o4');
  t.same(await numbers('later'), { stock: 2, onHand: 2 }, 'settled without on_hand: off the shelf all the same');
});
