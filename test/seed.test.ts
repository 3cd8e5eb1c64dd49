import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { newProduct, productListQuery } from '#domain/catalog/inputs.js';
import type { JsonBytes } from '#domain/versioned-cache.js';
import type { Serialized } from '#platform/define-function.js';
import { loadConfig } from '#platform/config.js';
import { buildDeps, type Deps } from '#platform/deps.js';
import { seedCategories, seedProducts } from '../runtime/seed-data.js';
import { seed, seedProductId } from '../runtime/seed.js';
import { freshPostgres, postgresUrl } from './helpers/targets.js';

const quiet = pino({ level: 'silent' });
/** What a catalog answer holds (the catalog answers JSON text, as it sends it). */
/** The catalog writes its answers with the serializer it is given (a route's own); this one writes everything. */
const asJson = <T>(answer: T) => JSON.stringify(answer) as Serialized<T>;
// A cached listing comes as the stored bytes.
const parse = <T>(answer: Serialized<T> | JsonBytes<Serialized<T>>) =>
  JSON.parse(typeof answer === 'string' ? answer : new TextDecoder().decode(answer)) as T;

// Every seeded product, unavailable ones too (as an admin lists them).
const listing = (query: Record<string, string> = {}) => productListQuery.parse({ page: 1, limit: 100, sort: 'newest', available: 'all', ...query });

t.test('the demo data', async (t) => {
  t.ok(seedProducts.length >= 200, `${seedProducts.length} products`);
  t.ok(seedCategories.length >= 7, `${seedCategories.length} categories`);
  const slugs = seedCategories.map((c) => c.slug);
  for (const slug of ['fruit', 'vegetables', 'dairy', 'bakery', 'meat', 'drinks', 'pantry']) t.ok(slugs.includes(slug), `has ${slug}`);

  for (const product of seedProducts) {
    const parsed = newProduct.safeParse(product);
    if (!parsed.success) {
      t.fail(`${product.name} fails newProduct: ${parsed.error.message}`);
      continue;
    }
    // Nothing left for the schema to default or trim: the table says exactly what is stored.
    if (JSON.stringify(parsed.data) !== JSON.stringify(product)) t.fail(`${product.name} changes when parsed`);
    if (!slugs.includes(product.category)) t.fail(`${product.name}: unknown category ${product.category}`);
    const sentences = product.description.split(/[.!?](?:\s|$)/).filter((s) => s.trim()).length;
    if (sentences < 1 || sentences > 2) t.fail(`${product.name}: ${sentences} sentences in the description`);
  }
  t.ok(seedProducts.every((p) => p.currency === 'USD'), 'all in USD');

  const unique = (values: string[]) => new Set(values).size === values.length;
  t.ok(unique(seedProducts.map((p) => p.name.toLowerCase())), 'names are unique');
  t.ok(unique(seedProducts.map((p) => p.description)), 'descriptions are unique');
  const ids = seedProducts.map(seedProductId);
  t.ok(unique(ids), 'ids are unique');
  t.ok(ids.every((id) => /^[0-9a-f]{24}$/.test(id)), 'ids are 24 hex characters');
  t.ok(unique(seedCategories.map((c) => c.slug)), 'slugs are unique');

  const outOfStock = seedProducts.filter((p) => p.stock === 0).length;
  t.ok(outOfStock >= 3 && outOfStock <= 15, `${outOfStock} out of stock`);
  const unavailable = seedProducts.filter((p) => !p.available).length;
  t.ok(unavailable >= 1 && unavailable <= 5, `${unavailable} unavailable`);
  t.ok(seedProducts.every((p) => p.stock <= (p.by === 'weight' ? 30_000 : 300)), 'stock at most 300 units, or 30 kg by weight');
  const byWeight = seedProducts.filter((p) => p.by === 'weight');
  t.ok(byWeight.length >= 15 && byWeight.every((p) => p.unit === 'kg' && p.pricePerKgCents && p.priceCents === undefined), `${byWeight.length} sold by weight, per kg`);
  t.match(seedProducts.find((p) => p.name === 'Gala apples'), { by: 'weight', pricePerKgCents: 349, stepGrams: 250, minGrams: 500, typicalGrams: 180 });
  t.ok(new Set(seedProducts.map((p) => p.unit)).size >= 10, 'a variety of units');
});

