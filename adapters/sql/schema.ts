import { productNameWords, productSearchWords } from '#domain/catalog/search-words.js';
import type { SqlClient, SqlDatabase } from './sql-database.js';

/** The units orders hold, from the product's notes. */
export const heldUnits = `(SELECT COALESCE(sum(value::int), 0)::int FROM jsonb_each_text(holds))`;

/** A product's on-hand count; a row without one (written before it existed) has all its units in stock or held. */
export const onHandNow = `COALESCE(on_hand, stock + ${heldUnits})`;

/** Tables and indexes, created at start-up; safe to run from many processes at once. */
const statements = [
  `CREATE TABLE IF NOT EXISTS users (
     id text PRIMARY KEY,
     email text NOT NULL,
     name text NOT NULL,
     phone text,
     role text NOT NULL CHECK (role IN ('customer', 'admin')),
     password_hash text NOT NULL,
     addresses jsonb NOT NULL DEFAULT '[]',
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email))`,
  `CREATE INDEX IF NOT EXISTS users_created_at_idx ON users (created_at DESC, id DESC)`,
  `ALTER TABLE users ADD COLUMN IF NOT EXISTS email_verified boolean NOT NULL DEFAULT false`,
  `ALTER TABLE users ADD COLUMN IF NOT EXISTS marketing_emails boolean NOT NULL DEFAULT false`,
  // One-time tokens (password reset, email verification), stored as their SHA-256 only.
  `CREATE TABLE IF NOT EXISTS one_time_tokens (
     hash text PRIMARY KEY,
     purpose text NOT NULL,
     user_id text NOT NULL,
     email text NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz)`,
  `CREATE INDEX IF NOT EXISTS one_time_tokens_user_idx ON one_time_tokens (user_id, purpose) WHERE used_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS one_time_tokens_expires_idx ON one_time_tokens (expires_at)`,
  `CREATE TABLE IF NOT EXISTS outbox (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     type text NOT NULL,
     data jsonb NOT NULL,
     call_id text,
     occurred_at timestamptz NOT NULL,
     sent_at timestamptz)`,
  // A relay holds the events it claimed until then; another relay skips them meanwhile.
  `ALTER TABLE outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz`,
  `CREATE INDEX IF NOT EXISTS outbox_unsent_idx ON outbox (seq) WHERE sent_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS categories (
     id text PRIMARY KEY,
     name text NOT NULL,
     slug text NOT NULL UNIQUE)`,
  `CREATE TABLE IF NOT EXISTS products (
     id text PRIMARY KEY,
     name text NOT NULL,
     description text NOT NULL,
     category text NOT NULL,
     price_cents integer NOT NULL CHECK (price_cents >= 0),
     currency text NOT NULL,
     stock integer NOT NULL CHECK (stock >= 0),
     unit text NOT NULL,
     image_url text,
     thumbnail_url text,
     image_id text,
     available boolean NOT NULL,
     deleted_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     search_words text[])`,
  // The search words (domain/catalog/search-words.ts) are written by the adapter with the product.
  // Tables from 0.2.0 get the column here and their rows get words below; their generated `search`
  // column and its index are no longer read, but are left for the replicas of the previous version
  // that still run during a rolling deploy (drop them by hand afterwards).
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS search_words text[]`,
  // The name's own words: relevance puts a name match before a description match.
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS name_words text[]`,
  // The domain checks a product's category (as on MongoDB); a foreign key would keep a category
  // in use by deleted products from ever being removed, and a new slug from being taken.
  `ALTER TABLE products DROP CONSTRAINT IF EXISTS products_category_fkey`,
  // The orders holding stock of the product, with how much: {"<order id>": 3} (adapters/sql/sql-stock.ts).
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS holds jsonb NOT NULL DEFAULT '{}'`,
  // On the shelf: `stock` (available) plus what orders hold, so 0 <= stock <= on_hand. Rows from
  // before it get it below; it stays nullable for the previous version's replicas during a rolling
  // deploy, which write no on_hand (the adapters read a missing one as stock + held).
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS on_hand integer CONSTRAINT products_on_hand_check CHECK (stock <= on_hand)`,
  // Food facts (domain/catalog/food.ts). Both allergen lists NULL: not declared; the listing's
  // excludeAllergens leaves those rows out. Defaults keep the previous version's INSERTs valid.
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS allergens_contains text[]`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS allergens_may text[]`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS diets text[] NOT NULL DEFAULT '{}'`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS ingredients text NOT NULL DEFAULT ''`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS nutrition jsonb`,
  // Which VAT rate a price holds (domain/catalog/tax.ts); rows from before it are standard.
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS tax_class text NOT NULL DEFAULT 'standard'
     CONSTRAINT products_tax_class_check CHECK (tax_class IN ('standard', 'reduced', 'zero'))`,
  // Sold by the piece or by weight (domain/catalog/weight.ts): by weight, price_cents is per
  // kilogram and stock, on_hand and holds count grams. Rows from before are sold by the piece.
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS sold_by text NOT NULL DEFAULT 'piece' CONSTRAINT products_sold_by_check CHECK (sold_by IN ('piece', 'weight'))`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS step_grams integer CONSTRAINT products_step_grams_check CHECK (step_grams > 0)`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS min_grams integer CONSTRAINT products_min_grams_check CHECK (min_grams > 0)`,
  `ALTER TABLE products ADD COLUMN IF NOT EXISTS typical_grams integer CONSTRAINT products_typical_grams_check CHECK (typical_grams > 0)`,
  // One index per way the listing filters or sorts; deleted products are left out of all of them.
  `CREATE INDEX IF NOT EXISTS products_newest_idx ON products (created_at DESC, id DESC) WHERE deleted_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS products_category_idx ON products (category, created_at DESC, id DESC) WHERE deleted_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS products_price_idx ON products (price_cents, id) WHERE deleted_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS products_name_idx ON products (lower(name), id) WHERE deleted_at IS NULL`,
  // array_to_tsvector takes the words as lexemes as they are: PostgreSQL's parser never re-cuts them.
  `CREATE INDEX IF NOT EXISTS products_words_idx ON products USING gin (array_to_tsvector(search_words)) WHERE deleted_at IS NULL`,
  // ?diet=vegan,gluten_free is diets @> '{gluten_free,vegan}'; ?excludeAllergens is a negation
  // (no index narrows "has none of"), read as a filter over what the other indexes find, or with
  // allergens_contains IS NOT NULL from this one's declared rows.
  `CREATE INDEX IF NOT EXISTS products_diets_idx ON products USING gin (diets) WHERE deleted_at IS NULL`,
  `CREATE INDEX IF NOT EXISTS products_declared_idx ON products (created_at DESC, id DESC) WHERE deleted_at IS NULL AND allergens_contains IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS orders (
     id text PRIMARY KEY,
     user_id text NOT NULL,
     status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
     items jsonb NOT NULL,
     total_cents bigint NOT NULL CHECK (total_cents >= 0),
     currency text NOT NULL,
     address jsonb NOT NULL,
     note text,
     cancel_reason text,
     history jsonb NOT NULL,
     idempotency_key text NOT NULL,
     request_hash text NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     UNIQUE (user_id, idempotency_key))`,
  // A customer's orders (by status too), and the admin's list (by status, by date).
  `CREATE INDEX IF NOT EXISTS orders_user_idx ON orders (user_id, created_at DESC, id DESC)`,
  `CREATE INDEX IF NOT EXISTS orders_user_status_idx ON orders (user_id, status, created_at DESC, id DESC)`,
  `CREATE INDEX IF NOT EXISTS orders_created_idx ON orders (created_at DESC, id DESC)`,
  `CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (status, created_at DESC, id DESC)`,
  // What an order costs and where it goes: orders from before delivery zones read as their lines'
  // total with no fee (adapters/sql/sql-orders.ts).
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS subtotal_cents bigint`,
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS delivery_fee_cents bigint`,
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS delivery jsonb`,
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS slot_id text`,
  // The VAT rates an order was placed with ({rates, deliveryClass}); NULL on orders from before.
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS tax jsonb`,
  `CREATE INDEX IF NOT EXISTS orders_slot_idx ON orders (slot_id, created_at DESC, id DESC) WHERE slot_id IS NOT NULL`,
  // Payments (domain/payments/payment.ts): method, status, amounts, the Stripe intent, refunds,
  // handled Stripe events and a version for conditional writes, in one jsonb; NULL on orders from
  // before. A card order waits in the new status awaiting_payment: the status check grows it
  // (replaced once, under the migration lock; the previous version never writes the new status).
  `ALTER TABLE orders ADD COLUMN IF NOT EXISTS payment jsonb`,
  `IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'orders_status_v2_check' AND conrelid = 'orders'::regclass) THEN
     ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check;
     ALTER TABLE orders ADD CONSTRAINT orders_status_v2_check
       CHECK (status IN ('pending', 'awaiting_payment', 'confirmed', 'shipped', 'delivered', 'cancelled'));
   END IF`,
  // Delivery zones (adapters/sql/sql-delivery.ts): postcodes, fees and timetable in one jsonb.
  `CREATE TABLE IF NOT EXISTS delivery_zones (
     id text PRIMARY KEY,
     name text NOT NULL,
     settings jsonb NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL)`,
  // A slot's places: counted in `taken`, each order noted in `holds` ({"<order id>": 1}).
  `CREATE TABLE IF NOT EXISTS delivery_slots (
     id text PRIMARY KEY,
     zone_id text NOT NULL,
     taken integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
     holds jsonb NOT NULL DEFAULT '{}')`,
  `CREATE TABLE IF NOT EXISTS reservations (
     order_id text PRIMARY KEY,
     status text NOT NULL CHECK (status IN ('reserved', 'rejected', 'released', 'settled')),
     updated_at timestamptz NOT NULL)`,
  // Why a rejected order was rejected (out_of_stock, slot_full): the expiry sweep says so.
  `ALTER TABLE reservations ADD COLUMN IF NOT EXISTS reason text`,
];

