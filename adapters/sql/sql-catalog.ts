import { DomainError } from '#domain/errors.js';
import { MAX_STOCK, stockRefusal, type Category, type CategoryRepository, type Product, type ProductQuery, type ProductRepository } from '#domain/catalog/product.js';
import type { Allergen, Diet, Nutrition } from '#domain/catalog/food.js';
import type { TaxClass } from '#domain/catalog/tax.js';
import type { SoldBy } from '#domain/catalog/weight.js';
import { productNameWords, productSearchWords } from '#domain/catalog/search-words.js';
import { checkViolation, foreignKeyViolation, uniqueViolation, type SqlClient, type SqlDatabase } from './sql-database.js';
import { pageOf } from './page.js';
import { onHandNow } from './schema.js';
import { appendEvents } from './sql-outbox.js';
import { listingSql } from './sql-product-list.js';

export { prefixQuery } from './sql-product-list.js';

interface ProductRow {
  id: string;
  name: string;
  description: string;
  category: string;
  price_cents: number;
  currency: string;
  stock: number;
  on_hand: number;
  unit: string;
  image_url: string | null;
  thumbnail_url: string | null;
  image_id: string | null;
  available: boolean;
  created_at: Date;
  updated_at: Date;
  allergens_contains: Allergen[] | null;
  allergens_may: Allergen[] | null;
  diets: Diet[];
  ingredients: string;
  nutrition: Nutrition | null;
  tax_class: TaxClass;
  sold_by: SoldBy;
  step_grams: number | null;
  min_grams: number | null;
  typical_grams: number | null;
  total?: number;
}

const columns = `id, name, description, category, price_cents, currency, stock, ${onHandNow} AS on_hand, unit,
  image_url, thumbnail_url, image_id, available, created_at, updated_at,
  allergens_contains, allergens_may, diets, ingredients, nutrition, tax_class, sold_by, step_grams, min_grams, typical_grams`;

/** The listing's SQL with this adapter's columns, on its own so a test can EXPLAIN it. */
export const productListSql = (query: ProductQuery) => listingSql(query, columns);

// Field by field: jsonb keeps keys in its own order, answers keep ours.
const nutritionOf = (n: Nutrition | null): Nutrition | null =>
  n && { energyKcal: n.energyKcal, fat: n.fat, saturates: n.saturates, carbohydrate: n.carbohydrate, sugars: n.sugars, protein: n.protein, salt: n.salt };

const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  name: r.name,
  description: r.description,
  category: r.category,
  priceCents: r.price_cents,
  currency: r.currency,
  stock: r.stock,
  onHand: r.on_hand,
  unit: r.unit,
  taxClass: r.tax_class,
  ...(r.image_url ? { imageUrl: r.image_url, thumbnailUrl: r.thumbnail_url ?? r.image_url } : {}),
  ...(r.image_id ? { imageId: r.image_id } : {}),
  available: r.available,
  allergens: r.allergens_contains ? { contains: r.allergens_contains, mayContain: r.allergens_may ?? [] } : null,
  diets: r.diets,
  ingredients: r.ingredients,
  nutrition: nutritionOf(r.nutrition),
  by: r.sold_by ?? 'piece',
  ...(r.sold_by === 'weight' ? { stepGrams: r.step_grams!, minGrams: r.min_grams! } : {}),
  ...(r.sold_by === 'weight' && r.typical_grams ? { typicalGrams: r.typical_grams } : {}),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const jsonOrNull = (value: object | null | undefined) => (value ? JSON.stringify(value) : null);

const stockNegative = () => new DomainError('STOCK_NEGATIVE', 'The stock would go below zero', [{ path: 'body.stockDelta' }]);

const unknownCategory = () => new DomainError('UNKNOWN_CATEGORY', 'There is no such category', [{ path: 'body.category' }]);

/**
 * A product write's hold on its category, till the transaction ends: a share lock on the row,
 * which a category's deletion (or move to a new slug) waits for and takes after us, seeing our
 * product. Once such a write went first, the row is gone (or has another slug) when we get it:
 * no row, UNKNOWN_CATEGORY.
 */
async function holdCategory(tx: SqlClient, slug: string) {
  if (!(await tx.query('SELECT 1 FROM categories WHERE slug = $1 FOR SHARE', [slug])).length) throw unknownCategory();
}