t.test('the demo data declares allergens, diets and nutrition believably', async (t) => {
  const named = (name: string) => seedProducts.find((p) => p.name === name)!;
  t.ok(newProduct.safeParse(named('Aged white cheddar')).success, 'what the create body takes');
  t.match(named('Aged white cheddar'), { allergens: { contains: ['milk'] }, diets: ['gluten_free', 'vegetarian'], nutrition: { energyKcal: 403 } });
  t.match(named('Country sourdough'), { allergens: { contains: ['gluten'] }, diets: ['vegan', 'vegetarian'] });
  t.ok(seedProducts.filter((p) => p.category === 'vegetables').every((p) => p.diets.includes('vegan') && p.allergens?.contains.length === 0), 'vegetables are vegan, free of the 14');
  t.match(named('Raw jumbo shrimp').allergens, { contains: ['crustaceans'] });
  const withNutrition = seedProducts.filter((p) => p.nutrition).length;
  t.ok(withNutrition >= 80, `${withNutrition} with nutrition`);
  const undeclared = seedProducts.filter((p) => p.allergens === null).length;
  t.ok(undeclared >= 3 && undeclared <= 20, `${undeclared} not declared`);
});

/** Seeds twice, lets an admin edit and delete, and seeds a third time. */
async function seedsIdempotently(t: Test, deps: Deps) {
  const lines: string[] = [];
  const first = await seed(deps, { log: (line) => lines.push(line) });
  t.same(first, {
    categories: { created: seedCategories.length, existing: 0 },
    products: { created: seedProducts.length, existing: 0, deleted: 0 },
  });
  t.equal(lines.length, seedCategories.length + 1, 'a line for the categories and one per category');
  t.match(lines[1], /^fruit\s+\d+\/\d+ new$/);

  const { items: categories } = parse(await deps.catalog.listCategories(asJson));
  t.ok(categories.length >= 7);
  const before = parse(await deps.catalog.listProducts(listing(), asJson, { admin: true }));
  t.equal(before.total, seedProducts.length, 'everything is listed');
  t.ok((parse(await deps.catalog.listProducts(listing({ inStock: 'true' }), asJson, { admin: true }))).total < before.total, 'some are out of stock');
  const fruit = parse(await deps.catalog.listProducts(listing({ category: 'fruit' }), asJson, { admin: true }));
  t.equal(fruit.total, seedProducts.filter((p) => p.category === 'fruit').length);

  const bananas = seedProducts.find((p) => p.name === 'Bananas')!;
  t.match(parse(await deps.catalog.getProduct(seedProductId(bananas), asJson)).product, { ...bananas, id: seedProductId(bananas) }, 'stored as in the table');

  const events = (await deps.store.outbox.pending(1000)).filter((e) => e.type === 'product.created');
  t.equal(events.length, seedProducts.length, 'a product.created event per product, as for an admin');

  const again = await seed(deps);
  t.same(again, {
    categories: { created: 0, existing: seedCategories.length },
    products: { created: 0, existing: seedProducts.length, deleted: 0 },
  });
  t.equal((parse(await deps.catalog.listProducts(listing(), asJson, { admin: true }))).total, before.total, 'the second run changes nothing');
  t.equal((await deps.store.outbox.pending(1000)).filter((e) => e.type === 'product.created').length, seedProducts.length);

  // An admin's edits survive a new run, and what an admin deleted stays deleted.
  await deps.catalog.updateProduct(seedProductId(bananas), { priceCents: 35, onHand: 0 });
  const doomed = seedProducts.find((p) => p.name === 'Gummy bears')!;
  await deps.catalog.deleteProduct(seedProductId(doomed));
  const third = await seed(deps, { log: (line) => lines.push(line) });
  t.same(third.products, { created: 0, existing: seedProducts.length, deleted: 1 });
  t.match(lines.at(-2), /^snacks\s+0\/\d+ new, \d+ already there; 1 of them deleted by an admin/);
  t.match(parse(await deps.catalog.getProduct(seedProductId(bananas), asJson)).product, { priceCents: 35, stock: 0, onHand: 0 });
  await t.rejects(deps.catalog.getProduct(seedProductId(doomed), asJson), { code: 'NOT_FOUND' });
  t.equal((parse(await deps.catalog.listProducts(listing(), asJson, { admin: true }))).total, before.total - 1);
}

t.test('seed on embedded defaults (PGlite + memory)', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-seed-'));
  let deps: Deps | undefined;
  t.teardown(async () => {
    await deps?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    REDIS_URL: '',
    SECRETS_DIR: join(dataDir, 'no-secrets'),
    LOG_LEVEL: 'silent',
  });
  deps = await buildDeps(config, quiet);
  await t.rejects(buildDeps(config, quiet), /in use by process \d+/, 'a second opener of the embedded database is refused');
  await seedsIdempotently(t, deps);
});

t.test(
  'seed on PostgreSQL',
  { skip: postgresUrl ? false : 'DATABASE_URL (postgres://…) not set: PostgreSQL seed test SKIPPED' },
  async (t) => {
    const db = await freshPostgres(postgresUrl!);
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-seed-'));
    let deps: Deps | undefined;
    t.teardown(async () => {
      await deps?.close();
      await db.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: '',
      SECRETS_DIR: join(dataDir, 'no-secrets'),
      LOG_LEVEL: 'silent',
    });
    deps = await buildDeps(config, quiet);
    await seedsIdempotently(t, deps);
  },
);
