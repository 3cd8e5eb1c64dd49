/**
 * `npm run seed`: loads the demo food catalog of scripts/seed-data.ts (10 categories, 250-odd
 * products), so a new shop looks like a real one right after `npm start`.
 *
 * - Same configuration as the runtime: the schema of platform/config/ on the environment (and .env), so with
 *   DATABASE_URL unset it writes to the embedded PGlite database under DATA_DIR (.data).
 * - Idempotent: a product's id is derived from its category and name, and what exists already
 *   (by id; categories by slug) is skipped, never overwritten, so an admin's edits survive and
 *   a product an admin deleted stays deleted. Running it twice changes nothing.
 * - Writes go through the catalog service, exactly like an admin's: validated, with a
 *   `product.created` event in the outbox and the catalog cache invalidated.
 *
 * EMBEDDED DEFAULTS: STOP THE SHOP FIRST. PGlite is PostgreSQL inside one Node.js process and
 * does not lock its data directory itself; a second process writing to it damages the database.
 * The shop's own lock (adapters/sql/data-dir-lock.ts) refuses the seed while `npm start` holds it.
 * With DATABASE_URL (PostgreSQL or MongoDB) the seed can run next to the shop; without REDIS_URL
 * the running shop's in-memory cache may show the old catalog until it expires (CATALOG_CACHE_TTL).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { DomainError } from '#domain/errors.js';
import { newCategory, newProduct } from '#domain/catalog/inputs.js';
import { configOrExit } from '#platform/config.js';
import { buildDeps, type Deps } from '#platform/deps.js';
import { seedCategories, seedProducts, type SeedProduct } from './seed-data.js';

export interface SeedOptions {
  /** Receives one finished line of progress at a time (a line per category, no newline). */
  log?: (line: string) => void;
  /** Called after each product, for a live counter on a terminal. */
  onProgress?: (progress: { category: string; done: number; total: number; overall: number; overallTotal: number }) => void;
  /** Stops between two products (Ctrl-C); what was created stays, a new run goes on from there. */
  signal?: AbortSignal;
  /** Tags the `product.created` events of this run. */
  callId?: string;
}

export interface SeedResult {
  categories: { created: number; existing: number };
  /** `deleted`: seed products an admin deleted; counted in `existing`, left deleted. */
  products: { created: number; existing: number; deleted: number };
}

/** 24 hex characters (the shape of the shop's ids), the same for a product on every run. */
export const seedProductId = (product: Pick<SeedProduct, 'category' | 'name'>) =>
  createHash('sha1').update(`seed:${product.category}:${product.name}`).digest('hex').slice(0, 24);

/** A primary-key clash: the id is stored, but reads don't see it, so an admin deleted it. */
const duplicateKey = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 11000;
};

const label = (text: string) => text.padEnd(12);

/** Creates the demo categories and products that are not there yet. */
export async function seed(deps: Pick<Deps, 'catalog' | 'store'>, options: SeedOptions = {}): Promise<SeedResult> {
  const { log = () => undefined, onProgress, signal, callId } = options;
  const result: SeedResult = { categories: { created: 0, existing: 0 }, products: { created: 0, existing: 0, deleted: 0 } };

  for (const category of seedCategories) {
    signal?.throwIfAborted();
    if (await deps.store.categories.findBySlug(category.slug)) {
      result.categories.existing++;
      continue;
    }
    try {
      await deps.catalog.createCategory(newCategory.parse(category));
      result.categories.created++;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'SLUG_TAKEN')) throw error;
      result.categories.existing++; // created meanwhile by someone else
    }
  }
  const { created, existing } = result.categories;
  log(`${label('categories')} ${String(created).padStart(3)}/${seedCategories.length} new${existing ? `, ${existing} already there` : ''}`);

  let overall = 0;
  for (const category of seedCategories) {
    const products = seedProducts.filter((p) => p.category === category.slug);
    const counts = { created: 0, existing: 0, deleted: 0 };
    for (const [index, product] of products.entries()) {
      signal?.throwIfAborted();
      const id = seedProductId(product);
      if (await deps.store.products.findById(id)) {
        counts.existing++;
      } else {
        try {
          await deps.catalog.createProduct(newProduct.parse(product), { id, callId });
          counts.created++;
        } catch (error) {
          if (!duplicateKey(error)) throw new Error(`${product.name} (${category.slug}): ${(error as Error).message}`, { cause: error });
          counts.existing++;
          counts.deleted++;
        }
      }
      overall++;
      onProgress?.({ category: category.slug, done: index + 1, total: products.length, overall, overallTotal: seedProducts.length });
    }
    const notes = [
      counts.existing && `${counts.existing} already there`,
      counts.deleted && `${counts.deleted} of them deleted by an admin, left deleted`,
    ].filter(Boolean);
    log(`${label(category.slug)} ${String(counts.created).padStart(3)}/${products.length} new${notes.length ? `, ${notes.join('; ')}` : ''}`);
    result.products.created += counts.created;
    result.products.existing += counts.existing;
    result.products.deleted += counts.deleted;
  }
  return result;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function main() {
  const config = configOrExit('seed');
  const write = (text: string) => process.stdout.write(text);
  // On a terminal a live counter is redrawn in place; elsewhere (CI, a file) only finished lines.
  const live = Boolean(process.stdout.isTTY);
  const clear = live ? '\r\x1b[K' : '';
  const line = (text: string) => write(`${clear}${text}\n`);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());

  let deps: Deps | undefined;
  try {
    // Quiet: warnings only, on stderr, so stdout is the progress.
    const log: FastifyBaseLogger = pino({ level: config.logLevel === 'silent' ? 'silent' : 'warn' }, pino.destination(2));
    try {
      deps = await buildDeps(config, log);
    } catch (error) {
      if (config.databaseUrl || /in use by process/.test((error as Error).message)) throw error;
      throw new Error(
        `cannot open the embedded database in ${join(config.dataDir, 'pglite')}: ${(error as Error).message}\n  ` +
          'If the shop was running while something else opened it, the database may be damaged; ' +
          'move the folder away (a new one is made on the next start) and seed again.',
        { cause: error },
      );
    }
    line(`Seeding the demo catalog into ${deps.adapters.database}`);
    const started = performance.now();
    const result = await seed(deps, {
      log: line,
      signal: abort.signal,
      callId: `seed-${Date.now().toString(36)}`,
      onProgress: live
        ? (p) => write(`${clear}${label(p.category)} ${String(p.done).padStart(3)}/${p.total}   (${p.overall}/${p.overallTotal} products)`)
        : undefined,
    });
    const { categories, products } = result;
    line(
      `Done in ${seconds(performance.now() - started)}: ${categories.created} categories, ${products.created} products created, ` +
        `${products.existing} already there.`,
    );
    if (products.created && config.databaseUrl && !config.redisUrl && config.catalogCacheTtl > 0) {
      line(`A shop that is already running may list the old catalog for up to ${config.catalogCacheTtl}s (its cache is in memory without REDIS_URL).`);
    }
  } catch (error) {
    write(clear);
    if (abort.signal.aborted) {
      console.error('seed interrupted: what was created stays; run `npm run seed` again to finish.');
      process.exitCode = 130;
    } else {
      console.error(`seed failed: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  } finally {
    await deps?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