export function sqlProducts(db: SqlDatabase): ProductRepository {
  const live = 'deleted_at IS NULL';
  const inTransaction = async (work: (tx: SqlClient) => Promise<ProductRow | undefined>) => {
    try {
      const row = await db.transaction(work);
      return row ? toProduct(row) : null;
    } catch (error) {
      if (foreignKeyViolation(error)) throw unknownCategory();
      if (checkViolation(error)) throw stockNegative();
      throw error;
    }
  };

  return {
    async create(p, events) {
      await inTransaction(async (tx) => {
        await holdCategory(tx, p.category);
        await tx.query(`INSERT INTO products (id, name, description, category, price_cents, currency, stock, on_hand, unit,
           image_url, thumbnail_url, image_id, available, created_at, updated_at, search_words, name_words,
           allergens_contains, allergens_may, diets, ingredients, nutrition, tax_class, sold_by, step_grams, min_grams, typical_grams)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27)`, [
          p.id, p.name, p.description, p.category, p.priceCents, p.currency, p.stock, p.onHand, p.unit,
          p.imageUrl ?? null, p.thumbnailUrl ?? null, p.imageId ?? null, p.available, p.createdAt, p.updatedAt,
          productSearchWords(p), productNameWords(p),
          p.allergens?.contains ?? null, p.allergens?.mayContain ?? null, p.diets, p.ingredients, jsonOrNull(p.nutrition),
          p.taxClass,
          p.by, p.stepGrams ?? null, p.minGrams ?? null, p.typicalGrams ?? null,
        ]);
        await appendEvents(tx, events);
        return undefined;
      });
    },

    async findById(id) {
      const [row] = await db.query<ProductRow>(`SELECT ${columns} FROM products WHERE id = $1 AND ${live}`, [id]);
      return row ? toProduct(row) : null;
    },

    async findByIds(ids) {
      if (!ids.length) return [];
      const rows = await db.query<ProductRow & { deleted: boolean }>(
        `SELECT ${columns}, deleted_at IS NOT NULL AS deleted FROM products WHERE id = ANY($1::text[])`,
        [ids],
      );
      return rows.map((row) => ({ ...toProduct(row), deleted: row.deleted }));
    },

    update(id, change, events) {
      const image = change.image === undefined ? null : change.image;
      // on_hand after the change: the stocktake's count ($14) or the count now, plus the delta ($15);
      // stock moves by as much, so what orders hold stays as it is. bigint: a sum never overflows.
      const next = `(COALESCE($14::bigint, ${onHandNow}) + $15::int)`;
      const moves = `(${next} - ${onHandNow})`;
      const write = (tx: SqlClient) =>
        tx.query<ProductRow>(
          `UPDATE products SET
             name = COALESCE($2, name), description = COALESCE($3, description), category = COALESCE($4, category),
             price_cents = COALESCE($5, price_cents), currency = COALESCE($6, currency),
             unit = COALESCE($7, unit), available = COALESCE($8, available),
             image_url = CASE WHEN $9::boolean THEN $10 ELSE image_url END,
             thumbnail_url = CASE WHEN $9::boolean THEN $11 ELSE thumbnail_url END,
             image_id = CASE WHEN $9::boolean THEN $12 ELSE image_id END,
             updated_at = $13, on_hand = ${next}, stock = stock + ${moves},
             allergens_contains = CASE WHEN $16::boolean THEN $17::text[] ELSE allergens_contains END,
             allergens_may = CASE WHEN $16::boolean THEN $18::text[] ELSE allergens_may END,
             diets = COALESCE($19::text[], diets), ingredients = COALESCE($20, ingredients),
             nutrition = CASE WHEN $21::boolean THEN $22::jsonb ELSE nutrition END,
             tax_class = COALESCE($23, tax_class),
             step_grams = COALESCE($24::int, step_grams), min_grams = COALESCE($25::int, min_grams),
             typical_grams = CASE WHEN $26::boolean THEN $27::int ELSE typical_grams END
           WHERE id = $1 AND ${live}
             AND stock + ${moves} >= 0 AND (${next} <= ${onHandNow} OR ${next} <= ${MAX_STOCK})
           RETURNING ${columns}`,
          [
            id, change.name ?? null, change.description ?? null, change.category ?? null, change.priceCents ?? null,
            change.currency ?? null, change.unit ?? null, change.available ?? null,
            change.image !== undefined, image?.imageUrl ?? null, image?.thumbnailUrl ?? null, image?.imageId ?? null,
            change.updatedAt, change.onHand ?? null, change.stockDelta ?? 0,
            change.allergens !== undefined, change.allergens?.contains ?? null, change.allergens?.mayContain ?? null,
            change.diets ?? null, change.ingredients ?? null, change.nutrition !== undefined, jsonOrNull(change.nutrition),
            change.taxClass ?? null,
            change.stepGrams ?? null, change.minGrams ?? null, change.typicalGrams !== undefined, change.typicalGrams ?? null,
          ],
        );
      return inTransaction(async (tx) => {
        if (change.category) await holdCategory(tx, change.category);
        let [row] = await write(tx);
        if (!row && (change.onHand !== undefined || change.stockDelta)) {
          // Refused, gone, or moved since: the locked row says which, and a move since is written now.
          const [current] = await tx.query<{ stock: number; on_hand: number }>(
            `SELECT stock, ${onHandNow} AS on_hand FROM products WHERE id = $1 AND ${live} FOR UPDATE`,
            [id],
          );
          const refused = current && stockRefusal({ stock: current.stock, onHand: current.on_hand }, change);
          if (refused) throw refused;
          if (current) [row] = await write(tx);
        }
        // The words come from the name and the description as stored now; the row is locked since the UPDATE.
        if (row && (change.name !== undefined || change.description !== undefined)) {
          await tx.query('UPDATE products SET search_words = $2, name_words = $3 WHERE id = $1', [id, productSearchWords(row), productNameWords(row)]);
        }
        if (row) await appendEvents(tx, events);
        return row;
      });
    },

    delete(id, deletedAt, events) {
      return inTransaction(async (tx) => {
        const [row] = await tx.query<ProductRow>(
          `UPDATE products SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND ${live} RETURNING ${columns}`,
          [id, deletedAt],
        );
        if (row) await appendEvents(tx, events);
        return row;
      });
    },

    async list(query) {
      const { page, count } = productListSql(query);
      const { rows, total } = await pageOf<ProductRow>(db, page, count, query.offset);
      return { items: rows.map(toProduct), total };
    },
  };
}