// Any fixed number: concurrent start-ups queue on it instead of racing on CREATE.
const MIGRATION_LOCK = 727_001;

export async function migrate(db: SqlDatabase) {
  await db.transaction(async (tx) => {
    // A migration of a large table, or the wait for another process's, may take longer than a
    // request's statement timeout may.
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    // One round trip for all of them (a PL/pgSQL block runs each in turn): every function's
    // start runs this, and a round trip each added 25–100 ms to a cold start here.
    await tx.query(`DO $migrate$ BEGIN\n${statements.map((statement) => `${statement};`).join('\n')}\nEND $migrate$`);
    await fillSearchWords(tx);
    await tx.query(`UPDATE products SET on_hand = ${onHandNow} WHERE on_hand IS NULL`);
  });
}

/**
 * Words for rows that have none: rows from before the column existed, or written by a replica of
 * the previous version during a rolling deploy. The column stays nullable for those replicas.
 */
async function fillSearchWords(tx: SqlClient) {
  const rows = await tx.query<{ id: string; name: string; description: string }>(
    'SELECT id, name, description FROM products WHERE search_words IS NULL OR name_words IS NULL',
  );
  for (const row of rows) {
    await tx.query('UPDATE products SET search_words = $2, name_words = $3 WHERE id = $1', [row.id, productSearchWords(row), productNameWords(row)]);
  }
}
