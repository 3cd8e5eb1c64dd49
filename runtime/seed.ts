/**
 * The demo food catalog of runtime/seed-data.ts (10 categories, 250-odd products), loaded by
 * `npm run seed` (scripts/seed.ts) and by a first start on embedded defaults (demo-catalog.ts).
 *
 * - Idempotent: a product's id is derived from its category and name, and what exists already
 *   (by id; categories by slug) is skipped, never overwritten, so an admin's edits survive and
 *   a product an admin deleted stays deleted. Running it twice changes nothing.
 * - Writes go through the catalog service, exactly like an admin's: validated, with a
 *   `product.created` event in the outbox and the catalog cache invalidated.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '#domain/errors.js';
import { newCategory, newProduct } from '#domain/catalog/inputs.js';
import type { Deps } from '#platform/deps.js';
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

export const label = (text: string) => text.padEnd(12);

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