const slugTaken = (slug: string) => new DomainError('SLUG_TAKEN', `The slug "${slug}" is taken`);

export function sqlCategories(db: SqlDatabase): CategoryRepository {
  const columns = 'id, name, slug';
  const writing = async <T>(slug: string | undefined, work: (tx: SqlClient) => Promise<T>) => {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (uniqueViolation(error)) throw slugTaken(slug ?? '');
      throw error;
    }
  };

  return {
    create: (category, events) =>
      writing(category.slug, async (tx) => {
        await tx.query('INSERT INTO categories (id, name, slug) VALUES ($1, $2, $3)', [category.id, category.name, category.slug]);
        await appendEvents(tx, events);
      }),
    async findBySlug(slug) {
      const [row] = await db.query<Category>(`SELECT ${columns} FROM categories WHERE slug = $1`, [slug]);
      return row ?? null;
    },
    list: () => db.query(`SELECT ${columns} FROM categories ORDER BY name, id`),
    update: (slug, change, events) =>
      writing(change.slug, async (tx) => {
        const [row] = await tx.query<Category>(
          `UPDATE categories SET name = COALESCE($2, name), slug = COALESCE($3, slug) WHERE slug = $1 RETURNING ${columns}`,
          [slug, change.name ?? null, change.slug ?? null],
        );
        if (!row) return null;
        // Deleted products move too: carts and old orders still name their category.
        if (row.slug !== slug) await tx.query('UPDATE products SET category = $2 WHERE category = $1', [slug, row.slug]);
        await appendEvents(tx, events);
        return row;
      }),
    // The row lock first, in a statement of its own: it waits for every product write holding the
    // category (holdCategory), and the next statement's snapshot, taken after, sees their products.
    // (One DELETE ... WHERE NOT EXISTS would judge by a snapshot from before its wait.)
    delete: (slug, events) =>
      db.transaction(async (tx) => {
        if (!(await tx.query('SELECT 1 FROM categories WHERE slug = $1 FOR UPDATE', [slug])).length) return 'missing' as const;
        if ((await tx.query(`SELECT 1 FROM products WHERE category = $1 AND deleted_at IS NULL LIMIT 1`, [slug])).length) {
          return 'in-use' as const;
        }
        await tx.query('DELETE FROM categories WHERE slug = $1', [slug]);
        await appendEvents(tx, events);
        return 'deleted' as const;
      }),
  };
}
